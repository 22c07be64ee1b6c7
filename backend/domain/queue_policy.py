"""Which waiting ticket a window calls next, where a ticket stands, and where a no-show re-enters.

Calling order for a window (first difference wins):
1. tickets transferred to this very window (they already waited once);
2. tickets waiting longer than the aging limit (oldest first, then by queue key), so nobody is
   starved;
3. the window's items in its priority order;
4. the priority class (default: green channel, then appointment, then normal);
5. the queue key (arrival time, or the re-queue position), then the ticket id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .tickets import Priority

DEFAULT_CLASS_ORDER = (Priority.GREEN, Priority.APPOINTMENT, Priority.NORMAL)


@dataclass(frozen=True)
class QueuePolicy:
    aging_limit_minutes: int = 45
    requeue_behind: int = 3
    class_order: tuple[Priority, ...] = DEFAULT_CLASS_ORDER

    def class_rank(self, priority: Priority | str) -> int:
        return self.class_order.index(Priority(priority))


@dataclass(frozen=True)
class QueueEntry:
    """A waiting ticket as the policy sees it."""

    ticket_id: int
    item_code: str
    priority: Priority
    waiting_since: datetime  # arrival, kept across transfers; reset by a re-queue
    queue_key: int  # arrival in microseconds, or the re-queue position
    target_window: int | None = None
    number: str = field(default="", compare=False)


def serves(entry: QueueEntry, window_number: int, window_items: Sequence[str]) -> bool:
    return entry.item_code in window_items and entry.target_window in (None, window_number)


def calling_order(
    entries: Iterable[QueueEntry],
    window_number: int,
    window_items: Sequence[str],
    now: datetime,
    policy: QueuePolicy,
) -> list[QueueEntry]:
    """The tickets this window may call, best first."""
    rank = {code: i for i, code in enumerate(window_items)}
    limit = timedelta(minutes=policy.aging_limit_minutes)

    def key(e: QueueEntry) -> tuple:
        targeted = 0 if e.target_window == window_number else 1
        aged = now - e.waiting_since >= limit
        if aged:
            return (targeted, 0, e.waiting_since.timestamp(), e.queue_key, e.ticket_id)
        return (
            targeted,
            1,
            rank[e.item_code],
            policy.class_rank(e.priority),
            e.queue_key,
            e.ticket_id,
        )

    return sorted((e for e in entries if serves(e, window_number, window_items)), key=key)


def choose_next(
    entries: Iterable[QueueEntry],
    window_number: int,
    window_items: Sequence[str],
    now: datetime,
    policy: QueuePolicy,
) -> QueueEntry | None:
    order = calling_order(entries, window_number, window_items, now, policy)
    return order[0] if order else None


def line_key(entry: QueueEntry, policy: QueuePolicy) -> tuple:
    """Order within one item's line, ignoring window preferences and aging."""
    return (policy.class_rank(entry.priority), entry.queue_key, entry.ticket_id)


def people_ahead(entry: QueueEntry, waiting: Iterable[QueueEntry], policy: QueuePolicy) -> int:
    """Waiting tickets of the same item that stand before ``entry`` in its line."""
    mine = line_key(entry, policy)
    return sum(
        1
        for other in waiting
        if other.item_code == entry.item_code
        and other.ticket_id != entry.ticket_id
        and line_key(other, policy) < mine
    )


def requeue_key(
    same_line: Sequence[QueueEntry], behind: int, now_key: int, policy: QueuePolicy
) -> int:
    """Queue key that puts a returning no-show right behind the first ``behind`` people of its
    line (same item and class), or at the end when fewer are waiting."""
    ordered = sorted(same_line, key=lambda e: line_key(e, policy))
    if behind <= 0:
        return ordered[0].queue_key - 1 if ordered else now_key
    if len(ordered) <= behind:
        return max([now_key] + [e.queue_key + 1 for e in ordered])
    return ordered[behind - 1].queue_key + 1


TIEBREAK_SLOTS = 1024


def queue_key_for(moment: datetime, seq: int = 0) -> int:
    """Arrival as an integer sort key: microseconds since the epoch, times 1024, plus the ticket's
    sequence, so tickets issued in the same microsecond still have distinct, ordered keys and a
    re-queue can slot in between two neighbours."""
    return int(moment.timestamp() * 1_000_000) * TIEBREAK_SLOTS + seq % TIEBREAK_SLOTS
