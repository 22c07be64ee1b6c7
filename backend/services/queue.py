"""Read side of the queue: waiting entries, call candidates, the wait estimate (people ahead and
minutes by the calling policy) and the hall snapshot."""

from __future__ import annotations

import functools
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import (
    BigInteger,
    BindParameter,
    Integer,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal_column,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from ..db.models import ServiceItem, Ticket, User, Window
from ..db.types import UTCDateTime
from ..db.uow import current_seq
from ..domain.estimate import (
    Forecast,
    ServiceTime,
    StaffedWindow,
    forecast,
    forecasts,
    free_at,
    typical_service_seconds,
)
from ..domain.numbering import local_day
from ..domain.queue_policy import TIEBREAK_SLOTS, QueueEntry, queue_key_for
from ..domain.tickets import Priority, TicketState
from ..domain.windows import WindowState
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
        slot_start=ticket.slot_start,
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
            Ticket.slot_start,
        )
        .join(ServiceItem, Ticket.item_id == ServiceItem.id)
        .where(Ticket.hall_id == bindparam("hall"), Ticket.state == TicketState.WAITING)
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
    """A row of (id, item code, priority, waiting since, queue key, target window, number,
    slot start)."""
    return QueueEntry(
        ticket_id=row[0],
        item_code=row[1],
        priority=Priority(row[2]),
        waiting_since=row[3],
        queue_key=row[4],
        target_window=row[5],
        number=row[6],
        slot_start=row[7],
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
    first in the policy, and each is ordered here as the policy orders it; slotted appointments,
    whose class changes at their slot start, are ordered as before their slot, and the
    ``limit`` first of each item whose slot has begun are added)."""
    stmt = _candidates(len(item_codes), ctx.policy.class_order, limit)
    params: dict[str, Any] = {
        "hall": ctx.id,
        "window": window_number,
        "codes": list(item_codes),
        "aged_before": now - timedelta(minutes=ctx.policy.aging_limit_minutes),
        "now": now,
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
        (t.slot_start.is_not(None), class_order.index(Priority.NORMAL)),
        else_=case(
            {p.value: i for i, p in enumerate(class_order)},
            value=t.priority,
            else_=len(class_order),
        ),
    )
    window: BindParameter[int] = bindparam("window")

    def waiting():
        return (
            select(*columns, t.number, t.slot_start)
            .select_from(Ticket.__table__)
            .join(ServiceItem, t.item_id == ServiceItem.id)
            .where(t.hall_id == bindparam("hall"), t.state == TicketState.WAITING)
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
        parts.append(
            waiting()
            .where(
                ServiceItem.code == bindparam(f"code{i}"),
                serves,
                t.slot_start.is_not(None),
                t.slot_start <= bindparam("now"),
            )
            .order_by(t.queue_key, t.id)
            .limit(limit)
        )
    return union_all(*(select(part.subquery()) for part in parts))


# --- the estimate: the calling policy run over the line (backend/domain/estimate.py) ---

# At most this many waiting tickets of a ticket's item group are read for its estimate, the
# earliest in queue order. Only tickets of items linked to its item through the windows can be
# called before it (HallContext.item_groups), so the bound bites only when more than this many
# wait in one group: the latest arrivals are then left out, which leaves the estimate of the
# tickets at the front exact and may shorten it for those near the back.
LINE_LIMIT = 1000
PRIORITY_OF = {p.value: p for p in Priority}  # a dict lookup per row, not an enum call
RECENT_DAYS = 7  # service durations are taken from tickets of the last week


@dataclass(frozen=True)
class HallNow:
    """The waiting line of an item group and the staffed windows, read in one statement."""

    line: list[QueueEntry]
    busy: dict[int, tuple[str | None, datetime | None]]  # staffed window -> current item, since
    states: dict[int, str]  # staffed window -> open | paused


def hall_now(session: Session, ctx: HallContext, item_code: str) -> HallNow:
    codes = sorted(ctx.item_groups.get(item_code, frozenset({item_code})))
    line: list[QueueEntry] = []
    busy: dict[int, tuple[str | None, datetime | None]] = {}
    states: dict[int, str] = {}
    for kind, ident, code, text, since, key, target, slot in session.execute(
        _line_and_windows(), {"hall": ctx.id, "codes": codes}
    ):
        if kind == "t":
            line.append(
                QueueEntry(ident, code, PRIORITY_OF[text], since, key, target, slot_start=slot)
            )
        else:
            busy[ident], states[ident] = (code, since), text
    return HallNow(line, busy, states)


@functools.cache
def _line_and_windows():
    """UNION ALL of the group's waiting line (first LINE_LIMIT in queue order) and the staffed
    windows with the item and start of their current service."""
    t, w, si = Ticket.__table__.c, Window.__table__.c, ServiceItem.__table__.c
    line = (
        select(
            literal_column("'t'").label("kind"),
            t.id,
            si.code,
            t.priority,
            t.waiting_since,
            t.queue_key,
            t.target_window,
            t.slot_start,
        )
        .select_from(Ticket.__table__.join(ServiceItem.__table__, t.item_id == si.id))
        .where(
            t.hall_id == bindparam("hall"),
            t.state == TicketState.WAITING,
            si.code.in_(bindparam("codes", expanding=True)),
        )
        .order_by(t.queue_key, t.id)
        .limit(LINE_LIMIT)
        .subquery()
    )
    current = Ticket.__table__.alias("current_ticket")
    current_item = ServiceItem.__table__.alias("current_item")
    staffed = (
        select(
            literal_column("'w'"),
            w.number,
            current_item.c.code,
            w.state,
            func.coalesce(current.c.started_at, current.c.called_at),
            cast(null(), BigInteger),
            cast(null(), Integer),
            cast(null(), UTCDateTime),
        )
        .select_from(
            Window.__table__.outerjoin(current, current.c.id == w.current_ticket_id).outerjoin(
                current_item, current_item.c.id == current.c.item_id
            )
        )
        .where(w.hall_id == bindparam("hall"), w.active, w.state != WindowState.CLOSED)
    )
    return union_all(select(line), staffed)


# Recent service durations per hall and item, kept for a short while: estimates read them, and
# they change only when a service finishes (which clears the hall's entry here; a finish in
# another process shows up within RECENT_TTL seconds).
RECENT_TTL = 30.0
_recent: dict[int, tuple[float, dict[str, list[float]]]] = {}


def forget_recent_services(hall_id: int) -> None:
    _recent.pop(hall_id, None)


def recent_services(session: Session, ctx: HallContext, now: datetime) -> dict[str, list[float]]:
    """Durations in seconds of the latest finished services per item code (newest first)."""
    cached = _recent.get(ctx.id)
    if cached is not None and time.monotonic() - cached[0] < RECENT_TTL:
        return cached[1]
    since = local_day(now, ctx.timezone) - timedelta(days=RECENT_DAYS)
    params = {"hall": ctx.id, "since": since}
    durations: dict[str, list[float]] = {}
    for code, start, end in session.execute(_recent_stmt(ctx.config.queue.recent_services), params):
        durations.setdefault(code, []).append((end - start).total_seconds())
    _recent[ctx.id] = (time.monotonic(), durations)
    return durations


@functools.cache
def _recent_stmt(per_item: int):
    t, si = Ticket.__table__.c, ServiceItem.__table__.c
    newest = (
        func.row_number()
        .over(partition_by=t.item_id, order_by=(t.ended_at.desc(), t.id.desc()))
        .label("newest")
    )
    finished = (
        select(t.item_id, t.started_at, t.ended_at, newest)
        .where(
            t.hall_id == bindparam("hall"),
            t.day >= bindparam("since"),
            t.state == TicketState.FINISHED,
            t.started_at.is_not(None),
            t.ended_at.is_not(None),
        )
        .subquery()
    )
    return (
        select(si.code, finished.c.started_at, finished.c.ended_at)
        .join(finished, finished.c.item_id == si.id)
        .where(finished.c.newest <= per_item)
        .order_by(si.code, finished.c.newest)
    )


def service_time(session: Session, ctx: HallContext, now: datetime) -> ServiceTime:
    """Expected duration of one service per item: the median of its recent services, or its
    configured minutes (the hall default when it has none) until there are enough of them.
    Recent services are read only if a duration is asked for."""
    known: dict[str, timedelta] = {}

    def of(code: str) -> timedelta:
        if code not in known:
            item = ctx.item(session, code)
            default = (
                item.service_minutes if item else 0
            ) or ctx.config.queue.default_service_minutes
            recent = recent_services(session, ctx, now).get(code, [])
            known[code] = timedelta(seconds=typical_service_seconds(recent, default))
        return known[code]

    return of


def staffed_windows(
    ctx: HallContext, seen: HallNow, now: datetime, service: Callable[[str], timedelta]
) -> list[StaffedWindow]:
    """The open or paused windows of ``seen``, each free now or when its service should end."""
    windows = []
    for number, (code, since) in sorted(seen.busy.items()):
        items = ctx.window_items.get(number)
        if items is None:
            continue  # a window no longer in the hall file
        expected = service(code) if code and since else timedelta(0)
        windows.append(StaffedWindow(number, items, free_at(now, since, expected)))
    return windows


def figures(fc: Forecast | None) -> dict[str, Any]:
    """A forecast as the kiosk, receipt and status page give it (None: no window calls it)."""
    if fc is None or not fc.called:
        return {"people_ahead": None, "estimated_wait_minutes": None, "window_open": False}
    return {
        "people_ahead": fc.people_ahead,
        "estimated_wait_minutes": fc.wait_minutes,
        "window_open": True,
    }


def estimate(
    session: Session, ctx: HallContext, seen: HallNow, entry: QueueEntry, now: datetime
) -> dict[str, Any]:
    """The one figure residents are told, on the kiosk, the receipt and the status page:
    people ahead and minutes until called by the calling policy, or None for both (and
    ``window_open`` false) when no staffed window may call the ticket."""
    service = service_time(session, ctx, now)
    windows = staffed_windows(ctx, seen, now, service)
    return figures(forecast(entry, seen.line, windows, now, ctx.policy, service))


def estimate_for(session: Session, ctx: HallContext, entry: QueueEntry, now: datetime):
    """``estimate`` with the line read now (one statement)."""
    return estimate(session, ctx, hall_now(session, ctx, entry.item_code), entry, now)


def wait_estimate(session: Session, ctx: HallContext, ticket: Ticket, now: datetime):
    """The estimate for a waiting ticket row (status page, re-queue)."""
    return estimate_for(session, ctx, entry_of(ticket), now)


def estimates(
    session: Session, ctx: HallContext, waiting: list[Ticket], now: datetime
) -> dict[int, dict[str, Any]]:
    """``wait_estimate`` of each waiting ticket, one line read and one simulation per item
    group (the calls before a ticket do not depend on where the simulation stops)."""
    groups: defaultdict[frozenset[str], list[Ticket]] = defaultdict(list)
    for ticket in waiting:
        code = ticket.item.code
        groups[frozenset(ctx.item_groups.get(code, frozenset({code})))].append(ticket)
    service = service_time(session, ctx, now)
    out: dict[int, dict[str, Any]] = {}
    for members in groups.values():
        seen = hall_now(session, ctx, members[0].item.code)
        windows = staffed_windows(ctx, seen, now, service)
        told = forecasts(seen.line, windows, now, ctx.policy, service)
        read = {e.ticket_id for e in seen.line}
        for ticket in members:
            if ticket.id in read:
                out[ticket.id] = figures(told.get(ticket.id))
            else:  # beyond the line read: the one-ticket way
                out[ticket.id] = wait_estimate(session, ctx, ticket, now)
    return out


def newcomer(item_code: str, now: datetime) -> QueueEntry:
    """A normal ticket taken now, behind everyone (the wait shown before taking one)."""
    return QueueEntry(0, item_code, Priority.NORMAL, now, queue_key_for(now, TIEBREAK_SLOTS - 1))


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
        .where(Ticket.hall_id == ctx.id, Ticket.state == TicketState.WAITING)
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
            window_view(
                w,
                current.get(w.current_ticket_id) if w.current_ticket_id else None,
                clerks.get(w.clerk_id) if w.clerk_id else None,
                now,
            )
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


class _NamedItem(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def name_zh(self) -> str: ...
    @property
    def name_en(self) -> str: ...


class BriefTicket(Protocol):
    """What ``ticket_brief`` reads: a Ticket row, or a ticket just inserted without one."""

    @property
    def id(self) -> int: ...
    @property
    def number(self) -> str: ...
    @property
    def item(self) -> _NamedItem: ...
    @property
    def state(self) -> str: ...
    @property
    def priority(self) -> str: ...
    @property
    def call_count(self) -> int: ...
    @property
    def called_at(self) -> datetime | None: ...
    @property
    def started_at(self) -> datetime | None: ...


def ticket_brief(t: BriefTicket) -> dict[str, Any]:
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
