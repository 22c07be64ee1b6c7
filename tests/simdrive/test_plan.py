"""The simulated period: shifts merged and clipped, arrivals kept inside it, the clock."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from backend.cli import DEMO_CONFIG
from backend.hallconfig import load_config
from backend.sim.model import Arrival, Shift
from backend.simdrive.plan import SimClock, build_plan, clip, parse_hhmm, parse_windows

TZ = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 12, 2)


@pytest.fixture(scope="module")
def cfg():
    return load_config(DEMO_CONFIG)


def at(hh: int, mm: int) -> datetime:
    return datetime.combine(DAY, time(hh, mm), tzinfo=TZ)


def test_shifts_merge_and_clip_to_the_period(cfg):
    roster = [
        Shift(1, time(8, 30), time(10, 0)),
        Shift(1, time(10, 0), time(12, 0)),  # touches the one before: one span
        Shift(1, time(14, 0), time(17, 30)),
        Shift(2, time(8, 0), time(8, 45)),  # ends before the period starts
        Shift(3, time(9, 0), time(9, 30)),
    ]
    arrivals = [Arrival(at(9, 10), "MZ-01", 300), Arrival(at(8, 50), "MZ-01", 300)]
    plan = clip(cfg, "p", DAY, arrivals, roster, start=time(9, 0), duration_minutes=330)
    assert (plan.start, plan.end) == (at(9, 0), at(14, 30))
    assert [(s.start, s.end) for s in plan.shifts[1]] == [
        (at(9, 0), at(12, 0)),
        (at(14, 0), at(14, 30)),
    ]
    assert 2 not in plan.shifts and [s.end for s in plan.shifts[3]] == [at(9, 30)]
    assert [a.at for a in plan.arrivals] == [at(9, 10)]  # 08:50 is before the period


def test_the_default_period_is_the_roster_and_windows_can_be_left_out(cfg):
    plan = build_plan(cfg, "normal-wednesday", DAY, seed=3, windows=parse_windows("1-2,4"))
    assert sorted(plan.shifts) == [1, 2, 4]
    assert plan.start.time() == time(8, 30) and plan.arrivals
    assert all(plan.start <= a.at < plan.end for a in plan.arrivals)
    again = build_plan(cfg, "normal-wednesday", DAY, seed=3, windows={1, 2, 4})
    assert again.arrivals == plan.arrivals  # seeded


def test_the_clock_runs_speed_times_faster():
    clock = SimClock(at(9, 0), speed=60, origin=100.0)
    assert clock.sim(110.0) == at(9, 10)
    assert clock.real(at(10, 0)) == pytest.approx(160.0)
    assert clock.real_seconds(600) == 10


def test_bad_times_and_window_lists_are_refused(cfg):
    with pytest.raises(ValueError, match="HH:MM"):
        parse_hhmm("9h")
    with pytest.raises(ValueError, match="window numbers"):
        parse_windows("1-x")
    with pytest.raises(ValueError, match="empty"):
        clip(cfg, "p", DAY, [], [], start=time(9, 0), duration_minutes=0)
    assert parse_windows("3, 5-6") == {3, 5, 6}
