"""The waiting line indexed for the hall's calling policy, for a line that grows and shrinks.

``queue_policy.calling_order`` sorts the whole line at every call, O(n log n) per call. Here each
item keeps two heaps, one in line order (class, queue key, id) and one by waiting time (for the
aging guard), and tickets transferred to a window are kept apart. The policy's first choice for a
window is always among: the tickets transferred to it, the longest-waiting ticket of each of its
items (the aged ones go first, oldest first) and the first in line of each of its items (nobody
aged: the first item in the window's order that has anyone, by class then queue key). Slotted
appointments (``queue_policy.SlottedLine``) are kept apart too, their class depending on the
time: the first whose slot has begun and the first whose slot has not are candidates. So
``next_for`` hands just those candidates to ``queue_policy.choose_next`` — the server's own
function decides, over a handful of tickets instead of the whole line.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from datetime import datetime

from ..domain.queue_policy import QueueEntry, QueuePolicy, SlottedLine, choose_next, line_key


class Line:
    def __init__(self, policy: QueuePolicy):
        self.policy = policy
        self.entries: dict[int, QueueEntry] = {}  # waiting now, by ticket id
        self.in_line: dict[str, list[tuple[tuple, int, QueueEntry]]] = {}
        self.by_age: dict[str, list[tuple[tuple, int, QueueEntry]]] = {}
        self._added = 0  # heap tie-break, so entries are never compared
        self.targeted: dict[int, dict[int, QueueEntry]] = {}
        self.slotted: dict[str, SlottedLine] = {}

    def __len__(self) -> int:
        return len(self.entries)

    def add(self, entry: QueueEntry) -> None:
        self.remove(entry.ticket_id)
        self.entries[entry.ticket_id] = entry
        if entry.target_window is not None:
            self.targeted.setdefault(entry.target_window, {})[entry.ticket_id] = entry
            return
        self._added += 1
        if entry.slot_start is not None:
            self.slotted.setdefault(entry.item_code, SlottedLine()).add(entry)
        else:
            first = (line_key(entry, self.policy), self._added, entry)
            heapq.heappush(self.in_line.setdefault(entry.item_code, []), first)
        age = ((entry.waiting_since, entry.queue_key, entry.ticket_id), self._added, entry)
        heapq.heappush(self.by_age.setdefault(entry.item_code, []), age)

    def remove(self, ticket_id: int) -> None:
        """Take a ticket out (called, or left); heaps drop it lazily."""
        entry = self.entries.pop(ticket_id, None)
        if entry is not None and entry.target_window is not None:
            self.targeted[entry.target_window].pop(ticket_id, None)
        elif entry is not None and entry.slot_start is not None:
            self.slotted[entry.item_code].discard(ticket_id)

    def _head(self, heap: list[tuple[tuple, int, QueueEntry]] | None) -> QueueEntry | None:
        entries = self.entries
        while heap:
            entry = heap[0][2]
            if entries.get(entry.ticket_id) is entry:
                return entry
            heapq.heappop(heap)
        return None

    def candidates(self, window: int, items: Sequence[str], now: datetime) -> list[QueueEntry]:
        found = list(self.targeted.get(window, {}).values())
        for code in items:
            first = self._head(self.in_line.get(code))
            slotted = self.slotted.get(code)
            heads = slotted.heads(now) if slotted else []
            if first is not None:
                found.append(first)
            found += heads
            if first is not None or heads:
                oldest = self._head(self.by_age.get(code))
                if oldest is not None and oldest is not first and oldest not in heads:
                    found.append(oldest)
        return found

    def next_for(self, window: int, items: Sequence[str], now: datetime) -> QueueEntry | None:
        """What ``choose_next`` over the whole line would give this window now."""
        found = self.candidates(window, items, now)
        if not found:
            return None
        return choose_next(found, window, items, now, self.policy)
