"""What a presenter needs to run work off the GUI thread and on timers, without Qt.

- runner: `run(fn, on_done, on_error)` that calls `fn` off the GUI thread and the callbacks back
  on it (clientlib.qtbridge.QtRunner, or a test fake);
- scheduler: `after(seconds, fn)` / `every(seconds, fn)` returning a handle with `cancel()`
  (clientlib.qtbridge.QtScheduler, or a test fake).

`Plumbing` is the mixin both presenters use for async calls whose answers are dropped after
stop(), and for named timers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol


class Runner(Protocol):
    def run(self, fn: Callable[[], Any], on_done=None, on_error=None) -> None: ...


class Scheduler(Protocol):
    def after(self, seconds: float, fn: Callable[[], None]) -> Any: ...

    def every(self, seconds: float, fn: Callable[[], None]) -> Any: ...


class Plumbing:
    """Async calls whose answers are dropped after stop(), and named timers."""

    runner: Runner
    scheduler: Scheduler
    _timers: dict[str, Any]
    _stopped: bool

    def _call(self, fn, on_done, on_error=None, runner: Runner | None = None) -> None:
        (runner or self.runner).run(fn, self._guard(on_done), self._guard(on_error))

    def _guard(self, fn):
        if fn is None:
            return None

        def guarded(*args):
            if not self._stopped:
                fn(*args)

        return guarded

    def _start_timer(self, name: str, seconds: float, fn, repeat: bool = False) -> None:
        self._stop_timer(name)
        make = self.scheduler.every if repeat else self.scheduler.after
        self._timers[name] = make(seconds, self._guard(fn))

    def _stop_timer(self, name: str) -> None:
        timer = self._timers.pop(name, None)
        if timer is not None:
            timer.cancel()
