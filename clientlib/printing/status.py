"""Real-time printer status over DLE EOT n (ESC/POS), decoded into a PrinterStatus.

Every status byte has bits 1 and 4 set and bits 0 and 7 clear; anything else is not a
status reply. No reply is UNKNOWN, never "paper out". Reads always have a time limit.
"""

import select
import socket
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from escpos.printer import Network

from . import commands as cmd

FIXED_MASK = 0b1001_0011
FIXED_BITS = 0b0001_0010

# n=1 printer status
OFFLINE = 1 << 3
# n=2 offline cause
COVER_OPEN = 1 << 2
FEED_BUTTON = 1 << 3
PAPER_END_STOP = 1 << 5
ERROR_OCCURRED = 1 << 6
# n=3 error cause
RECOVERABLE_ERROR = 1 << 2
AUTOCUTTER_ERROR = 1 << 3
UNRECOVERABLE_ERROR = 1 << 5
AUTO_RECOVERABLE_ERROR = 1 << 6
ERROR_CAUSES = (
    (RECOVERABLE_ERROR, "recoverable"),
    (AUTOCUTTER_ERROR, "cutter"),
    (UNRECOVERABLE_ERROR, "unrecoverable"),
    (AUTO_RECOVERABLE_ERROR, "auto_recoverable"),
)
# n=4 roll paper sensor
PAPER_NEAR_END = 0b0000_1100  # bits 2-3
PAPER_OUT = 0b0110_0000  # bits 5-6


class Condition(StrEnum):
    """The one condition to show staff, most serious first."""

    UNKNOWN = "unknown"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    ERROR = "error"
    OFFLINE = "offline"
    PAPER_NEAR_END = "paper_near_end"
    READY = "ready"


MESSAGES: dict[Condition, tuple[str, str]] = {
    Condition.UNKNOWN: ("打印机状态未知（无应答）", "printer status unknown (no reply)"),
    Condition.PAPER_OUT: ("打印机缺纸，请更换纸卷", "printer is out of paper"),
    Condition.COVER_OPEN: ("打印机盖未合上", "printer cover is open"),
    Condition.ERROR: ("打印机故障", "printer error"),
    Condition.OFFLINE: ("打印机脱机", "printer is offline"),
    Condition.PAPER_NEAR_END: ("打印纸即将用完", "paper roll is nearly used up"),
    Condition.READY: ("打印机正常", "printer ready"),
}


@dataclass(frozen=True)
class PrinterStatus:
    """Decoded real-time status; None means the printer did not say."""

    online: bool | None = None
    paper_near_end: bool | None = None
    paper_out: bool | None = None
    cover_open: bool | None = None
    error: bool | None = None
    errors: tuple[str, ...] = ()  # detail from n=3: "cutter", "unrecoverable", ...
    replies: Mapping[int, int] = field(default_factory=dict)  # n -> raw status byte
    reason: str = ""  # why status is unknown

    @property
    def unknown(self) -> bool:
        return self.online is None

    @property
    def condition(self) -> Condition:
        if self.unknown:
            return Condition.UNKNOWN
        for flag, condition in (
            (self.paper_out, Condition.PAPER_OUT),
            (self.cover_open, Condition.COVER_OPEN),
            (self.error, Condition.ERROR),
            (not self.online, Condition.OFFLINE),
            (self.paper_near_end, Condition.PAPER_NEAR_END),
        ):
            if flag:
                return condition
        return Condition.READY

    @property
    def can_print(self) -> bool:
        return self.condition in (Condition.READY, Condition.PAPER_NEAR_END)

    @property
    def message_zh(self) -> str:
        return MESSAGES[self.condition][0]

    @property
    def message_en(self) -> str:
        return MESSAGES[self.condition][1]


UNKNOWN = PrinterStatus()


def is_status_byte(value: int) -> bool:
    """True if `value` has the fixed bit pattern of a DLE EOT reply."""
    return 0 <= value <= 0xFF and value & FIXED_MASK == FIXED_BITS


def _flag(byte: int | None, mask: int) -> bool | None:
    return None if byte is None else bool(byte & mask)


def _either(*flags: bool | None) -> bool | None:
    """True if any known flag is set, None if none is known."""
    known = [f for f in flags if f is not None]
    return any(known) if known else None


def decode(replies: Mapping[int, int | None]) -> PrinterStatus:
    """Decode DLE EOT replies by n (1-4); missing or invalid replies leave fields unknown."""
    valid = {n: b for n, b in replies.items() if b is not None and is_status_byte(b)}
    if cmd.STATUS_PRINTER not in valid:
        got = replies.get(cmd.STATUS_PRINTER)
        reason = "no reply" if got is None else f"invalid status byte 0x{got:02x}"
        return PrinterStatus(replies=valid, reason=reason)
    offline = valid.get(cmd.STATUS_OFFLINE_CAUSE)
    errors = valid.get(cmd.STATUS_ERROR_CAUSE)
    paper = valid.get(cmd.STATUS_PAPER_SENSOR)
    details = tuple(name for bit, name in ERROR_CAUSES if errors is not None and errors & bit)
    return PrinterStatus(
        online=not valid[cmd.STATUS_PRINTER] & OFFLINE,
        paper_near_end=_flag(paper, PAPER_NEAR_END),
        paper_out=_either(_flag(paper, PAPER_OUT), _flag(offline, PAPER_END_STOP)),
        cover_open=_flag(offline, COVER_OPEN),
        error=_either(_flag(offline, ERROR_OCCURRED), None if errors is None else bool(details)),
        errors=details,
        replies=valid,
    )


