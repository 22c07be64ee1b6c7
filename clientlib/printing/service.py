"""A terminal's receipt printer, whatever the device: every job and status query runs within a
time limit and never raises, whatever the printer does (paper out, silent, unplugged).

`PrinterService` is device-agnostic; each terminal subclasses it with its own receipts
(the kiosk's tickets and guides, the counter's acceptance receipts and notices) and hands a
render function to `_print`. Every method blocks, so the terminals run them off the GUI thread.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from collections.abc import Callable

from escpos.escpos import Escpos

from .config import PrinterConfig
from .network import MESSAGES as FAULT_MESSAGES
from .network import Fault, PrintResult, print_job, render_bytes
from .printers import open_printer
from .receipts import PaperWidth
from .status import Condition, PrinterStatus, read_status

log = logging.getLogger(__name__)

READY = PrinterStatus(
    online=True, paper_near_end=False, paper_out=False, cover_open=False, error=False
)

FAULT_CONDITIONS: dict[Fault, Condition] = {
    Fault.PAPER_OUT: Condition.PAPER_OUT,
    Fault.COVER_OPEN: Condition.COVER_OPEN,
    Fault.PRINTER_ERROR: Condition.ERROR,
    Fault.OFFLINE: Condition.OFFLINE,
    Fault.REFUSED: Condition.OFFLINE,
    Fault.UNREACHABLE: Condition.OFFLINE,
    Fault.TIMEOUT: Condition.OFFLINE,
    Fault.CONNECTION_LOST: Condition.ERROR,
    Fault.NO_RESPONSE: Condition.UNKNOWN,
    Fault.RENDER_FAILED: Condition.ERROR,
    Fault.UNEXPECTED: Condition.ERROR,
}


# What a resident or clerk is told went wrong (staff get the full message on the board).
CAUSES: dict[Fault, tuple[str, str]] = {
    Fault.PAPER_OUT: ("打印机缺纸", "the printer is out of paper"),
    Fault.COVER_OPEN: ("打印机盖未合上", "the printer cover is open"),
    Fault.PRINTER_ERROR: ("打印机故障", "the printer has a fault"),
    Fault.OFFLINE: ("打印机脱机", "the printer is offline"),
    Fault.REFUSED: ("无法连接打印机", "the printer cannot be reached"),
    Fault.UNREACHABLE: ("无法连接打印机", "the printer cannot be reached"),
    Fault.TIMEOUT: ("打印机响应超时", "the printer did not respond in time"),
    Fault.CONNECTION_LOST: ("与打印机的连接中断", "the printer connection was lost"),
    Fault.NO_RESPONSE: ("打印机无应答", "the printer does not answer"),
    Fault.RENDER_FAILED: ("打印失败", "printing failed"),
    Fault.UNEXPECTED: ("打印失败", "printing failed"),
}


def cause_of(result: PrintResult) -> tuple[str, str]:
    """Short (zh, en) reason a receipt did not print, for the resident."""
    return CAUSES[result.fault] if result.fault else ("", "")


def condition_of(result: PrintResult) -> Condition:
    """The printer condition a print result tells the hall's board about."""
    if result.fault is not None:
        return FAULT_CONDITIONS[result.fault]
    status = result.after if not result.after.unknown else result.before
    return status.condition


def fault_result(fault: Fault, detail: str = "", **kw) -> PrintResult:
    zh, en = FAULT_MESSAGES[fault]
    return PrintResult(
        delivered=False,
        fault=fault,
        message_zh=zh,
        message_en=en + (f" ({detail})" if detail else ""),
        **kw,
    )


def bounded(fn: Callable[[], object], seconds: float, on_timeout: Callable[[], object]):
    """fn() in a daemon thread; past `seconds` return on_timeout() and leave the thread behind
    (a driver stuck in a write cannot be interrupted, only abandoned)."""
    box: list = []

    def work() -> None:
        try:
            box.append(("ok", fn()))
        except BaseException as exc:  # handed back to the caller's thread
            box.append(("error", exc))

    worker = threading.Thread(target=work, daemon=True, name="receipt-printer")
    worker.start()
    worker.join(seconds)
    if not box:
        log.warning("printer call still running after %.1fs; abandoned", seconds)
        return on_timeout()
    kind, value = box[0]
    if kind == "error":
        raise value
    return value


