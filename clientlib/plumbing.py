"""What a presenter needs to run work off the GUI thread and on timers, without Qt.

- runner: `run(fn, on_done, on_error)` that calls `fn` off the GUI thread and the callbacks back
  on it (clientlib.qtbridge.QtRunner, or a test fake);
- scheduler: `after(seconds, fn)` / `every(seconds, fn)` returning a handle with `cancel()`
  (clientlib.qtbridge.QtScheduler, or a test fake).

`Jobs` is that plumbing as an object a presenter and its collaborators share (injected, one
per presenter): async calls whose answers are dropped after stop(), and named timers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, overload


class Runner(Protocol):
    def run(self, fn: Callable[[], Any], on_done=None, on_error=None) -> None: ...


class Scheduler(Protocol):
    def after(self, seconds: float, fn: Callable[[], None]) -> Any: ...

    def every(self, seconds: float, fn: Callable[[], None]) -> Any: ...


class Jobs:
    """A presenter's async calls and named timers; after stop() no answer or timer fires."""

    def __init__(self, runner: Runner, scheduler: Scheduler):
        self.runner, self.scheduler = runner, scheduler
        self.stopped = False
        self._timers: dict[str, Any] = {}

    def call(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None,
        on_error: Callable[[Exception], None] | None = None,
        runner: Runner | None = None,
    ) -> None:
        """`fn` off the GUI thread (on `runner`, else the default one); answers on it."""
        (runner or self.runner).run(fn, self.guard(on_done), self.guard(on_error))

    @overload
    def guard(self, fn: None) -> None: ...

    @overload
    def guard(self, fn: Callable[..., Any]) -> Callable[..., None]: ...

    def guard(self, fn: Callable[..., Any] | None) -> Callable[..., None] | None:
        """`fn`, made to do nothing once stopped."""
        if fn is None:
            return None

        def guarded(*args):
            if not self.stopped:
                fn(*args)

        return guarded

    def start_timer(self, name: str, seconds: float, fn, repeat: bool = False) -> None:
        """(Re)start the timer `name`: once after `seconds`, or every `seconds`."""
        self.stop_timer(name)
        make = self.scheduler.every if repeat else self.scheduler.after
        self._timers[name] = make(seconds, self.guard(fn))

    def stop_timer(self, name: str) -> None:
        timer = self._timers.pop(name, None)
        if timer is not None:
            timer.cancel()

    def has_timer(self, name: str) -> bool:
        return name in self._timers

    def fired(self, name: str) -> None:
        """A one-shot timer has run: forget it (nothing to cancel)."""
        self._timers.pop(name, None)

    def stop(self) -> None:
        """Cancel every timer and drop answers still on their way."""
        self.stopped = True
        for name in list(self._timers):
            self.stop_timer(name)
