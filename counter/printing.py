"""The window's receipt printer: the acceptance receipt (受理回执), the one-time notice
(一次性告知书) and the refusal notice (不予办理告知书). Every method blocks for at most the configured job time and never raises, so
the presenter runs it on its own print runner and a stuck printer never holds up the clerk.

The fault handling (status before and after, time limits, dummy output) is the shared
clientlib.printing.PrinterService; only the receipts are the counter's.
"""

from __future__ import annotations

from datetime import tzinfo

from escpos.escpos import Escpos

from clientlib.printing import (
    CAUSES,
    NoticeReceipt,
    PaperWidth,
    PrinterService,
    PrintResult,
    RefusalReceipt,
    render_notice,
    render_refusal,
)
from clientlib.printing.receipts import HALL_TZ, AcceptanceReceipt, render_acceptance


class CounterPrinter(PrinterService):
    def print_acceptance(self, receipt: AcceptanceReceipt, tz: tzinfo = HALL_TZ) -> PrintResult:
        def render(p: Escpos) -> None:
            render_acceptance(p, receipt, self.paper, native_qr=self.config.native_qr, tz=tz)

        return self._print(render)

    def print_notice(self, receipt: NoticeReceipt) -> PrintResult:
        return self._print(lambda p: render_notice(p, receipt, self.paper))

    def print_refusal(self, receipt: RefusalReceipt) -> PrintResult:
        return self._print(lambda p: render_refusal(p, receipt, self.paper))


def fault_text(result: PrintResult) -> tuple[str, str]:
    """(zh, en) cause of a failed print, short enough for the header notice."""
    if result.fault is None:
        return ("", "")
    return CAUSES.get(result.fault, (result.message_zh, result.message_en))


__all__ = ["CounterPrinter", "PaperWidth", "fault_text"]
