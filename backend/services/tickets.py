"""Issuing tickets at a kiosk, their public status, cancelling and re-queueing no-shows."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ..db.models import NumberCounter, Ticket, Window
from ..db.uow import Actor, UnitOfWork, upsert
from ..domain.errors import Conflict, InvalidInput, NotFound
from ..domain.numbering import format_number, local_day, parse_number
from ..domain.queue_policy import TIEBREAK_SLOTS, queue_key_for, requeue_key
from ..domain.tickets import STATE_LABELS_ZH, Action, GreenReason, Priority, TicketState, next_state
from .halls import HallContext, ItemInfo
from .queue import entry_of, estimate_for, ticket_brief, wait_estimate, waiting_entries

_BUMPS: dict[str, Any] = {}  # the counter upsert per dialect, built once
_INSERT_TICKET = insert(Ticket.__table__).returning(Ticket.__table__.c.id)


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
) -> dict[str, Any]:
    s = uow.session
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
    day = local_day(uow.now, ctx.timezone)
    seq = allocate_seq(uow, ctx.id, day, item.prefix)
    row = {
        "hall_id": ctx.id,
        "item_id": item.id,
        "day": day,
        "prefix": item.prefix,
        "seq": seq,
        "number": format_number(item.prefix, seq, ctx.config.queue.number_width),
        "priority": priority.value,
        "priority_reason": priority_reason,
        "state": TicketState.WAITING.value,
        "issued_at": uow.now,
        "waiting_since": uow.now,
        "queue_key": queue_key_for(uow.now, seq),
        "status_token": secrets.token_urlsafe(18),
        "device_id": actor.device_id,
        "language": language,
        "call_count": 0,
        "requeue_count": 0,
    }
    ticket_id = s.execute(_INSERT_TICKET, row).scalar_one()
    ticket = IssuedTicket(ticket_id, row["number"], item, row["state"], row["priority"])
    estimate = estimate_for(
        s,
        ctx,
        item_id=item.id,
        item_code=item.code,
        service_minutes=item.service_minutes,
        ticket_id=ticket_id,
        priority=priority.value,
        queue_key=row["queue_key"],
    )
    by_number = {w.number: w for w in ctx.config.windows}
    windows = [by_number[n] for n in sorted(ctx.windows_serving(item.code))]
    uow.audit(
        ctx.id,
        actor,
        "ticket.issued",
        "ticket",
        ticket.number,
        {"ticket_id": ticket_id, "item": item.code, "priority": priority.value},
        request_id,
    )
    uow.emit(
        ctx.id,
        "ticket.issued",
        ticket_brief(ticket) | {"waiting_for_item": estimate["people_ahead"] + 1},
    )
    return {
        "ticket": ticket_brief(ticket) | {"issued_at": uow.now.isoformat(), "day": day.isoformat()},
        **estimate,
        "windows": [
            {"number": w.number, "name": {"zh": w.name.zh, "en": w.name.en}} for w in windows
        ],
        "status_token": row["status_token"],
        "status_path": f"/t/{row['status_token']}",
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
    ticket = session.scalar(
        select(Ticket).where(Ticket.status_token == token).order_by(Ticket.id.desc()).limit(1)
    )
    if ticket is None:
        raise NotFound("ticket_not_found", "no such ticket", "token")
    return ticket


def public_status(session: Session, ctx: HallContext, ticket: Ticket) -> dict[str, Any]:
    """What the resident's status page shows: no personal data, plain wording."""
    view: dict[str, Any] = {
        "number": ticket.number,
        "hall": {"code": ctx.code, "name": {"zh": ctx.name_zh, "en": ctx.name_en}},
        "item": {
            "code": ticket.item.code,
            "name": {"zh": ticket.item.name_zh, "en": ticket.item.name_en},
        },
        "state": ticket.state,
        "state_label": STATE_LABELS_ZH[TicketState(ticket.state)],
        "issued_at": ticket.issued_at.isoformat(),
    }
    if ticket.state == TicketState.WAITING:
        view |= wait_estimate(session, ctx, ticket)
    if ticket.state in (TicketState.CALLED, TicketState.SERVING) and ticket.window_id:
        window = session.get(Window, ticket.window_id)
        view["window"] = {
            "number": window.number,
            "name": {"zh": window.name_zh, "en": window.name_en},
        }
    return view


def cancel_ticket(
    uow: UnitOfWork, ctx: HallContext, actor: Actor, ticket: Ticket, request_id: str | None
) -> dict[str, Any]:
    ticket.state = next_state(ticket.state, Action.CANCEL).value
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
    ticket.state = new_state.value
    ticket.waiting_since = uow.now
    ticket.requeue_count += 1
    ticket.window_id = None
    ticket.clerk_id = None
    uow.session.flush()
    estimate = wait_estimate(uow.session, ctx, ticket)
    uow.audit(
        ctx.id,
        actor,
        "ticket.requeued",
        "ticket",
        ticket.number,
        {"ticket_id": ticket.id, "behind": ctx.config.queue.requeue_behind, **estimate},
        request_id,
    )
    uow.emit(ctx.id, "ticket.requeued", ticket_brief(ticket))
    return {"ticket": ticket_brief(ticket), **estimate}


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
