"""我有预约: check in at POST /appointments/check-in, with the 8-digit code
from the booking message, or with the last 4 phone digits and then the booked item.

On time (within the hall's tolerance around the slot start) the backend issues an appointment
ticket; early or late it issues a normal one and says why in plain words, which the ticket
screen shows. Either way the slot is on the ticket screen and the receipt. One request id per
check-in, reused by every retry, so the backend never checks in twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from clientlib.api import ApiError, new_request_id
from clientlib.plumbing import Jobs

from . import builders as b
from .backendlink import BackendLink
from .i18n import pick, tr
from .screens import AppointmentScreen
from .session import Navigator, Session

log = logging.getLogger(__name__)

CODE_DIGITS = 8  # the appointment code (contract: 8 digits)
PHONE_DIGITS = 4
WAYS = ("code", "phone")
# backend refusals the resident can act on, in plain words
REFUSALS = {
    "appointment_not_found": "appointment_not_found",
    "already_checked_in": "appointment_already",
    "ambiguous": "appointment_ambiguous",
    "appointment_ambiguous": "appointment_ambiguous",
}


class CheckIn:
    """The check-in's digits and its request; `show_ticket(item code, result, mode)` shows the
    ticket the backend issued (the presenter's confirmation, as for a ticket taken)."""

    def __init__(
        self,
        api: Any,
        jobs: Jobs,
        session: Session,
        nav: Navigator,
        link: BackendLink,
        show_ticket: Callable[[str, dict, b.Mode | None], None],
    ):
        self.api, self.jobs, self.session, self.nav = api, jobs, session, nav
        self.link, self.show_ticket = link, show_ticket
        self.forget()

    def forget(self) -> None:
        self.way = "code"
        self.code = ""
        self.notice = ""  # an i18n key, or "" (see message)
        self.message: Callable[[str], str] | None = None  # a backend message shown as is
        self.busy = False  # a check-in in flight
        self.intent: tuple[tuple, str] | None = None  # (what, request id)

    def open(self) -> None:
        self.forget()
        self.nav.push("appointment")

    def switch_way(self) -> None:
        """Between the code and the phone's last 4 digits (then the booked item)."""
        if self.busy:
            return
        self.way = WAYS[(WAYS.index(self.way) + 1) % len(WAYS)]
        self.code, self.notice, self.message = "", "", None
        self.nav.render()

    def _limit(self) -> int:
        return CODE_DIGITS if self.way == "code" else PHONE_DIGITS

    def digit(self, digit: str) -> None:
        if self.busy or not (len(digit) == 1 and digit.isdigit()):
            return
        if len(self.code) < self._limit():
            self.code += digit
            self.notice, self.message = "", None
            self.nav.render()

    def erase(self) -> None:
        if not self.busy:
            self.code = self.code[:-1]
            self.nav.render()

    def clear(self) -> None:
        if not self.busy:
            self.code = ""
            self.nav.render()

    def submit(self) -> None:
        s = self.session
        if self.busy or s.state != "ready" or s.top[0] != "appointment":
            return
        if len(self.code) != self._limit():
            self.notice = "appointment_too_short" if self.way == "code" else "phone_too_short"
            self.nav.render()
            return
        if self.way == "phone":  # then the booked item, as on the green channel
            s.mode = b.Mode("appointment", self.code)
            self.nav.push("departments")
            return
        self._check_in({"code": self.code}, on_error=self._code_failed)

    def for_item(self, code: str) -> None:
        """Phone way: the guide's 预约签到取号 for the booked item."""
        mode = self.session.mode
        if self.busy or mode is None:
            return
        self._check_in({"phone_last4": mode.reason, "item_code": code}, self._item_failed)

    def _check_in(self, what: dict, on_error: Callable[[Exception], None]) -> None:
        key = tuple(sorted(what.items()))
        if self.intent is None or self.intent[0] != key:
            self.intent = (key, new_request_id())
        request_id, lang = self.intent[1], self.session.language
        self.busy = True
        self.notice, self.message, self.session.notice = "", None, None
        self.nav.render()
        self.jobs.call(
            lambda: self.api.check_in(request_id, language=lang, **what),
            lambda result: self._checked_in(what, result),
            on_error,
        )

    def _checked_in(self, what: dict, result: dict) -> None:
        self.busy = False
        self.intent = None
        code = result["ticket"].get("item") or what.get("item_code", "")
        self.show_ticket(code, result, None)

    def _refusal(self, exc: Exception) -> bool:
        """Offline / out of service; True when it was one of those."""
        self.busy = False
        if self.link.failed(exc):
            return True
        if not isinstance(exc, ApiError):
            log.error("appointment check-in failed", exc_info=exc)
        return False

    def _code_failed(self, exc: Exception) -> None:
        if self._refusal(exc):
            return
        key = REFUSALS.get(exc.code) if isinstance(exc, ApiError) else None
        if key:
            self.notice = key
        else:
            self.message = _message(exc)
        if self.session.top[0] == "appointment":
            self.nav.render()

    def _item_failed(self, exc: Exception) -> None:
        if self._refusal(exc):
            return
        key = REFUSALS.get(exc.code) if isinstance(exc, ApiError) else None
        message = _message(exc)
        self.session.notice = (lambda lang: tr(key, lang)) if key else message
        if self.session.top[0] == "guide":
            self.nav.render()

    def screen(self) -> AppointmentScreen:
        lang, way = self.session.language, self.way
        if self.message is not None:
            notice = self.message(lang)
        else:
            notice = tr(self.notice, lang) if self.notice else ""
        full = len(self.code) == self._limit()
        return AppointmentScreen(
            title=tr("appointment_title", lang),
            hint=tr(f"appointment_hint_{way}", lang),
            code=self.code,
            can_submit=full and not self.busy,
            notice=notice,
            length=self._limit(),
            submit_label=tr("checking_in", lang)
            if self.busy
            else tr(f"appointment_submit_{way}", lang),
            switch_label=tr(f"appointment_switch_{way}", lang),
            busy=self.busy,
        )


def _message(exc: Exception) -> Callable[[str], str]:
    if not isinstance(exc, ApiError) or exc.status >= 500:
        return lambda lang: tr("server_error", lang)
    return lambda lang: tr("appointment_failed", lang, message=pick(exc.message, lang))
