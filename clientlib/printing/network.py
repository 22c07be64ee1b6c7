"""Send one rendered job to a network (port 9100) receipt printer, checking status around it.

`print_job` never raises and never takes longer than its timeout: every failure comes back
as a PrintResult with a fault kind and a message in Chinese and English.
"""

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from escpos.escpos import Escpos
from escpos.printer import Dummy

from .status import UNKNOWN, Condition, PrinterStatus, SocketChannel, decode, query_replies

log = logging.getLogger(__name__)

RAW_PORT = 9100


class Fault(StrEnum):
    REFUSED = "refused"
    UNREACHABLE = "unreachable"
    TIMEOUT = "timeout"
    CONNECTION_LOST = "connection_lost"
    NO_RESPONSE = "no_response"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    PRINTER_ERROR = "printer_error"
    OFFLINE = "offline"
    RENDER_FAILED = "render_failed"
    UNEXPECTED = "unexpected"


MESSAGES: dict[Fault, tuple[str, str]] = {
    Fault.REFUSED: ("打印机拒绝连接，请检查打印机是否开机", "printer refused the connection"),
    Fault.UNREACHABLE: ("无法连接打印机，请检查网络和地址", "printer unreachable"),
    Fault.TIMEOUT: ("打印机响应超时", "timed out talking to the printer"),
    Fault.CONNECTION_LOST: ("与打印机的连接中断", "connection to the printer was lost"),
    Fault.NO_RESPONSE: ("打印机无应答", "printer did not answer the status query"),
    Fault.PAPER_OUT: ("打印机缺纸，请更换纸卷", "printer is out of paper"),
    Fault.COVER_OPEN: ("打印机盖未合上", "printer cover is open"),
    Fault.PRINTER_ERROR: ("打印机故障", "printer error"),
    Fault.OFFLINE: ("打印机脱机", "printer is offline"),
    Fault.RENDER_FAILED: ("凭条生成失败", "could not render the receipt"),
    Fault.UNEXPECTED: ("打印失败", "printing failed"),
}

_CONDITION_FAULTS = {
    Condition.PAPER_OUT: Fault.PAPER_OUT,
    Condition.COVER_OPEN: Fault.COVER_OPEN,
    Condition.ERROR: Fault.PRINTER_ERROR,
    Condition.OFFLINE: Fault.OFFLINE,
}

NOT_PRINTED = ("，未打印", "; nothing was printed")
MAYBE_INCOMPLETE = ("，请确认凭条是否完整打出", "; check whether the receipt printed completely")


@dataclass(frozen=True)
class PrintResult:
    # The printer answered a status query sent after the last byte (so it has them all), or,
    # for a printer without status support (require_status=False), every byte was sent.
    delivered: bool
    fault: Fault | None
    message_zh: str
    message_en: str
    before: PrinterStatus = UNKNOWN
    after: PrinterStatus = UNKNOWN
    bytes_sent: int = 0

    @property
    def ok(self) -> bool:
        return self.delivered and self.fault is None

    @property
    def paper_near_end(self) -> bool:
        """Printed, but staff should change the roll soon."""
        return bool(self.after.paper_near_end or self.before.paper_near_end)


class _Deadline:
    def __init__(self, seconds: float):
        self.end = time.monotonic() + seconds

    def left(self, cap: float | None = None) -> float:
        """Seconds left (capped); raises TimeoutError once the budget is spent."""
        left = self.end - time.monotonic()
        if left <= 0:
            raise TimeoutError("print job time budget spent")
        return left if cap is None else min(cap, left)


def render_bytes(render_fn: Callable[[Escpos], None]) -> bytes:
    """Run a renderer against a Dummy printer and return the ESC/POS bytes it produced."""
    dummy = Dummy()
    render_fn(dummy)
    return dummy.output


def _result(fault: Fault | None, suffix=("", ""), detail: str = "", **kw) -> PrintResult:
    if fault is None:
        zh, en = "打印完成", "printed"
    else:
        zh, en = MESSAGES[fault]
    en = en + suffix[1] + (f" ({detail})" if detail else "")
    return PrintResult(fault=fault, message_zh=zh + suffix[0], message_en=en, **kw)


def _network_fault(exc: BaseException) -> Fault:
    if isinstance(exc, ConnectionRefusedError):
        return Fault.REFUSED
    if isinstance(exc, TimeoutError):
        return Fault.TIMEOUT
    if isinstance(exc, ConnectionError | EOFError):
        return Fault.CONNECTION_LOST
    return Fault.UNREACHABLE


