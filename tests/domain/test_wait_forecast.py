"""The wait forecast (backend/domain/estimate.py) on the demo hall's windows and items: the
calling policy run forward over the line, not a count of the item's own line."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from backend.domain.availability import availability, service_hours
from backend.domain.estimate import (
    StaffedWindow,
    forecast,
    free_at,
    linked_items,
    simulate_calls,
)
from backend.domain.hours import OpeningHours, simple_day_kinds
from backend.domain.queue_policy import QueueEntry, QueuePolicy, choose_next, queue_key_for
from backend.domain.tickets import Priority
from backend.hallconfig import load_config

DEMO = load_config(Path(__file__).resolve().parents[2] / "config" / "demo-hall.toml")
WINDOWS = {w.number: tuple(w.items) for w in DEMO.windows}
POLICY = DEMO.queue.to_policy()  # aging 45 min, green -> appointment -> normal
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai
MIN = timedelta(minutes=1)
MINUTES = {i.code: i.service_minutes or DEMO.queue.default_service_minutes for i in DEMO.items}


def service(code: str) -> timedelta:
    """The demo hall's configured minutes (what the estimate uses before there is history)."""
    return MINUTES[code] * MIN


def window(number: int, free_in: timedelta = timedelta(0)) -> StaffedWindow:
    return StaffedWindow(number, WINDOWS[number], NOW + free_in)


class Line:
    """Tickets issued one a minute, the first 11 minutes ago (A001 first)."""

    def __init__(self):
        self.entries: list[QueueEntry] = []

    def add(self, item: str, priority=Priority.NORMAL, ago: int | None = None, target=None):
        n = len(self.entries) + 1
        at = NOW - (ago if ago is not None else max(0, 12 - n)) * MIN
        entry = QueueEntry(n, item, priority, at, queue_key_for(at, n), target, f"A{n:03d}")
        self.entries.append(entry)
        return entry


def test_the_reported_case_window_3_calls_its_dibao_tickets_first():
    """A005 特困人员救助供养 (MZ-03), window 3 the only one open: the 8 最低生活保障申请
    (MZ-01) tickets, before and after it, go first (window 3 lists MZ-01 first)."""
    line = Line()
    for _ in range(4):
        line.add("MZ-01")
    a005 = line.add("MZ-03")
    for _ in range(4):
        line.add("MZ-01")
    quick = {"MZ-01": 3 * MIN, "MZ-03": 20 * MIN}  # recent dibao services took 3 minutes
    got = forecast(a005, line.entries, [window(3)], NOW, POLICY, quick.__getitem__)
    assert (got.people_ahead, got.wait_minutes, got.window) == (8, 24, 3)


def test_the_aging_guard_lifts_a_ticket_over_later_preferred_ones():
    """With 20-minute dibao services, A005 has waited 45 minutes by the fourth call: it goes
    before the dibao tickets that came after it (the aging guard), not behind all eight."""
    line = Line()
    for _ in range(4):
        line.add("MZ-01")
    a005 = line.add("MZ-03")
    for _ in range(4):
        line.add("MZ-01")
    got = forecast(a005, line.entries, [window(3)], NOW, POLICY, service)
    calls = simulate_calls(line.entries, [window(3)], NOW, POLICY, service, until=a005.ticket_id)
    assert [c.entry.number for c in calls] == ["A001", "A002", "A003", "A004", "A005"]
    assert (got.people_ahead, got.wait_minutes) == (4, 80)


def test_a_comprehensive_window_first_calls_items_it_lists_earlier():
    """Window 1 (综合受理) serves 计生/残联/民政 items in its own order; with windows 1 and 3 open
    the 特困 ticket is called after the tickets either may call before it."""
    line = Line()
    line.add("WJ-01")  # listed first at window 1
    line.add("MZ-01")
    line.add("MZ-01")
    mine = line.add("MZ-03")
    got = forecast(mine, line.entries, [window(1), window(3)], NOW, POLICY, service)
    # t=0: window 1 calls WJ-01 (6 min), window 3 calls A002 (20); t=6: window 1 calls A003;
    # t=20: window 3 frees first and calls the 特困 ticket
    assert (got.people_ahead, got.wait_minutes, got.window) == (3, 20, 3)


def test_priority_classes_go_first_even_when_they_come_later():
    line = Line()
    mine = line.add("MZ-03")
    line.add("MZ-03", Priority.APPOINTMENT, ago=1)
    line.add("MZ-03", Priority.GREEN, ago=0)
    got = forecast(mine, line.entries, [window(3)], NOW, POLICY, service)
    assert (got.people_ahead, got.wait_minutes) == (2, 40)


def test_a_busy_window_frees_after_its_remaining_service():
    busy_since = NOW - 5 * MIN  # serving a 20-minute dibao ticket for 5 minutes
    w3 = StaffedWindow(3, WINDOWS[3], free_at(NOW, busy_since, service("MZ-01")))
    line = Line()
    mine = line.add("MZ-03")
    got = forecast(mine, line.entries, [w3], NOW, POLICY, service)
    assert (got.people_ahead, got.wait_minutes) == (0, 15)
    overdue = free_at(NOW, NOW - 30 * MIN, service("MZ-01"))  # longer than typical: free now
    assert overdue == NOW


def test_an_idle_window_calls_at_once():
    line = Line()
    mine = line.add("SF-03")
    got = forecast(mine, line.entries, [window(9)], NOW, POLICY, service)
    assert (got.called, got.people_ahead, got.wait_minutes) == (True, 0, 0)


