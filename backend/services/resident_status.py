"""What the resident's page behind the receipt's QR code reads and writes, by the status token:
the visit's latest leg as its public status, the case accepted from it, the one-time rating."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db.models import Case, Evaluation, Hall
from ..db.uow import Actor, UnitOfWork
from ..domain.errors import NotFound
from ..domain.tickets import TicketState
from . import case_queries, evaluations, halls, tickets
from .legs import leg_ids

RESIDENT = Actor("resident:qr")


def case_of_token(session: Session, token: str) -> Case | None:
    """The case accepted from the ticket of this status token (any of its legs)."""
    stmt = select(Case).where(Case.ticket_id.in_(leg_ids(token))).order_by(Case.id).limit(1)
    return session.scalar(stmt)


def page(
    session: Session, token: str, now: datetime
) -> tuple[dict[str, Any] | None, dict[str, Any] | None, str | None]:
    """(ticket status, public case view, rating state "open"/"done"/None) for a token;
    (None, None, None) when the token is unknown."""
    try:
        ticket = tickets.latest_leg_by_token(session, token)
    except NotFound:
        return None, None, None
    ctx = halls.context_of(session.get_one(Hall, ticket.hall_id))
    case = case_of_token(session, token)
    rated = session.scalar(
        select(Evaluation.id).where(Evaluation.ticket_id == (ticket.root_id or ticket.id))
    )
    finished = ticket.state == TicketState.FINISHED
    rate = "done" if rated else ("open" if finished else None)
    return (
        tickets.public_status(session, ctx, ticket, now),
        case_queries.public_case(session, ctx, case) if case else None,
        rate,
    )


def rate_by_qr(uow: UnitOfWork, token: str, rating: str, comment: str) -> None:
    """The QR-code rating of the visit's finished service (anyone holding the receipt, once)."""
    ticket = tickets.latest_leg_by_token(uow.session, token)
    ctx = halls.context_of(uow.session.get_one(Hall, ticket.hall_id))
    evaluations.rate(uow, ctx, RESIDENT, ticket, rating, comment, "qr", None)