class PrinterService:
    """Jobs on the configured printer (network, usb, serial, file or dummy).

    Subclasses add the terminal's receipts, each a render function handed to `_print`."""

    def __init__(self, config: PrinterConfig):
        self.config = config
        self.paper = PaperWidth(config.paper)
        self.last_output = b""  # what a dummy printer "printed", for development
        self._lock = threading.Lock()  # one job at a time on the device

    def status(self) -> PrinterStatus:
        """The printer's real-time status; UNKNOWN (with a reason) when it does not answer."""
        limit = self.config.status_timeout + 1.0
        try:
            return bounded(self._status, limit, lambda: PrinterStatus(reason="no answer in time"))
        except Exception as exc:
            return PrinterStatus(reason=f"{type(exc).__name__}: {exc}")

    # -- for subclasses and internals -------------------------------------------------------
    def _print(self, render: Callable[[Escpos], None]) -> PrintResult:
        """One job: `render` draws the receipt; never raises, never outlasts the job time."""
        limit = self.config.job_timeout + 2.0  # print_job keeps its own budget; this is a backstop
        try:
            return bounded(lambda: self._locked(render), limit, lambda: fault_result(Fault.TIMEOUT))
        except Exception as exc:
            log.exception("printing failed")
            return fault_result(Fault.UNEXPECTED, repr(exc))

    def _locked(self, render: Callable[[Escpos], None]) -> PrintResult:
        if not self._lock.acquire(timeout=self.config.job_timeout):
            return fault_result(Fault.TIMEOUT, "printer busy")
        try:
            kind = self.config.type
            if kind == "network":
                opts = self.config.options
                return print_job(
                    opts["host"],
                    int(opts.get("port", 9100)),
                    render,
                    timeout=self.config.job_timeout,
                    status_timeout=self.config.status_timeout,
                )
            if kind == "dummy":
                self.last_output = render_bytes(render)
                return PrintResult(
                    True, None, "打印完成", "printed", READY, READY, len(self.last_output)
                )
            return self._print_device(render)
        finally:
            self._lock.release()

    def _print_device(self, render: Callable[[Escpos], None]) -> PrintResult:
        """USB, serial or file printer: status if it answers, the job, status again."""
        try:
            data = render_bytes(render)
        except Exception as exc:
            return fault_result(Fault.RENDER_FAILED, repr(exc))
        printer = open_printer(self.config.options)
        try:
            before = read_status(printer, self.config.status_timeout)
            if not before.unknown and not before.can_print:
                return _condition_fault(before, before=before)
            try:
                printer._raw(data)
            except Exception as exc:
                return fault_result(Fault.CONNECTION_LOST, repr(exc), before=before)
            after = read_status(printer, self.config.status_timeout)
            if not after.unknown and not after.can_print:
                return _condition_fault(after, before=before, after=after, bytes_sent=len(data))
            return PrintResult(True, None, "打印完成", "printed", before, after, len(data))
        finally:
            with contextlib.suppress(Exception):
                printer.close()

    def _status(self) -> PrinterStatus:
        kind = self.config.type
        if kind == "dummy":
            return READY
        timeout = self.config.status_timeout
        if kind == "network":
            opts = self.config.options
            address = (opts["host"], int(opts.get("port", 9100)))
            try:
                sock = socket.create_connection(address, timeout)
            except OSError as exc:  # refused or unreachable: the printer is off or unplugged
                return PrinterStatus(online=False, reason=f"{type(exc).__name__}: {exc}")
            with sock:
                status = read_status(sock, timeout)
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_WR)
                return status
        printer = open_printer(self.config.options)
        try:
            return read_status(printer, timeout)
        finally:
            with contextlib.suppress(Exception):
                printer.close()


_CONDITION_FAULTS = {
    Condition.PAPER_OUT: Fault.PAPER_OUT,
    Condition.COVER_OPEN: Fault.COVER_OPEN,
    Condition.ERROR: Fault.PRINTER_ERROR,
    Condition.OFFLINE: Fault.OFFLINE,
}


def _condition_fault(status: PrinterStatus, **kw) -> PrintResult:
    return fault_result(_CONDITION_FAULTS[status.condition], **kw)
