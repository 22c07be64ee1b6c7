"""Discrete-event simulation of one hall day with the server's calling policy.

Events (arrivals, services ending, shifts starting and ending, residents giving up) are taken in
time order; after all events of one moment, every window that became free or may have something
new to call does call, in window-number order, the ticket ``Line.next_for`` gives it — the choice
of ``queue_policy.choose_next``, as ``counter.call_next`` makes it on the server. A called ticket
holds its window for its ``service_seconds``; a service ending in a transfer queues a new leg that
keeps the first arrival as its waiting time and queue key, as ``counter.transfer`` does.

Times are integer microseconds internally, so a replay reproduces the server's comparisons
exactly. The run is deterministic: the same arrivals and roster give the same result (``seed`` is
accepted for symmetry with ``arrivals`` and has no effect).
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..domain.queue_policy import QueueEntry, queue_key_for
from ..domain.tickets import Priority
from ..hallconfig import HallConfig
from .line import Line
from .model import Arrival, Roster, slot_end, slots_between

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
US = timedelta(microseconds=1)
WAITING, CALLED, SERVED, NO_SHOW, ABANDONED = range(5)
OUTCOMES = {WAITING: "waiting", CALLED: "called", SERVED: "served", NO_SHOW: "no_show",
            ABANDONED: "abandoned"}  # fmt: skip
# event kinds; all events of one moment are applied before any window calls
END, OFF, ON, ARRIVE, GIVE_UP = range(5)


def to_us(moment: datetime) -> int:
    return (moment - EPOCH) // US


@dataclass(frozen=True)
class SlotStats:
    """One half hour (or one half hour of one item). Arrivals, abandoned, waits and within_target
    are about the residents who queued in the slot; served counts calls answered during it."""

    start: time
    end: time
    arrivals: int
    served: int
    abandoned: int
    no_shows: int
    wait_p50: float | None  # minutes from queueing to the call
    wait_p90: float | None
    wait_max: float | None
    queue_length: int  # waiting at the slot's end
    utilisation: float | None  # busy share of the windows' open time (None: none open)
    windows_open: int  # windows open at some moment of the slot
    within_target: float | None  # share of the slot's queuers called within the hall's target


@dataclass(frozen=True)
class ItemStats:
    item: str
    arrivals: int
    served: int
    abandoned: int
    no_shows: int
    transfers_in: int
    wait_p50: float | None
    wait_p90: float | None
    wait_max: float | None
    wait_mean: float | None


@dataclass(frozen=True)
class SimTicket:
    """One leg of one arrival: leg 0 is the arrival itself, leg 1 its transfer."""

    index: int  # position in the arrivals
    leg: int
    item_code: str
    priority: str
    queued_at: datetime
    called_at: datetime | None
    started_at: datetime | None  # = called_at (walking up is part of the service)
    ended_at: datetime | None  # service finished, marked no-show, or gave up
    window: int | None
    outcome: str  # served | no_show | abandoned | waiting (still waiting when the day ended)

    @property
    def wait_minutes(self) -> float | None:
        if self.called_at is None:
            return None
        return (self.called_at - self.queued_at).total_seconds() / 60.0


@dataclass(frozen=True)
class SimResult:
    slots: list[SlotStats]
    items: dict[str, ItemStats]
    tickets: list[SimTicket]
    cells: dict[str, list[SlotStats]]  # item -> its half hours

    def ticket(self, index: int, leg: int = 0) -> SimTicket:
        return next(t for t in self.tickets if t.index == index and t.leg == leg)


class _Legs:
    """Parallel arrays, one entry per leg."""

    def __init__(self) -> None:
        self.arrival: list[int] = []
        self.leg: list[int] = []
        self.item: list[str] = []
        self.queued: list[int] = []
        self.called: list[int | None] = []
        self.ended: list[int | None] = []
        self.window: list[int | None] = []
        self.state: list[int] = []

    def add(self, arrival: int, leg: int, item: str, queued: int) -> int:
        self.arrival.append(arrival)
        self.leg.append(leg)
        self.item.append(item)
        self.queued.append(queued)
        self.called.append(None)
        self.ended.append(None)
        self.window.append(None)
        self.state.append(WAITING)
        return len(self.item) - 1


def simulate(
    cfg: HallConfig,
    day: date,
    arrivals: Sequence[Arrival],
    roster: Roster,
    seed: int = 0,
) -> SimResult:
    """Run the day; ``roster`` times are local times on ``day``."""
    del seed  # the run is deterministic
    tz = ZoneInfo(cfg.hall.timezone)
    policy = cfg.queue.to_policy()
    window_items = {w.number: tuple(w.items) for w in cfg.windows}
    serving: dict[str, list[int]] = {}
    for number, items in window_items.items():
        for code in items:
            serving.setdefault(code, []).append(number)
    line = Line(policy)
    legs = _Legs()
    events: list[tuple[int, int, int, int]] = []  # (moment, kind, tie, subject)
    push = heapq.heappush

    def local_us(t: time) -> int:
        return to_us(datetime.combine(day, t, tzinfo=tz))

    shifts: dict[int, list[tuple[int, int]]] = {}
    for shift in roster:
        if shift.window not in window_items:
            raise ValueError(f"roster: window {shift.window} is not in the hall config")
        start, end = local_us(shift.start), local_us(shift.end)
        if end > start:
            shifts.setdefault(shift.window, []).append((start, end))
            push(events, (start, ON, shift.window, shift.window))
            push(events, (end, OFF, shift.window, shift.window))
    entries: list[QueueEntry] = []
    for i, a in enumerate(arrivals):
        if a.item_code not in serving:
            raise ValueError(f"arrival {i}: item {a.item_code!r} is not served by any window")
        at = to_us(a.at)
        seq = a.seq if a.seq is not None else i
        entry = QueueEntry(i, a.item_code, Priority(a.priority), a.at, queue_key_for(a.at, seq))
        entries.append(entry)
        legs.add(i, 0, a.item_code, at)
        push(events, (at, ARRIVE, i, i))
        if a.patience_seconds is not None:
            push(events, (at + round(a.patience_seconds * 1e6), GIVE_UP, i, i))

    opened = {n: 0 for n in window_items}  # overlapping shifts count
    busy: dict[int, int] = {}  # window -> the leg it is serving (absent: idle)
    dirty: set[int] = set()
    while events:
        now = events[0][0]
        while events and events[0][0] == now:
            _, kind, _, subject = heapq.heappop(events)
            if kind == ARRIVE:
                entry = entries[subject]
                line.add(entry)
                if entry.target_window is not None:
                    dirty.add(entry.target_window)
                else:
                    dirty.update(serving[entry.item_code])
            elif kind == GIVE_UP:
                if legs.state[subject] == WAITING:
                    legs.state[subject], legs.ended[subject] = ABANDONED, now
                    line.remove(subject)
            elif kind == END:
                leg = busy.pop(subject)
                dirty.add(subject)
                legs.ended[leg] = now
                a = arrivals[legs.arrival[leg]]
                legs.state[leg] = NO_SHOW if (a.no_show and legs.leg[leg] == 0) else SERVED
                if legs.leg[leg] == 0 and a.transfer_to and not a.no_show:
                    if a.transfer_to not in serving:
                        raise ValueError(f"transfer to {a.transfer_to!r}: no window serves it")
                    new = legs.add(legs.arrival[leg], 1, a.transfer_to, now)
                    first = entries[legs.arrival[leg]]
                    entries.append(
                        QueueEntry(
                            new, a.transfer_to, first.priority, first.waiting_since,
                            first.queue_key, a.transfer_window,
                        )
                    )  # fmt: skip
                    push(events, (now, ARRIVE, new, new))
            elif kind == ON:
                opened[subject] += 1
                dirty.add(subject)
            else:  # OFF
                opened[subject] -= 1
        if not dirty:
            continue
        moment = None
        for number in sorted(dirty):
            if opened[number] <= 0 or number in busy:
                continue
            if moment is None:
                moment = EPOCH + timedelta(microseconds=now)
            chosen = line.next_for(number, window_items[number], moment)
            if chosen is None:
                continue
            leg = chosen.ticket_id
            line.remove(leg)
            legs.state[leg], legs.called[leg], legs.window[leg] = CALLED, now, number
            a = arrivals[legs.arrival[leg]]
            seconds = a.service_seconds if legs.leg[leg] == 0 else a.transfer_service_seconds
            busy[number] = leg
            push(events, (now + max(0, round(seconds * 1e6)), END, number, number))
        dirty.clear()
    return _results(cfg, day, tz, arrivals, legs, shifts)


# --- figures -------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile of already sorted values."""
    if not values:
        return None
    return values[max(0, math.ceil(q * len(values)) - 1)]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _union(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for a, b in sorted(intervals):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _overlap(intervals: list[tuple[int, int]], lo: int, hi: int) -> int:
    return sum(max(0, min(b, hi) - max(a, lo)) for a, b in intervals)


def _results(cfg, day, tz, arrivals, legs: _Legs, shifts) -> SimResult:
    n = len(legs.item)
    to_dt = _converter(tz)
    tickets = [
        SimTicket(
            index=legs.arrival[i],
            leg=legs.leg[i],
            item_code=legs.item[i],
            priority=arrivals[legs.arrival[i]].priority,
            queued_at=to_dt(legs.queued[i]),
            called_at=to_dt(legs.called[i]),
            started_at=to_dt(legs.called[i]),
            ended_at=to_dt(legs.ended[i]),
            window=legs.window[i],
            outcome=OUTCOMES[legs.state[i]] if legs.state[i] != CALLED else "served",
        )
        for i in range(n)
    ]
    moments = [t for pair in (iv for ivs in shifts.values() for iv in ivs) for t in pair]
    moments += legs.queued  # (giving up late, after closing, does not stretch the day)
    moments += [t for t, st in zip(legs.ended, legs.state, strict=True) if t and st != ABANDONED]
    if not moments:
        return SimResult([], {}, tickets, {})
    first, last = min(moments), max(moments)
    local_first, local_last = to_dt(first).astimezone(tz), to_dt(last).astimezone(tz)
    end_time = local_last.time() if local_last.date() == day else time(23, 59, 59)
    start_time = local_first.time() if local_first.date() == day else time(0, 0)
    if end_time <= start_time:
        end_time = slot_end(start_time)
    slot_starts = slots_between(start_time, end_time) or [start_time]
    bounds = [
        (s, to_us(datetime.combine(day, s, tzinfo=tz)),
         to_us(datetime.combine(day, slot_end(s), tzinfo=tz)))
        for s in slot_starts
    ]  # fmt: skip
    bounds[-1] = (bounds[-1][0], bounds[-1][1], max(bounds[-1][2], last + 1))
    if first < bounds[0][1]:
        bounds[0] = (bounds[0][0], first, bounds[0][2])
    target_us = cfg.staffing.target_minutes * 60e6

    starts = [b[1] for b in bounds]

    def slot_index(t: int) -> int:
        return max(0, min(len(bounds) - 1, bisect_right(starts, t) - 1))

    # per window: open (shift) time and busy (service) intervals
    busy_by_window: dict[int, list[tuple[int, int]]] = {}
    for called, ended, window in zip(legs.called, legs.ended, legs.window, strict=True):
        if called is not None and window is not None:
            end = ended if ended is not None else called
            busy_by_window.setdefault(window, []).append((called, end))
    open_by_window = {w: _union(ivs) for w, ivs in shifts.items()}
    avail_by_window = {
        w: _union(open_by_window.get(w, []) + busy_by_window.get(w, []))
        for w in set(open_by_window) | set(busy_by_window)
    }

    # per leg: when it left the line (called, else gave up), and its wait if it was called
    left_at = [c if c is not None else e for c, e in zip(legs.called, legs.ended, strict=True)]
    wait_us = [
        c - q if c is not None else None for c, q in zip(legs.called, legs.queued, strict=True)
    ]

    def stats(which: list[int], item: str | None) -> list[SlotStats]:
        per: list[list[int]] = [[] for _ in bounds]
        served = [0] * len(bounds)
        for i in which:
            per[slot_index(legs.queued[i])].append(i)
            called = legs.called[i]
            if called is not None and legs.state[i] != NO_SHOW:
                served[slot_index(called)] += 1
        queued_sorted = sorted(legs.queued[i] for i in which)
        left_sorted = sorted(t for i in which if (t := left_at[i]) is not None)
        out = []
        for k, (s, lo, hi) in enumerate(bounds):
            mine = per[k]
            waits = sorted(w / 60e6 for i in mine if (w := wait_us[i]) is not None)
            within = sum(1 for i in mine if (w := wait_us[i]) is not None and w <= target_us)
            arrivals_here = sum(1 for i in mine if legs.leg[i] == 0)
            queue = bisect_right(queued_sorted, hi - 1) - bisect_right(left_sorted, hi - 1)
            util, open_count = None, 0
            if item is None:
                busy_time = sum(_overlap(ivs, lo, hi) for ivs in busy_by_window.values())
                avail = sum(_overlap(ivs, lo, hi) for ivs in avail_by_window.values())
                util = busy_time / avail if avail else None
                open_count = sum(1 for ivs in open_by_window.values() if _overlap(ivs, lo, hi))
            out.append(
                SlotStats(
                    start=s,
                    end=slot_end(s),
                    arrivals=arrivals_here,
                    served=served[k],
                    abandoned=sum(1 for i in mine if legs.state[i] == ABANDONED),
                    no_shows=sum(1 for i in mine if legs.state[i] == NO_SHOW),
                    wait_p50=_round(percentile(waits, 0.5)),
                    wait_p90=_round(percentile(waits, 0.9)),
                    wait_max=_round(waits[-1] if waits else None),
                    queue_length=queue,
                    utilisation=_round(util),
                    windows_open=open_count,
                    within_target=_round(within / len(mine)) if mine else None,
                )
            )
        return out

    by_item: dict[str, list[int]] = {}
    for i in range(n):
        by_item.setdefault(legs.item[i], []).append(i)
    items = {}
    for code in sorted(by_item):
        which = by_item[code]
        waits = sorted(w / 60e6 for i in which if (w := wait_us[i]) is not None)
        items[code] = ItemStats(
            item=code,
            arrivals=sum(1 for i in which if legs.leg[i] == 0),
            served=sum(1 for i in which if legs.state[i] in (SERVED, CALLED)),
            abandoned=sum(1 for i in which if legs.state[i] == ABANDONED),
            no_shows=sum(1 for i in which if legs.state[i] == NO_SHOW),
            transfers_in=sum(1 for i in which if legs.leg[i] == 1),
            wait_p50=_round(percentile(waits, 0.5)),
            wait_p90=_round(percentile(waits, 0.9)),
            wait_max=_round(waits[-1] if waits else None),
            wait_mean=_round(sum(waits) / len(waits)) if waits else None,
        )
    cells = {code: stats(which, code) for code, which in by_item.items()}
    return SimResult(stats(list(range(n)), None), items, tickets, cells)


def _converter(tz):
    def to_dt(us: int | None) -> datetime | None:
        if us is None:
            return None
        return (EPOCH + timedelta(microseconds=us)).astimezone(tz)

    return to_dt


def result_to_json(result: SimResult) -> dict:
    def slot(s: SlotStats) -> dict:
        d = asdict(s)
        d["start"], d["end"] = s.start.strftime("%H:%M"), s.end.strftime("%H:%M")
        return d

    return {
        "slots": [slot(s) for s in result.slots],
        "items": {code: asdict(st) for code, st in result.items.items()},
        "cells": {code: [slot(s) for s in slots] for code, slots in result.cells.items()},
    }