def _status(sock: socket.socket, deadline: _Deadline, status_timeout: float) -> PrinterStatus:
    sock.settimeout(deadline.left(status_timeout))
    return decode(query_replies(SocketChannel(sock), deadline.left(status_timeout)))


def _resolve(host: str, port: int, timeout: float) -> list:
    """getaddrinfo with a time limit (a name lookup is not covered by socket timeouts)."""
    box: list = []

    def lookup() -> None:
        try:
            box.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except OSError as exc:
            box.append(exc)

    worker = threading.Thread(target=lookup, daemon=True)
    worker.start()
    worker.join(timeout)
    if not box:
        raise TimeoutError(f"looking up {host} took too long")
    if isinstance(box[0], OSError):
        raise box[0]
    return box[0]


def _connect(host: str, port: int, deadline: _Deadline) -> socket.socket:
    error: OSError = OSError(f"no address for {host}")
    for family, kind, proto, _, address in _resolve(host, port, deadline.left()):
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(deadline.left())
            sock.connect(address)
            return sock
        except OSError as exc:
            sock.close()
            error = exc
    raise error


def _close(sock: socket.socket) -> None:
    """Drain stray replies (unread input makes close send RST), then close gracefully."""
    with contextlib.suppress(OSError):
        sock.setblocking(False)
        while sock.recv(256):
            pass
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_WR)
    sock.close()


def print_job(
    host: str,
    port: int,
    render_fn: Callable[[Escpos], None],
    timeout: float = 10.0,
    *,
    status_timeout: float = 2.0,
    require_status: bool = True,
) -> PrintResult:
    """Render `render_fn` into bytes, then check status, send, and check status again.

    `timeout` bounds the whole call. With `require_status` (default) a printer that does not
    answer DLE EOT gets no job, since nothing could tell whether it printed.
    """
    try:
        data = render_bytes(render_fn)
    except Exception as exc:
        log.exception("receipt rendering failed")
        return _result(Fault.RENDER_FAILED, detail=repr(exc), delivered=False)
    deadline = _Deadline(timeout)
    try:
        sock = _connect(host, port, deadline)
    except OSError as exc:
        return _result(_network_fault(exc), NOT_PRINTED, f"{host}:{port}: {exc}", delivered=False)
    try:
        return _run(sock, data, deadline, status_timeout, require_status)
    except Exception as exc:
        log.exception("unexpected print failure")
        return _result(Fault.UNEXPECTED, MAYBE_INCOMPLETE, repr(exc), delivered=False)
    finally:
        _close(sock)


def _run(
    sock: socket.socket,
    data: bytes,
    deadline: _Deadline,
    status_timeout: float,
    require_status: bool,
) -> PrintResult:
    try:
        before = _status(sock, deadline, status_timeout)
    except OSError as exc:
        return _result(_network_fault(exc), NOT_PRINTED, str(exc), delivered=False)
    if before.unknown and require_status:
        return _result(
            Fault.NO_RESPONSE, NOT_PRINTED, before.reason, delivered=False, before=before
        )
    if not before.unknown and not before.can_print:
        fault = _CONDITION_FAULTS[before.condition]
        return _result(fault, NOT_PRINTED, delivered=False, before=before)

    try:
        sock.settimeout(deadline.left())
        sock.sendall(data)
    except OSError as exc:
        fault = _network_fault(exc)
        return _result(fault, MAYBE_INCOMPLETE, str(exc), delivered=False, before=before)

    sent: dict[str, Any] = {"before": before, "bytes_sent": len(data)}
    try:
        after = _status(sock, deadline, status_timeout)
    except TimeoutError:
        after = PrinterStatus(reason="time budget spent")
    except OSError as exc:
        return _result(_network_fault(exc), MAYBE_INCOMPLETE, str(exc), delivered=False, **sent)
    if after.unknown and not before.unknown:
        return _result(
            Fault.NO_RESPONSE, MAYBE_INCOMPLETE, after.reason, delivered=False, after=after, **sent
        )
    if not after.unknown and not after.can_print:
        fault = _CONDITION_FAULTS[after.condition]
        return _result(fault, MAYBE_INCOMPLETE, delivered=True, after=after, **sent)
    return _result(None, delivered=True, after=after, **sent)
