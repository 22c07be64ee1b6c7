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
statuses in the order they were read; each carries the hall's event ``seq`` it reflects.

The case accepted from the ticket is followed too: on connect and resync the phone gets a
``case`` message (``{"version", "case"}``: the public view the /t/ page shows, see
``status_read.read_cases``), again whenever that view changes. What changes it is a ``case.`` or
``referral.`` event of any hall on the case's way: its own hall and, once it is referred (上报/
交办), the receiving hall(s); so a phone in the town hears the county accept its matter and the
county's case change. Those events are rare: one read per ``settle`` for every phone concerned.
A phone hears of no other case, and of no event as such."""

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
from .status_read import read_cases, read_statuses

if TYPE_CHECKING:
    from .hub import LiveHub

log = logging.getLogger(__name__)

SETTLE_SECONDS = 0.5  # a burst of events of one hall becomes one refresh
EVERY_SECONDS = 2.0  # at most one hall-wide refresh this often
MAX_PER_HALL = 5000  # watched tickets of one hall in one process (a phone beyond is refused)
MAX_PER_TICKET = 8  # sockets on one ticket (a resident's phone, a relative's, a few reloads)
TOKEN_MAX = 40
MOVES = ("ticket.", "window.")  # event types that can move a ticket's place or wait
CASE_MOVES = ("case.", "referral.")  # event types that can change a watched case


def status_room(token: str) -> str:
    return f"status:{token}"


@dataclass
class _Watched:
    number: str
    sids: set[str] = field(default_factory=set)
    last: dict[str, Any] | None = None  # the last status sent (without seq)
    case_version: str | None = None  # the version of the last case message sent
    case_halls: dict[int, frozenset[str]] = field(default_factory=dict)  # see CaseRead.halls


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
        # the halls a watched case's events come from -> the (ticket hall, token)s to refresh
        self.case_watch: defaultdict[int, set[tuple[int, str]]] = defaultdict(set)
        self._case_due: set[tuple[int, str]] = set()  # to refresh at the next case timer
        self._case_timer: asyncio.TimerHandle | None = None
        self._case_lock = asyncio.Lock()
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
        async with self._case_lock:
            cases = await hub.blocking(read_cases, hub.db, [token])
            case = cases.get(token)
            watched = watch.tickets.get(token)
            if watched is None or self.sids.get(sid) != where:
                return
            if case is None:  # none yet: the ticket's hall may accept one
                self._follow(hall_id, token, watched, {hall_id: frozenset()})
                return
            self._follow(hall_id, token, watched, case.halls)
            watched.case_version = case.version
            await hub.sio.emit("case", case.message(), to=sid, namespace=NAMESPACE)
            self.sent += 1

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
            self._unfollow(hall_id, token, watched)
            del watch.tickets[token]
            if not watch.tickets and watch.timer is not None:
                watch.timer.cancel()
                watch.timer = None

    def count(self) -> int:
        return len(self.sids)

    # -- events (on the loop, from the relay, in seq order) -------------------------------------
    def on_event(self, event: PublishedEvent) -> None:
        if event.type.startswith(CASE_MOVES) and event.hall_id in self.case_watch:
            self._case_event(event)
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

    # -- cases (a watched ticket's case, wherever it went) ----------------------------------------
    def _follow(
        self, hall_id: int, token: str, watched: _Watched, halls: dict[int, frozenset[str]]
    ) -> None:
        """Hear the events of every hall on the case's way (the way grows as it is referred)."""
        for old in set(watched.case_halls) - set(halls):
            self._forget(old, (hall_id, token))
        watched.case_halls = dict(halls)
        for hall in halls:
            self.case_watch[hall].add((hall_id, token))

    def _unfollow(self, hall_id: int, token: str, watched: _Watched) -> None:
        for hall in watched.case_halls:
            self._forget(hall, (hall_id, token))
        watched.case_halls = {}
        self._case_due.discard((hall_id, token))

    def _forget(self, hall: int, key: tuple[int, str]) -> None:
        keys = self.case_watch.get(hall)
        if keys is not None:
            keys.discard(key)
            if not keys:
                del self.case_watch[hall]

    def _case_event(self, event: PublishedEvent) -> None:
        """A case or referral event of a hall some watched case went through: refresh the cases
        it can be about (a referral event: every case there; a case event: the case it names)."""
        payload = event.payload if isinstance(event.payload, dict) else {}
        named = payload.get("case")
        number = named.get("number") if isinstance(named, dict) else named
        any_case = event.type.startswith("referral.") or "referral" in payload or not number
        for key in list(self.case_watch.get(event.hall_id, ())):
            watch = self.halls.get(key[0])
            watched = watch.tickets.get(key[1]) if watch else None
            if watched is None:
                continue
            if watched.case_version is None:  # no case yet: only an acceptance can bring one
                if event.type == "case.accepted":
                    self._case_due.add(key)
            elif any_case or number in watched.case_halls.get(event.hall_id, ()):
                self._case_due.add(key)
        if self._case_due and self._case_timer is None:
            loop = asyncio.get_running_loop()
            self._case_timer = loop.call_later(self.settle, self._cases_due)

    def _cases_due(self) -> None:
        self._case_timer = None
        due, self._case_due = self._case_due, set()
        if due:
            self._spawn(self._refresh_cases(due))

    async def _refresh_cases(self, keys: set[tuple[int, str]]) -> None:
        """Read the cases of these watched tickets and send those that changed to their rooms
        (one at a time, so a phone gets its case messages in the order they were read)."""
        hub = self.hub
        async with self._case_lock:
            tokens = [token for _hall, token in keys]
            try:
                found = await hub.blocking(read_cases, hub.db, tokens)
            except Exception:
                log.exception("could not read the cases of %d watched tickets", len(tokens))
                return
            for hall_id, token in keys:
                watch = self.halls.get(hall_id)
                watched = watch.tickets.get(token) if watch else None
                case = found.get(token)
                if watched is None or case is None:
                    continue
                self._follow(hall_id, token, watched, case.halls)
                if case.version == watched.case_version:
                    continue
                watched.case_version = case.version
                await hub.sio.emit(
                    "case", case.message(), to=status_room(token), namespace=NAMESPACE
                )
                self.sent += 1

    def _spawn(self, coro) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def stop(self) -> None:
        if self._case_timer is not None:
            self._case_timer.cancel()
            self._case_timer = None
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
