"""Read side of the queue: waiting entries, positions, estimated waits and the hall snapshot."""

from __future__ import annotations

import functools
import time
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, case, func, or_, select, union_all
from sqlalchemy.orm import Session

from ..db.models import ServiceItem, Ticket, User, Window
from ..db.uow import current_seq
from ..domain.estimate import estimate_wait_minutes
from ..domain.numbering import local_day
from ..domain.queue_policy import QueueEntry
from ..domain.tickets import Priority
from .halls import HallContext


def entry_of(ticket: Ticket) -> QueueEntry:
    return QueueEntry(
        ticket_id=ticket.id,
        item_code=ticket.item.code,
        priority=Priority(ticket.priority),
        waiting_since=ticket.waiting_since,
        queue_key=ticket.queue_key,
        target_window=ticket.target_window,
        number=ticket.number,
    )


def _waiting_line(by_item: bool):
    stmt = (
        select(
            Ticket.id,
            ServiceItem.code,
            Ticket.priority,
            Ticket.waiting_since,
            Ticket.queue_key,
            Ticket.target_window,
            Ticket.number,
        )
        .join(ServiceItem, Ticket.item_id == ServiceItem.id)
        .where(Ticket.hall_id == bindparam("hall"), Ticket.state == "waiting")
    )
    if by_item:
        stmt = stmt.where(ServiceItem.code.in_(bindparam("codes", expanding=True)))
    return stmt


_LINE, _LINE_OF_ITEMS = _waiting_line(False), _waiting_line(True)


def waiting_entries(
    session: Session, hall_id: int, item_codes: list[str] | None = None
) -> list[QueueEntry]:
    """The waiting line as plain entries: only the columns the calling policy reads (a long
    line is read on every call, so no ORM objects are built)."""
    if item_codes is None:
        rows = session.execute(_LINE, {"hall": hall_id})
    else:
        rows = session.execute(_LINE_OF_ITEMS, {"hall": hall_id, "codes": list(item_codes)})
    return [_entry(row) for row in rows]


def _entry(row) -> QueueEntry:
    """A row of (id, item code, priority, waiting since, queue key, target window, number)."""
    return QueueEntry(
        ticket_id=row[0],
        item_code=row[1],
        priority=Priority(row[2]),
        waiting_since=row[3],
        queue_key=row[4],
        target_window=row[5],
        number=row[6],
    )


def call_candidates(
    session: Session,
    ctx: HallContext,
    window_number: int,
    item_codes: list[str],
    now: datetime,
    limit: int,
) -> list[QueueEntry]:
    """The waiting tickets a window could call first, however long the line: everything
    transferred to it, the ``limit`` longest-waiting past the aging limit, and the ``limit``
    first of each of its items by class and queue key. ``calling_order`` over these gives the
    same first ``limit`` tickets as over the whole line (the aged and each item's first come
    first in the policy, and each is ordered here as the policy orders it)."""
    stmt = _candidates(len(item_codes), ctx.policy.class_order, limit)
    params: dict[str, Any] = {
        "hall": ctx.id,
        "window": window_number,
        "codes": list(item_codes),
        "aged_before": now - timedelta(minutes=ctx.policy.aging_limit_minutes),
    }
    params |= {f"code{i}": code for i, code in enumerate(item_codes)}
    seen: dict[int, QueueEntry] = {}
    for row in session.execute(stmt, params):
        if row[0] not in seen:
            seen[row[0]] = _entry(row)
    return list(seen.values())


@functools.cache
def _candidates(items: int, class_order: tuple[Priority, ...], limit: int):
    """UNION ALL of the targeted, the aged and each item's first ``limit`` (built once per
    number of items, class order and limit)."""
    t = Ticket.__table__.c
    columns = (t.id, ServiceItem.code, t.priority, t.waiting_since, t.queue_key, t.target_window)
    rank = case(
        {p.value: i for i, p in enumerate(class_order)}, value=t.priority, else_=len(class_order)
    )
    window = bindparam("window")

    def waiting():
        return (
            select(*columns, t.number)
            .select_from(Ticket.__table__)
            .join(ServiceItem, t.item_id == ServiceItem.id)
            .where(t.hall_id == bindparam("hall"), t.state == "waiting")
        )

    serves = and_(
        ServiceItem.code.in_(bindparam("codes", expanding=True)),
        or_(t.target_window.is_(None), t.target_window == window),
    )
    parts = [
        waiting().where(t.target_window == window),
        waiting()
        .where(serves, t.waiting_since <= bindparam("aged_before"))
        .order_by(t.waiting_since, t.queue_key, t.id)
        .limit(limit),
    ]
    for i in range(items):
        parts.append(
            waiting()
            .where(ServiceItem.code == bindparam(f"code{i}"), serves)
            .order_by(rank, t.queue_key, t.id)
            .limit(limit)
        )
    return union_all(*(select(part.subquery()) for part in parts))


