"""Residents' phones watching their own ticket (the /t/<token> page): one room per status token,
``status:<token>``, never a hall room, so a phone hears of nothing but its own ticket.

A phone connects with ``auth = {"status": <token>}`` and gets its ticket's public status (the
same view as GET /api/v1/status/<token>: no personal data, plus the hall's event ``seq`` it
reflects and, for a call or recall, ``alert``) as a ``status`` message, again after
``emit("resync")``, and whenever it changes. What changes a ticket's place is any ticket or
window event of its hall, so the cost is bounded per hall, not per event and phone: the events
of a hall start one refresh after ``settle`` seconds, at most one every ``every`` seconds, which
reads the statuses of the hall's watched tickets in one worker-thread transaction and sends only
those that changed. A call or recall of a watched number is refreshed at once (the phone shows
「请到 3号窗口」 within a read). Refreshes of a hall run one at a time, so each phone receives its
statuses in the order they were read; each carries the hall's event ``seq`` it reflects."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..db.engine import Database
from ..db.models import Ticket
from ..db.uow import PublishedEvent
from ..domain.errors import NotFound
from ..services import tickets
from .publisher import NAMESPACE, URGENT_TYPES
from .status_read import read_statuses

if TYPE_CHECKING:
    from .hub import LiveHub

log = logging.getLogger(__name__)

SETTLE_SECONDS = 0.5  # a burst of events of one hall becomes one refresh
EVERY_SECONDS = 2.0  # at most one hall-wide refresh this often
MAX_PER_HALL = 5000  # watched tickets of one hall in one process (a phone beyond is refused)
MAX_PER_TICKET = 8  # sockets on one ticket (a resident's phone, a relative's, a few reloads)
TOKEN_MAX = 40
MOVES = ("ticket.", "window.")  # event types that can move a ticket's place or wait


def status_room(token: str) -> str:
    return f"status:{token}"


@dataclass
class _Watched:
    number: str
    sids: set[str] = field(default_factory=set)
    last: dict[str, Any] | None = None  # the last status sent (without seq)


@dataclass
class _HallWatch:
    tickets: dict[str, _Watched] = field(default_factory=dict)  # token -> watched
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    timer: asyncio.TimerHandle | None = None
    last_run: float = float("-inf")
    refreshes: int = 0


def find_ticket(db: Database, token: str) -> tuple[int, str] | None:
    """(hall id, number) of a status token's ticket, or None."""
    with db.reader() as session:
        try:
            ticket: Ticket = tickets.latest_leg_by_token(session, token)
        except NotFound:
            return None
        return ticket.hall_id, ticket.number


