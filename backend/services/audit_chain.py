"""Seal the audit log into per-hall hash chains after the fact, and verify them.

Requests only append to ``audit_log``; the sealer (a periodic job, and ``onestop audit verify``)
later appends one ``audit_seals`` row per entry, in id order within each batch. The chain order
is seal order: on PostgreSQL an entry with a lower id can become visible after a higher one was
sealed, and then simply gets the hall's next chain number. Two sealers racing cannot fork a
chain: (hall, seq) and the audit id are unique, so the loser's batch fails and is retried.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, exists, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..db.engine import Database
from ..db.models import AuditEntry, AuditSeal, Hall
from ..db.uow import UnitOfWork
from ..domain.auditchain import (
    FIELDS,
    GENESIS,
    NO_HALL,
    Break,
    ChainResult,
    Seal,
    extend,
    hall_key,
    verify_chain,
)
from ..domain.errors import NotFound

log = logging.getLogger("onestop.audit")

BATCH = 500
LOOKBACK_IDS = 10_000  # the periodic job looks this far below the highest sealed id
CONFLICT_RETRIES = 20
# declarative __table__ is a Table; the stubs only promise a FromClause
_audit = cast(Table, AuditEntry.__table__)
_seals = cast(Table, AuditSeal.__table__)


def _entry(row: Any) -> dict[str, Any]:
    return {name: getattr(row, name) for name in FIELDS}


def _unsealed(session: Session, limit: int, lookback: int | None):
    stmt = (
        select(_audit)
        .where(~exists().where(_seals.c.audit_id == _audit.c.id))
        .order_by(_audit.c.id)
        .limit(limit)
    )
    if lookback is not None:
        top = session.scalar(select(func.max(_seals.c.audit_id)))
        if top is not None:
            stmt = stmt.where(_audit.c.id > top - lookback)
    return session.execute(stmt).all()


def _head(session: Session, key: int) -> tuple[int, str]:
    row = session.execute(
        select(_seals.c.seq, _seals.c.hash)
        .where(_seals.c.hall_key == key)
        .order_by(_seals.c.seq.desc())
        .limit(1)
    ).first()
    return (row.seq, row.hash) if row else (0, GENESIS)


def has_unsealed(db: Database, lookback: int | None = None) -> bool:
    """A read: is there anything to seal? (So an idle log never takes the writer.)"""
    with db.reader() as session:
        return bool(_unsealed(session, 1, lookback))


def _seal_batch(db: Database, now: datetime, batch: int, lookback: int | None) -> int:
    with UnitOfWork(db, now) as uow:
        rows = _unsealed(uow.session, batch, lookback)
        by_hall: dict[int, list[dict[str, Any]]] = {}
        for row in rows:
            by_hall.setdefault(hall_key(row.hall_id), []).append(_entry(row))
        seals = [
            {"hall_key": key, "seq": seq, "audit_id": e["id"], "hash": digest, "sealed_at": now}
            for key, entries in by_hall.items()
            for e, (seq, digest) in zip(
                entries, extend(_head(uow.session, key), entries), strict=True
            )
        ]
        if seals:
            uow.session.execute(insert(_seals), seals)
        uow.commit()
        return len(rows)


def seal_pending(
    db: Database, now: datetime, *, batch: int = BATCH, lookback: int | None = None
) -> int:
    """Seal every entry not sealed yet, a batch per transaction; returns how many. ``lookback``
    limits the search to ids above the highest sealed id minus ``lookback`` (the periodic job);
    None searches the whole log."""
    if not has_unsealed(db, lookback):
        return 0
    total = conflicts = 0
    while True:
        try:
            sealed = _seal_batch(db, now, batch, lookback)
        except IntegrityError:  # another sealer extended the chain first: re-read its head
            conflicts += 1
            if conflicts > CONFLICT_RETRIES:
                raise
            log.info("audit sealing raced another sealer; retrying")
            continue
        total += sealed
        if sealed < batch:
            return total


# --- verification ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainReport:
    key: int
    hall: str  # the hall's code, "" for the chain of entries without a hall
    result: ChainResult
    unsealed: int  # entries not sealed yet (recent ones are normal between sealer runs)
    stale: Break | None  # the oldest entry left unsealed for too long

    @property
    def broken(self) -> Break | None:
        return self.result.broken or self.stale


def _links(session: Session, key: int, chunk: int = 1000) -> Iterator[tuple[Seal, Any]]:
    after = 0
    while True:
        seals = session.execute(
            select(_seals.c.seq, _seals.c.audit_id, _seals.c.hash)
            .where(_seals.c.hall_key == key, _seals.c.seq > after)
            .order_by(_seals.c.seq)
            .limit(chunk)
        ).all()
        if not seals:
            return
        ids = {s.audit_id for s in seals}
        rows = {
            r.id: _entry(r) for r in session.execute(select(_audit).where(_audit.c.id.in_(ids)))
        }
        for s in seals:
            yield Seal(s.seq, s.audit_id, s.hash), rows.get(s.audit_id)
        after = seals[-1].seq


def _hall_filter(key: int):
    return _audit.c.hall_id.is_(None) if key == NO_HALL else _audit.c.hall_id == key


def _stale(session: Session, key: int, now: datetime, minutes: float) -> tuple[int, Break | None]:
    unsealed = ~exists().where(_seals.c.audit_id == _audit.c.id)
    count = session.scalar(select(func.count()).where(_hall_filter(key), unsealed))
    if not count:
        return 0, None
    oldest = session.execute(
        select(_audit.c.id, _audit.c.at)
        .where(_hall_filter(key), unsealed)
        .order_by(_audit.c.at, _audit.c.id)
        .limit(1)
    ).first()
    if oldest is None or oldest.at >= now - timedelta(minutes=minutes):  # None: sealed meanwhile
        return count, None
    detail = f"{count} 条未封印 / unsealed, 最早 / oldest {oldest.at.isoformat()}"
    return count, Break(None, oldest.id, "unsealed", detail)


def verify(
    db: Database, now: datetime, hall: str | None = None, unsealed_minutes: float = 10
) -> list[ChainReport]:
    """Recompute every chain (or one hall's) from the live audit rows."""
    with db.reader() as session:
        codes = dict(session.execute(select(Hall.id, Hall.code)).tuples().all())
        if hall is not None:
            keys = [k for k, c in codes.items() if c == hall]
            if not keys:
                raise NotFound("hall_not_found", f"大厅不存在 / no hall {hall}")
        else:
            sealed = set(session.scalars(select(_seals.c.hall_key).distinct()))
            hall_less = session.scalar(select(exists().where(_audit.c.hall_id.is_(None))))
            keys = sorted(set(codes) | sealed | ({NO_HALL} if hall_less else set()))
        reports = []
        for key in keys:
            result = verify_chain(_links(session, key))
            unsealed, stale = _stale(session, key, now, unsealed_minutes)
            reports.append(ChainReport(key, codes.get(key, ""), result, unsealed, stale))
        return reports