def open_windows_serving(session: Session, hall_id: int, item_code: str) -> tuple[int, list[int]]:
    """(open windows serving the item, ids of every window serving it)."""
    windows = session.scalars(select(Window).where(Window.hall_id == hall_id, Window.active)).all()
    serving = [w for w in windows if item_code in (w.item_codes or [])]
    return sum(1 for w in serving if w.state == "open"), [w.id for w in serving]


def recent_service_seconds(session: Session, window_ids: list[int], limit: int) -> list[float]:
    """Durations of the latest finished services at these windows (any item)."""
    if not window_ids:
        return []
    rows = session.execute(
        select(Ticket.started_at, Ticket.ended_at)
        .where(
            Ticket.window_id.in_(window_ids),
            Ticket.state == "finished",
            Ticket.started_at.is_not(None),
        )
        .order_by(Ticket.ended_at.desc())
        .limit(limit)
    ).all()
    return [(end - start).total_seconds() for start, end in rows if end and start]


# Recent service durations per (hall, windows), kept for a short while: every ticket issued reads
# them, and they change only when a service finishes (which clears the hall's entries here; a
# finish in another process shows up within RECENT_TTL seconds).
RECENT_TTL = 30.0
_recent: dict[tuple[int, tuple[int, ...]], tuple[float, list[float]]] = {}


def forget_recent_services(hall_id: int) -> None:
    for key in [k for k in _recent if k[0] == hall_id]:
        _recent.pop(key, None)


def _recent_at(session: Session, ctx: HallContext, numbers: list[int]) -> list[float]:
    key = (ctx.id, tuple(numbers))
    cached = _recent.get(key)
    if cached is not None and time.monotonic() - cached[0] < RECENT_TTL:
        return cached[1]
    rows = session.execute(
        select(Ticket.started_at, Ticket.ended_at)
        .join(Window, Ticket.window_id == Window.id)
        .where(
            Window.hall_id == ctx.id,
            Window.number.in_(numbers),
            Ticket.state == "finished",
            Ticket.started_at.is_not(None),
        )
        .order_by(Ticket.ended_at.desc())
        .limit(ctx.config.queue.recent_services)
    ).all()
    durations = [(end - start).total_seconds() for start, end in rows if end and start]
    _recent[key] = (time.monotonic(), durations)
    return durations


def estimate_for(
    session: Session,
    ctx: HallContext,
    *,
    item_id: int,
    item_code: str,
    service_minutes: float,
    ticket_id: int,
    priority: str,
    queue_key: int,
) -> dict[str, int]:
    """People ahead of a waiting ticket in its item's line, and the minutes that means: two
    counts in one statement (the line before the ticket by the policy's ``line_key``, and the
    open windows serving the item), never the line itself."""
    numbers = ctx.windows_serving(item_code)
    params = {
        "hall": ctx.id,
        "item": item_id,
        "ticket": ticket_id,
        "rank": ctx.policy.class_rank(priority),
        "key": queue_key,
        "numbers": numbers,
    }
    people, open_count = session.execute(_ahead_and_open(ctx.policy.class_order), params).one()
    recent = _recent_at(session, ctx, numbers) if people else []
    default = service_minutes or ctx.config.queue.default_service_minutes
    return {
        "people_ahead": people,
        "estimated_wait_minutes": estimate_wait_minutes(people, recent, open_count, default),
    }


