"""State columns hold the domain's enums: stored as the same strings as before (no schema change,
the migrations still match the models), read back as enum members, unknown values refused."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import StatementError

from backend.db.engine import open_database
from backend.db.migrate import pending_model_changes
from backend.db.models import (
    Case,
    CaseExtension,
    CaseReferral,
    FollowUp,
    Notification,
    Rectification,
    Ticket,
    Window,
)
from backend.domain.cases import (
    AppealState,
    CaseState,
    ExtensionState,
    FollowUpState,
    RectificationState,
)
from backend.domain.network import ReferralState
from backend.domain.notifications import NotificationState
from backend.domain.tickets import TicketState
from backend.domain.windows import WindowState
from tests.api.test_cases_api import accept, act, at_window


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


def _refused(session, column) -> None:
    """Writing a value that is not a member of the column's enum fails before the database."""
    with pytest.raises(StatementError) as bad:
        session.execute(update(column.class_).values({column.key: "lost"}))
    assert isinstance(bad.value.orig, ValueError)
    session.rollback()


def test_the_case_and_rating_states_are_enums_stored_as_strings(hall, database):
    """延期, 差评整改 and its 申诉, 回访 and the resident's message, through the real flows."""
    at_window(hall)
    number = accept(hall)["number"]
    assert act(hall, number, "extension", days=2, reason="需入户核查").status_code == 200
    assert act(hall, number, "extension/decision", who="boss", approve=True).status_code == 200
    assert act(hall, number, "finish", result="已办结").status_code == 200  # message, follow-up
    rated = at_window(hall, "RS-01", window=3, clerk="clerk2")
    hall.window(3, "finish", "clerk2")
    hall.window(3, "rating-request", "clerk2")
    r = hall.post("/evaluations", {"ticket": rated, "rating": "dissatisfied"}, hall.device("pad-3"))
    rect_id = r.json["rectification"]["id"]
    r = hall.post(f"/rectifications/{rect_id}/appeal", {"reason": "误触"}, hall.staff("clerk2"))
    assert r.json["rectification"]["appeal"]["state"] == "pending"

    expected = [
        (CaseExtension.state, ExtensionState.APPROVED, "case_extensions"),
        (Rectification.state, RectificationState.OPEN, "rectifications"),
        (Rectification.appeal_state, AppealState.PENDING, "rectifications"),
        (FollowUp.state, FollowUpState.PENDING, "follow_ups"),
        (Notification.state, NotificationState.PENDING, "notifications"),
    ]
    with database.reader() as s:
        for column, member, table in expected:
            value = s.scalars(select(column)).one()
            assert type(value) is type(member) and value is member, column
            raw = s.execute(text(f"SELECT {column.key} FROM {table}")).scalar_one()
            assert raw == member.value and type(raw) is str, column
            assert s.scalar(select(func.count()).where(column == member.value)) == 1, column
        # the ORM objects carry the members too
        assert s.scalars(select(Rectification)).one().appeal_state is AppealState.PENDING
    with database.writer() as s:
        for column, member, _ in expected:
            _refused(s, column)
            assert s.scalars(select(column)).one() is member, column


def test_the_referral_state_is_an_enum_stored_as_a_string(network, database):
    town = network["town"]
    at_window(town)
    number = accept(town, decision="coordinated")["number"]
    r = town.post(f"/cases/{number}/refer", {"reason": "超出镇级权限"}, town.staff("clerk1"))
    assert r.status_code == 200, r.json
    with database.reader() as s:
        referral = s.scalars(select(CaseReferral)).one()
        assert type(referral.state) is ReferralState and referral.state is ReferralState.SENT
        raw = s.execute(text("SELECT state FROM case_referrals")).scalar_one()
        assert raw == "sent" and type(raw) is str
        waiting = select(CaseReferral.id).where(CaseReferral.state == ReferralState.SENT)
        assert s.scalar(waiting) == referral.id
    with database.writer() as s:
        _refused(s, CaseReferral.state)
        assert s.scalar(select(CaseReferral.state)) is ReferralState.SENT


def test_the_migrations_still_match_the_models(db_url):
    assert pending_model_changes(db_url) == []
