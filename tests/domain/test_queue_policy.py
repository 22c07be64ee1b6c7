from datetime import UTC, datetime, timedelta

from backend.domain.queue_policy import (
    QueueEntry,
    QueuePolicy,
    calling_order,
    choose_next,
    people_ahead,
    queue_key_for,
    requeue_key,
)
from backend.domain.tickets import Priority

T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
POLICY = QueuePolicy(aging_limit_minutes=45, requeue_behind=2)


def entry(tid, item="X", minutes=0, priority=Priority.NORMAL, target=None, key=None):
    at = T0 + timedelta(minutes=minutes)
    return QueueEntry(
        tid, item, priority, at, key if key is not None else queue_key_for(at), target
    )


def ids(entries):
    return [e.ticket_id for e in entries]


def test_first_come_first_called_within_one_item_and_class():
    now = T0 + timedelta(minutes=10)
    order = calling_order(
        [entry(2, minutes=5), entry(1, minutes=1), entry(3, minutes=7)], 1, ["X"], now, POLICY
    )
    assert ids(order) == [1, 2, 3]


def test_window_item_priority_comes_before_arrival():
    now = T0 + timedelta(minutes=10)
    entries = [entry(1, "Y", minutes=0), entry(2, "X", minutes=5)]
    assert ids(calling_order(entries, 1, ["X", "Y"], now, POLICY)) == [2, 1]
    assert ids(calling_order(entries, 1, ["Y", "X"], now, POLICY)) == [1, 2]


def test_green_channel_and_appointments_go_before_normal_for_the_same_item():
    now = T0 + timedelta(minutes=10)
    entries = [
        entry(1, minutes=0),
        entry(2, minutes=3, priority=Priority.APPOINTMENT),
        entry(3, minutes=6, priority=Priority.GREEN),
    ]
    assert ids(calling_order(entries, 1, ["X"], now, POLICY)) == [3, 2, 1]


def test_aging_guard_lifts_a_starved_ticket_above_preferred_items():
    entries = [entry(1, "Y", minutes=0), entry(2, "X", minutes=30)]
    assert choose_next(entries, 1, ["X", "Y"], T0 + timedelta(minutes=44), POLICY).ticket_id == 2
    assert choose_next(entries, 1, ["X", "Y"], T0 + timedelta(minutes=45), POLICY).ticket_id == 1


def test_window_only_sees_its_items_and_tickets_transferred_to_it():
    entries = [entry(1, "Z"), entry(2, "X", target=5), entry(3, "X", minutes=1)]
    now = T0 + timedelta(minutes=2)
    assert ids(calling_order(entries, 4, ["X"], now, POLICY)) == [3]
    assert ids(calling_order(entries, 5, ["X"], now, POLICY)) == [2, 3]


def test_nobody_waiting_gives_none():
    assert choose_next([], 1, ["X"], T0, POLICY) is None


def test_people_ahead_counts_same_item_better_placed_tickets_only():
    a, b, c = entry(1, minutes=0), entry(2, minutes=1), entry(3, minutes=2, priority=Priority.GREEN)
    other = entry(4, "Y", minutes=0)
    assert people_ahead(b, [a, b, c, other], POLICY) == 2  # a came earlier, c is green
    assert people_ahead(c, [a, b, c, other], POLICY) == 0


def test_requeue_puts_a_returning_no_show_behind_n_people():
    line = [entry(i, minutes=i) for i in range(1, 6)]
    key = requeue_key(line, 2, queue_key_for(T0 + timedelta(hours=1)), POLICY)
    returning = entry(99, key=key, minutes=0)
    order = calling_order([*line, returning], 1, ["X"], T0 + timedelta(minutes=6), POLICY)
    assert ids(order) == [1, 2, 99, 3, 4, 5]


def test_requeue_goes_to_the_end_of_a_short_line():
    line = [entry(1, minutes=1)]
    now_key = queue_key_for(T0 + timedelta(minutes=30))
    assert requeue_key(line, 3, now_key, POLICY) == now_key
    assert requeue_key([], 3, now_key, POLICY) == now_key
