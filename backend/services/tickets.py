"""Issuing tickets at a kiosk, their public status, cancelling and re-queueing no-shows."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from ..db.models import NumberCounter, Ticket, Window
from ..db.uow import Actor, UnitOfWork, upsert
from ..domain.availability import NO_WINDOW, availability
from ..domain.errors import Conflict, InvalidInput, NotFound
from ..domain.numbering import format_number, local_day, parse_number
from ..domain.queue_policy import TIEBREAK_SLOTS, QueueEntry, queue_key_for, requeue_key
from ..domain.tickets import Action, GreenReason, Priority, TicketState, next_state
from . import appointments
from .halls import HallContext, ItemInfo
from .legs import latest_leg
from .queue import (
    entry_of,
    estimate,
    hall_now,
    newcomer,
    ticket_brief,
    wait_estimate,
    waiting_entries,
)

_BUMPS: dict[str, Any] = {}  # the counter upsert per dialect, built once
# declarative __table__ is a Table; the stubs only promise a FromClause
_INSERT_TICKET = insert(cast(Table, Ticket.__table__)).returning(Ticket.__table__.c.id)


def allocate_seq(uow: UnitOfWork, hall_id: int, day, prefix: str) -> int:
    """Next number for (hall, day, prefix), bumped atomically inside the ticket's transaction."""
    stmt = _BUMPS.get(uow.dialect)
    if stmt is None:
        table = NumberCounter.__table__
        stmt = _BUMPS[uow.dialect] = (
            upsert(uow.session)(table)
            .on_conflict_do_update(
                index_elements=["hall_id", "day", "prefix"], set_={"value": table.c.value + 1}
            )
            .returning(table.c.value)
        )
    params = {"hall_id": hall_id, "day": day, "prefix": prefix, "value": 1}
    return int(uow.session.execute(stmt, params).scalar_one())


def issue_ticket(
    uow: UnitOfWork,
    ctx: HallContext,
    actor: Actor,
    *,
    item_code: str,
    priority: str = "normal",
    priority_reason: str | None = None,
    language: str = "zh",
    request_id: str | None = None,
    appointment_id: int | None = None,
    slot_start: datetime | None = None,
) -> dict[str, Any]:
    """A new ticket. ``appointment_id`` links an appointment's check-in; ``slot_start`` (an
    on-time check-in) makes it rank by its slot (``queue_policy``). ``priority=appointment``
    without a link goes through the appointment check-in when the hall checks codes."""
    s = uow.session
    if (
        priority == Priority.APPOINTMENT.value
        and appointment_id is None
        and appointments.check_ticket_code(s, ctx, priority_reason)
    ):
        if not priority_reason:
            raise InvalidInput(
                "appointment_code_required",
                "an appointment ticket needs its appointment code",
                "priority_reason",
            )
        answer = appointments.check_in(
            uow,
            ctx,
            actor,
            code=priority_reason,
            item_code=item_code,
            language=language,
            request_id=request_id,
        )
        answer.pop("appointment")
        return answer
    item = ctx.item(s, item_code)
    if item is None:
        raise NotFound("item_not_found", f"no service item {item_code!r} in this hall", "item_code")
    priority = Priority(priority)
    if priority is Priority.GREEN:
        if priority_reason not in {r.value for r in GreenReason}:
            raise InvalidInput(
                "green_reason_required",
                "green channel needs a reason: " + ", ".join(r.value for r in GreenReason),
                "priority_reason",
            )
    elif priority is Priority.APPOINTMENT and not priority_reason:
        raise InvalidInput(
            "appointment_code_required",
            "an appointment ticket needs its appointment code",
            "priority_reason",
        )
    _check_open(ctx, uow)
    seen = hall_now(s, ctx, item.code)
    _check_window_open(ctx, item, seen.states)
    day = local_day(uow.now, ctx.timezone)
    seq = allocate_seq(uow, ctx.id, day, item.prefix)
    number = format_number(item.prefix, seq, ctx.config.queue.number_width)
    state = TicketState.WAITING.value
    queue_key = queue_key_for(slot_start or uow.now, seq)
    status_token = secrets.token_urlsafe(18)
    row = {
        "hall_id": ctx.id,
        "item_id": item.id,
        "day": day,
        "prefix": item.prefix,
        "seq": seq,
        "number": number,
        "priority": priority.value,
        "priority_reason": priority_reason,
        "state": state,
        "issued_at": uow.now,
        "waiting_since": uow.now,
        "queue_key": queue_key,
        "status_token": status_token,
        "device_id": actor.device_id,
        "language": language,
        "call_count": 0,
        "requeue_count": 0,
        "appointment_id": appointment_id,
        "slot_start": slot_start,
    }
    ticket_id = s.execute(_INSERT_TICKET, row).scalar_one()
    ticket = IssuedTicket(ticket_id, number, item, state, priority.value)
    entry = QueueEntry(ticket_id, item.code, priority, uow.now, queue_key, slot_start=slot_start)
    figure = estimate(s, ctx, seen, entry, uow.now)
    by_number = {w.number: w for w in ctx.config.windows}
    windows = [by_number[n] for n in sorted(ctx.windows_serving(item.code))]
    uow.audit(
        ctx.id,
        actor,
        "ticket.issued",
        "ticket",
        ticket.number,
        {"ticket_id": ticket_id, "item": item.code, "priority": priority.value}
        | ({"appointment_id": appointment_id} if appointment_id else {}),
        request_id,
    )
    uow.emit(ctx.id, "ticket.issued", ticket_brief(ticket))
    return {
        "ticket": ticket_brief(ticket) | {"issued_at": uow.now.isoformat(), "day": day.isoformat()},
        **figure,
        "windows": [
            {"number": w.number, "name": {"zh": w.name.zh, "en": w.name.en}} for w in windows
        ],
        "status_token": status_token,
        "status_path": f"/t/{status_token}",
    }