@functools.cache
def _ahead_and_open(class_order: tuple[Priority, ...]):
    """The statement behind ``estimate_for``, built once per class order."""
    t, w = Ticket.__table__.c, Window.__table__.c
    rank = case(
        {p.value: i for i, p in enumerate(class_order)}, value=t.priority, else_=len(class_order)
    )
    mine, key, me = bindparam("rank"), bindparam("key"), bindparam("ticket")
    before = or_(
        rank < mine,
        and_(rank == mine, or_(t.queue_key < key, and_(t.queue_key == key, t.id < me))),
    )
    ahead = select(func.count()).where(
        t.hall_id == bindparam("hall"),
        t.state == "waiting",
        t.item_id == bindparam("item"),
        t.id != me,
        before,
    )
    open_windows = select(func.count()).where(
        w.hall_id == bindparam("hall"),
        w.active,
        w.state == "open",
        w.number.in_(bindparam("numbers", expanding=True)),
    )
    return select(ahead.scalar_subquery(), open_windows.scalar_subquery())


def wait_estimate(session: Session, ctx: HallContext, ticket: Ticket) -> dict[str, int]:
    """The estimate for a waiting ticket row (status page, re-queue)."""
    return estimate_for(
        session,
        ctx,
        item_id=ticket.item_id,
        item_code=ticket.item.code,
        service_minutes=ticket.item.service_minutes,
        ticket_id=ticket.id,
        priority=ticket.priority,
        queue_key=ticket.queue_key,
    )


def snapshot(session: Session, ctx: HallContext, now: datetime) -> dict[str, Any]:
    """Everything a display, board or counter needs to draw the hall, with the event sequence it
    is consistent with (read in the same transaction)."""
    seq = current_seq(session, ctx.id)
    items = session.scalars(
        select(ServiceItem).where(ServiceItem.hall_id == ctx.id, ServiceItem.active)
    ).all()
    waiting = session.execute(
        select(ServiceItem.code, func.count(Ticket.id), func.min(Ticket.waiting_since))
        .join(Ticket, Ticket.item_id == ServiceItem.id)
        .where(Ticket.hall_id == ctx.id, Ticket.state == "waiting")
        .group_by(ServiceItem.code)
    ).all()
    by_item = {code: (count, oldest) for code, count, oldest in waiting}
    windows = session.scalars(
        select(Window).where(Window.hall_id == ctx.id, Window.active).order_by(Window.number)
    ).all()
    current_ids = [w.current_ticket_id for w in windows if w.current_ticket_id]
    current = (
        {t.id: t for t in session.scalars(select(Ticket).where(Ticket.id.in_(current_ids)))}
        if current_ids
        else {}
    )
    clerk_ids = [w.clerk_id for w in windows if w.clerk_id]
    clerks = (
        {u.id: u.display_name for u in session.scalars(select(User).where(User.id.in_(clerk_ids)))}
        if clerk_ids
        else {}
    )
    return {
        "seq": seq,
        "hall": ctx.code,
        "at": now.isoformat(),
        "day": local_day(now, ctx.timezone).isoformat(),
        "items": [
            {
                "code": i.code,
                "name": {"zh": i.name_zh, "en": i.name_en},
                "department": i.department.code,
                "prefix": i.prefix,
                "waiting": by_item.get(i.code, (0, None))[0],
                "longest_wait_minutes": _minutes(now, by_item.get(i.code, (0, None))[1]),
            }
            for i in items
        ],
        "windows": [
            window_view(w, current.get(w.current_ticket_id), clerks.get(w.clerk_id), now)
            for w in windows
        ],
        "waiting_total": sum(c for c, _ in by_item.values()),
    }


def window_view(
    w: Window, ticket: Ticket | None, clerk: str | None, now: datetime
) -> dict[str, Any]:
    """A window as staff screens show it; ``clerk`` is the signed-in clerk's display name."""
    return {
        "number": w.number,
        "name": {"zh": w.name_zh, "en": w.name_en},
        "area": w.area,
        "state": w.state,
        "state_since": w.state_since.isoformat() if w.state_since else None,
        "pause_reason": w.pause_reason,
        "clerk": clerk,
        "items": w.item_codes,
        "current": ticket_brief(ticket) if ticket else None,
    }


def ticket_brief(t: Ticket) -> dict[str, Any]:
    """A ticket as public screens may show it: number and item, nothing about the person."""
    return {
        "id": t.id,
        "number": t.number,
        "item": t.item.code,
        "item_name": {"zh": t.item.name_zh, "en": t.item.name_en},
        "state": t.state,
        "priority": t.priority,
        "call_count": t.call_count,
        "called_at": t.called_at.isoformat() if t.called_at else None,
        "started_at": t.started_at.isoformat() if t.started_at else None,
    }


def _minutes(now: datetime, since: datetime | None) -> int:
    return int((now - since).total_seconds() // 60) if since else 0
