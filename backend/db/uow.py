"""Unit of work: one transaction, the events it emits, and its audit entries.

Events get their hall-wide sequence numbers inside the transaction (so they are gap-free and in
commit order), are written to the ``events`` outbox, and are handed to the publisher only after
the commit succeeded.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, TypeVar, cast

from sqlalchemy import CursorResult, Result, Table, bindparam, func, insert, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .engine import Database
from .models import AuditEntry, Event

T = TypeVar("T")


@dataclass(frozen=True)
class PublishedEvent:
    hall_id: int
    seq: int
    type: str
    payload: dict[str, Any]
    at: datetime

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "type": self.type, "at": self.at.isoformat(), "data": self.payload}


class Publisher(Protocol):
    def publish(self, events: list[PublishedEvent]) -> None: ...


@dataclass
class RecordingPublisher:
    """Keeps published events in memory (tests, CLI)."""

    events: list[PublishedEvent] = field(default_factory=list)

    def publish(self, events: list[PublishedEvent]) -> None:
        self.events.extend(events)


@dataclass(frozen=True)
class Actor:
    """Who does something: a staff user, a device, or the command line."""

    label: str
    user_id: int | None = None
    device_id: int | None = None


def rowcount(result: Result[Any]) -> int:
    """Rows an UPDATE or DELETE matched (``Session.execute`` is typed ``Result``; for DML it
    returns a ``CursorResult``)."""
    if not isinstance(result, CursorResult):
        raise TypeError(f"no row count on a {type(result).__name__}")
    return result.rowcount


def upsert(session: Session):
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


class UnitOfWork:
    def __init__(self, db: Database, now: datetime, *, write: bool = True):
        self.db = db
        self.now = now
        self.write = write
        self.session: Session
        self._pending: list[tuple[int, str, dict[str, Any]]] = []
        self.committed_events: list[PublishedEvent] = []
        self._after_commit: list[Callable[[], None]] = []
        self._raised: list[Any] = []  # domain events waiting for the message bus
        self._held: list[Any] = []  # what those events name, kept alive for their handlers

    @property
    def dialect(self) -> str:
        return self.db.dialect

    def __enter__(self) -> UnitOfWork:
        self.session = (self.db.writer if self.write else self.db.reader)()
        return self

    def __exit__(self, *exc) -> None:
        self.session.rollback()
        self.session.close()

    def after_commit(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` once this unit has committed (e.g. to drop a cache entry it changed)."""
        self._after_commit.append(fn)

    def _committed(self) -> None:
        self._held.clear()
        callbacks, self._after_commit = self._after_commit, []
        for fn in callbacks:
            fn()

    def raise_event(self, event: Any, *held: Any) -> None:
        """Record a domain event for the message bus to handle before this unit commits.
        ``held``: the rows (and hall context) the event names by id, kept until the commit so a
        handler finds them in the session instead of reading them again (SQLAlchemy's identity
        map holds unchanged rows only weakly: once the raising service returns they are gone)."""
        self._raised.append(event)
        self._held.extend(held)

    def held(self, kind: type[T]) -> list[T]:
        """What raised events hold of ``kind`` (e.g. the hall context a handler needs)."""
        return [h for h in self._held if isinstance(h, kind)]

    def collect_new_events(self) -> Iterator[Any]:
        """The raised domain events, each once, including those raised while handling them."""
        while self._raised:
            yield self._raised.pop(0)

    def emit(self, hall_id: int, type_: str, payload: dict[str, Any]) -> None:
        self._pending.append((hall_id, type_, payload))

    def audit(
        self,
        hall_id: int | None,
        actor: Actor,
        action: str,
        entity: str,
        entity_id: Any,
        details: dict[str, Any] | None = None,
        request_id: str | None = None,
    ) -> None:
        self.session.execute(
            _INSERT_AUDIT,
            {
                "hall_id": hall_id,
                "at": self.now,
                "actor": actor.label,
                "user_id": actor.user_id,
                "device_id": actor.device_id,
                "action": action,
                "entity": entity,
                "entity_id": str(entity_id),
                "request_id": request_id,
                "details": details or {},
            },
        )

    def commit(self, publisher: Publisher | None = None) -> list[PublishedEvent]:
        """Commit; events get their sequence numbers inside the transaction (gap-free, in commit
        order: SQLite has one writer, PostgreSQL's counter row lock orders committers) and are
        handed to ``publisher`` after the commit. Hand-over order between threads or processes
        need not be commit order: the push relay delivers each hall's events by sequence.
        Domain events nobody handled refuse the commit (a fact must not be silently dropped)."""
        if self._raised:
            names = ", ".join(type(e).__name__ for e in self._raised)
            raise RuntimeError(f"unhandled domain events: {names} (run the message bus first)")
        if not self._pending:
            self.session.commit()
            self._committed()
            return []
        events = self._sequence_events()
        self.session.commit()
        self._pending.clear()
        self.committed_events.extend(events)
        if publisher is not None:
            publisher.publish(events)
        self._committed()
        return events

    def _sequence_events(self) -> list[PublishedEvent]:
        by_hall: dict[int, list[tuple[str, dict]]] = defaultdict(list)
        for hall_id, type_, payload in self._pending:
            by_hall[hall_id].append((type_, payload))
        out: list[PublishedEvent] = []
        write = self._write_pg if self.dialect == "postgresql" else self._write_sqlite
        for hall_id in sorted(by_hall):
            items = by_hall[hall_id]
            seqs = write(hall_id, items)
            out += [
                PublishedEvent(hall_id, seq, t, p, self.now)
                for seq, (t, p) in zip(seqs, items, strict=True)
            ]
        return out

    def _write_pg(self, hall_id: int, items: list[tuple[str, dict]]) -> list[int]:
        """One statement: bump the hall's counter row (its lock orders concurrent commits) and
        write the outbox rows numbered from it."""
        n = len(items)
        stmt = _pg_event_insert(n)
        params: dict[str, Any] = {"hall": hall_id, "n": n, "at": self.now}
        for i, (type_, payload) in enumerate(items, 1):
            params[f"t{i}"] = type_
            params[f"p{i}"] = json.dumps(payload, ensure_ascii=False)
        return sorted(self.session.execute(stmt, params).scalars())

    def _write_sqlite(self, hall_id: int, items: list[tuple[str, dict]]) -> list[int]:
        """SQLite has one writer at a time, so the outbox's highest number is the counter: one
        INSERT … SELECT max(seq) + 1 per event (the primary key makes max an index lookup)."""
        return [
            self.session.execute(
                _INSERT_EVENT_SQLITE,
                {"hall": hall_id, "type": t, "payload": p, "at": self.now},
            ).scalar_one()
            for t, p in items
        ]


