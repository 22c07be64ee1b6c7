"""Display and rating-pad sockets (python-socketio AsyncClient on the driver's loop): the first
receipt time of every ticket event they were sent in full, sequence gaps (answered by a resync),
and for a pad a callback on each rating request of its window."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

import socketio

NAMESPACE = "/hall"
# (type, number, item, window) for events with a window; (type, number, item) for issued
TIMED = frozenset(
    {
        "ticket.issued",
        "ticket.called",
        "ticket.recalled",
        "ticket.started",
        "ticket.finished",
        "ticket.no_show",
    }
)
log = logging.getLogger(__name__)


def event_key(kind: str, data: dict) -> tuple:
    """What identifies one ticket event between the REST answer and the socket frame (the
    number alone repeats after a transfer; a recall repeats the call)."""
    if kind == "ticket.issued":
        return (kind, data.get("number"), data.get("item"))
    extra = (data.get("call_count"),) if kind == "ticket.recalled" else ()
    return (kind, data.get("number"), data.get("item"), data.get("window"), *extra)


class Screen:
    """One socket of a display or rating pad and what it received."""

    def __init__(
        self,
        code: str,
        token: str,
        on_rating: Callable[[Screen, dict], Awaitable[None]] | None = None,
    ):
        self.code, self.token, self.on_rating = code, token, on_rating
        self.kind: str | None = None  # from the snapshot: "display" | "pad"
        self.area: str | None = None  # a display's area ("all": the whole hall)
        self.window: int | None = None  # a pad's window
        self.seen: dict[tuple, float] = {}  # event key -> first receipt (monotonic)
        self.counts: Counter[str] = Counter()  # frames, events, skips, gaps, duplicates, resyncs
        self.seq: int | None = None
        self._fresh = False  # no event since the last snapshot yet (older ones are stale)
        self.sio = socketio.AsyncClient(reconnection=True, handle_sigint=False)
        self.sio.on("snapshot", self._snapshot, namespace=NAMESPACE)
        self.sio.on("event", self._event, namespace=NAMESPACE)
        self.sio.on("events", self._events, namespace=NAMESPACE)

    async def connect(self, url: str, timeout: float = 15) -> None:
        await self.sio.connect(
            url,
            namespaces=[NAMESPACE],
            auth={"token": self.token},
            transports=["websocket"],
            wait_timeout=timeout,
        )

    async def close(self) -> None:
        try:
            await self.sio.disconnect()
        except Exception:  # noqa: BLE001 - closing at the end of a run: nothing to save
            log.debug("socket %s did not close cleanly", self.code, exc_info=True)

    def covers(self, area: str | None) -> bool:
        return self.kind == "display" and (self.area == "all" or self.area == area)

    async def _snapshot(self, data: Any) -> None:
        if not isinstance(data, dict):
            return
        self.counts["snapshots"] += 1
        self.kind = data.get("kind")
        self.area = data.get("area")
        self.window = (data.get("device") or {}).get("window")
        self.seq, self._fresh = data.get("seq"), True
        if self.on_rating is not None:
            for pending in data.get("pending", []):
                await self.on_rating(self, pending)

    async def _event(self, event: Any) -> None:
        await self._receive([event], time.monotonic())

    async def _events(self, events: Any) -> None:
        await self._receive(events if isinstance(events, list) else [events], time.monotonic())

    async def _receive(self, events: list, at: float) -> None:
        self.counts["frames"] += 1
        for event in events:
            if not isinstance(event, dict):
                continue
            seq = event.get("seq")
            if isinstance(seq, int) and self.seq is not None:
                if seq <= self.seq:  # in the snapshot already, or sent twice
                    self.counts["stale" if self._fresh else "duplicates"] += 1
                    continue
                if seq > self.seq + 1:
                    self.counts["gaps"] += 1
                    self.seq = None  # until the fresh snapshot
                    await self.sio.emit("resync", namespace=NAMESPACE)
                    self.counts["resyncs"] += 1
                    continue
                self.seq, self._fresh = seq, False
            kind = event.get("type")
            if kind == "skip":
                self.counts["skips"] += 1
                continue
            self.counts["events"] += 1
            raw = event.get("data")
            data = raw if isinstance(raw, dict) else {}
            if kind in TIMED:
                self.seen.setdefault(event_key(kind, data), at)
            if kind == "rating.requested" and self.on_rating is not None:
                await self.on_rating(self, data)
