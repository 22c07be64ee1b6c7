"""Qt implementations of the presenter's runner, scheduler and live-client factory (QtCore only).

(The runner and scheduler mirror kiosk.qtbridge; they could move to clientlib for both apps.)
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal, Slot

from clientlib.live import LiveClient
from clientlib.qtasync import run_async


class QtRunner:
    """Runs blocking calls on a thread pool; callbacks arrive on the GUI thread."""

    def __init__(self, threads: int = 4):
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(threads)

    def run(self, fn, on_done=None, on_error=None) -> None:
        run_async(fn, on_done, on_error, self.pool)

    def wait(self, msecs: int = 5000) -> bool:
        return self.pool.waitForDone(msecs)


class QtTimerHandle:
    def __init__(self, scheduler: QtScheduler, timer: QTimer):
        self.scheduler, self.timer = scheduler, timer

    def cancel(self) -> None:
        self.scheduler._drop(self.timer)


class QtScheduler(QObject):
    """`after(seconds, fn)` and `every(seconds, fn)` on QTimers of the GUI thread."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._timers: set[QTimer] = set()

    def _timer(self, seconds: float, fn: Callable[[], None], single: bool) -> QtTimerHandle:
        timer = QTimer(self)
        timer.setSingleShot(single)
        timer.setInterval(max(0, int(seconds * 1000)))
        if single:
            timer.timeout.connect(lambda: self._drop(timer))
        timer.timeout.connect(fn)
        self._timers.add(timer)
        timer.start()
        return QtTimerHandle(self, timer)

    def _drop(self, timer: QTimer) -> None:
        if timer in self._timers:
            self._timers.discard(timer)
            timer.stop()
            timer.deleteLater()

    def after(self, seconds: float, fn: Callable[[], None]) -> QtTimerHandle:
        return self._timer(seconds, fn, single=True)

    def every(self, seconds: float, fn: Callable[[], None]) -> QtTimerHandle:
        return self._timer(seconds, fn, single=False)

    def stop_all(self) -> None:
        for timer in list(self._timers):
            self._drop(timer)


class LiveBridge(QObject):
    """Carries LiveClient callbacks from the Socket.IO thread to slots on the GUI thread."""

    snapshot = Signal(object)
    event = Signal(object)
    connection = Signal(bool)

    def __init__(self, on_snapshot, on_event, on_connection, parent: QObject | None = None):
        super().__init__(parent)
        self._on_snapshot, self._on_event, self._on_connection = (
            on_snapshot,
            on_event,
            on_connection,
        )
        self.snapshot.connect(self._snapshot)
        self.event.connect(self._event)
        self.connection.connect(self._connection)

    @Slot(object)
    def _snapshot(self, data) -> None:
        self._on_snapshot(data)

    @Slot(object)
    def _event(self, data) -> None:
        self._on_event(data)

    @Slot(bool)
    def _connection(self, up: bool) -> None:
        self._on_connection(up)


class BridgedLive:
    """A LiveClient whose callbacks are delivered on the GUI thread."""

    def __init__(self, client: LiveClient, bridge: LiveBridge):
        self.client, self.bridge = client, bridge

    def connect(self) -> None:
        self.client.connect()

    def close(self) -> None:
        """Disconnect, or stop reconnecting if the server is away (LiveClient.close does not)."""
        self.client.sio.shutdown()

    @property
    def connected(self) -> bool:
        return self.client.connected


def live_factory(base_url: str):
    """The presenter's `live_factory(token, on_snapshot, on_event, on_connection)`."""

    def make(token, on_snapshot, on_event, on_connection) -> BridgedLive:
        bridge = LiveBridge(on_snapshot, on_event, on_connection)
        client = LiveClient(
            base_url, token, bridge.snapshot.emit, bridge.event.emit, bridge.connection.emit
        )
        return BridgedLive(client, bridge)

    return make
