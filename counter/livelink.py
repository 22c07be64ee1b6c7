"""The counter's live socket: one live client per signed-in session, its callbacks dropped once
it is replaced or closed, and a retry timer while the first connect is refused."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from clientlib.plumbing import Jobs

from .shift import Shift

log = logging.getLogger(__name__)


class LiveLink:
    """`live_factory(token, on_snapshot, on_event, on_connection)` makes a client with
    `connect()` and `close()`; the three callbacks given here receive what it reports."""

    def __init__(
        self,
        live_factory: Callable[..., Any],
        api: Any,
        jobs: Jobs,
        shift: Shift,
        retry_seconds: float,
        on_snapshot: Callable[[dict], None],
        on_event: Callable[[dict], None],
        on_connection: Callable[[bool], None],
        changed: Callable[[], None],
    ):
        self.live_factory, self.api, self.jobs, self.shift = live_factory, api, jobs, shift
        self.retry_seconds = retry_seconds
        self.on_snapshot, self.on_event, self.on_connection = on_snapshot, on_event, on_connection
        self.changed = changed  # the connection indicator should be redrawn
        self.live: Any = None
        self._session = 0

    def start(self) -> None:
        self.close()
        self._session += 1
        session = self._session

        def guard(fn):
            return lambda *args: fn(*args) if session == self._session else None

        self.live = self.live_factory(
            self.api.token, guard(self.on_snapshot), guard(self.on_event), guard(self.on_connection)
        )
        self.jobs.call(self.live.connect, None, guard(self._failed))

    def close(self) -> None:
        self.jobs.stop_timer("live_retry")
        self._session += 1
        live, self.live, self.shift.live_ok = self.live, None, None
        if live is not None:
            self.jobs.call(live.close, None, None)

    def _failed(self, exc: Exception) -> None:
        log.warning("live connection failed: %s", exc)
        self.shift.live_ok = False
        self.changed()
        self.jobs.start_timer("live_retry", self.retry_seconds, self._retry)

    def _retry(self) -> None:
        if self.shift.phase == "main" and not (
            self.live and getattr(self.live, "connected", False)
        ):
            self.start()
