"""A fake ESC/POS network printer on 127.0.0.1 for tests.

It records every job, answers DLE EOT n with status bytes for a settable state, and can
misbehave: go silent (accept, never read or answer), drop the connection mid-job (RST),
or refuse connections. It stops itself when used as a context manager, and after
`lifetime` seconds at the latest.
"""

import socket
import struct
import threading
import time
from dataclasses import dataclass, field

OK = 0x12  # fixed bits only: online, no cause, paper present

STATES: dict[str, dict[int, int]] = {
    "ok": {1: OK, 2: OK, 3: OK, 4: OK},
    "paper_near_end": {1: OK, 2: OK, 3: OK, 4: OK | 0x0C},
    "paper_out": {1: OK | 0x08, 2: OK | 0x20, 3: OK, 4: OK | 0x0C | 0x60},
    "cover_open": {1: OK | 0x08, 2: OK | 0x04, 3: OK, 4: OK},
    "cutter_error": {1: OK | 0x08, 2: OK | 0x40, 3: OK | 0x08, 4: OK},
}
MODES = ("normal", "silent", "drop", "refuse")


@dataclass
class Connection:
    job: bytearray = field(default_factory=bytearray)  # everything except status queries
    queries: list[int] = field(default_factory=list)  # n of each DLE EOT n, in order
    closed: threading.Event = field(default_factory=threading.Event)


class FakePrinter:
    def __init__(self, state: str = "ok", mode: str = "normal", lifetime: float = 30.0):
        self.state = state
        self.mode = mode
        self.drop_after = 16  # job bytes accepted before a "drop" resets the connection
        self.switch_after: tuple[int, str] | None = None  # (job bytes, new state)
        self.status_override: dict[int, int] = {}
        self.connections: list[Connection] = []
        self._lifetime = lifetime
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._sockets: list[socket.socket] = []
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind(("127.0.0.1", 0))
        self.host, self.port = self._listener.getsockname()

    # lifecycle ---------------------------------------------------------------------------

    def start(self) -> "FakePrinter":
        if self.mode == "refuse":
            self._listener.close()  # nothing listens on the port: connections are refused
            return self
        self._listener.listen(8)
        self._listener.settimeout(0.05)
        self._spawn(self._accept_loop)
        return self

    def stop(self) -> None:
        self._stop.set()
        self._listener.close()
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            sock.close()
        for thread in self._threads:
            thread.join(timeout=2)

    def __enter__(self) -> "FakePrinter":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def refuse(self) -> None:
        """From now on, connections to the port are refused."""
        self.mode = "refuse"
        self._listener.close()
        self._threads[0].join(timeout=2)  # the accept loop lets go of the listening socket

    @property
    def jobs(self) -> list[bytes]:
        with self._lock:
            return [bytes(c.job) for c in self.connections if c.job]

    def wait_closed(self, count: int = 1, timeout: float = 5.0) -> None:
        """Wait until at least `count` connections were made and all of them have closed."""
        deadline = time.monotonic() + timeout
        while len(self.connections) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        for conn in list(self.connections):
            conn.closed.wait(max(0.0, deadline - time.monotonic()))

    def status_byte(self, n: int) -> int:
        return self.status_override.get(n, STATES[self.state][n])

    # serving -----------------------------------------------------------------------------

    def _spawn(self, target, *args) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        deadline = time.monotonic() + self._lifetime
        while not self._stop.is_set() and time.monotonic() < deadline:
            try:
                sock, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # listener closed
            record = Connection()
            with self._lock:
                self._sockets.append(sock)
                self.connections.append(record)
            self._spawn(self._serve, sock, record, deadline)
        self._stop.set()

    def _serve(self, sock: socket.socket, record: Connection, deadline: float) -> None:
        try:
            if self.mode == "silent":
                while not self._stop.wait(0.05) and time.monotonic() < deadline:
                    pass
                return
            self._read_loop(sock, record, deadline)
        except OSError:
            pass
        finally:
            sock.close()
            record.closed.set()

    def _read_loop(self, sock: socket.socket, record: Connection, deadline: float) -> None:
        sock.settimeout(0.05)
        pending = b""
        while not self._stop.is_set() and time.monotonic() < deadline:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                continue
            if not chunk:
                return
            try:
                pending = self._consume(sock, record, pending + chunk)
            except _Drop:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return  # close with RST, mid-job

    def _consume(self, sock: socket.socket, record: Connection, data: bytes) -> bytes:
        """Answer DLE EOT n queries, record the rest; return an incomplete tail."""
        i = 0
        while i < len(data):
            dle = data.find(b"\x10", i)
            end = len(data) if dle < 0 else dle
            if end > i:
                self._record(record, data[i:end])
                i = end
            elif i + 1 == len(data) or (data[i + 1] == 0x04 and i + 2 == len(data)):
                return data[i:]  # wait for the rest of a possible DLE EOT n
            elif data[i + 1] != 0x04:
                self._record(record, data[i : i + 1])
                i += 1
            else:
                n = data[i + 2]
                record.queries.append(n)
                if n in (1, 2, 3, 4):
                    sock.sendall(bytes([self.status_byte(n)]))
                i += 3
        return b""

    def _record(self, record: Connection, data: bytes) -> None:
        if self.mode == "drop":
            data = data[: max(0, self.drop_after - len(record.job))]
        with self._lock:
            record.job += data
        if self.switch_after and len(record.job) >= self.switch_after[0]:
            self.state, self.switch_after = self.switch_after[1], None
        if self.mode == "drop" and len(record.job) >= self.drop_after:
            raise _Drop


class _Drop(Exception):
    """Reset the connection now."""