@functools.cache
def _pg_event_insert(n: int):
    values = ", ".join(f"({i}, :t{i}, CAST(:p{i} AS JSON))" for i in range(1, n + 1))
    return text(
        "WITH s AS (INSERT INTO event_sequences (hall_id, value) VALUES (:hall, :n) "
        "ON CONFLICT (hall_id) DO UPDATE SET value = event_sequences.value + :n "
        "RETURNING value) "
        "INSERT INTO events (hall_id, seq, type, payload, created_at) "
        "SELECT :hall, s.value - :n + v.ord, v.type, v.payload, :at "
        f"FROM s, (VALUES {values}) AS v(ord, type, payload) RETURNING seq"
    ).bindparams(bindparam("at", type_=Event.created_at.type))


# Hot-path statements, built once (construction and cache keys are most of SQLAlchemy's cost).
# declarative __table__ is a Table; the stubs only promise a FromClause
_INSERT_AUDIT = insert(cast(Table, AuditEntry.__table__))
_events = cast(Table, Event.__table__)
_INSERT_EVENT_SQLITE = (
    insert(_events)
    .from_select(
        ["hall_id", "seq", "type", "payload", "created_at"],
        select(
            bindparam("hall", type_=_events.c.hall_id.type),
            func.coalesce(func.max(_events.c.seq), 0) + 1,
            bindparam("type", type_=_events.c.type.type),
            bindparam("payload", type_=_events.c.payload.type),
            bindparam("at", type_=_events.c.created_at.type),
        ).where(_events.c.hall_id == bindparam("hall")),
    )
    .returning(_events.c.seq)
)


def current_seq(session: Session, hall_id: int) -> int:
    """The hall's last committed event number (0 before the first)."""
    value = session.scalar(select(func.max(Event.seq)).where(Event.hall_id == hall_id))
    return int(value or 0)
