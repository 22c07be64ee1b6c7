"""预约 rules (slots, capacity, cut-off, tolerance, no-show limit) and the slot rule of the
calling policy, with the indexed choosers (simulator line, wait estimate) agreeing with it."""

from __future__ import annotations

import heapq
import random
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from backend.domain import appointments as ap
from backend.domain.estimate import StaffedWindow, simulate_calls
from backend.domain.hours import DayKind
from backend.domain.queue_policy import (
    QueueEntry,
    QueuePolicy,
    calling_order,
    choose_next,
    queue_key_for,
)
from backend.domain.tickets import Priority
from backend.sim.line import Line

TZ = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 11, 23)
RULES = ap.Rules()


def at(h: int, m: int = 0) -> datetime:
    return datetime.combine(MONDAY, time(h, m), tzinfo=TZ)


def test_slots_fill_each_period_and_drop_a_short_tail():
    slots = ap.day_slots(MONDAY, [(time(14, 0), time(15, 10)), (time(8, 30), time(9, 30))], TZ, 30)
    assert [s.start.strftime("%H:%M") for s in slots] == ["08:30", "09:00", "14:00", "14:30"]
    assert ap.find_slot(at(9), slots).end == at(9, 30)
    assert ap.find_slot(at(9, 10), slots) is None
    assert ap.find_slot(at(1).astimezone(UTC), slots) is None
    assert ap.find_slot(at(14).astimezone(UTC), slots) is slots[2]  # any zone, same instant


def test_capacity_shares_windows_between_their_items():
    windows = {1: ("A", "B", "C", "D"), 2: ("A", "B"), 3: ("C",)}
    six = {"A": 6.0, "B": 6.0, "C": 10.0, "D": 6.0}.__getitem__
    assert ap.slot_capacity("A", windows, six, 30, 1.0) == 3  # 5/4 + 5/2
    assert ap.slot_capacity("A", windows, six, 30, 0.3) == 1  # floor(1.125)
    assert ap.slot_capacity("D", windows, six, 30, 0.1) == 1  # at least one when served
    assert ap.slot_capacity("E", windows, six, 30, 1.0) == 0
    assert ap.slot_capacity("C", windows, six, 60, 0.5) == 3  # (6/4 + 6) * 0.5


def test_slot_reasons():
    slot = ap.Slot(at(10), at(10, 30))
    assert ap.slot_reason(slot, at(8), 60, 3, 0) is None
    assert ap.slot_reason(slot, at(9, 1), 60, 3, 0) is ap.SlotReason.CUTOFF
    assert ap.slot_reason(slot, at(9), 60, 3, 0) is None  # exactly 60 minutes ahead
    assert ap.slot_reason(slot, at(10), 60, 3, 0) is ap.SlotReason.PAST
    assert ap.slot_reason(slot, at(8), 60, 3, 3) is ap.SlotReason.FULL
    assert ap.slot_reason(slot, at(8), 60, 0, 0) is ap.SlotReason.CLOSED


def test_check_in_tolerance_edges():
    start = at(10)
    assert ap.arrival(at(9, 45), start, RULES) is ap.Arrival.ON_TIME
    assert (
        ap.arrival(
            at(
                9,
                44,
            ),
            start,
            RULES,
        )
        is ap.Arrival.EARLY
    )
    assert ap.arrival(at(10, 10), start, RULES) is ap.Arrival.ON_TIME
    assert ap.arrival(at(10, 10) + timedelta(seconds=1), start, RULES) is ap.Arrival.LATE
    assert ap.explanation(ap.Arrival.ON_TIME) is None
    assert "晚" in ap.explanation(ap.Arrival.LATE)["zh"]
    slot = ap.Slot(start, at(10, 30))
    assert ap.no_show_at(slot, RULES) == at(10, 30)  # the slot's end
    long_late = replace(RULES, late_minutes=45)
    assert ap.no_show_at(slot, long_late) == at(10, 45)  # or the tolerance's, if later


def test_no_shows_block_until_the_oldest_ages_out():
    now = at(12)
    three = [now - timedelta(days=d) for d in (1, 5, 20)]
    assert ap.no_show_blocked_until(three[:2], now, RULES) is None
    assert ap.no_show_blocked_until(three, now, RULES) == three[2] + timedelta(days=30)
    assert ap.no_show_blocked_until(three + [now - timedelta(days=31)], now, RULES) == three[
        2
    ] + timedelta(days=30)
    assert ap.no_show_blocked_until(three, now, ap.Rules(no_show_limit=0)) is None


def test_bookable_days_skip_closed_days_and_count_opened_ones():
    closed = {date(2026, 11, 25)}

    def kind(d: date) -> DayKind:
        if d in closed:
            return DayKind.CLOSED
        return DayKind.WORKING if d.weekday() < 5 else DayKind.WEEKEND

    days = ap.bookable_days(MONDAY, kind, lambda d: d.weekday() < 5, 3)
    assert days[0] == MONDAY and days[-1] == date(2026, 11, 27)  # Tue, Thu, Fri
    assert ap.day_label(date(2026, 11, 28), DayKind.WORKING, False) == "makeup"
    assert ap.day_label(date(2026, 10, 1), DayKind.CLOSED, True) == "holiday"


