"""The monthly report's staffing chart: windows opened per half hour from the audit trail of
sign-ins, pauses and sign-outs (time-weighted), windows required from the month's arrivals."""

from __future__ import annotations

import pytest

from backend.db.engine import open_database
from backend.db.uow import UnitOfWork
from backend.services import reports
from backend.services.halls import hall_context
from backend.services.staffing_history import month_staffing
from tests.reports.test_reports import build_november


def staffing_of(db_url, clock, month=(2026, 11)):
    db = open_database(db_url)
    try:
        with UnitOfWork(db, clock(), write=False) as uow:
            ctx = hall_context(uow.session, "town")
            return month_staffing(uow.session, ctx, reports.month_period(ctx, *month))
    finally:
        db.dispose()


def at(st, slot: str) -> tuple[float, float]:
    i = st.slots.index(slot)
    return st.opened[i], st.required[i]


def test_pauses_count_as_closed_and_part_of_a_half_hour_counts_in_part(hall, clock, db_url):
    # Monday 23 November 09:00: window 2 signs in, pauses 09:15-09:45, signs out at 10:00.
    hall.open_window(2, "clerk1")
    clock.advance(minutes=15)
    assert hall.window(2, "pause", "clerk1", reason="break").status_code == 200
    clock.advance(minutes=30)
    assert hall.window(2, "resume", "clerk1").status_code == 200
    clock.advance(minutes=15)
    assert hall.window(2, "sign-out", "clerk1").status_code == 200
    st = staffing_of(db_url, clock)
    assert st.days == 1  # the only working day with a window open or a ticket
    assert at(st, "08:30") == (0, 0)
    assert at(st, "09:00")[0] == pytest.approx(0.5)
    assert at(st, "09:30")[0] == pytest.approx(0.5)
    assert at(st, "10:00")[0] == 0
    assert st.slots[0] == "08:30" and st.slots[-1] == "17:00"  # the small hall's office hours


def test_opened_and_required_over_a_month(hall, clock, db_url):
    build_november(hall, clock)
    st = staffing_of(db_url, clock)
    assert st.days == 2  # Monday 23 and Tuesday 24: the 25th and 30th only finished cases
    assert [d.isoformat() for d, _, _ in st.daily] == ["2026-11-23", "2026-11-24"]
    # 09:00 Monday: windows 2 and 3 open the whole half hour. Tuesday: window 1 signs in at
    # 09:00; 3, left signed in overnight, counts from its first call at 09:10; 2 from 10:00.
    assert at(st, "09:00")[0] == pytest.approx((2 + 1 + 20 / 30) / 2, abs=0.01)
    assert at(st, "08:30") == (0, 0)
    # Arrivals in the 09:00 half hour on both days need at least a window; none before.
    opened, required = at(st, "09:00")
    assert required >= 1
    assert all(r == 0 for s, r in zip(st.slots, st.required, strict=True) if s < "09:00")
    december = staffing_of(db_url, clock, (2026, 12))
    assert december.days == 1 and at(december, "09:00")[0] > 0
