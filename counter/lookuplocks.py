"""解除查询锁定 at the counter: a resident whose 办件查询 at the kiosk was locked (too many wrong
tries on their acceptance number, or on that kiosk) asks at the desk; the clerk sees the locks
in force and lifts one (``POST /cases/lookup/unlock``, audited by the backend)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from clientlib.plumbing import Jobs

from .actions import Actions
from .i18n import pair, tr
from .pending import Pending

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


class LookupView(Protocol):
    def show_notice(self, text: str, level: str) -> None: ...

    def open_lookup_unlock(self, form: LookupUnlockForm) -> None: ...


class LookupLocks:
    """The 解除查询锁定 dialog and its action; `selected()` is the case number to prefill."""

    def __init__(
        self,
        api: Any,
        view: LookupView,
        jobs: Jobs,
        actions: Actions,
        lang: str,
        selected: Callable[[], str],
    ):
        self.api, self.view, self.jobs, self.actions = api, view, jobs, actions
        self.lang, self.selected = lang, selected

    def lookup_unlock_dialog(self) -> None:
        """Open the dialog with the locks in force (and the selected case's number)."""
        if not self.actions.ready():
            return
        number = self.selected()

        def loaded(data: dict) -> None:
            locks = (data or {}).get("locks") or []
            self.view.open_lookup_unlock(unlock_form(locks, number, self.lang, datetime.now(UTC)))

        def failed(exc: Exception) -> None:
            info = self.actions.explain(exc)
            self.view.open_lookup_unlock(
                unlock_form(None, number, self.lang, datetime.now(UTC), info)
            )

        self.jobs.call(lambda: self.api.get(self.api.hall_path(LOCKS_PATH)), loaded, failed)

    def lift_lookup_lock(self, scope: str, key: str) -> None:
        """Lift the lock of an acceptance number (scope "number") or a kiosk ("device")."""
        key = (key or "").strip()
        if scope == "number":
            key = key.upper()
        if scope not in ("number", "device") or not key:
            self.view.show_notice(tr("lookup_target_required", self.lang), "error")
            return
        self.actions.act(
            Pending("lookup_unlock", "lookup-unlock", key, {scope: key}, path=UNLOCK_PATH)
        )
