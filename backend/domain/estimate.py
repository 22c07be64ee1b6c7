"""Where a waiting ticket stands and when it will be called: the hall's calling policy
(``queue_policy.calling_order``) run forward over the current line with the windows now staffed,
as if nobody new arrived.

The model: every staffed window (open or paused) becomes free at a known moment (now when idle,
or when its current service is expected to end); the window that frees first calls the ticket
the policy gives it at that moment (aging is judged at that moment too), and is busy for that
item's typical service time. Windows free at the same moment call in window-number order; a
window with nothing it may call stays idle, since no one new arrives. A pause has no announced
end, so a paused window counts as free when its current service (if any) ends.

For a ticket, *people ahead* is the number of tickets called before it by the windows that may
call it, and the *wait* is when it is called. A ticket that no staffed window may call has
neither figure (``Forecast.called`` is False): nothing is invented.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from .queue_policy import (
    QueueEntry,
    QueuePolicy,
    SlottedLine,
    calling_order,
    line_key,
    rank_at,
    serves,
)

MIN_SAMPLES = 3

ServiceTime = Callable[[str], timedelta]  # item code -> expected duration of one service


def typical_service_seconds(recent: Sequence[float], default_minutes: float) -> float:
    """Median of recent service durations; the item's default until there are enough of them."""
    samples = [s for s in recent if s > 0]
    if len(samples) < MIN_SAMPLES:
        return default_minutes * 60.0
    return float(median(samples))


@dataclass(frozen=True)
class StaffedWindow:
    """An open or paused window as the forecast sees it."""

    number: int
    items: tuple[str, ...]  # in the window's calling order
    free_at: datetime  # when it calls next: now if idle, else when its current service ends


def free_at(now: datetime, busy_since: datetime | None, expected: timedelta) -> datetime:
    """When a window serving since ``busy_since`` (None: idle) is expected to be free."""
    if busy_since is None:
        return now
    return max(now, busy_since + expected)


@dataclass(frozen=True)
class Call:
    at: datetime
    window: int
    entry: QueueEntry


@dataclass(frozen=True)
class Forecast:
    called: bool  # some staffed window will call it
    people_ahead: int | None = None
    wait_minutes: int | None = None
    window: int | None = None  # the window expected to call it


class _Line:
    """The waiting line indexed for the policy: tickets transferred to each window, and per item
    a heap in line order and one by waiting time (for the aging guard). ``next_for`` gives what
    ``calling_order`` would put first, without sorting the whole line at every call."""

    def __init__(self, entries: Iterable[QueueEntry], policy: QueuePolicy):
        self.policy = policy
        self.limit = timedelta(minutes=policy.aging_limit_minutes)
        self.taken: set[int] = set()
        self.targeted: dict[int, list[QueueEntry]] = {}
        self.in_line: dict[str, list[tuple[tuple, QueueEntry]]] = {}
        self.by_age: dict[str, list[tuple[tuple, QueueEntry]]] = {}
        self.slotted: dict[str, SlottedLine] = {}  # on-time appointments: class by the time
        for e in entries:
            if e.target_window is not None:
                self.targeted.setdefault(e.target_window, []).append(e)
                continue
            age_key = (e.waiting_since, e.queue_key, e.ticket_id)
            self.by_age.setdefault(e.item_code, []).append((age_key, e))
            if e.slot_start is not None:
                self.slotted.setdefault(e.item_code, SlottedLine()).add(e)
                continue
            self.in_line.setdefault(e.item_code, []).append((line_key(e, policy), e))
        for heap in (*self.in_line.values(), *self.by_age.values()):
            heapq.heapify(heap)

    def _head(self, heap: list[tuple[tuple, QueueEntry]] | None) -> tuple[tuple, QueueEntry] | None:
        while heap and heap[0][1].ticket_id in self.taken:
            heapq.heappop(heap)
        return heap[0] if heap else None

    def next_for(self, window: StaffedWindow, at: datetime) -> QueueEntry | None:
        mine = [e for e in self.targeted.get(window.number, ()) if e.ticket_id not in self.taken]
        if mine:
            order = calling_order(mine, window.number, window.items, at, self.policy)
            if order:
                return order[0]
        oldest: tuple[tuple, QueueEntry] | None = None
        for code in window.items:
            head = self._head(self.by_age.get(code))
            if head is None or at - head[1].waiting_since < self.limit:
                continue  # nobody waiting for this item, or nobody waiting too long
            if oldest is None or head[0] < oldest[0]:
                oldest = head
        if oldest is not None:
            return oldest[1]
        for code in window.items:
            head = self._head(self.in_line.get(code))
            slotted = self.slotted.get(code)
            found = [head[1]] if head else []
            if slotted:
                found += slotted.heads(at)
            if found:
                return min(found, key=lambda e: rank_at(e, at, self.policy))
        return None

    def take(self, entry: QueueEntry) -> None:
        self.taken.add(entry.ticket_id)
        if entry.slot_start is not None and entry.target_window is None:
            self.slotted[entry.item_code].discard(entry.ticket_id)


