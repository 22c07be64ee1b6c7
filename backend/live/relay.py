"""Per-hall ordering between ``publish()`` and the sockets.

``publish()`` (request threads after commit, the deadline sweep) only hands events to the event
loop and returns. On the loop the relay keeps each hall's next expected sequence number and
delivers strictly in order with no gaps: an event that arrives ahead of a missing one is held,
and if the missing one is not handed over within ``hold`` seconds it is read from the ``events``
outbox (committed sequence numbers are gap-free). Events below the expected number were already
delivered and are dropped. Hand-over order between threads is not commit order, and with Redis
between processes a message can be lost: every ``tail`` seconds the relay also compares each
hall with its last committed number and reads whatever has stayed undelivered.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..db.uow import PublishedEvent

log = logging.getLogger(__name__)

HOLD_SECONDS = 0.3
TAIL_SECONDS = 2.0
GIVE_UP_AFTER = 10  # outbox reads that do not find a missing seq before skipping past it

ReadSeqs = Callable[[list[int] | None], dict[int, int]]
ReadEvents = Callable[[int, int, int], list[PublishedEvent]]
Blocking = Callable[..., Awaitable[Any]]  # runs a synchronous function in a worker thread


@dataclass
class _Line:
    """One hall's place in its sequence."""

    expected: int | None = None  # None until read from the database
    held: dict[int, PublishedEvent] = field(default_factory=dict)
    known: asyncio.Event = field(default_factory=asyncio.Event)
    timer: asyncio.TimerHandle | None = None
    fetching: bool = False
    misses: int = 0
    behind: int | None = None  # committed seq the last tail check saw undelivered


