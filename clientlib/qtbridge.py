"""Qt implementations of a presenter's runner and scheduler, shared by the kiosk and the counter
(QtCore only, no widgets).

- QtRunner: `run(fn, on_done, on_error)` on a thread pool, callbacks on the GUI thread;
- QtScheduler: `after(seconds, fn)` / `every(seconds, fn)` on QTimers, returning a QtTimerHandle.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QThreadPool, QTimer

from .qtasync import run_async


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
