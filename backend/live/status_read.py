"""The public statuses of many watched tickets of one hall in one read, for the phones' rooms
(``status_watch.py``). Each is what GET /api/v1/status/<token> answers (``tickets.
public_status``; a test holds them equal), but the waiting line of each item group is read once
and simulated once for all of its watched tickets, instead of once per ticket: with N phones in
one line a refresh costs one simulation of the line, not N.

The case accepted from a watched ticket is read here too (``read_cases``): its public view
(``case_queries.public_case``, what the /t/ page shows) with a short ``version`` of it, and the
halls whose events can change it: its own hall and, for a referred case (上报/交办), every hall
it went on to (``referrals.current_leg``), with the case numbers there."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db.engine import Database
from ..db.models import Case, Hall, Ticket
from ..db.uow import current_seq
from ..domain.tickets import TicketState
from ..services import case_queries, halls, referrals, tickets
from ..services.legs import CHUNK, latest_legs
from ..services.queue import estimates


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


@dataclass(frozen=True)
class CaseRead:
    """A watched ticket's case as its phone sees it, and where its changes come from."""

    view: dict[str, Any]
    version: str
    halls: dict[int, frozenset[str]]  # hall id -> case numbers of the chain there

    def message(self) -> dict[str, Any]:
        return {"version": self.version, "case": self.view}


def case_version(view: dict[str, Any]) -> str:
    """A short digest of a public case view: the page and its phone compare these."""
    raw = json.dumps(view, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def case_halls(session: Session, case: Case) -> dict[int, frozenset[str]]:
    """The halls whose case or referral events can change what the resident sees of ``case``."""
    chain: dict[int, set[str]] = {case.hall_id: {case.number}}
    _current, path = referrals.current_leg(session, case)
    for referral in path:
        numbers = chain.setdefault(referral.to_hall_id, set())
        if referral.to_case_id is not None:
            numbers.add(session.get_one(Case, referral.to_case_id).number)
    return {hall: frozenset(numbers) for hall, numbers in chain.items()}


def read_case(session: Session, case: Case) -> CaseRead:
    ctx = halls.context_of(session.get_one(Hall, case.hall_id))
    view = case_queries.public_case(session, ctx, case)
    return CaseRead(view, case_version(view), case_halls(session, case))


def read_cases(db: Database, tokens: Iterable[str]) -> dict[str, CaseRead | None]:
    """Each token's case (None: no case accepted from its ticket), in one transaction. Runs in
    a worker thread."""
    tokens = list(dict.fromkeys(tokens))
    out: dict[str, CaseRead | None] = dict.fromkeys(tokens)
    with db.reader() as session:
        for i in range(0, len(tokens), CHUNK):
            stmt = (
                select(Ticket.status_token, Case)
                .join(Case, Case.ticket_id == Ticket.id)
                .where(Ticket.status_token.in_(tokens[i : i + CHUNK]))
                .order_by(Case.id.desc())
            )
            for token, case in session.execute(stmt).tuples():
                out[token] = read_case(session, case)  # descending: the earliest is kept
    return out
