"""The legs of one visit: a transfer ends a ticket's leg and queues a new one that keeps the
number, the arrival time and the status token, so the token names the visit. Every query of
"all the tickets of this visit" is written here, once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ..db.models import Ticket

CHUNK = 500  # tokens per IN (...) list


def legs_select(visit: Ticket | str, *columns: Any) -> Select[Any]:
    """SELECT ``columns`` (default: the rows) of every leg of ``visit`` (a leg, or its status
    token), first leg first."""
    token = visit.status_token if isinstance(visit, Ticket) else visit
    stmt = select(*(columns or (Ticket,))).where(Ticket.status_token == token)
    if isinstance(visit, Ticket):
        stmt = stmt.where(Ticket.hall_id == visit.hall_id)
    return stmt.order_by(Ticket.id)


def legs_of(session: Session, visit: Ticket | str) -> Sequence[Ticket]:
    """Every leg of the visit, first leg first."""
    return session.scalars(legs_select(visit)).all()


def leg_ids(visit: Ticket | str) -> Select[Any]:
    """The ids of the visit's legs, as a subquery (``Case.ticket_id.in_(leg_ids(t))``)."""
    return legs_select(visit, Ticket.id).order_by(None)


def latest_leg(session: Session, token: str) -> Ticket | None:
    """The visit's current (last) leg."""
    stmt = legs_select(token).order_by(None).order_by(Ticket.id.desc()).limit(1)
    return session.scalar(stmt)


def latest_legs(session: Session, hall_id: int, tokens: list[str]) -> dict[str, Ticket]:
    """The latest leg of each token's visit in the hall, read in chunks."""
    out: dict[str, Ticket] = {}
    for i in range(0, len(tokens), CHUNK):
        stmt = (
            select(Ticket)
            .where(Ticket.hall_id == hall_id, Ticket.status_token.in_(tokens[i : i + CHUNK]))
            .order_by(Ticket.id)
        )
        for ticket in session.scalars(stmt):
            out[ticket.status_token] = ticket  # ordered by id: the last one wins
    return out
