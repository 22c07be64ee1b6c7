"""The kiosk's receipt printer: the ticket after issuing, reprint, the guide, the case slip, and
watching the printer's condition (reported to the backend) until a fault is fixed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from clientlib.plumbing import Jobs, Runner
from clientlib.printing import (
    Condition,
    Fault,
    PrinterStatus,
    PrintResult,
    cause_of,
    condition_of,
    fault_result,
)

from . import builders as b
from .session import Navigator, Session


class Printing:
    """Every print job runs on `runner` (one at a time, never in the way of network calls);
    `report` sends the heartbeat when the printer's condition changes."""

    def __init__(
        self,
        printer: Any,
        jobs: Jobs,
        runner: Runner,
        session: Session,
        nav: Navigator,
        retry_seconds: float,
        report: Callable[[], None],
    ):
        self.printer, self.jobs, self.runner = printer, jobs, runner
        self.session, self.nav = session, nav
        self.retry_seconds, self.report = retry_seconds, report
        self.printing_ticket = False
        self.printing_guide = False
        self._checking = False
        self.condition = Condition.UNKNOWN
        self.message = ""

    def job(self, work: Callable[[], PrintResult], on_result: Callable[[PrintResult], None]):
        """`work` on the print runner; a crash is a fault like any other. The condition it
        leaves is noted (and reported if it changed or the job failed) before `on_result`."""

        def done(result: PrintResult) -> None:
            self.note(condition_of(result), result.message_zh, force=not result.ok)
            on_result(result)

        self.jobs.call(
            work, done, lambda exc: done(fault_result(Fault.UNEXPECTED, repr(exc))), self.runner
        )

    # -- the ticket ----------------------------------------------------------------------------
    def print_ticket(self) -> None:
        issued = self.session.issued
        if issued is None or issued.receipt is None or self.printing_ticket:
            return
        self.printing_ticket = True
        issued.print_state, issued.recovered = "printing", False
        receipt = issued.receipt
        self.job(
            lambda: self.printer.print_ticket(receipt),
            lambda result: self._ticket_printed(issued, result),
        )

    def _ticket_printed(self, issued: b.Issued, result: PrintResult) -> None:
        self.printing_ticket = False
        issued.print_state = "printed" if result.ok else "fault"
        issued.print_cause = cause_of(result)
        issued.print_incomplete = result.delivered and not result.ok
        if self.session.issued is not issued:
            return
        if result.ok:
            self.jobs.stop_timer("printer_poll")
            if self.session.leave_after_print:
                self.nav.reset()
                return
        else:
            self.jobs.start_timer("printer_poll", self.retry_seconds, self.check, True)
            self.nav.user_activity()  # the full idle time to photograph or scan the number
        self.nav.render()

    def reprint(self) -> None:
        issued = self.session.issued
        if self.session.top[0] == "confirmation" and issued and issued.print_state == "fault":
            self.print_ticket()
            self.nav.render()

    # -- the guide (一次性告知) ------------------------------------------------------------------
    def print_guide(self) -> None:
        s = self.session
        if s.top[0] != "guide" or self.printing_guide or not s.catalog:
            return
        code = s.top[1]
        item = s.catalog.item(code)
        if item is None:  # the catalog was reloaded without it meanwhile
            return
        receipt = b.guide_receipt(s.catalog, item)
        self.printing_guide = True
        s.guide_print = ("printing", ("", ""))
        self.nav.render()
        self.job(
            lambda: self.printer.print_guide(receipt),
            lambda result: self._guide_printed(code, result),
        )

    def _guide_printed(self, code: str, result: PrintResult) -> None:
        self.printing_guide = False
        if self.session.top == ("guide", code):
            self.session.guide_print = ("printed" if result.ok else "fault", cause_of(result))
            self.nav.render()

    # -- the printer's condition ----------------------------------------------------------------
    def check(self) -> None:
        if self._checking or self.printing_ticket:
            return
        self._checking = True
        self.jobs.call(
            self.printer.status,
            self._checked,
            lambda exc: self._checked(PrinterStatus(reason=repr(exc))),
            self.runner,
        )

    def _checked(self, status: PrinterStatus) -> None:
        self._checking = False
        self.note(status.condition, status.message_zh)
        issued = self.session.issued
        if issued and issued.print_state == "fault" and status.can_print and not issued.recovered:
            issued.recovered = True
            self.jobs.stop_timer("printer_poll")
            self.nav.render()

    def note(self, condition: Condition, message: str, force: bool = False) -> None:
        changed = condition != self.condition
        self.condition, self.message = condition, message
        if changed or force:
            self.report()

    @property
    def fine(self) -> bool:
        return self.condition in (Condition.READY, Condition.PAPER_NEAR_END)
