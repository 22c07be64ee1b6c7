"""解除查询锁定 at the counter: a resident whose 办件查询 at the kiosk was locked (too many wrong
tries on their acceptance number, or on that kiosk) asks at the desk; the clerk sees the locks
in force and lifts one (``POST /cases/lookup/unlock``, audited by the backend). Part of the
Presenter, like counter.casework."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .i18n import pair, tr
from .pending import Pending
from .workhost import WorkHost

LOCKS_PATH = "/cases/lookup/locks"
UNLOCK_PATH = "/cases/lookup/unlock"


@dataclass(frozen=True)
class LockChoice:
    text: str
    scope: str  # number | device
    key: str


@dataclass(frozen=True)
class LookupUnlockForm:
    locks: tuple[LockChoice, ...]  # in force now, most recent first
    number: str  # prefilled: the case selected in My cases, or the one at the counter
    info: str  # "nothing is locked", or why the locks could not be read


def unlock_form(
    locks: list[dict] | None, number: str, lang: str, now: datetime, info: str = ""
) -> LookupUnlockForm:
    choices = []
    for lock in locks or ():
        until = datetime.fromisoformat(lock["locked_until"])
        minutes = max(1, math.ceil((until - now).total_seconds() / 60))
        key = f"lookup_lock_{'device' if lock['scope'] == 'device' else 'number'}"
        text = pair(key, lang, target=lock["key"], minutes=minutes)[0]
        choices.append(LockChoice(text, lock["scope"], lock["key"]))
    if not info and locks is not None:
        info = tr("lookup_locked_count", lang, n=len(choices)) if choices else ""
        info = info or tr("lookup_none_locked", lang)
    return LookupUnlockForm(tuple(choices), number, info)


class LookupLocks(WorkHost):
    """Part of counter.presenter.Presenter (view, api, _ready, _act, _call, _explain)."""

    view: Any
    api: Any
    lang: str
    selected_case: str | None
    case: dict | None

    def lookup_unlock_dialog(self) -> None:
        """Open the dialog with the locks in force (and the selected case's number)."""
        if not self._ready():
            return
        number = self.selected_case or (self.case or {}).get("number") or ""

        def loaded(data: dict) -> None:
            locks = (data or {}).get("locks") or []
            self.view.open_lookup_unlock(unlock_form(locks, number, self.lang, datetime.now(UTC)))

        def failed(exc: Exception) -> None:
            info = self._explain(exc)
            self.view.open_lookup_unlock(
                unlock_form(None, number, self.lang, datetime.now(UTC), info)
            )

        self._call(lambda: self.api.get(self.api.hall_path(LOCKS_PATH)), loaded, failed)

    def lift_lookup_lock(self, scope: str, key: str) -> None:
        """Lift the lock of an acceptance number (scope "number") or a kiosk ("device")."""
        key = (key or "").strip()
        if scope == "number":
            key = key.upper()
        if scope not in ("number", "device") or not key:
            self.view.show_notice(tr("lookup_target_required", self.lang), "error")
            return
        self._act(Pending("lookup_unlock", "lookup-unlock", key, {scope: key}, path=UNLOCK_PATH))
