"""The kiosk's receipt printer: a ticket, a guide or a case slip, on top of the shared
`clientlib.printing.PrinterService` (time limits, status before and after, faults, dummy output).

Every method blocks, so the presenter runs them off the GUI thread.
"""

from __future__ import annotations

from escpos.escpos import Escpos

from clientlib.printing import (
    GuideReceipt,
    PrinterService,
    PrintResult,
    TicketReceipt,
    render_guide,
    render_ticket,
)

from .cases import CaseReceipt, render_case


class KioskPrinter(PrinterService):
    """The kiosk's receipts on the configured printer (network, usb, serial, file or dummy)."""

    def print_ticket(self, receipt: TicketReceipt) -> PrintResult:
        def render(p: Escpos) -> None:
            render_ticket(p, receipt, self.paper, native_qr=self.config.native_qr)

        return self._print(render)

    def print_guide(self, receipt: GuideReceipt) -> PrintResult:
        return self._print(lambda p: render_guide(p, receipt, self.paper))

    def print_case(self, slip: CaseReceipt) -> PrintResult:
        """办件查询结果 (kiosk.cases renders it)."""
        return self._print(lambda p: render_case(p, slip, self.paper))
