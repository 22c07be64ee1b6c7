"""Which waiting ticket a window calls next, where a ticket stands, and where a no-show re-enters.

Calling order for a window (first difference wins):
1. tickets transferred to this very window (they already waited once);
2. tickets waiting longer than the aging limit (oldest first, then by queue key), so nobody is
   starved;
3. the window's items in its priority order;
4. the priority class (default: green channel, then appointment, then normal);
5. the queue key (arrival time, or the re-queue position), then the ticket id.

A ticket from an on-time appointment check-in carries its slot start (``slot_start``) and its
queue key is that of the slot start: it ranks in the appointment class only from the slot start
on; before, it ranks as a normal ticket that arrived at the slot start, so walk-ins who came
earlier are not overtaken early. The aging rule (2.) comes first either way.
"""

from __future__ import annotations

import bisect
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

    def class_at(self, entry: QueueEntry, at: datetime) -> int:
        """The entry's class rank at ``at``: a slotted appointment is normal until its slot."""
        if entry.slot_start is None:
            return self.class_rank(entry.priority)
        return self.class_rank(Priority.APPOINTMENT if at >= entry.slot_start else Priority.NORMAL)


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
    slot_start: datetime | None = None  # an on-time appointment's slot; its key is the slot's


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
            policy.class_at(e, now),
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
    """Order within one item's line, ignoring window preferences and aging (a slotted
    appointment as before its slot: normal, by its slot start)."""
    if entry.slot_start is not None:
        return (policy.class_rank(Priority.NORMAL), entry.queue_key, entry.ticket_id)
    return (policy.class_rank(entry.priority), entry.queue_key, entry.ticket_id)


def rank_at(entry: QueueEntry, at: datetime, policy: QueuePolicy) -> tuple:
    """Order within one item's line at ``at`` (window preferences and aging aside)."""
    return (policy.class_at(entry, at), entry.queue_key, entry.ticket_id)


class SlottedLine:
    """One item's slotted appointments in queue-key order, which is slot order (their keys are
    their slot starts'). The policy's first among them at ``at`` is the first one whose slot
    has begun or the first one whose slot has not: ``heads`` gives both."""

    def __init__(self) -> None:
        self.rows: list[tuple[int, int, QueueEntry]] = []  # (queue key, ticket id, entry)
        self.keys: dict[int, tuple[int, int]] = {}

    def __len__(self) -> int:
        return len(self.rows)

    def add(self, entry: QueueEntry) -> None:
        self.discard(entry.ticket_id)
        row = (entry.queue_key, entry.ticket_id, entry)
        bisect.insort(self.rows, row, key=_row_key)
        self.keys[entry.ticket_id] = row[:2]

    def discard(self, ticket_id: int) -> None:
        key = self.keys.pop(ticket_id, None)
        if key is not None:
            del self.rows[bisect.bisect_left(self.rows, key, key=_row_key)]

    def heads(self, at: datetime) -> list[QueueEntry]:
        rows = self.rows
        if not rows:
            return []
        out = [rows[0][2]]
        i = bisect.bisect_right(rows, at, key=_row_start)
        if 0 < i < len(rows):
            out.append(rows[i][2])
        return out


def _row_key(row: tuple) -> tuple[int, int]:
    return row[0], row[1]


def _row_start(row: tuple) -> datetime:
    return row[2].slot_start


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