def simulate_calls(
    line: Iterable[QueueEntry],
    windows: Iterable[StaffedWindow],
    now: datetime,
    policy: QueuePolicy,
    service: ServiceTime,
    until: int | None = None,
) -> list[Call]:
    """The calls the staffed windows would make, in order, if nobody new arrived; stops after
    the ticket ``until`` is called (or when no window has anything left to call)."""
    pending = _Line(line, policy)
    by_number = {w.number: w for w in windows}
    free = [(max(now, w.free_at), w.number) for w in by_number.values()]
    heapq.heapify(free)
    calls: list[Call] = []
    while free:
        at, number = heapq.heappop(free)
        window = by_number[number]
        entry = pending.next_for(window, at)
        if entry is None:
            continue  # nothing it may call, and nobody new comes
        pending.take(entry)
        calls.append(Call(at, number, entry))
        if entry.ticket_id == until:
            break
        heapq.heappush(free, (at + service(entry.item_code), number))
    return calls


def forecast(
    ticket: QueueEntry,
    line: Iterable[QueueEntry],
    windows: Sequence[StaffedWindow],
    now: datetime,
    policy: QueuePolicy,
    service: ServiceTime,
) -> Forecast:
    """People ahead of ``ticket`` and its wait in whole minutes (``ticket`` need not be in
    ``line``: a ticket being issued is added)."""
    entries = [e for e in line if e.ticket_id != ticket.ticket_id] + [ticket]
    calls = simulate_calls(entries, windows, now, policy, service, until=ticket.ticket_id)
    if not calls or calls[-1].entry.ticket_id != ticket.ticket_id:
        return Forecast(called=False)
    before = Counter(c.window for c in calls[:-1])
    return _told(calls[-1], before, windows, now)


def forecasts(
    line: Iterable[QueueEntry],
    windows: Sequence[StaffedWindow],
    now: datetime,
    policy: QueuePolicy,
    service: ServiceTime,
) -> dict[int, Forecast]:
    """``forecast`` of every ticket in ``line`` from one simulation (the calls before a ticket
    do not depend on where the simulation stops); a ticket no window calls is absent."""
    out: dict[int, Forecast] = {}
    before: Counter[int] = Counter()
    for call in simulate_calls(line, windows, now, policy, service):
        out[call.entry.ticket_id] = _told(call, before, windows, now)
        before[call.window] += 1
    return out


def _told(
    mine: Call, before: Counter[int], windows: Sequence[StaffedWindow], now: datetime
) -> Forecast:
    """What the resident is told of their call ``mine``: people ahead are the calls ``before``
    it by the windows that may call them, the wait is until the call."""
    able = (w.number for w in windows if serves(mine.entry, w.number, w.items))
    wait = math.ceil((mine.at - now).total_seconds() / 60.0)
    return Forecast(True, sum(before[n] for n in able), max(0, wait), mine.window)


def linked_items(windows: Mapping[int, Sequence[str]]) -> dict[str, frozenset[str]]:
    """For each item, the items joined to it through windows that serve both, transitively: only
    tickets of these can change when one of its tickets is called (the bound on the line read)."""
    parent: dict[str, str] = {}

    def root(code: str) -> str:
        while parent.setdefault(code, code) != code:
            parent[code] = parent[parent[code]]
            code = parent[code]
        return code

    for items in windows.values():
        for code in items[1:]:
            parent[root(code)] = root(items[0])
        if items:
            root(items[0])
    groups: dict[str, set[str]] = {}
    for code in parent:
        groups.setdefault(root(code), set()).add(code)
    return {code: frozenset(groups[root(code)]) for code in parent}
