"""Printing for the presenter: the ticket after issuing, reprint, the guide, and watching
the printer's condition (reported to the backend) until a fault is fixed."""

from __future__ import annotations

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
from .flowhost import FlowHost
from .ports import touch


class PrintFlow(FlowHost):
    """Part of Presenter: everything about the receipt printer."""

    def _print_ticket(self) -> None:
        issued = self.issued
        if issued is None or issued.receipt is None or self.printing_ticket:
            return
        self.printing_ticket = True
        issued.print_state, issued.recovered = "printing", False
        self._call(
            lambda: self.printer.print_ticket(issued.receipt),
            lambda result: self._ticket_printed(issued, result),
            lambda exc: self._ticket_printed(issued, fault_result(Fault.UNEXPECTED, repr(exc))),
            self.print_runner,
        )

    def _ticket_printed(self, issued: b.Issued, result: PrintResult) -> None:
        self.printing_ticket = False
        self._note_printer(condition_of(result), result.message_zh, force=not result.ok)
        issued.print_state = "printed" if result.ok else "fault"
        issued.print_cause = cause_of(result)
        issued.print_incomplete = result.delivered and not result.ok
        if self.issued is not issued:
            return
        if result.ok:
            self._stop_timer("printer_poll")
            if self.leave_after_print:
                self._reset()
                return
        else:
            self._start_timer("printer_poll", self.config.retry_seconds, self._check_printer, True)
            self.user_activity()  # the full idle time to photograph or scan the number
        self._render()

    @touch
    def reprint(self) -> None:
        issued = self.issued
        if self.top[0] == "confirmation" and issued and issued.print_state == "fault":
            self._print_ticket()
            self._render()

    @touch
    def print_guide(self) -> None:
        if self.top[0] != "guide" or self.printing_guide or not self.catalog:
            return
        code = self.top[1]
        item = self.catalog.item(code)
        if item is None:  # the catalog was reloaded without it meanwhile
            return
        receipt = b.guide_receipt(self.catalog, item)
        self.printing_guide = True
        self.guide_print = ("printing", ("", ""))
        self._render()
        self._call(
            lambda: self.printer.print_guide(receipt),
            lambda result: self._guide_printed(code, result),
            lambda exc: self._guide_printed(code, fault_result(Fault.UNEXPECTED, repr(exc))),
            self.print_runner,
        )

    def _guide_printed(self, code: str, result: PrintResult) -> None:
        self.printing_guide = False
        self._note_printer(condition_of(result), result.message_zh, force=not result.ok)
        if self.top == ("guide", code):
            self.guide_print = ("printed" if result.ok else "fault", cause_of(result))
            self._render()

    def _check_printer(self) -> None:
        if self._checking_printer or self.printing_ticket:
            return
        self._checking_printer = True
        self._call(
            self.printer.status,
            self._printer_checked,
            lambda exc: self._printer_checked(PrinterStatus(reason=repr(exc))),
            self.print_runner,
        )

    def _printer_checked(self, status: PrinterStatus) -> None:
        self._checking_printer = False
        self._note_printer(status.condition, status.message_zh)
        issued = self.issued
        if issued and issued.print_state == "fault" and status.can_print and not issued.recovered:
            issued.recovered = True
            self._stop_timer("printer_poll")
            self._render()

    def _note_printer(self, condition: Condition, message: str, force: bool = False) -> None:
        changed = condition != self.printer_condition
        self.printer_condition, self.printer_message = condition, message
        if changed or force:
            self._report()
