"""What the presenter needs from outside, and the plumbing its parts share.

Collaborators are injected so tests can drive the presenter without Qt:
- view: `set_chrome(Chrome)` and `show_screen(screen)` (see kiosk.screens);
- api: a clientlib.api.ApiClient (or a fake with the same methods);
- printer: a kiosk.printer.KioskPrinter (print_ticket, print_guide, print_case, status);
- scheduler: `after(seconds, fn)` / `every(seconds, fn)` returning a handle with `cancel()`;
- runner / print_runner: `run(fn, on_done, on_error)` that calls `fn` off the GUI thread and
  the callbacks back on it. Network and printer calls only ever go through a runner.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Protocol

from .screens import Chrome


class Runner(Protocol):
    def run(self, fn: Callable[[], Any], on_done=None, on_error=None) -> None: ...


class Scheduler(Protocol):
    def after(self, seconds: float, fn: Callable[[], None]) -> Any: ...

    def every(self, seconds: float, fn: Callable[[], None]) -> Any: ...


class View(Protocol):
    def set_chrome(self, chrome: Chrome) -> None: ...

    def show_screen(self, screen: Any) -> None: ...


def touch(method):
    """A resident's action: ignored after stop, and it restarts the idle countdown."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        if self._stopped:
            return None
        self.user_activity()
        return method(self, *args, **kwargs)

    return wrapper


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
