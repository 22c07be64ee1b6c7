"""Unit of work: one transaction, the events it emits, and its audit entries.

Events get their hall-wide sequence numbers inside the transaction (so they are gap-free and in
commit order), are written to the ``events`` outbox, and are handed to the publisher only after
the commit succeeded.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .engine import Database
from .models import AuditEntry, Event, EventSequence


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


_PUBLISH_ORDER = threading.Lock()


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

    @property
    def dialect(self) -> str:
        return self.db.dialect

    def __enter__(self) -> UnitOfWork:
        self.session = (self.db.writer if self.write else self.db.reader)()
        return self

    def __exit__(self, *exc) -> None:
        self.session.rollback()
        self.session.close()

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
        self.session.add(
            AuditEntry(
                hall_id=hall_id,
                at=self.now,
                actor=actor.label,
                user_id=actor.user_id,
                device_id=actor.device_id,
                action=action,
                entity=entity,
                entity_id=str(entity_id),
                request_id=request_id,
                details=details or {},
            )
        )

    def commit(self, publisher: Publisher | None = None) -> list[PublishedEvent]:
        """Commit; events get their sequence numbers inside the transaction and go to
        ``publisher`` after the commit. Within a process, numbering, commit and publishing happen
        under one lock, so clients receive each hall's events in sequence order (across processes
        the sequence row lock orders commits, and clients resync on a gap)."""
        if not self._pending:
            self.session.commit()
            return []
        with _PUBLISH_ORDER:
            events = self._sequence_events()
            self.session.commit()
            self._pending.clear()
            self.committed_events.extend(events)
            if publisher is not None:
                publisher.publish(events)
        return events

    def _sequence_events(self) -> list[PublishedEvent]:
        by_hall: dict[int, list[tuple[str, dict]]] = defaultdict(list)
        for hall_id, type_, payload in self._pending:
            by_hall[hall_id].append((type_, payload))
        out: list[PublishedEvent] = []
        insert = upsert(self.session)
        for hall_id in sorted(by_hall):
            items = by_hall[hall_id]
            stmt = (
                insert(EventSequence)
                .values(hall_id=hall_id, value=len(items))
                .on_conflict_do_update(
                    index_elements=["hall_id"], set_={"value": EventSequence.value + len(items)}
                )
                .returning(EventSequence.value)
            )
            last = self.session.execute(stmt).scalar_one()
            for offset, (type_, payload) in enumerate(items):
                seq = last - len(items) + 1 + offset
                self.session.add(
                    Event(
                        hall_id=hall_id, seq=seq, type=type_, payload=payload, created_at=self.now
                    )
                )
                out.append(PublishedEvent(hall_id, seq, type_, payload, self.now))
        self.session.flush()
        return out


def current_seq(session: Session, hall_id: int) -> int:
    value = session.scalar(select(EventSequence.value).where(EventSequence.hall_id == hall_id))
    return int(value or 0)
