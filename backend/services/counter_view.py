"""What a counter terminal shows: its window, the current ticket, its line, and today's figures."""

from __future__ import annotations

from datetime import datetime
from statistics import mean
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db.models import Ticket, User, Window
from ..domain.errors import NotFound
from ..domain.numbering import local_day
from ..domain.queue_policy import calling_order
from ..domain.tickets import TicketState
from .halls import HallContext
from .legs import legs_of
from .queue import ticket_brief, waiting_entries, window_view


def counter_state(
    session: Session, ctx: HallContext, number: int, user_id: int | None, now: datetime
) -> dict[str, Any]:
    window = session.scalar(
        select(Window).where(Window.hall_id == ctx.id, Window.number == number, Window.active)
    )
    if window is None:
        raise NotFound("window_not_found", f"no window {number} in this hall", "window")
    current = session.get(Ticket, window.current_ticket_id) if window.current_ticket_id else None
    clerk = session.get(User, window.clerk_id) if window.clerk_id else None
    return {
        "window": window_view(window, current, clerk.display_name if clerk else None, now),
        "current": current_detail(session, current, now) if current else None,
        "line": line(session, ctx, window, now),
        "today": today(session, ctx, window, user_id, now),
    }


def current_detail(session: Session, ticket: Ticket, now: datetime) -> dict[str, Any]:
    legs = legs_of(session, ticket)
    windows = {
        w.id: w.number
        for w in session.scalars(select(Window).where(Window.hall_id == ticket.hall_id))
    }
    return ticket_brief(ticket) | {
        "priority_reason": ticket.priority_reason if ticket.priority != "appointment" else None,
        "waited_minutes": int(((ticket.called_at or now) - ticket.issued_at).total_seconds() // 60),
        "issued_at": ticket.issued_at.isoformat(),
        "note": ticket.note,  # the transfer note that brought the ticket to this window
        "status_token": ticket.status_token,  # for the QR on the acceptance receipt
        "materials": ticket.item.guide.get("materials", []),
        "kind": ticket.item.kind,
        "promised_days": ticket.item.promised_days,
        "history": [
            {
                "item": leg.item.code,
                "item_name": leg.item.name_zh,
                "window": windows.get(leg.window_id) if leg.window_id else None,
                "state": leg.state,
                "note": leg.note,
                "ended_at": leg.ended_at.isoformat() if leg.ended_at else None,
            }
            for leg in legs
            if leg.id != ticket.id
        ],
    }


def line(session: Session, ctx: HallContext, window: Window, now: datetime) -> dict[str, Any]:
    """Waiting tickets this window may call, in the order it would call them."""
    entries = waiting_entries(session, ctx.id, list(window.item_codes))
    order = calling_order(entries, window.number, window.item_codes, now, ctx.policy)
    counts: dict[str, int] = {}
    for e in order:
        counts[e.item_code] = counts.get(e.item_code, 0) + 1
    return {
        "waiting": len(order),
        "per_item": counts,
        "oldest_wait_minutes": max(
            (int((now - e.waiting_since).total_seconds() // 60) for e in order), default=0
        ),
        "next": [
            {
                "id": e.ticket_id,
                "number": e.number,
                "item": e.item_code,
                "priority": e.priority.value,
                "waited_minutes": int((now - e.waiting_since).total_seconds() // 60),
                "transferred_here": e.target_window == window.number,
            }
            for e in order[:50]
        ],
    }


def today(
    session: Session, ctx: HallContext, window: Window, user_id: int | None, now: datetime
) -> dict[str, Any]:
    day = local_day(now, ctx.timezone)
    legs = session.scalars(
        select(Ticket).where(
            Ticket.hall_id == ctx.id, Ticket.day == day, Ticket.window_id.is_not(None)
        )
    ).all()

    def figures(selected: list[Ticket]) -> dict[str, Any]:
        minutes = [
            (t.ended_at - t.started_at).total_seconds() / 60
            for t in selected
            if t.state == TicketState.FINISHED and t.started_at and t.ended_at
        ]
        return {
            "served": len(minutes),
            "no_show": sum(1 for t in selected if t.state == TicketState.NO_SHOW),
            "transferred": sum(1 for t in selected if t.state == TicketState.TRANSFERRED),
            "avg_service_minutes": round(mean(minutes), 1) if minutes else None,
        }

    return {
        "window": figures([t for t in legs if t.window_id == window.id]),
        "clerk": figures([t for t in legs if user_id is not None and t.clerk_id == user_id]),
    }
