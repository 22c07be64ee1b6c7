"""Failure throttling: refuse a key (a user, an address) once it has failed ``limit`` times in
the last ``window`` seconds, until the oldest of those failures has aged out. Plain Python, no
clock of its own: callers pass the time (a monotonic one in the server)."""

from __future__ import annotations

import math
from collections import OrderedDict, deque
from collections.abc import Hashable


class FailureThrottle:
    """Sliding-window failure counts for at most ``max_keys`` keys (least recently failed keys
    are forgotten first, so a flood of made-up names cannot grow it without bound)."""

    def __init__(self, limit: int, window: float, max_keys: int = 10_000):
        self.limit, self.window, self.max_keys = limit, window, max_keys
        self._failures: OrderedDict[Hashable, deque[float]] = OrderedDict()

    def retry_after(self, key: Hashable, now: float) -> int | None:
        """Whole seconds until ``key`` may try again, or None when it may now."""
        failures = self._prune(key, now)
        if failures is None or len(failures) < self.limit:
            return None
        return max(1, math.ceil(failures[-self.limit] + self.window - now))

    def failed(self, key: Hashable, now: float) -> None:
        failures = self._prune(key, now)
        if failures is None:
            failures = self._failures[key] = deque(maxlen=self.limit)
        failures.append(now)
        self._failures.move_to_end(key)
        while len(self._failures) > self.max_keys:
            self._failures.popitem(last=False)

    def clear(self, key: Hashable) -> None:
        self._failures.pop(key, None)

    def _prune(self, key: Hashable, now: float) -> deque[float] | None:
        failures = self._failures.get(key)
        if failures is None:
            return None
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if not failures:
            del self._failures[key]
            return None
        return failures
