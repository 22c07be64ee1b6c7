from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from backend.domain.errors import Conflict
from backend.domain.estimate import typical_service_seconds
from backend.domain.hours import DayKind, OpeningHours, simple_day_kinds
from backend.domain.windows import WindowAction, WindowState, may_sign_in, next_window_state
from backend.domain.workcalendar import WorkCalendar

SH = ZoneInfo("Asia/Shanghai")


def test_typical_service_is_the_item_default_until_there_is_history():
    assert typical_service_seconds([], 8) == 480
    assert typical_service_seconds([60, 120], 8) == 480  # too few samples


def test_typical_service_is_the_median_of_recent_services():
    recent = [300, 300, 300, 3000]  # one outlier does not move the median
    assert typical_service_seconds(recent, 8) == 300


HOURS = OpeningHours(
    working_days=((time(8, 30), time(12)), (time(14), time(17, 30))),
    extended=((time(17, 30), time(19)),),
    weekend_duty=((time(9), time(12)),),
)


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        (datetime(2026, 11, 23, 9, 0, tzinfo=SH), True),  # Monday morning
        (datetime(2026, 11, 23, 12, 30, tzinfo=SH), False),  # lunch
        (datetime(2026, 11, 23, 18, 0, tzinfo=SH), True),  # extended hours 延时服务
        (datetime(2026, 11, 28, 10, 0, tzinfo=SH), True),  # Saturday duty 双休日值班
        (datetime(2026, 11, 28, 15, 0, tzinfo=SH), False),
        (datetime(2026, 10, 2, 10, 0, tzinfo=SH), False),  # National Day holiday
        (
            datetime(2026, 10, 10, 9, 0, tzinfo=SH),
            True,
        ),  # make-up working Saturday 调休 gets full hours
        (datetime(2026, 10, 10, 15, 0, tzinfo=SH), True),
    ],
)
def test_opening_hours_follow_the_national_calendar(moment, is_open):
    assert HOURS.is_open(moment, WorkCalendar().day_kind) is is_open


def test_next_opening_skips_a_holiday_block():
    holiday_eve = datetime(2026, 9, 30, 20, 0, tzinfo=SH)
    nxt = HOURS.next_opening(holiday_eve, WorkCalendar().day_kind)
    assert nxt == datetime(2026, 10, 8, 8, 30, tzinfo=SH)


def test_hall_overrides_in_the_simple_calendar():
    kinds = simple_day_kinds(frozenset({date(2026, 11, 24)}), frozenset({date(2026, 11, 29)}))
    assert kinds(date(2026, 11, 24)) is DayKind.CLOSED
    assert kinds(date(2026, 11, 29)) is DayKind.WORKING
    assert kinds(date(2026, 11, 28)) is DayKind.WEEKEND


def test_window_moves():
    W, A = WindowState, WindowAction
    assert next_window_state(W.CLOSED, A.SIGN_IN) is W.OPEN
    assert next_window_state(W.OPEN, A.PAUSE) is W.PAUSED
    assert next_window_state(W.PAUSED, A.RESUME) is W.OPEN
    assert next_window_state(W.PAUSED, A.SIGN_OUT) is W.CLOSED
    with pytest.raises(Conflict):
        next_window_state(W.CLOSED, A.PAUSE)
    with pytest.raises(Conflict):
        next_window_state(W.OPEN, A.SIGN_IN)


def test_a_take_over_opens_an_open_or_paused_window_but_not_a_closed_one():
    W, A = WindowState, WindowAction
    assert next_window_state(W.PAUSED, A.TAKE_OVER) is W.OPEN
    assert next_window_state(W.OPEN, A.TAKE_OVER) is W.OPEN
    with pytest.raises(Conflict) as closed:
        next_window_state(W.CLOSED, A.TAKE_OVER)
    assert closed.value.code == "invalid_window_transition"
    assert "take over a window that is closed" in closed.value.message


def test_ab_posts_decide_who_may_sign_in():
    assert may_sign_in(7, None, None)
    assert may_sign_in(7, 7, 8) and may_sign_in(8, 7, 8)
    assert not may_sign_in(9, 7, 8)
