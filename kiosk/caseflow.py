"""办件查询 for the presenter: typing the acceptance number and the phone digits on the
keypad, asking the backend, showing and printing the answer.

Navigation: ("case", "number") -> ("case", "phone") -> ("case", "result"); Back walks the
same way, so a resident who mistyped the number goes back one step and keeps the digits.
The phone digits are forgotten as soon as an answer arrives, and everything on going home.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from clientlib.api import ApiError, ApiUnavailable
from clientlib.printing import Fault, PrintResult, cause_of, condition_of, fault_result

from . import cases as c
from .flowhost import FlowHost
from .i18n import pair, pick, tr
from .ports import touch


class CaseFlow(FlowHost):
    """Part of Presenter: the case query."""

    case_digits: str = ""  # typed after the hall prefix
    case_phone: str = ""
    case_notice: Callable[[str], str] | None = None
    case_busy: bool = False
    case_found: dict[str, Any] | None = None  # the answer on screen
    case_print: tuple[str, tuple[str, str]] | None = None  # state, cause
    printing_case: bool = False
    _case_seq: int = 0  # answers to an older query are dropped

    @touch
    def open_case_query(self) -> None:
        self._forget_case()
        self._push("case", "number")

    @property
    def case_prefix(self) -> str:
        return (self.catalog.hall_code if self.catalog else self.config.hall).upper()

    def _case_step(self) -> str:
        return self.top[1] if self.top[0] == "case" else ""

    @touch
    def case_digit(self, digit: str) -> None:
        if not (len(digit) == 1 and digit.isdigit()) or self.case_busy:
            return
        step = self._case_step()
        if step == "number" and len(self.case_digits) < c.NUMBER_DIGITS:
            self.case_digits += digit
        elif step == "phone" and len(self.case_phone) < c.PHONE_DIGITS:
            self.case_phone += digit
        else:
            return
        self.case_notice = None
        self._render()

    @touch
    def case_erase(self) -> None:
        self._case_edit(lambda text: text[:-1])

    @touch
    def case_clear(self) -> None:
        self._case_edit(lambda _text: "")

    def _case_edit(self, change: Callable[[str], str]) -> None:
        step = self._case_step()
        if self.case_busy or step not in ("number", "phone"):
            return
        if step == "number":
            self.case_digits = change(self.case_digits)
        else:
            self.case_phone = change(self.case_phone)
        self.case_notice = None
        self._render()

    def case_continue(self) -> None:
        """The big button under the number or the phone digits: 下一步 or 查询."""
        if self._case_step() == "number":
            self.case_next()
        elif self._case_step() == "phone":
            self.submit_case_query()

    @touch
    def case_next(self) -> None:
        """From the number to the phone digits, once the number is whole and its date real."""
        if self._case_step() != "number":
            return
        if len(self.case_digits) < c.NUMBER_DIGITS:
            self._case_say("case_number_short")
        elif not c.valid_date(self.case_digits):
            self._case_say("case_bad_date")
        else:
            self._push("case", "phone")

    @touch
    def submit_case_query(self) -> None:
        if self.case_busy or self.state != "ready" or self._case_step() != "phone":
            return
        if len(self.case_phone) != c.PHONE_DIGITS:
            self._case_say("case_phone_short")
            return
        number, last4 = c.case_number(self.case_prefix, self.case_digits), self.case_phone
        self._case_seq += 1
        seq = self._case_seq
        self.case_busy, self.case_notice = True, None
        self._render()
        self._call(
            lambda: c.lookup_case(self.api, number, last4),
            lambda case: self._case_answered(seq, case),
            lambda exc: self._case_failed(seq, exc),
        )

    def _case_answered(self, seq: int, case: dict[str, Any]) -> None:
        if seq != self._case_seq:  # the resident left meanwhile
            return
        self.case_busy = False
        self.case_digits, self.case_phone = "", ""
        self.case_found, self.case_print = case, None
        self.nav = [("home",), ("case", "number"), ("case", "result")]
        self._navigated()

    def _case_failed(self, seq: int, exc: Exception) -> None:
        if seq != self._case_seq:
            return
        self.case_busy = False
        if isinstance(exc, ApiUnavailable):
            self._go_offline(exc)  # the offline screen; back on this step when it returns
            return
        if isinstance(exc, ApiError) and exc.status in (401, 403):
            self._go_out_of_service(exc)
            return
        self.case_phone = ""  # to be typed again, whichever of the two was wrong
        self.case_notice = _case_error(exc)
        self._render()

    @touch
    def new_case_query(self) -> None:
        """查询其他办件: a blank number, as for the next resident."""
        self._forget_case()
        self.nav = [("home",), ("case", "number")]
        self._navigated()

    @touch
    def print_case_result(self) -> None:
        if self.top != ("case", "result") or self.case_found is None or self.printing_case:
            return
        tz = ZoneInfo(self.catalog.timezone if self.catalog else "Asia/Shanghai")
        slip = c.case_receipt(
            self.catalog.hall_name_zh if self.catalog else tr("default_hall", "zh"),
            self.case_found,
            datetime.now(tz).replace(tzinfo=None),
            self.catalog.supervision_phone if self.catalog else "",
        )
        found = self.case_found
        self.printing_case = True
        self.case_print = ("printing", ("", ""))
        self._render()
        self._call(
            lambda: self.printer.print_case(slip),
            lambda result: self._case_printed(found, result),
            lambda exc: self._case_printed(found, fault_result(Fault.UNEXPECTED, repr(exc))),
            self.print_runner,
        )

    def _case_printed(self, found: dict[str, Any], result: PrintResult) -> None:
        self.printing_case = False
        self._note_printer(condition_of(result), result.message_zh, force=not result.ok)
        if self.case_found is found and self.top == ("case", "result"):
            self.case_print = ("printed" if result.ok else "fault", cause_of(result))
            self._render()

    # -- for the presenter ------------------------------------------------------------------------
    def _forget_case(self) -> None:
        """Drop everything typed or found, and any answer still on its way."""
        self._case_seq += 1
        self.case_digits, self.case_phone = "", ""
        self.case_notice, self.case_busy = None, False
        self.case_found, self.case_print = None, None

    def _case_say(self, key: str) -> None:
        self.case_notice = lambda lang: tr(key, lang)
        self._render()

    def _case_screen(self, step: str):
        lang = self.language
        if step == "result" and self.case_found is not None:
            phone = self.catalog.supervision_phone if self.catalog else ""
            print_state = None
            if self.case_print:
                state, cause = self.case_print
                print_state = (state, pair(cause, lang))
            return c.result_screen(self.case_found, lang, phone, print_state)
        if step == "result":  # nothing found to show (a stale entry): start again
            self.nav = [("home",), ("case", "number")]
            step = "number"
        return c.query_screen(
            step,
            self.case_prefix,
            self.case_digits,
            self.case_phone,
            lang,
            busy=self.case_busy,
            notice=self.case_notice(lang) if self.case_notice else "",
        )


def _case_error(exc: Exception) -> Callable[[str], str]:
    """What the resident reads when the backend answered the query with an error."""
    if not isinstance(exc, ApiError) or exc.status >= 500:
        return lambda lang: tr("server_error", lang)
    if exc.status in (401, 403):
        return lambda lang: tr("case_not_authorised", lang)
    if exc.status == 429:  # too many wrong tries: the number's lock or this kiosk's
        key = "case_locked_device" if exc.field == "device" else "case_locked_number"
        minutes = max(1, math.ceil((exc.retry_after or 60) / 60))
        return lambda lang: tr(key, lang, minutes=minutes)
    if exc.code == "case_not_found" or exc.status == 404:
        return lambda lang: tr("case_not_found", lang)
    if exc.field == "phone_last4":
        return lambda lang: tr("case_bad_phone", lang)
    if exc.field == "number":
        return lambda lang: tr("case_bad_number", lang)
    return lambda lang: tr("case_failed", lang, message=pick(exc.message, lang))