# --- the slot rule of the calling policy ----------------------------------------------------------

T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
POLICY = QueuePolicy(aging_limit_minutes=45)
POLICIES = [
    POLICY,
    QueuePolicy(aging_limit_minutes=10, class_order=(Priority.NORMAL, Priority.GREEN,
                                                     Priority.APPOINTMENT)),
]  # fmt: skip
WINDOWS = {1: ("X", "Y", "Z"), 2: ("Y", "X"), 3: ("Z",)}


def walk_in(tid: int, minutes: int, item: str = "X") -> QueueEntry:
    t = T0 + timedelta(minutes=minutes)
    return QueueEntry(tid, item, Priority.NORMAL, t, queue_key_for(t, tid))


def slotted(tid: int, arrived: int, slot: int, item: str = "X") -> QueueEntry:
    t, s = T0 + timedelta(minutes=arrived), T0 + timedelta(minutes=slot)
    return QueueEntry(tid, item, Priority.APPOINTMENT, t, queue_key_for(s, tid), slot_start=s)


def test_an_appointment_ranks_by_its_slot_before_it_and_first_from_it():
    early_walk_in, appointment, late_walk_in = walk_in(1, 0), slotted(2, 5, 20), walk_in(3, 10)
    line = [early_walk_in, appointment, late_walk_in]
    order = calling_order(line, 1, WINDOWS[1], T0 + timedelta(minutes=15), POLICY)
    assert [e.ticket_id for e in order] == [1, 3, 2]  # before its slot: behind both walk-ins
    order = calling_order(line, 1, WINDOWS[1], T0 + timedelta(minutes=20), POLICY)
    assert [e.ticket_id for e in order] == [2, 1, 3]  # from its slot: the appointment class
    aged = calling_order(line, 1, WINDOWS[1], T0 + timedelta(minutes=45), POLICY)
    assert aged[0].ticket_id == 1  # a walk-in past the aging limit still goes first


def random_entry(rng: random.Random, tid: int) -> QueueEntry:
    arrived = rng.choice([0, 1, 10]) * rng.randint(0, 12)
    item = rng.choice(["X", "Y", "Z"])
    roll = rng.random()
    if roll < 0.3:
        return slotted(tid, arrived, arrived + rng.choice([-10, 0, 5, 15, 30, 60]), item)
    t = T0 + timedelta(minutes=arrived)
    priority = rng.choice(list(Priority))
    target = rng.choice([1, 2, 3]) if roll > 0.93 else None
    if target is not None and item not in WINDOWS[target]:
        item = WINDOWS[target][0]
    return QueueEntry(tid, item, priority, t, queue_key_for(t, tid), target)


def run_day(seed: int, policy: QueuePolicy) -> None:
    rng = random.Random(seed)
    line, waiting = Line(policy), {}
    for tid in range(rng.randint(3, 40)):
        e = random_entry(rng, tid)
        line.add(e)
        waiting[tid] = e
    now = T0
    for _ in range(40):
        now += timedelta(minutes=rng.choice([0, 1, 3, 7]))
        window = rng.choice(list(WINDOWS))
        expected = choose_next(waiting.values(), window, WINDOWS[window], now, policy)
        assert line.next_for(window, WINDOWS[window], now) == expected, (seed, window, now)
        if expected is not None:
            line.remove(expected.ticket_id)
            del waiting[expected.ticket_id]
        if rng.random() < 0.5:
            tid = max(waiting, default=100) + 100
            waiting[tid] = random_entry(rng, tid)
            line.add(waiting[tid])


def naive_calls(line, windows, now, policy, service):
    """``simulate_calls`` by sorting the whole remaining line at every call."""
    left = {e.ticket_id: e for e in line}
    free = [(w.free_at, w.number) for w in windows]
    by_number = {w.number: w for w in windows}
    heapq.heapify(free)
    calls = []
    while free:
        when, number = heapq.heappop(free)
        order = calling_order(left.values(), number, by_number[number].items, when, policy)
        if not order:
            continue
        del left[order[0].ticket_id]
        calls.append((when, number, order[0].ticket_id))
        heapq.heappush(free, (when + service(order[0].item_code), number))
    return calls


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=2**32), st.sampled_from(POLICIES))
def test_the_simulator_line_agrees_with_the_policy(seed, policy):
    run_day(seed, policy)


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=2**32), st.sampled_from(POLICIES))
def test_the_wait_estimate_agrees_with_the_policy(seed, policy):
    rng = random.Random(seed)
    line = [random_entry(rng, tid) for tid in range(rng.randint(1, 30))]
    windows = [StaffedWindow(n, items, T0 + timedelta(minutes=rng.randint(0, 20)))
               for n, items in WINDOWS.items() if rng.random() < 0.8]  # fmt: skip

    def service(code: str) -> timedelta:
        return timedelta(minutes={"X": 4, "Y": 7, "Z": 11}[code])

    got = [
        (c.at, c.window, c.entry.ticket_id)
        for c in simulate_calls(line, windows, T0, policy, service)
    ]
    assert got == naive_calls(line, windows, T0, policy, service)
