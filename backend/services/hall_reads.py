"""Reads behind the hall's plain views: one item now, a ticket with its legs, the audit trail,
a resident's status by token (the views stay thin: parse, call, answer)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db.models import AuditEntry, Hall, ServiceItem
from ..domain.errors import NotFound
from . import halls, tickets
from .halls import HallContext
from .legs import legs_of
from .queue import ticket_brief


def item_now(session: Session, ctx: HallContext, code: str, now: datetime) -> dict[str, Any]:
    """One active service item with its guide, whether it can be taken now and the wait."""
    row = session.scalar(
        select(ServiceItem).where(
            ServiceItem.hall_id == ctx.id, ServiceItem.code == code, ServiceItem.active
        )
    )
    if row is None:
        raise NotFound("item_not_found", f"no service item {code!r}", "code")
    return halls.item_view(row) | tickets.item_now(session, ctx, code, now)


def ticket_detail(session: Session, ctx: HallContext, number: str, now: datetime) -> dict[str, Any]:
    """Today's ticket ``number`` as its public status, with every leg of the visit for staff."""
    latest = tickets.find_today(session, ctx, number, now)
    status = tickets.public_status(session, ctx, latest, now)
    return status | {
        "legs": [
            ticket_brief(t)
            | {
                "window_id": t.window_id,
                "target_window": t.target_window,
                "ended_at": t.ended_at.isoformat() if t.ended_at else None,
                "out_of_order_reason": t.out_of_order_reason,
                "note": t.note,
            }
            for t in legs_of(session, latest)
        ]
    }


def audit_page(
    session: Session, ctx: HallContext, limit: int, before: int | None
) -> dict[str, Any]:
    """The hall's audit entries, newest first: ``limit`` of them below id ``before``."""
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.hall_id == ctx.id)
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    )
    if before is not None:
        stmt = stmt.where(AuditEntry.id < before)
    return {
        "entries": [
            {
                "id": a.id,
                "at": a.at.isoformat(),
                "actor": a.actor,
                "action": a.action,
                "entity": a.entity,
                "entity_id": a.entity_id,
                "request_id": a.request_id,
                "details": a.details,
            }
            for a in session.scalars(stmt)
        ]
    }


def status_by_token(session: Session, token: str, now: datetime) -> dict[str, Any]:
    """A resident's ticket status by the token on the receipt (its visit's latest leg)."""
    ticket = tickets.latest_leg_by_token(session, token)
    ctx = halls.context_of(session.get_one(Hall, ticket.hall_id))
    return tickets.public_status(session, ctx, ticket, now)
