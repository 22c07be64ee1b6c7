"""Receipt printing for the kiosk and counter terminal (ESC/POS over python-escpos)."""

from .network import Fault, PrintResult, print_job, render_bytes
from .printers import open_printer
from .receipts import (
    GuideReceipt,
    NoticeReceipt,
    PaperWidth,
    TicketReceipt,
    render,
    render_guide,
    render_notice,
    render_ticket,
)
from .status import Condition, PrinterStatus, decode, read_status

__all__ = [
    "Condition",
    "Fault",
    "GuideReceipt",
    "NoticeReceipt",
    "PaperWidth",
    "PrintResult",
    "PrinterStatus",
    "TicketReceipt",
    "decode",
    "open_printer",
    "print_job",
    "read_status",
    "render",
    "render_bytes",
    "render_guide",
    "render_notice",
    "render_ticket",
]
