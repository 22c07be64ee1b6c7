"""我有预约 for the presenter: check in at POST /appointments/check-in, with the 8-digit code
from the booking message, or with the last 4 phone digits and then the booked item.

On time (within the hall's tolerance around the slot start) the backend issues an appointment
ticket; early or late it issues a normal one and says why in plain words, which the ticket
screen shows. Either way the slot is on the ticket screen and the receipt. One request id per
check-in, reused by every retry, so the backend never checks in twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from clientlib.api import ApiError, ApiUnavailable, new_request_id

from . import builders as b
from .backendlink import refused
from .flowhost import FlowHost
from .i18n import pick, tr
from .ports import touch
from .screens import AppointmentScreen

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


class AppointmentFlow(FlowHost):
    """Part of Presenter: the appointment check-in."""

    def _forget_appointment(self) -> None:
        self.appointment_way = "code"
        self.appointment_code = ""
        self.appointment_notice = ""  # an i18n key, or "" (see appointment_message)
        self.appointment_message: Callable[[str], str] | None = (
            None  # a backend message (zh / en) shown as is
        )
        self.checking_in = False
        self.checkin_intent: tuple[tuple, str] | None = None  # (what, request id)

    @touch
    def open_appointment(self) -> None:
        self._forget_appointment()
        self._push("appointment")

    @touch
    def switch_appointment_way(self) -> None:
        """Between the code and the phone's last 4 digits (then the booked item)."""
        if self.checking_in:
            return
        self.appointment_way = WAYS[(WAYS.index(self.appointment_way) + 1) % len(WAYS)]
        self.appointment_code, self.appointment_notice = "", ""
        self.appointment_message = None
        self._render()

    def _appointment_limit(self) -> int:
        return CODE_DIGITS if self.appointment_way == "code" else PHONE_DIGITS

    @touch
    def appointment_digit(self, digit: str) -> None:
        if self.checking_in or not (len(digit) == 1 and digit.isdigit()):
            return
        if len(self.appointment_code) < self._appointment_limit():
            self.appointment_code += digit
            self.appointment_notice, self.appointment_message = "", None
            self._render()

    @touch
    def appointment_erase(self) -> None:
        if not self.checking_in:
            self.appointment_code = self.appointment_code[:-1]
            self._render()

    @touch
    def appointment_clear(self) -> None:
        if not self.checking_in:
            self.appointment_code = ""
            self._render()

    @touch
    def submit_appointment(self) -> None:
        if self.checking_in or self.state != "ready" or self.top[0] != "appointment":
            return
        if len(self.appointment_code) != self._appointment_limit():
            short = "appointment_too_short" if self.appointment_way == "code" else "phone_too_short"
            self.appointment_notice = short
            self._render()
            return
        if self.appointment_way == "phone":  # then the booked item, as on the green channel
            self.mode = b.Mode("appointment", self.appointment_code)
            self._push("departments")
            return
        code = self.appointment_code
        self._check_in({"code": code}, on_error=self._code_check_in_failed)

    def _check_in(self, what: dict, on_error) -> None:
        key = tuple(sorted(what.items()))
        if self.checkin_intent is None or self.checkin_intent[0] != key:
            self.checkin_intent = (key, new_request_id())
        request_id, lang = self.checkin_intent[1], self.language
        self.checking_in = True
        self.appointment_notice, self.appointment_message, self.notice = "", None, None
        self._render()
        self._call(
            lambda: self.api.check_in(request_id, language=lang, **what),
            lambda result: self._checked_in(what, result),
            on_error,
        )

    def check_in_for_item(self, code: str) -> None:
        """Phone way: the guide's 预约签到取号 for the booked item."""
        if self.checking_in or self.mode is None:
            return
        what = {"phone_last4": self.mode.reason, "item_code": code}
        self._check_in(what, on_error=self._item_check_in_failed)

    def _checked_in(self, what: dict, result: dict) -> None:
        self.checking_in = False
        self.checkin_intent = None
        code = result["ticket"].get("item") or what.get("item_code", "")
        self._show_ticket(code, result, None)

    def _check_in_refusal(self, exc: Exception) -> bool:
        """Offline / out of service; True when it was one of those."""
        self.checking_in = False
        if isinstance(exc, ApiUnavailable):
            self._go_offline(exc)
            return True
        if refused(exc):
            self._go_out_of_service(exc)
            return True
        if not isinstance(exc, ApiError):
            log.error("appointment check-in failed", exc_info=exc)
        return False

    def _code_check_in_failed(self, exc: Exception) -> None:
        if self._check_in_refusal(exc):
            return
        key = REFUSALS.get(exc.code) if isinstance(exc, ApiError) else None
        if key:
            self.appointment_notice = key
        else:
            self.appointment_message = _message(exc)
        if self.top[0] == "appointment":
            self._render()

    def _item_check_in_failed(self, exc: Exception) -> None:
        if self._check_in_refusal(exc):
            return
        key = REFUSALS.get(exc.code) if isinstance(exc, ApiError) else None
        message = _message(exc)
        self.notice = (lambda lang: tr(key, lang)) if key else message
        if self.top[0] == "guide":
            self._render()

    def _appointment_screen(self) -> AppointmentScreen:
        lang, way = self.language, self.appointment_way
        if self.appointment_message is not None:
            notice = self.appointment_message(lang)
        else:
            notice = tr(self.appointment_notice, lang) if self.appointment_notice else ""
        full = len(self.appointment_code) == self._appointment_limit()
        return AppointmentScreen(
            title=tr("appointment_title", lang),
            hint=tr(f"appointment_hint_{way}", lang),
            code=self.appointment_code,
            can_submit=full and not self.checking_in,
            notice=notice,
            length=self._appointment_limit(),
            submit_label=tr("checking_in", lang)
            if self.checking_in
            else tr(f"appointment_submit_{way}", lang),
            switch_label=tr(f"appointment_switch_{way}", lang),
            busy=self.checking_in,
        )


def _message(exc: Exception) -> Callable[[str], str]:
    if not isinstance(exc, ApiError) or exc.status >= 500:
        return lambda lang: tr("server_error", lang)
    return lambda lang: tr("appointment_failed", lang, message=pick(exc.message, lang))