class StatusWatch:
    def __init__(
        self,
        hub: LiveHub,
        settle: float = SETTLE_SECONDS,
        every: float = EVERY_SECONDS,
        max_per_hall: int = MAX_PER_HALL,
    ):
        self.hub, self.settle, self.every, self.max_per_hall = hub, settle, every, max_per_hall
        self.halls: defaultdict[int, _HallWatch] = defaultdict(_HallWatch)
        self.sids: dict[str, tuple[int, str]] = {}  # sid -> (hall, token)
        self._tasks: set[asyncio.Task] = set()
        self.sent = 0  # status messages emitted (bench and tests)

    # -- sockets -------------------------------------------------------------------------------
    async def connect(self, sid: str, token: Any) -> None:
        from socketio.exceptions import ConnectionRefusedError

        if not isinstance(token, str) or not token or len(token) > TOKEN_MAX:
            raise ConnectionRefusedError("unauthorized: a ticket status token is required")
        hub = self.hub
        try:
            found = await hub.blocking(find_ticket, hub.db, token)
        except Exception as exc:
            log.exception("could not look up a status token")
            raise ConnectionRefusedError("unavailable: try again shortly") from exc
        if found is None:
            raise ConnectionRefusedError("unauthorized: unknown ticket")
        hall_id, number = found
        watch = self.halls[hall_id]
        watched = watch.tickets.get(token)
        if watched is None:
            if len(watch.tickets) >= self.max_per_hall:
                raise ConnectionRefusedError("unavailable: too many phones; the page refreshes")
            watched = watch.tickets[token] = _Watched(number)
        elif len(watched.sids) >= MAX_PER_TICKET:
            raise ConnectionRefusedError("unavailable: this ticket is open on too many screens")
        watched.sids.add(sid)
        self.sids[sid] = (hall_id, token)
        try:
            await hub.sio.enter_room(sid, status_room(token), namespace=NAMESPACE)
            await self.resync(sid)
        except Exception as exc:
            log.exception("live status connect failed")
            self.drop(sid)
            raise ConnectionRefusedError("unavailable: try again shortly") from exc

    def watching(self, sid: str) -> bool:
        return sid in self.sids

    async def resync(self, sid: str) -> None:
        """Send this socket its ticket's status now (connect, wake-up, reconnect)."""
        where = self.sids.get(sid)
        if where is None:
            return
        hall_id, token = where
        watch = self.halls[hall_id]
        async with watch.lock:
            hub = self.hub
            found = await hub.blocking(read_statuses, hub.db, hall_id, [token], hub.clock())
            status = found.get(token)
            if status is not None:
                await hub.sio.emit("status", status, to=sid, namespace=NAMESPACE)
                self.sent += 1
                if token in watch.tickets:
                    watch.tickets[token].last = _without_seq(status)

    def drop(self, sid: str) -> None:
        where = self.sids.pop(sid, None)
        if where is None:
            return
        hall_id, token = where
        watch = self.halls.get(hall_id)
        watched = watch.tickets.get(token) if watch else None
        if watch is None or watched is None:
            return
        watched.sids.discard(sid)
        if not watched.sids:
            del watch.tickets[token]
            if not watch.tickets and watch.timer is not None:
                watch.timer.cancel()
                watch.timer = None

    def count(self) -> int:
        return len(self.sids)

    # -- events (on the loop, from the relay, in seq order) -------------------------------------
    def on_event(self, event: PublishedEvent) -> None:
        watch = self.halls.get(event.hall_id)
        if watch is None or not watch.tickets or not event.type.startswith(MOVES):
            return
        if event.type in URGENT_TYPES:
            number = event.payload.get("number") if isinstance(event.payload, dict) else None
            mine = [t for t, w in watch.tickets.items() if w.number == number]
            if mine:
                alert = "recalled" if event.type == "ticket.recalled" else "called"
                self._spawn(self._refresh(event.hall_id, mine, alert))
        self._schedule(event.hall_id, watch)

    def _schedule(self, hall_id: int, watch: _HallWatch) -> None:
        if watch.timer is not None:
            return
        loop = asyncio.get_running_loop()
        due = max(loop.time() + self.settle, watch.last_run + self.every)
        watch.timer = loop.call_at(due, self._due, hall_id)

    def _due(self, hall_id: int) -> None:
        watch = self.halls.get(hall_id)
        if watch is None:
            return
        watch.timer = None
        watch.last_run = asyncio.get_running_loop().time()
        if watch.tickets:
            self._spawn(self._refresh(hall_id, None))

    async def _refresh(
        self, hall_id: int, tokens: list[str] | None, alert: str | None = None
    ) -> None:
        """Read the statuses of ``tokens`` (None: every watched ticket of the hall) and send the
        ones that changed to their rooms; with ``alert`` (a call or recall of these numbers) a
        called ticket's status is sent even if unchanged (a recall), marked ``alert``."""
        watch = self.halls[hall_id]
        hub = self.hub
        async with watch.lock:
            wanted = list(watch.tickets) if tokens is None else tokens
            if not wanted:
                return
            watch.refreshes += 1
            try:
                found = await hub.blocking(read_statuses, hub.db, hall_id, wanted, hub.clock())
            except Exception:
                log.exception("could not read the ticket statuses of hall %s", hall_id)
                return
            for token, status in found.items():
                watched = watch.tickets.get(token)
                if watched is None or status is None:
                    continue
                plain = _without_seq(status)
                ring = alert is not None and status.get("state") == "called"
                if plain == watched.last and not ring:
                    continue
                if ring:
                    status = status | {"alert": alert}
                watched.last = plain
                watched.number = status.get("number", watched.number)
                await hub.sio.emit("status", status, to=status_room(token), namespace=NAMESPACE)
                self.sent += 1

    def _spawn(self, coro) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def stop(self) -> None:
        for watch in self.halls.values():
            if watch.timer is not None:
                watch.timer.cancel()
                watch.timer = None
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)


def _without_seq(status: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in status.items() if k != "seq"}


def deliver_both(*targets: Callable[[PublishedEvent], None]) -> Callable[[PublishedEvent], None]:
    """One relay delivery to several consumers; one failing does not stop the others."""

    def deliver(event: PublishedEvent) -> None:
        for target in targets:
            try:
                target(event)
            except Exception:
                log.exception("could not deliver event %s/%s", event.hall_id, event.seq)

    return deliver
