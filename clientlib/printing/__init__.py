"""Receipt printing for the kiosk and counter terminal (ESC/POS over python-escpos).

The terminals share this package and never import each other: `PrinterService` is the
device-agnostic printer (time limits, status, faults) each terminal subclasses with its receipts,
and `parse_printer_config` reads the [printer] table of either terminal's config file.
"""

from .config import PAPER_WIDTHS, PrinterConfig, parse_printer_config
from .network import Fault, PrintResult, print_job, render_bytes
from .printers import open_printer
from .receipts import (
    GuideReceipt,
    NoticeReceipt,
    PaperWidth,
    RefusalReceipt,
    TicketReceipt,
    render,
    render_guide,
    render_notice,
    render_refusal,
    render_ticket,
)
from .service import (
    CAUSES,
    READY,
    PrinterService,
    bounded,
    cause_of,
    condition_of,
    fault_result,
)
from .status import Condition, PrinterStatus, decode, read_status

__all__ = [
    "CAUSES",
    "Condition",
    "Fault",
    "GuideReceipt",
    "NoticeReceipt",
    "RefusalReceipt",
    "PAPER_WIDTHS",
    "PaperWidth",
    "PrintResult",
    "PrinterConfig",
    "PrinterService",
    "PrinterStatus",
    "READY",
    "TicketReceipt",
    "bounded",
    "cause_of",
    "condition_of",
    "decode",
    "fault_result",
    "open_printer",
    "parse_printer_config",
    "print_job",
    "read_status",
    "render",
    "render_bytes",
    "render_guide",
    "render_notice",
    "render_refusal",
    "render_ticket",
]
