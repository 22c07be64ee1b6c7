"""What the presenter needs from outside, and the plumbing its parts share.

Collaborators are injected so tests can drive the presenter without Qt:
- view: `set_chrome(Chrome)`, `show_screen(screen)` (see kiosk.screens) and
  `set_countdown(text)` (the idle warning; "" hides it);
- api: a clientlib.api.ApiClient (or a fake with the same methods);
- printer: a kiosk.printer.KioskPrinter (print_ticket, print_guide, print_case, status);
- speaker: kiosk.voice's EspeakSpeaker or NullSpeaker (`available`, `speak(text, lang)`),
  called through the voice runner;
- scheduler: `after(seconds, fn)` / `every(seconds, fn)` returning a handle with `cancel()`;
- runner / print_runner: `run(fn, on_done, on_error)` that calls `fn` off the GUI thread and
  the callbacks back on it. Network and printer calls only ever go through a runner.

Runner, Scheduler and Jobs (async calls and named timers, shared by the presenter and its
collaborators) are clientlib.plumbing's.
"""

from __future__ import annotations

import functools
from typing import Any, Protocol

from .screens import Chrome


class View(Protocol):
    def set_chrome(self, chrome: Chrome) -> None: ...

    def show_screen(self, screen: Any) -> None: ...

    def set_countdown(self, text: str) -> None: ...


def touch(method):
    """A resident's action: ignored after stop; afterwards the idle timeout restarts (for the
    screen the action led to: a guide waits longer)."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        if self.jobs.stopped:
            return None
        try:
            return method(self, *args, **kwargs)
        finally:
            self.user_activity()

    return wrapper
