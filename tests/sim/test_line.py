"""The simulator's indexed line picks exactly what the server's ``choose_next`` picks."""

import random
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from backend.domain.queue_policy import QueueEntry, QueuePolicy, choose_next, queue_key_for
from backend.domain.tickets import Priority
from backend.sim.line import Line

T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
ITEMS = ["X", "Y", "Z", "W"]
WINDOWS = {1: ["X", "Y", "Z", "W"], 2: ["Y", "X"], 3: ["Z"], 4: ["W", "Z", "Y"]}
POLICIES = [
    QueuePolicy(aging_limit_minutes=45),
    QueuePolicy(aging_limit_minutes=5, class_order=(Priority.NORMAL, Priority.GREEN,
                                                    Priority.APPOINTMENT)),
]  # fmt: skip


def random_entry(rng: random.Random, tid: int) -> QueueEntry:
    at = T0 + timedelta(seconds=rng.choice([0, 60, 600]) * rng.randint(0, 12))
    key = queue_key_for(at, rng.randint(0, 3))
    if rng.random() < 0.15:  # a re-queued no-show: key and waiting time disagree with arrival
        key = queue_key_for(T0 + timedelta(minutes=rng.randint(0, 120)), 7)
    target = rng.choice([1, 2, 3, 4]) if rng.random() < 0.1 else None
    item = rng.choice(ITEMS)
    if target is not None and item not in WINDOWS[target]:
        item = WINDOWS[target][0]
    return QueueEntry(tid, item, rng.choice(list(Priority)), at, key, target)


def run_random_day(seed: int, policy: QueuePolicy) -> int:
    rng = random.Random(seed)
    line, waiting = Line(policy), {}
    checked = 0
    for tid in range(rng.randint(5, 80)):
        e = random_entry(rng, tid)
        line.add(e)
        waiting[tid] = e
    for _ in range(60):
        now = T0 + timedelta(minutes=rng.randint(0, 200), seconds=rng.choice([0, 0, 30]))
        window = rng.choice(list(WINDOWS))
        expected = choose_next(waiting.values(), window, WINDOWS[window], now, policy)
        got = line.next_for(window, WINDOWS[window], now)
        assert got == expected, (seed, window, now)
        checked += 1
        if got is not None and rng.random() < 0.7:  # called
            line.remove(got.ticket_id)
            del waiting[got.ticket_id]
        if waiting and rng.random() < 0.2:  # somebody gives up
            gone = rng.choice(list(waiting))
            line.remove(gone)
            del waiting[gone]
        if rng.random() < 0.5:  # somebody new
            tid = max(waiting, default=1000) + 1000
            e = random_entry(rng, tid)
            line.add(e)
            waiting[tid] = e
    return checked


def test_fast_chooser_equals_choose_next_on_random_lines():
    checked = sum(run_random_day(seed, policy) for seed in range(300) for policy in POLICIES)
    assert checked == 300 * 2 * 60


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=2**32), st.sampled_from(POLICIES))
def test_fast_chooser_equals_choose_next_hypothesis(seed, policy):
    run_random_day(seed, policy)


def test_exactly_at_the_aging_limit():
    policy = QueuePolicy(aging_limit_minutes=45)
    old = QueueEntry(1, "Y", Priority.NORMAL, T0, queue_key_for(T0))
    later = T0 + timedelta(minutes=30)
    new = QueueEntry(2, "X", Priority.NORMAL, later, queue_key_for(later))
    line = Line(policy)
    line.add(old)
    line.add(new)
    just_before = T0 + timedelta(minutes=45) - timedelta(microseconds=1)
    assert line.next_for(1, ["X", "Y"], just_before).ticket_id == 2
    assert line.next_for(1, ["X", "Y"], T0 + timedelta(minutes=45)).ticket_id == 1