def test_no_staffed_window_serving_it_means_no_figure():
    """法律咨询 (SF-03) is served only at window 9: with window 9 closed nothing is promised,
    however many other windows are open."""
    line = Line()
    mine = line.add("SF-03")
    others = [window(n) for n in WINDOWS if n != 9]
    got = forecast(mine, line.entries, others, NOW, POLICY, service)
    assert (got.called, got.people_ahead, got.wait_minutes) == (False, None, None)


def test_a_transferred_ticket_waits_for_its_window_only():
    line = Line()
    line.add("MZ-01")
    moved = line.add("MZ-03", target=3)
    got = forecast(moved, line.entries, [window(3)], NOW, POLICY, service)
    assert (got.people_ahead, got.window) == (0, 3)  # transferred tickets come first there
    assert not forecast(moved, line.entries, [window(1)], NOW, POLICY, service).called


def test_aging_is_judged_when_the_window_frees():
    """The 特困 ticket has waited 40 minutes; window 3 frees in 5: exactly the aging limit then,
    so it goes before the fresh dibao ticket."""
    line = Line()
    old = line.add("MZ-03", ago=40)
    line.add("MZ-01", ago=0)
    calls = simulate_calls(line.entries, [window(3, 5 * MIN)], NOW, POLICY, service)
    assert calls[0].entry == old and calls[0].at == NOW + 5 * MIN
    calls = simulate_calls(line.entries, [window(3, 4 * MIN)], NOW, POLICY, service)
    assert calls[0].entry != old  # 44 minutes: not yet


def test_windows_freeing_together_call_in_number_order():
    line = Line()
    first, second = line.add("MZ-01"), line.add("MZ-01")
    calls = simulate_calls(line.entries, [window(3), window(1)], NOW, POLICY, service)
    assert [(c.window, c.entry) for c in calls] == [(1, first), (3, second)]


def test_items_are_linked_through_shared_windows():
    groups = linked_items(WINDOWS)
    assert groups["SF-03"] == {"SF-01", "SF-02", "SF-03"}  # window 9 alone serves them
    assert {"MZ-03", "WJ-01", "RS-02", "NJ-01", "ZJ-01"} <= groups["MZ-03"]  # 1, 2, 7, 11
    assert "SF-03" not in groups["MZ-03"]
    every = {code for items in WINDOWS.values() for code in items}
    assert set(groups) == every


def test_availability_needs_a_staffed_window_unless_the_hall_allows_queueing():
    closed = {9: "closed"}
    assert availability("SF-03", WINDOWS, closed, False).issuable is False
    assert availability("SF-03", WINDOWS, closed, True).issuable is True
    assert availability("SF-03", WINDOWS, closed, True).window_open is False
    assert availability("SF-03", WINDOWS, {9: "paused"}, False).window_open is True
    view = availability("SF-03", WINDOWS, {}, False).view({"zh": "今日", "en": "today"})
    assert view["available"] is False and view["unavailable_reason"]["code"] == "no_window_open"


def test_service_hours_in_words():
    hours = OpeningHours(((time(8, 30), time(12)), (time(14), time(17, 30))))
    kinds = simple_day_kinds()
    from zoneinfo import ZoneInfo

    sh = ZoneInfo("Asia/Shanghai")
    monday = datetime(2026, 11, 23, 10, 0, tzinfo=sh)
    assert service_hours(hours, monday, kinds)["zh"] == "今日服务时间 08:30–12:00、14:00–17:30"
    assert service_hours(hours, monday, kinds)["en"] == "Served today 08:30–12:00, 14:00–17:30"
    evening = monday.replace(hour=19)
    assert service_hours(hours, evening, kinds)["zh"] == "下次服务 11-24 08:30"


# --- the fast simulation is the policy's choose_next, step by step ---


def naive_calls(line, windows, now, policy, service):
    """What call-next would do at each window as it frees, straight from choose_next."""
    waiting = list(line)
    free = {w.number: max(now, w.free_at) for w in windows}
    items = {w.number: w.items for w in windows}
    calls = []
    while free:
        number = min(free, key=lambda n: (free[n], n))
        at = free.pop(number)
        nxt = choose_next(waiting, number, items[number], at, policy)
        if nxt is None:
            continue
        waiting.remove(nxt)
        calls.append((at, number, nxt.ticket_id))
        free[number] = at + service(nxt.item_code)
    return calls


ITEMS = ["X", "Y", "Z"]
lines = st.lists(
    st.tuples(
        st.sampled_from(ITEMS),
        st.sampled_from(list(Priority)),
        st.integers(0, 90),  # minutes waited
        st.none() | st.integers(1, 3),  # transferred to a window
    ),
    max_size=14,
)
windows = st.lists(
    st.tuples(st.permutations(ITEMS), st.integers(1, 3), st.integers(0, 15)),
    min_size=1,
    max_size=3,
)


@settings(max_examples=300, deadline=None)
@given(lines, windows, st.integers(5, 60))
def test_the_simulation_calls_what_choose_next_would(raw_line, raw_windows, aging):
    policy = QueuePolicy(aging_limit_minutes=aging)
    line = []
    for n, (item, priority, waited, target) in enumerate(raw_line, 1):
        at = NOW - waited * MIN
        line.append(QueueEntry(n, item, priority, at, queue_key_for(at, n), target))
    staffed = [
        StaffedWindow(n, tuple(items[:keep]), NOW + free * MIN)
        for n, (items, keep, free) in enumerate(raw_windows, 1)
    ]
    minutes = {"X": 4 * MIN, "Y": 7 * MIN, "Z": 11 * MIN}
    fast = simulate_calls(line, staffed, NOW, policy, minutes.__getitem__)
    assert [(c.at, c.window, c.entry.ticket_id) for c in fast] == naive_calls(
        line, staffed, NOW, policy, minutes.__getitem__
    )