class Relay:
    def __init__(
        self,
        deliver: Callable[[PublishedEvent], None],
        read_seqs: ReadSeqs,
        read_events: ReadEvents,
        blocking: Blocking,
        hold: float = HOLD_SECONDS,
        tail: float = TAIL_SECONDS,
    ):
        self.deliver, self.read_seqs, self.read_events = deliver, read_seqs, read_events
        self.blocking, self.hold, self.tail = blocking, hold, tail
        self.loop: asyncio.AbstractEventLoop | None = None
        self.lines: dict[int, _Line] = {}
        self._tasks: set[asyncio.Task] = set()

    async def start(self) -> None:
        """On the loop: every hall starts after its last committed event."""
        self.loop = asyncio.get_running_loop()
        for hall_id, seq in (await self.blocking(self.read_seqs, None)).items():
            if hall_id not in self.lines:
                self._set_start(hall_id, self._new_line(hall_id), seq)
        if self.tail:
            self._spawn(self._watch_tails())

    async def stop(self) -> None:
        self.loop = None
        for line in self.lines.values():
            if line.timer is not None:
                line.timer.cancel()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def submit(self, events: Iterable[PublishedEvent]) -> None:
        """Thread-safe hand-over; returns at once and never touches a socket."""
        loop, events = self.loop, list(events)
        if loop is None or not events:
            return  # not serving sockets (yet): nobody to tell
        with contextlib.suppress(RuntimeError):  # the loop closed: the process is stopping
            loop.call_soon_threadsafe(self.accept, events)

    def accept(self, events: Iterable[PublishedEvent]) -> None:
        """On the loop: take events in any order, deliver whatever is now in sequence."""
        if self.loop is None:
            return  # stopped
        halls: dict[int, None] = {}
        for event in events:
            line = self._line(event.hall_id)
            if line.expected is None or event.seq >= line.expected:
                line.held[event.seq] = event
                halls[event.hall_id] = None
        for hall_id in halls:
            self._drain(hall_id)

    async def watch(self, hall_id: int) -> None:
        """Make sure the hall's place is known; a client calls this before its snapshot."""
        line = self._line(hall_id)
        await line.known.wait()
        if line.expected is None:
            raise LookupError(f"the event sequence of hall {hall_id} could not be read")

    def _line(self, hall_id: int) -> _Line:
        line = self.lines.get(hall_id)
        if line is None:
            line = self._new_line(hall_id)
            self._spawn(self._learn(hall_id, line))
        return line

    def _new_line(self, hall_id: int) -> _Line:
        self.lines[hall_id] = line = _Line()
        return line

    async def _learn(self, hall_id: int, line: _Line) -> None:
        """A hall first seen after startup starts from what the database says."""
        try:
            seq = (await self.blocking(self.read_seqs, [hall_id])).get(hall_id, 0)
        except Exception:
            log.exception("could not read the event sequence of hall %s", hall_id)
            if self.lines.get(hall_id) is line:
                del self.lines[hall_id]  # the next event or client tries again
            line.known.set()
            return
        self._set_start(hall_id, line, seq)

    def _set_start(self, hall_id: int, line: _Line, committed: int) -> None:
        line.expected = committed + 1
        for seq in [s for s in line.held if s < line.expected]:
            del line.held[seq]
        line.known.set()
        self._drain(hall_id)

    def _drain(self, hall_id: int) -> None:
        line = self.lines.get(hall_id)
        if line is None or line.expected is None:
            return
        while line.expected in line.held:
            event = line.held.pop(line.expected)
            line.expected += 1
            line.misses = 0
            try:
                self.deliver(event)
            except Exception:  # one bad event must not stop the hall's stream
                log.exception("could not deliver event %s/%s", hall_id, event.seq)
        if not line.held:
            if line.timer is not None:
                line.timer.cancel()
                line.timer = None
        elif line.timer is None and not line.fetching and self.loop is not None:
            line.timer = self.loop.call_later(self.hold, self._gap_timeout, hall_id)

    def _gap_timeout(self, hall_id: int) -> None:
        line = self.lines.get(hall_id)
        if line is None:
            return
        line.timer = None
        if line.held and not line.fetching:
            self._backfill(hall_id, line, min(line.held) - 1)

    def _backfill(self, hall_id: int, line: _Line, upto: int) -> None:
        line.fetching = True
        self._spawn(self._fetch(hall_id, line, upto))

    async def _fetch(self, hall_id: int, line: _Line, upto: int) -> None:
        """Read the missing events from the outbox and deliver them in order."""
        try:
            while line.expected is not None and line.expected <= upto:
                start = line.expected
                events = await self.blocking(self.read_events, hall_id, start, upto)
                self.accept(events)
                if line.expected == start:  # the outbox does not have it (yet)
                    self._missed(hall_id, line, start)
                    break
        except Exception:
            log.exception("could not read missing events of hall %s", hall_id)
        finally:
            line.fetching = False
            self._drain(hall_id)  # re-arms the timer while a gap is still open

    def _missed(self, hall_id: int, line: _Line, seq: int) -> None:
        line.misses += 1
        if line.misses >= GIVE_UP_AFTER and line.held:
            # Cannot happen with a correct outbox; skipping keeps the hall alive (clients
            # see the gap and resync) instead of holding its events back for good.
            log.error("hall %s: event %s is not in the outbox; skipping to the next", hall_id, seq)
            line.expected = min(line.held)
            line.misses = 0

    async def _watch_tails(self) -> None:
        while True:
            await asyncio.sleep(self.tail)
            try:
                committed = await self.blocking(self.read_seqs, None)
            except Exception:
                log.warning("tail check: could not read the event sequences", exc_info=True)
                continue
            for hall_id, seq in committed.items():
                line = self.lines.get(hall_id)
                if line is None or line.expected is None:
                    continue
                if line.behind is not None and line.expected <= line.behind and not line.fetching:
                    self._backfill(hall_id, line, line.behind)
                line.behind = seq if seq >= line.expected else None

    def _spawn(self, coro: Coroutine) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


class RelayPublisher:
    """The publisher of a single process: hands committed events to its relay."""

    def __init__(self, relay: Relay):
        self.relay = relay

    def publish(self, events: list[PublishedEvent]) -> None:
        self.relay.submit(events)
