"""Working-day calendar: real State Council arrangements for 2025 and 2026, hall overrides,
suspension, deadline rule and warning colours."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from backend.domain.hours import DayKind
from backend.domain.workcalendar import ChineseCalendarSource, WorkCalendar

SH = ZoneInfo("Asia/Shanghai")
OPEN, CLOSE = time(8, 30), time(17, 30)  # a 9-hour office day


def at(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SH)


def due(y: int, m: int, d: int) -> datetime:
    return datetime.combine(date(y, m, d), CLOSE, tzinfo=SH)


@pytest.fixture(scope="module")
def national() -> WorkCalendar:
    return WorkCalendar()


class FakeSource:
    """Covers 2030 only; Wed 2030-01-02 is a holiday and Sat 2030-01-05 a make-up day."""

    def covers(self, year: int) -> bool:
        return year == 2030

    def is_working_day(self, day: date) -> bool:
        assert day.year == 2030, "asked about an uncovered year"
        if day == date(2030, 1, 5):
            return True
        return day.weekday() < 5 and day != date(2030, 1, 2)

    def is_holiday(self, day: date) -> bool:
        return day == date(2030, 1, 2)


# --- the national data (pinned to chinese-calendar 1.11.0 and the State Council notices) ----

REST_2025 = [
    date(2025, 1, 1),
    *[date(2025, 1, 28) + timedelta(days=i) for i in range(8)],  # Spring Festival Jan 28-Feb 4
    *[date(2025, 4, 4), date(2025, 4, 5), date(2025, 4, 6)],  # Qingming
    *[date(2025, 5, i) for i in range(1, 6)],  # Labour Day May 1-5
    *[date(2025, 5, 31), date(2025, 6, 1), date(2025, 6, 2)],  # Dragon Boat
    *[date(2025, 10, i) for i in range(1, 9)],  # National Day + Mid-Autumn Oct 1-8
]
MAKEUP_2025 = [
    date(2025, 1, 26),
    date(2025, 2, 8),
    date(2025, 4, 27),
    date(2025, 9, 28),
    date(2025, 10, 11),
]
REST_2026 = [
    *[date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 3)],  # New Year
    *[date(2026, 2, 15) + timedelta(days=i) for i in range(9)],  # Spring Festival Feb 15-23
    *[date(2026, 4, 4), date(2026, 4, 5), date(2026, 4, 6)],  # Qingming
    *[date(2026, 5, i) for i in range(1, 6)],  # Labour Day May 1-5
    *[date(2026, 6, 19), date(2026, 6, 20), date(2026, 6, 21)],  # Dragon Boat
    *[date(2026, 9, 25), date(2026, 9, 26), date(2026, 9, 27)],  # Mid-Autumn
    *[date(2026, 10, i) for i in range(1, 8)],  # National Day Oct 1-7
]
MAKEUP_2026 = [
    date(2026, 1, 4),  # Sun
    date(2026, 2, 14),  # Sat
    date(2026, 2, 28),  # Sat
    date(2026, 5, 9),  # Sat
    date(2026, 9, 20),  # Sun
    date(2026, 10, 10),  # Sat
]


@pytest.mark.parametrize("day", REST_2025 + REST_2026, ids=str)
def test_official_rest_days(national, day):
    assert not national.is_working_day(day)


@pytest.mark.parametrize("day", MAKEUP_2025 + MAKEUP_2026, ids=str)
def test_official_makeup_weekends_are_working_days(national, day):
    assert day.weekday() >= 5
    assert national.is_working_day(day)


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_other_day_is_plain_weekday_rule(national, year):
    special = set(REST_2025 + REST_2026 + MAKEUP_2025 + MAKEUP_2026)
    day = date(year, 1, 1)
    while day.year == year:
        if day not in special:
            assert national.is_working_day(day) == (day.weekday() < 5), day
        day += timedelta(days=1)
    assert national.fallback_years_used == set()


def test_day_kind_for_opening_hours(national):
    assert national.day_kind(date(2025, 1, 26)) is DayKind.WORKING  # make-up Sunday
    assert national.day_kind(date(2025, 10, 4)) is DayKind.CLOSED  # Saturday inside National Day
    assert national.day_kind(date(2025, 3, 8)) is DayKind.WEEKEND  # ordinary Saturday
    assert national.day_kind(date(2025, 5, 1)) is DayKind.CLOSED


# --- coverage ----------------------------------------------------------------------------------


def test_coverage_of_package_data(national):
    assert national.covers(2025) and national.covers(2026)
    assert not national.covers(2035)
    assert not national.covers(2003)
    assert national.uncovered_years([2035, 2025, 2026, 2035, 2003]) == [2003, 2035]


def test_package_range_is_its_declared_data_range():
    source = ChineseCalendarSource()
    assert source.first_year == 2004
    assert source.last_year >= 2026


def test_uncovered_year_answers_weekends_only_and_records_fallback():
    cal = WorkCalendar()
    assert cal.is_working_day(date(2035, 1, 1))  # New Year 2035, but no data: weekday rule
    assert not cal.is_working_day(date(2035, 1, 6))  # Saturday
    assert cal.fallback_years_used == {2035}


def test_covered_and_override_answers_are_not_fallback():
    cal = WorkCalendar(extra_closed=[date(2035, 3, 1)])
    cal.is_working_day(date(2025, 10, 1))
    assert not cal.is_working_day(date(2035, 3, 1))
    assert cal.fallback_years_used == set()


def test_fake_source_is_injectable():
    cal = WorkCalendar(source=FakeSource())
    assert not cal.is_working_day(date(2030, 1, 2))
    assert cal.is_working_day(date(2030, 1, 5))
    assert cal.uncovered_years(range(2029, 2032)) == [2029, 2031]
    # Tue 2030-01-01 + 2: skip Wed holiday -> Thu (1), Fri (2)
    assert cal.add_working_days(date(2030, 1, 1), 2) == date(2030, 1, 4)
    assert cal.add_working_days(date(2030, 1, 1), 3) == date(2030, 1, 5)
    assert cal.fallback_years_used == set()
    cal.is_working_day(date(2031, 1, 1))
    assert cal.fallback_years_used == {2031}


# --- counting ----------------------------------------------------------------------------------


def test_add_zero_returns_start_even_on_holiday(national):
    assert national.add_working_days(date(2025, 10, 3), 0) == date(2025, 10, 3)


def test_add_working_days_start_never_counts(national):
    assert national.add_working_days(date(2025, 3, 10), 1) == date(2025, 3, 11)
    assert national.add_working_days(date(2025, 1, 24), 1) == date(2025, 1, 26)  # make-up Sunday


def test_add_negative_rejected(national):
    with pytest.raises(ValueError):
        national.add_working_days(date(2025, 3, 10), -1)


def test_working_days_between(national):
    # (Fri Jan 24, Wed Feb 5]: Sun Jan 26 (make-up), Mon Jan 27, Wed Feb 5
    assert national.working_days_between(date(2025, 1, 24), date(2025, 2, 5)) == 3
    assert national.working_days_between(date(2025, 2, 5), date(2025, 1, 24)) == -3
    assert national.working_days_between(date(2025, 10, 1), date(2025, 10, 1)) == 0
    assert national.working_days_between(date(2025, 9, 30), date(2025, 10, 8)) == 0


def test_calendar_with_no_working_days_fails_loudly():
    cal = WorkCalendar(
        extra_closed=[date(2030, 1, 1) + timedelta(days=i) for i in range(400)], source=FakeSource()
    )
    with pytest.raises(ValueError):
        cal.add_working_days(date(2029, 12, 31), 1)


# --- deadlines across real holidays --------------------------------------------------------------


@pytest.mark.parametrize(
    ("accepted", "n", "expected"),
    [
        # 2025 Spring Festival: Fri Jan 24 -> Sun Jan 26 (make-up), Mon Jan 27, Wed Feb 5
        (at(2025, 1, 24), 3, due(2025, 2, 5)),
        (at(2025, 1, 24), 1, due(2025, 1, 26)),
        (at(2025, 2, 7), 1, due(2025, 2, 8)),  # make-up Saturday Feb 8
        # 2025 Labour Day: make-up Sun Apr 27; May 1-5 off
        (at(2025, 4, 25), 2, due(2025, 4, 28)),
        (at(2025, 4, 30), 1, due(2025, 5, 6)),
        # 2025 National Day: make-up Sun Sep 28 and Sat Oct 11; Oct 1-8 off
        (at(2025, 9, 26), 1, due(2025, 9, 28)),
        (at(2025, 9, 30), 3, due(2025, 10, 11)),
        # 2026 New Year: Jan 1-3 off, Sun Jan 4 make-up
        (at(2025, 12, 31), 1, due(2026, 1, 4)),
        # 2026 Spring Festival: Sat Feb 14 make-up, Feb 15-23 off, Sat Feb 28 make-up
        (at(2026, 2, 13), 2, due(2026, 2, 24)),
        (at(2026, 2, 27), 1, due(2026, 2, 28)),
        # 2026 Labour Day: May 1-5 off, Sat May 9 make-up
        (at(2026, 4, 30), 1, due(2026, 5, 6)),
        (at(2026, 4, 30), 4, due(2026, 5, 9)),
        # 2026 National Day: Sun Sep 20 make-up, Oct 1-7 off, Sat Oct 10 make-up
        (at(2026, 9, 18), 1, due(2026, 9, 20)),
        (at(2026, 9, 30), 3, due(2026, 10, 10)),
    ],
    ids=lambda v: v.isoformat() if isinstance(v, datetime) else str(v),
)
def test_deadline_across_holidays(national, accepted, n, expected):
    result = national.deadline_for(accepted, n, CLOSE)
    assert result == expected
    assert result.tzinfo is SH


def test_friday_evening_acceptance_starts_on_next_working_day(national):
    # Fri 2025-03-07 19:45: Friday does not count; Mon Mar 10 is day 1
    assert national.deadline_for(at(2025, 3, 7, 19, 45), 1, CLOSE) == due(2025, 3, 10)
    assert national.deadline_for(at(2025, 3, 7, 9, 0), 1, CLOSE) == due(2025, 3, 10)


def test_acceptance_on_holiday(national):
    # accepted during weekend duty on National Day 2025-10-03: first working day is Thu Oct 9
    assert national.deadline_for(at(2025, 10, 3), 1, CLOSE) == due(2025, 10, 9)
    assert national.deadline_for(at(2025, 10, 3), 1, CLOSE, accepted_day_counts=True) == due(
        2025, 10, 9
    )


def test_accepted_day_counts_option(national):
    assert national.deadline_for(at(2025, 3, 10), 1, CLOSE, accepted_day_counts=True) == due(
        2025, 3, 10
    )
    assert national.deadline_for(at(2025, 3, 10), 3, CLOSE, accepted_day_counts=True) == due(
        2025, 3, 12
    )
    assert national.deadline_for(at(2025, 3, 10), 3, CLOSE) == due(2025, 3, 13)


def test_zero_day_item_is_due_at_close_of_acceptance_day(national):
    assert national.deadline_for(at(2025, 3, 10), 0, CLOSE) == due(2025, 3, 10)
    assert national.deadline_for(at(2025, 3, 10), 0, CLOSE, accepted_day_counts=True) == due(
        2025, 3, 10
    )


def test_deadline_keeps_tzinfo_and_rejects_naive(national):
    utc_accept = datetime(2025, 3, 10, 2, 0, tzinfo=UTC)
    assert national.deadline_for(utc_accept, 1, CLOSE).tzinfo is UTC
    with pytest.raises(ValueError):
        national.deadline_for(datetime(2025, 3, 10, 10, 0), 1, CLOSE)
    with pytest.raises(ValueError):
        national.deadline_for(at(2025, 3, 10), -1, CLOSE)


def test_suspension_days_stop_the_clock(national):
    # Mon Mar 10 + 3 = Thu Mar 13; suspended (补正) Tue 11 and Wed 12 -> Thu, Fri, Mon 17
    suspended = [date(2025, 3, 11), date(2025, 3, 12)]
    assert national.deadline_for(at(2025, 3, 10), 3, CLOSE, suspended_days=suspended) == due(
        2025, 3, 17
    )
    # suspending a rest day changes nothing
    assert national.deadline_for(
        at(2025, 3, 10), 3, CLOSE, suspended_days=[date(2025, 3, 15)]
    ) == due(2025, 3, 13)


def test_suspended_makeup_sunday_does_not_count(national):
    assert national.deadline_for(
        at(2025, 1, 24), 1, CLOSE, suspended_days=[date(2025, 1, 26)]
    ) == due(2025, 1, 27)


# --- hall overrides --------------------------------------------------------------------------


def test_extra_closure_pushes_deadline():
    cal = WorkCalendar(extra_closed=[date(2025, 3, 12)])
    assert not cal.is_working_day(date(2025, 3, 12))
    assert cal.day_kind(date(2025, 3, 12)) is DayKind.CLOSED
    assert cal.deadline_for(at(2025, 3, 10), 3, CLOSE) == due(2025, 3, 14)


def test_extra_closure_can_cancel_a_makeup_day():
    cal = WorkCalendar(extra_closed=[date(2025, 1, 26)])
    assert cal.deadline_for(at(2025, 1, 24), 1, CLOSE) == due(2025, 1, 27)


def test_extra_duty_days_count():
    cal = WorkCalendar(extra_working=[date(2025, 3, 15), date(2025, 10, 3)])
    assert cal.is_working_day(date(2025, 3, 15))  # ordinary Saturday
    assert cal.day_kind(date(2025, 10, 3)) is DayKind.WORKING  # National Day duty
    assert cal.deadline_for(at(2025, 3, 14), 1, CLOSE) == due(2025, 3, 15)
    assert cal.deadline_for(at(2025, 9, 30), 1, CLOSE) == due(2025, 10, 3)


def test_conflicting_overrides_rejected():
    with pytest.raises(ValueError):
        WorkCalendar(extra_closed=[date(2025, 3, 15)], extra_working=[date(2025, 3, 15)])


# --- remaining time and colours ----------------------------------------------------------------

DEADLINE = due(2025, 3, 12)  # Wed 17:30


def colour(cal: WorkCalendar, now: datetime, **kw) -> str:
    return cal.deadline_colour(now, DEADLINE, OPEN, CLOSE, **kw)


def test_remaining_working_days(national):
    assert national.remaining_working_days(at(2025, 3, 10, 8, 30), DEADLINE, OPEN, CLOSE) == 3.0
    assert national.remaining_working_days(at(2025, 3, 12, 13, 0), DEADLINE, OPEN, CLOSE) == 0.5
    # Sat/Sun before contributes nothing: same as Monday's opening
    assert national.remaining_working_days(at(2025, 3, 8), DEADLINE, OPEN, CLOSE) == 3.0
    # overdue: Thu 13:00 is half an office day past
    assert national.remaining_working_days(at(2025, 3, 13, 13, 0), DEADLINE, OPEN, CLOSE) == -0.5


def test_remaining_skips_holidays_and_suspension(national):
    deadline = due(2025, 10, 9)
    assert national.remaining_working_days(at(2025, 9, 30, 17, 30), deadline, OPEN, CLOSE) == 1.0
    assert (
        national.remaining_working_days(
            at(2025, 3, 10, 8, 30), DEADLINE, OPEN, CLOSE, suspended_days=[date(2025, 3, 11)]
        )
        == 2.0
    )


def test_remaining_converts_now_to_deadline_zone(national):
    now_utc = datetime(2025, 3, 12, 5, 0, tzinfo=UTC)  # 13:00 in Shanghai
    assert national.remaining_working_days(now_utc, DEADLINE, OPEN, CLOSE) == 0.5


def test_colour_boundaries(national):
    minute = timedelta(minutes=1)
    three_left = at(2025, 3, 10, 8, 30)  # exactly 3.0 working days
    one_left = at(2025, 3, 11, 17, 30)  # exactly 1.0
    assert colour(national, at(2025, 3, 7, 17, 30) - minute) == "green"  # 3 days + 1 minute
    assert colour(national, three_left) == "yellow"
    assert colour(national, one_left - minute) == "yellow"
    assert colour(national, one_left) == "orange"
    assert colour(national, DEADLINE) == "orange"
    assert colour(national, DEADLINE + minute) == "red"  # after hours, 0.0 office time, overdue
    assert colour(national, at(2025, 3, 20)) == "red"


def test_colour_thresholds_are_parameters(national):
    now = at(2025, 3, 11, 13, 0)  # 1.5 days left
    assert colour(national, now) == "yellow"
    assert colour(national, now, orange_within_days=1.5) == "orange"
    assert colour(national, now, yellow_within_days=1.4, orange_within_days=0.5) == "green"
    with pytest.raises(ValueError):
        colour(national, now, yellow_within_days=1, orange_within_days=2)


def test_colour_across_national_day(national):
    # due Thu Oct 9 17:30; on Sep 30 after closing only Oct 9 remains -> orange, not green
    assert (
        national.deadline_colour(at(2025, 9, 30, 18, 0), due(2025, 10, 9), OPEN, CLOSE) == "orange"
    )