@dataclass(frozen=True)
class IssuedTicket:
    """A ticket just inserted, as ``ticket_brief`` reads it (no ORM object is built for it)."""

    id: int
    number: str
    item: ItemInfo
    state: str
    priority: str
    call_count: int = 0
    called_at: None = None
    started_at: None = None


def _check_open(ctx: HallContext, uow: UnitOfWork) -> None:
    if not ctx.config.queue.enforce_opening_hours:
        return
    hours = ctx.config.hours.to_domain()
    local = ctx.local(uow.now)
    if not hours.is_open(local, ctx.day_kinds):
        nxt = hours.next_opening(local, ctx.day_kinds)
        when = nxt.strftime("%m-%d %H:%M") if nxt else "—"
        raise Conflict(
            "hall_closed", f"大厅已停止取号，下次开放 {when} / the hall is closed; it opens {when}"
        )


def item_now(session: Session, ctx: HallContext, code: str, now) -> dict[str, Any]:
    """An item as the kiosk shows it before a ticket is taken: people waiting, the wait a
    ticket taken now would have (the same estimate as a real ticket's), whether it can be
    taken, and if not why and when it is served."""
    seen = hall_now(session, ctx, code)
    figure = estimate(session, ctx, seen, newcomer(code, now), now)
    allow = ctx.config.queue.issue_when_no_window
    serving = [n for n, items in ctx.window_items.items() if code in items]
    return {
        "waiting": sum(1 for e in seen.line if e.item_code == code),
        "people_ahead": figure["people_ahead"],
        "estimated_wait_minutes": figure["estimated_wait_minutes"],
        "open_windows": sum(1 for n in serving if n in seen.states),
    } | availability(code, ctx.window_items, seen.states, allow).view(ctx.service_hours(now))


def _check_window_open(ctx: HallContext, item: ItemInfo, states: dict[int, str]) -> None:
    """暂停取号 for an item no staffed window serves, unless the hall lets residents queue."""
    allow = ctx.config.queue.issue_when_no_window
    if not availability(item.code, ctx.window_items, states, allow).issuable:
        raise Conflict(
            NO_WINDOW["code"],
            f"{item.name_zh}：暂停取号，{NO_WINDOW['zh']} / "
            f"{item.name_en or item.code}: not available now, {NO_WINDOW['en'].lower()}",
            "item_code",
        )


# What the resident's status page calls each state of the ticket: the counter service, never
# the case (a finished service may have accepted a case that is far from done).
PUBLIC_STATE = {
    TicketState.WAITING: ("等候中", "Waiting"),
    TicketState.CALLED: ("已叫号，请到窗口", "Called: please go to the window"),
    TicketState.SERVING: ("正在窗口办理", "Being served at the window"),
    TicketState.FINISHED: ("窗口服务已完成", "Counter service completed"),
    TicketState.NO_SHOW: ("已过号", "Missed call"),
    TicketState.TRANSFERRED: ("已转窗口", "Transferred"),
    TicketState.CANCELLED: ("已取消", "Cancelled"),
}


