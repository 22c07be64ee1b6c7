"""State columns hold the domain's enums: stored as the same strings as before (no schema change,
the migrations still match the models), read back as enum members, unknown values refused."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import StatementError

from backend.db.engine import open_database
from backend.db.migrate import pending_model_changes
from backend.db.models import Case, Ticket, Window
from backend.domain.cases import CaseState
from backend.domain.tickets import TicketState
from backend.domain.windows import WindowState


@pytest.fixture
def database(db_url):
    db = open_database(db_url)
    yield db
    db.dispose()


def test_states_round_trip_as_enums_stored_as_strings(hall, database):
    number = hall.issue("RS-01")["ticket"]["number"]
    hall.open_window(3, "clerk2")
    hall.window(3, "call-next", "clerk2")
    assert hall.window(3, "finish", "clerk2").status_code == 200
    with database.reader() as s:
        ticket = s.scalars(select(Ticket).where(Ticket.number == number)).one()
        window = s.scalars(select(Window).where(Window.number == 3)).one()
        case = s.scalars(select(Case)).one()
        assert type(ticket.state) is TicketState and ticket.state is TicketState.FINISHED
        assert type(window.state) is WindowState and window.state is WindowState.OPEN
        assert type(case.state) is CaseState and case.state is CaseState.FINISHED
        raw = s.execute(
            text("SELECT t.state, w.state FROM tickets t, windows w WHERE t.id = :t AND w.id = :w"),
            {"t": ticket.id, "w": window.id},
        ).one()
        assert tuple(raw) == ("finished", "open") and type(raw[0]) is str
        # a plain string compares and binds as before
        assert s.scalar(select(Ticket.id).where(Ticket.state == "finished")) == ticket.id


def test_an_unknown_state_is_refused_before_it_reaches_the_database(hall, database):
    hall.issue("RS-01")
    with database.writer() as s:
        with pytest.raises(StatementError) as bad:
            s.execute(update(Ticket).values(state="lost"))
        assert isinstance(bad.value.orig, ValueError)
        s.rollback()
        assert s.scalar(select(Ticket.state)) is TicketState.WAITING


def test_the_migrations_still_match_the_models(db_url):
    assert pending_model_changes(db_url) == []
