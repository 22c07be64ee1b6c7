"""The public statuses of many watched tickets of one hall in one read, for the phones' rooms
(``status_watch.py``). Each is what GET /api/v1/status/<token> answers (``tickets.
public_status``; a test holds them equal), but the waiting line of each item group is read once
and simulated once for all of its watched tickets, instead of once per ticket: with N phones in
one line a refresh costs one simulation of the line, not N."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db.engine import Database
from ..db.models import Hall, Ticket
from ..db.uow import current_seq
from ..domain.tickets import TicketState
from ..services import halls, tickets
from ..services.queue import estimates

CHUNK = 500  # tokens per IN (...) list


def read_statuses(
    db: Database, hall_id: int, tokens: Iterable[str], now: datetime
) -> dict[str, dict[str, Any] | None]:
    """Each token's public status (None: unknown or another hall's), with the hall's event
    ``seq`` read in the same transaction. Runs in a worker thread."""
    tokens = list(dict.fromkeys(tokens))
    with db.reader() as session:
        hall = session.get(Hall, hall_id)
        if hall is None:
            return dict.fromkeys(tokens)
        ctx = halls.context_of(hall)
        seq = current_seq(session, hall_id)
        legs = latest_legs(session, hall_id, tokens)
        waiting = [t for t in legs.values() if t.state == TicketState.WAITING.value]
        figures = estimates(session, ctx, waiting, now)
        out: dict[str, dict[str, Any] | None] = {}
        for token in tokens:
            ticket = legs.get(token)
            if ticket is None:
                out[token] = None
            elif ticket.id in figures:
                out[token] = tickets.status_head(ctx, ticket) | figures[ticket.id] | {"seq": seq}
            else:
                out[token] = tickets.public_status(session, ctx, ticket, now) | {"seq": seq}
        return out


def latest_legs(session: Session, hall_id: int, tokens: list[str]) -> dict[str, Ticket]:
    """The latest leg of each token's ticket (a transfer keeps the token)."""
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
