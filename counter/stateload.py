"""The counter state (GET /windows/<n>), fetched one request at a time: asked for again while
one is on its way, it is fetched once more after it answers. The reload that follows an action
is the one that makes the buttons live again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from clientlib.plumbing import Jobs

from .shift import Shift


class StateLoader:
    """`loaded(window, state)` and `failed(exc)` receive the answers while signed in."""

    def __init__(
        self,
        api: Any,
        jobs: Jobs,
        shift: Shift,
        debounce_seconds: float,
        loaded: Callable[[int, dict], None],
        failed: Callable[[Exception], None],
    ):
        self.api, self.jobs, self.shift, self.debounce_seconds = api, jobs, shift, debounce_seconds
        self.loaded, self.failed = loaded, failed
        self._loading = False
        self._again = False
        self._started = 0
        self._busy_until: int | None = None

    def load(self) -> None:
        shift = self.shift
        if self.jobs.stopped or shift.phase != "main" or shift.window is None:
            return
        if self._loading:
            self._again = True
            return
        self._loading, self._again = True, False
        self._started += 1
        ordinal, window = self._started, shift.window
        self.jobs.call(
            lambda: self.api.get(self.api.hall_path(f"/windows/{window}")),
            lambda state: self._loaded(ordinal, window, state),
            lambda exc: self._failed(ordinal, exc),
        )

    def after_action(self) -> None:
        """An action was answered: reload; the counter stays busy until this reload is back."""
        self._busy_until = self._started + 1
        self.load()

    def soon(self) -> None:
        """Reload after a quiet moment (live events come in bursts)."""
        if not self.jobs.has_timer("debounce"):
            self.jobs.start_timer("debounce", self.debounce_seconds, self._debounced)

    def _debounced(self) -> None:
        self.jobs.fired("debounce")
        self.load()

    def _loaded(self, ordinal: int, window: int, state: dict) -> None:
        self._loading = False
        self._settle(ordinal)
        if self.shift.phase != "main" or window != self.shift.window:
            return
        self.loaded(window, state)
        if self._again:
            self.load()

    def _failed(self, ordinal: int, exc: Exception) -> None:
        self._loading = False
        self._settle(ordinal)
        if self.shift.phase != "main":
            return
        self.failed(exc)
        if self._again and self.shift.api_ok:
            self.load()

    def _settle(self, ordinal: int) -> None:
        if self._busy_until is not None and ordinal >= self._busy_until:
            self._busy_until = None
            self.shift.busy = False
