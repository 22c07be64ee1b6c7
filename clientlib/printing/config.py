"""A terminal's [printer] config table, the same for the kiosk and the counter terminal.

    [printer]
    type = "network"          # network | usb | serial | file | dummy (see printers.open_printer)
    host = "192.168.1.50"     # ... and the other keys of that type
    paper = 80                # 58 | 80 mm roll
    native_qr = true          # false for printers without GS ( k: the QR goes as an image
    job_timeout = 10          # seconds a whole print job may take, status checks included
    status_timeout = 2        # seconds a status query may take

The model is clientlib.config.PrinterConfig (a field of both terminals' config models, so its
problems read ``file: printer.key: reason`` like theirs); `parse_printer_config` validates a
table on its own.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from clientlib.config import PAPER_WIDTHS, PrinterConfig, problems_of

__all__ = ["PAPER_WIDTHS", "PrinterConfig", "parse_printer_config"]


def parse_printer_config(
    data: Any, source: str = "<config>", error: type[Exception] = ValueError
) -> PrinterConfig:
    """Validate a [printer] table from the config file `source`; problems raise `error`."""
    try:
        return PrinterConfig.model_validate(data)
    except ValidationError as exc:
        problems = problems_of(exc, source, ("printer",))
        raise error("\n".join(map(str, problems))) from None