def find_today(session: Session, ctx: HallContext, number: str, now) -> Ticket:
    """The latest leg of today's ticket with this number."""
    try:
        prefix, seq = parse_number(number)
    except ValueError as exc:
        raise InvalidInput("bad_number", str(exc), "number") from None
    ticket = session.scalar(
        select(Ticket)
        .where(
            Ticket.hall_id == ctx.id,
            Ticket.day == local_day(now, ctx.timezone),
            Ticket.prefix == prefix,
            Ticket.seq == seq,
        )
        .order_by(Ticket.id.desc())
        .limit(1)
    )
    if ticket is None:
        raise NotFound("ticket_not_found", f"no ticket {number} today", "number")
    return ticket


def latest_leg_by_token(session: Session, token: str) -> Ticket:
    ticket = latest_leg(session, token)
    if ticket is None:
        raise NotFound("ticket_not_found", "no such ticket", "token")
    return ticket


def status_head(ctx: HallContext, ticket: Ticket) -> dict[str, Any]:
    """The part of a public status that needs no figures: number, hall, item, state words."""
    zh, en = PUBLIC_STATE[TicketState(ticket.state)]
    return {
        "number": ticket.number,
        "hall": {"code": ctx.code, "name": {"zh": ctx.name_zh, "en": ctx.name_en}},
        "item": {
            "code": ticket.item.code,
            "name": {"zh": ticket.item.name_zh, "en": ticket.item.name_en},
        },
        "state": ticket.state,
        "state_label": zh,
        "state_label_en": en,
        "issued_at": ticket.issued_at.isoformat(),
    }


def public_status(session: Session, ctx: HallContext, ticket: Ticket, now) -> dict[str, Any]:
    """What the resident's status page shows: no personal data, plain wording."""
    view = status_head(ctx, ticket)
    if ticket.state == TicketState.WAITING:
        view |= wait_estimate(session, ctx, ticket, now)
    if ticket.state in (TicketState.CALLED, TicketState.SERVING) and ticket.window_id:
        window = session.get_one(Window, ticket.window_id)
        view["window"] = {
            "number": window.number,
            "name": {"zh": window.name_zh, "en": window.name_en},
        }
    return view


def cancel_ticket(
    uow: UnitOfWork, ctx: HallContext, actor: Actor, ticket: Ticket, request_id: str | None
) -> dict[str, Any]:
    ticket.state = next_state(ticket.state, Action.CANCEL)
    ticket.ended_at = uow.now
    uow.audit(
        ctx.id,
        actor,
        "ticket.cancelled",
        "ticket",
        ticket.number,
        {"ticket_id": ticket.id},
        request_id,
    )
    uow.emit(ctx.id, "ticket.cancelled", ticket_brief(ticket))
    return {"ticket": ticket_brief(ticket)}


def requeue_ticket(
    uow: UnitOfWork, ctx: HallContext, actor: Actor, ticket: Ticket, request_id: str | None
) -> dict[str, Any]:
    """A returning no-show re-enters its line behind the configured number of people."""
    if ticket.day != local_day(uow.now, ctx.timezone):
        raise Conflict(
            "ticket_expired",
            f"ticket {ticket.number} is from {ticket.day}; take a new ticket",
            "number",
        )
    new_state = next_state(ticket.state, Action.REQUEUE)
    line = [
        e
        for e in waiting_entries(uow.session, ctx.id, [ticket.item.code])
        if e.priority == ticket.priority
    ]
    ticket.queue_key = requeue_key(line, ctx.config.queue.requeue_behind, _key_now(uow), ctx.policy)
    ticket.state = new_state
    ticket.slot_start = None  # a returning no-show waits in its class, not by its slot
    ticket.waiting_since = uow.now
    ticket.requeue_count += 1
    ticket.window_id = None
    ticket.clerk_id = None
    uow.session.flush()
    figure = wait_estimate(uow.session, ctx, ticket, uow.now)
    uow.audit(
        ctx.id,
        actor,
        "ticket.requeued",
        "ticket",
        ticket.number,
        {"ticket_id": ticket.id, "behind": ctx.config.queue.requeue_behind, **figure},
        request_id,
    )
    uow.emit(ctx.id, "ticket.requeued", ticket_brief(ticket))
    return {"ticket": ticket_brief(ticket), **figure}


def _key_now(uow: UnitOfWork) -> int:
    return queue_key_for(uow.now, TIEBREAK_SLOTS - 1)  # after anyone issued this very instant


__all__ = [
    "issue_ticket",
    "public_status",
    "cancel_ticket",
    "requeue_ticket",
    "find_today",
    "entry_of",
]
