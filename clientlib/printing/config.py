"""A terminal's [printer] config table, the same for the kiosk and the counter terminal.

    [printer]
    type = "network"          # network | usb | serial | file | dummy (see printers.open_printer)
    host = "192.168.1.50"     # ... and the other keys of that type
    paper = 80                # 58 | 80 mm roll
    native_qr = true          # false for printers without GS ( k: the QR goes as an image
    job_timeout = 10          # seconds a whole print job may take, status checks included
    status_timeout = 2        # seconds a status query may take

Each terminal keeps its own config loader and error type; `parse_printer_config` raises that
type with a message naming the file and the key (``file: printer.key: reason``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .printers import open_printer

PAPER_WIDTHS = (58, 80)
_OWN_KEYS = ("paper", "native_qr", "job_timeout", "status_timeout")  # not open_printer's


@dataclass(frozen=True)
class PrinterConfig:
    type: str = "dummy"
    paper: int = 80
    native_qr: bool = True  # False for printers without GS ( k QR support: the QR goes as an image
    job_timeout: float = 10.0  # a whole print job, status checks included, never takes longer
    status_timeout: float = 2.0
    options: dict[str, Any] = field(default_factory=lambda: {"type": "dummy"})  # for open_printer


def parse_printer_config(
    data: Any, source: str = "<config>", error: type[Exception] = ValueError
) -> PrinterConfig:
    """Validate a [printer] table from the config file `source`; problems raise `error`."""

    def fail(key: str, reason: str) -> Exception:
        return error(f"{source}: printer.{key}: {reason}")

    if not isinstance(data, dict):
        raise error(f"{source}: printer: must be a table, got {data!r}")
    paper = data.get("paper", 80)
    if paper not in PAPER_WIDTHS:
        raise fail("paper", f"must be one of {', '.join(map(str, PAPER_WIDTHS))}, got {paper!r}")
    native_qr = data.get("native_qr", True)
    if not isinstance(native_qr, bool):
        raise fail("native_qr", f"must be true or false, got {native_qr!r}")
    timeouts = {}
    for key in ("job_timeout", "status_timeout"):
        value = data.get(key, getattr(PrinterConfig, key))
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise fail(key, f"must be a positive number, got {value!r}")
        timeouts[key] = float(value)
    options = {k: v for k, v in data.items() if k not in _OWN_KEYS}
    try:
        open_printer(options)  # validates every type-specific key; connects nothing
    except (ValueError, RuntimeError) as exc:
        raise error(f"{source}: printer: {exc}") from None
    return PrinterConfig(
        type=options["type"], paper=paper, native_qr=native_qr, options=options, **timeouts
    )
