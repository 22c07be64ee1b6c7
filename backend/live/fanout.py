"""From the relay to the rooms: each event is routed to its rooms once. Calls and recalls go out
at once as ``event``; everything else is batched per room into one ``events`` frame (a list in
seq order) at most every ``interval`` seconds (2.5 times that for the many public screens). A
call first flushes what its room has pending, so every room still sees its hall's events in
order. One sender task emits the frames in the
order they were made (python-socketio encodes one packet per room emit)."""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Callable, Iterable

from ..db.uow import PublishedEvent
from .publisher import NAMESPACE, URGENT_TYPES, routes

log = logging.getLogger(__name__)

BATCH_SECONDS = 0.2  # at most 5 batched frames a second per staff room
PUBLIC_BATCH_FACTOR = 2.5  # displays and kiosks: 2 a second (they are many; a frame to each
# socket is the push side's main cost, and a waiting count may lag half a second)


def is_public(room: str) -> bool:
    return room.startswith(("display:", "kiosk:"))


class Fanout:
    def __init__(
        self,
        sio,
        display_areas: Callable[[int], Iterable[str]],
        interval: float = BATCH_SECONDS,
        pad_windows: Callable[[int], Iterable[int | None]] = lambda _hall: (),
        hall_code: Callable[[int], str | None] = lambda _hall: None,
    ):
        self.sio, self.display_areas, self.interval = sio, display_areas, interval
        self.pad_windows, self.hall_code = pad_windows, hall_code
        self.pending: dict[str, list[dict]] = {}
        self.timers: dict[str, asyncio.TimerHandle] = {}
        self.last_sent: dict[str, float] = {}
        self.frames: asyncio.Queue | None = None
        self._sender: asyncio.Task | None = None

    def start(self) -> None:
        self.frames = asyncio.Queue()
        self._sender = asyncio.get_running_loop().create_task(self._send_frames())

    async def stop(self) -> None:
        for timer in self.timers.values():
            timer.cancel()
        self.timers.clear()
        if self._sender is not None:
            self._sender.cancel()
            await asyncio.gather(self._sender, return_exceptions=True)
        self.frames = None

    def deliver(self, event: PublishedEvent) -> None:
        """On the loop, in seq order per hall (the relay's job)."""
        if self.frames is None:
            return
        urgent = event.type in URGENT_TYPES
        loop = asyncio.get_running_loop()
        hall = event.hall_id
        rooms = routes(
            event, self.display_areas(hall), self.pad_windows(hall), self.hall_code(hall)
        )
        for room, message in rooms:
            if urgent:
                self._flush(room)
                self._send(room, "event", message)
                continue
            self.pending.setdefault(room, []).append(message)
            if room not in self.timers:
                every = self.interval * (PUBLIC_BATCH_FACTOR if is_public(room) else 1)
                due = self.last_sent.get(room, -math.inf) + every
                self.timers[room] = loop.call_later(max(0.0, due - loop.time()), self._flush, room)

    def _flush(self, room: str) -> None:
        timer = self.timers.pop(room, None)
        if timer is not None:
            timer.cancel()
        batch = self.pending.pop(room, None)
        if batch:
            self._send(room, "events", batch)

    def _send(self, room: str, name: str, data) -> None:
        if self.frames is None:
            return
        self.last_sent[room] = asyncio.get_running_loop().time()
        self.frames.put_nowait((room, name, data))

    async def _send_frames(self) -> None:
        frames = self.frames
        if frames is None:
            return
        while True:
            room, name, data = await frames.get()
            try:
                await self.sio.emit(name, data, to=room, namespace=NAMESPACE)
            except Exception:  # a push failure must never stop the stream
                log.exception("could not send %s to %s", name, room)