class Channel(Protocol):
    """A bidirectional link to a printer."""

    def send(self, data: bytes) -> None: ...

    def recv_byte(self, timeout: float) -> int | None:
        """One byte, or None if nothing arrives in time; raises ConnectionError on EOF."""

    def drain(self) -> None:
        """Discard bytes already waiting (late replies, auto status back)."""


class SocketChannel:
    """A connected TCP socket; sends on a socket without its own timeout get `send_timeout`."""

    def __init__(self, sock: socket.socket, send_timeout: float = 2.0):
        self.sock = sock
        self.send_timeout = send_timeout

    def send(self, data: bytes) -> None:
        if self.sock.gettimeout() is not None:
            self.sock.sendall(data)
            return
        self.sock.settimeout(self.send_timeout)
        try:
            self.sock.sendall(data)
        finally:
            self.sock.settimeout(None)

    def recv_byte(self, timeout: float) -> int | None:
        ready, _, _ = select.select([self.sock], [], [], max(0.0, timeout))
        if not ready:
            return None
        data = self.sock.recv(1)
        if not data:
            raise ConnectionResetError("printer closed the connection")
        return data[0]

    def drain(self) -> None:
        while select.select([self.sock], [], [], 0)[0]:
            if not self.sock.recv(256):
                raise ConnectionResetError("printer closed the connection")


class EscposChannel:
    """Reads through a python-escpos printer's `_read`, in a helper thread so a driver with
    no read timeout cannot block the caller (a hung read leaves one daemon thread behind)."""

    def __init__(self, printer):
        self.printer = printer
        self.pending = b""

    def send(self, data: bytes) -> None:
        self.printer._raw(data)

    def _read(self, timeout: float) -> bytes | None:
        box: list = []
        worker = threading.Thread(target=lambda: box.append(self._try_read()), daemon=True)
        worker.start()
        worker.join(max(0.0, timeout))
        if not box:
            return None
        if isinstance(box[0], BaseException):
            raise box[0]
        return box[0]

    def _try_read(self):
        try:
            return bytes(self.printer._read())
        except BaseException as exc:  # handed to the caller's thread
            return exc

    def recv_byte(self, timeout: float) -> int | None:
        if not self.pending:
            self.pending = self._read(timeout) or b""
        if not self.pending:
            return None
        byte, self.pending = self.pending[0], self.pending[1:]
        return byte

    def drain(self) -> None:
        self.pending = b""


def as_channel(conn) -> Channel:
    """Wrap a socket, a python-escpos printer or an existing Channel."""
    if isinstance(conn, socket.socket):
        return SocketChannel(conn)
    if hasattr(conn, "recv_byte"):
        return conn
    if hasattr(conn, "_raw"):
        device = conn.device if isinstance(conn, Network) else None  # opens if needed
        return SocketChannel(device) if isinstance(device, socket.socket) else EscposChannel(conn)
    raise TypeError(f"cannot query printer status through {type(conn).__name__}")


def query_replies(channel: Channel, timeout: float) -> dict[int, int | None]:
    """Ask n=1, 2, 4 (and 3 when an error is flagged); stop at the first unanswered query.

    Raises OSError/ConnectionError if the connection fails; `timeout` bounds the whole call.
    """
    deadline = time.monotonic() + timeout
    replies: dict[int, int | None] = {}
    channel.drain()
    for n in (cmd.STATUS_PRINTER, cmd.STATUS_OFFLINE_CAUSE, cmd.STATUS_PAPER_SENSOR):
        channel.send(cmd.realtime_status(n))
        replies[n] = channel.recv_byte(deadline - time.monotonic())
        if replies[n] is None:
            return replies
    offline = replies[cmd.STATUS_OFFLINE_CAUSE]
    if offline is not None and is_status_byte(offline) and offline & ERROR_OCCURRED:
        channel.send(cmd.realtime_status(cmd.STATUS_ERROR_CAUSE))
        replies[cmd.STATUS_ERROR_CAUSE] = channel.recv_byte(deadline - time.monotonic())
    return replies


def read_status(conn, timeout: float = 2.0) -> PrinterStatus:
    """Query and decode the status of a socket or python-escpos printer; never raises."""
    try:
        channel = as_channel(conn)
        return decode(query_replies(channel, timeout))
    except Exception as exc:  # a status check reports, it does not crash the kiosk
        return PrinterStatus(reason=f"{type(exc).__name__}: {exc}")
