"""Test doubles for a presenter's runner and scheduler (clientlib.plumbing), shared by the kiosk
and counter tests: a runner that queues calls and a scheduler on a fake clock."""

from __future__ import annotations

from collections.abc import Callable


class ManualRunner:
    """Queues calls; `settle()` runs them (and any they start) in order, in this thread."""

    def __init__(self, limit: int = 100):
        self.limit = limit  # settle() gives up after this many calls
        self.jobs: list[tuple[Callable, Callable | None, Callable | None]] = []

    def run(self, fn, on_done=None, on_error=None) -> None:
        self.jobs.append((fn, on_done, on_error))

    def step(self) -> None:
        fn, on_done, on_error = self.jobs.pop(0)
        try:
            result = fn()
        except Exception as exc:
            if on_error:
                on_error(exc)
        else:
            if on_done:
                on_done(result)

    def settle(self, limit: int | None = None) -> None:
        for _ in range(self.limit if limit is None else limit):
            if not self.jobs:
                return
            self.step()
        raise AssertionError("runner did not settle")


class _Timer:
    def __init__(self, scheduler: FakeScheduler, due: float, fn, interval: float | None):
        self.scheduler, self.due, self.fn, self.interval = scheduler, due, fn, interval
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class FakeScheduler:
    """Timers on a fake clock; `advance(seconds)` fires what falls due, in order."""

    def __init__(self):
        self.now = 0.0
        self.timers: list[_Timer] = []

    def after(self, seconds: float, fn) -> _Timer:
        timer = _Timer(self, self.now + seconds, fn, None)
        self.timers.append(timer)
        return timer

    def every(self, seconds: float, fn) -> _Timer:
        timer = _Timer(self, self.now + seconds, fn, seconds)
        self.timers.append(timer)
        return timer

    def advance(self, seconds: float, runner: ManualRunner | None = None) -> None:
        end = self.now + seconds
        while True:
            due = [t for t in self.timers if not t.cancelled and t.due <= end]
            if not due:
                break
            timer = min(due, key=lambda t: t.due)
            self.now = timer.due
            if timer.interval is None:
                timer.cancelled = True
            else:
                timer.due += timer.interval
            timer.fn()
            if runner is not None:
                runner.settle()
        self.now = end
