"""办件查询: typing the acceptance number and the phone digits on the keypad, asking the
backend, showing and printing the answer.

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

from clientlib.api import ApiError
from clientlib.plumbing import Jobs
from clientlib.printing import PrintResult, cause_of

from . import cases as c
from .backendlink import BackendLink
from .i18n import pair, pick, tr
from .printflow import Printing
from .session import Navigator, Session


class CaseQuery:
    """The case query's digits, its answer and its slip."""

    def __init__(
        self,
        api: Any,
        jobs: Jobs,
        session: Session,
        nav: Navigator,
        link: BackendLink,
        printing: Printing,
        hall: str,
    ):
        self.api, self.jobs, self.session, self.nav = api, jobs, session, nav
        self.link, self.printing, self.hall = link, printing, hall
        self.printing_case = False
        self._seq = 0  # answers to an older query are dropped
        self.forget()

    def forget(self) -> None:
        """Drop everything typed or found, and any answer still on its way."""
        self._seq += 1
        self.digits = ""  # typed after the hall prefix
        self.phone = ""
        self.notice: Callable[[str], str] | None = None
        self.busy = False
        self.found: dict[str, Any] | None = None  # the answer on screen
        self.print_state: tuple[str, tuple[str, str]] | None = None  # state, cause

    def open(self) -> None:
        self.forget()
        self.nav.push("case", "number")

    @property
    def prefix(self) -> str:
        s = self.session
        return (s.catalog.hall_code if s.catalog else self.hall).upper()

    def _step(self) -> str:
        top = self.session.top
        return top[1] if top[0] == "case" else ""

    def digit(self, digit: str) -> None:
        if not (len(digit) == 1 and digit.isdigit()) or self.busy:
            return
        step = self._step()
        if step == "number" and len(self.digits) < c.NUMBER_DIGITS:
            self.digits += digit
        elif step == "phone" and len(self.phone) < c.PHONE_DIGITS:
            self.phone += digit
        else:
            return
        self.notice = None
        self.nav.render()

    def erase(self) -> None:
        self._edit(lambda text: text[:-1])

    def clear(self) -> None:
        self._edit(lambda _text: "")

    def _edit(self, change: Callable[[str], str]) -> None:
        step = self._step()
        if self.busy or step not in ("number", "phone"):
            return
        if step == "number":
            self.digits = change(self.digits)
        else:
            self.phone = change(self.phone)
        self.notice = None
        self.nav.render()

    def proceed(self) -> None:
        """The big button under the number or the phone digits: 下一步 or 查询."""
        if self._step() == "number":
            self.next()
        elif self._step() == "phone":
            self.submit()

    def next(self) -> None:
        """From the number to the phone digits, once the number is whole and its date real."""
        if self._step() != "number":
            return
        if len(self.digits) < c.NUMBER_DIGITS:
            self._say("case_number_short")
        elif not c.valid_date(self.digits):
            self._say("case_bad_date")
        else:
            self.nav.push("case", "phone")

    def submit(self) -> None:
        if self.busy or self.session.state != "ready" or self._step() != "phone":
            return
        if len(self.phone) != c.PHONE_DIGITS:
            self._say("case_phone_short")
            return
        number, last4 = c.case_number(self.prefix, self.digits), self.phone
        self._seq += 1
        seq = self._seq
        self.busy, self.notice = True, None
        self.nav.render()
        self.jobs.call(
            lambda: c.lookup_case(self.api, number, last4),
            lambda case: self._answered(seq, case),
            lambda exc: self._failed(seq, exc),
        )

    def _answered(self, seq: int, case: dict[str, Any]) -> None:
        if seq != self._seq:  # the resident left meanwhile
            return
        self.busy = False
        self.digits, self.phone = "", ""
        self.found, self.print_state = case, None
        self.session.nav = [("home",), ("case", "number"), ("case", "result")]
        self.nav.navigated()

    def _failed(self, seq: int, exc: Exception) -> None:
        if seq != self._seq:
            return
        self.busy = False
        if self.link.failed(exc):  # offline: back on this step when it returns
            return
        self.phone = ""  # to be typed again, whichever of the two was wrong
        self.notice = _case_error(exc)
        self.nav.render()

    def again(self) -> None:
        """查询其他办件: a blank number, as for the next resident."""
        self.forget()
        self.session.nav = [("home",), ("case", "number")]
        self.nav.navigated()

    def print_result(self) -> None:
        s = self.session
        if s.top != ("case", "result") or self.found is None or self.printing_case:
            return
        tz = ZoneInfo(s.catalog.timezone if s.catalog else "Asia/Shanghai")
        slip = c.case_receipt(
            s.catalog.hall_name_zh if s.catalog else tr("default_hall", "zh"),
            self.found,
            datetime.now(tz).replace(tzinfo=None),
            s.catalog.supervision_phone if s.catalog else "",
        )
        found = self.found
        self.printing_case = True
        self.print_state = ("printing", ("", ""))
        self.nav.render()
        self.printing.job(
            lambda: self.printing.printer.print_case(slip),
            lambda result: self._printed(found, result),
        )

    def _printed(self, found: dict[str, Any], result: PrintResult) -> None:
        self.printing_case = False
        if self.found is found and self.session.top == ("case", "result"):
            self.print_state = ("printed" if result.ok else "fault", cause_of(result))
            self.nav.render()

    def _say(self, key: str) -> None:
        self.notice = lambda lang: tr(key, lang)
        self.nav.render()

    def screen(self, step: str):
        lang = self.session.language
        catalog = self.session.catalog
        if step == "result" and self.found is not None:
            phone = catalog.supervision_phone if catalog else ""
            print_state = None
            if self.print_state:
                state, cause = self.print_state
                print_state = (state, pair(cause, lang))
            return c.result_screen(self.found, lang, phone, print_state)
        if step == "result":  # nothing found to show (a stale entry): start again
            self.session.nav = [("home",), ("case", "number")]
            step = "number"
        return c.query_screen(
            step,
            self.prefix,
            self.digits,
            self.phone,
            lang,
            busy=self.busy,
            notice=self.notice(lang) if self.notice else "",
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
