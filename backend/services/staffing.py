"""Staffing advice: how many windows each half hour needs to meet the hall's target ("90% called
within 15 minutes", ``[staffing]``), against how many are planned, with the expected p90 wait of
both rosters.

The quick answer is Erlang A (Erlang C when ``patience_minutes`` is 0) per *item group* — items
linked through the windows that serve them, so a group's windows only ever call its tickets —
with the half hour's expected arrivals and the items' mean window times. The simulator is the
check: it runs the day with the server's calling policy on the advised roster (``sim_runs``
seeded days) and adds a window to a group in any half hour that still misses the target. The
expected p90 waits come from the simulator too (for the planned roster and the advised one).

Three modes, by the day asked for:
- a future day (``forecast``): arrivals from the hall's history of days of the same kind (the
  same weekday for ordinary working days), or a demo profile when history is short; planned =
  every window in the hall file over the day's opening hours;
- today (``today``, from the first opening on; before it, as a future day): half hours
  already over show what happened (windows actually open, the
  recorded p90); the rest are simulated from now on, starting from the current line, with the
  windows open now, and arrivals scaled by how today compares so far with the forecast;
- a past day (``recorded``): the day's own arrivals and windows; needed vs opened.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db.models import ServiceItem, Ticket, Window
from ..domain.erlang import servers_needed
from ..domain.hours import DayKind
from ..domain.tickets import TicketState
from ..domain.windows import WindowState
from ..domain.workcalendar import WorkCalendar
from ..sim.engine import SimResult, SimTicket, percentile, simulate
from ..sim.history import (
    days_with_tickets,
    fit_profile,
    fit_service,
    recorded_day,
    recorded_roster,
    slot_of,
)
from ..sim.model import (
    SLOT_MINUTES,
    Arrival,
    Profile,
    Roster,
    ServiceTimes,
    Shift,
    arrivals,
    merge_periods,
    minutes_of,
    named_profile,
    roster_from_counts,
    slot_end,
    slots_of,
)
from .halls import HallContext

DAY_KINDS = ("workday", "after_holiday", "makeup_workday", "weekend", "holiday")
MIN_HISTORY_DAYS = 2  # days of the same kind needed to trust the hall's own history
CHECK_ROUNDS = 8  # simulator checks of the advised roster
MIN_CHECKED = 5  # residents of a group in a half hour (over all runs) before the check acts
TODAY_PRIOR = 20  # pseudo-arrivals shrinking today's observed/forecast ratio towards 1
WEEKEND_FACTOR = 0.3  # weekend duty with no history: this share of a normal day


@dataclass(frozen=True)
class GroupAdvice:
    """One item group in one half hour: its windows planned and needed."""

    group: str  # its departments, e.g. "HJ" or "MZ+RS+YB"
    planned: int
    needed: int
    available: int  # windows in the hall file serving the group


@dataclass(frozen=True)
class SlotAdvice:
    start: time
    end: time
    planned: int  # windows open in the roster as planned (or actually open, for today)
    needed: int  # windows needed to meet the target (Erlang, checked by the simulator)
    gap: int  # needed - planned (positive: open more)
    p90_planned: float | None  # expected p90 wait (minutes) with the planned roster
    p90_advised: float | None  # ... with the advised roster
    past: bool = False  # the half hour is over: planned and p90 are what happened
    recorded_p90: float | None = None  # p90 wait actually recorded (past half hours)
    expected_arrivals: float = 0.0  # residents expected (past: arrived) in the half hour
    groups: tuple[GroupAdvice, ...] = ()  # the same per item group


@dataclass(frozen=True)
class StaffingPlan:
    hall: str
    day: date
    target: str  # e.g. "90% called within 15 min"
    day_kind: str  # "workday" | "after_holiday" | "makeup_workday" | "weekend" | "holiday"
    slots: list[SlotAdvice]
    mode: str = "forecast"  # "forecast" | "today" | "recorded"
    source: str = ""  # where the arrivals come from
    target_minutes: float = 15
    target_share: float = 0.9


# --- the day -------------------------------------------------------------------------------


def classify_day(calendar: WorkCalendar, day: date) -> str:
    """One of ``DAY_KINDS``: a working day right after a public holiday (or after three or more
    days off) is ``after_holiday``; a working Saturday or Sunday (调休) ``makeup_workday``."""
    if not calendar.is_working_day(day):
        return "weekend" if calendar.day_kind(day) is DayKind.WEEKEND else "holiday"
    if day.weekday() >= 5:
        return "makeup_workday"
    before, off, holiday = day - timedelta(days=1), 0, False
    while not calendar.is_working_day(before) and off < 30:
        off += 1
        holiday = holiday or calendar.day_kind(before) is DayKind.CLOSED
        before -= timedelta(days=1)
    return "after_holiday" if holiday or off >= 3 else "workday"


def day_periods(ctx: HallContext, day: date) -> list[tuple[time, time]]:
    return merge_periods(ctx.config.hours.to_domain().periods_on(day, ctx.day_kinds))


def planned_roster(ctx: HallContext, day: date) -> Roster:
    """Every window in the hall file, open over the day's opening hours."""
    periods = day_periods(ctx, day)
    numbers = sorted(w.number for w in ctx.config.windows)
    return tuple(Shift(n, a, b) for n in numbers for a, b in periods)


def target_text(ctx: HallContext) -> str:
    s = ctx.config.staffing
    share = f"{s.target_share * 100:g}%"
    return f"{share} 在 {s.target_minutes:g} 分钟内叫号 / {share} called within {s.target_minutes:g} min"


# --- expected arrivals ---------------------------------------------------------------------


def expected_profile(
    session: Session, ctx: HallContext, day: date, kind: str, before: date
) -> tuple[Profile, str]:
    """Arrival rates for ``day`` and where they come from: the hall's history of the same kind of
    day (before ``before``), ordinary working days scaled, or a demo profile."""
    s = ctx.config.staffing
    first = before - timedelta(weeks=s.history_weeks)
    seen = sorted(days_with_tickets(session, ctx, first, before - timedelta(days=1)))
    kinds = {d: classify_day(ctx.calendar, d) for d in seen}
    same = [d for d in seen if kinds[d] == kind]
    if kind == "workday":
        weekday = [d for d in same if d.weekday() == day.weekday()]
        same = weekday if len(weekday) >= MIN_HISTORY_DAYS else same
    if len(same) >= MIN_HISTORY_DAYS:
        return fit_profile(session, ctx, same, "history"), f"history: {len(same)} days ({kind})"
    workdays = [d for d in seen if kinds[d] == "workday"]
    factor = {"after_holiday": s.after_holiday_factor, "makeup_workday": s.makeup_workday_factor,
              "weekend": WEEKEND_FACTOR}.get(kind, 1.0)  # fmt: skip
    if len(workdays) >= MIN_HISTORY_DAYS:
        base = fit_profile(session, ctx, workdays, "history")
        return base.scaled(factor), f"history: {len(workdays)} working days x {factor:g}"
    if kind == "after_holiday":
        return named_profile("monday-after-holiday", ctx.config), "profile monday-after-holiday"
    base = named_profile("normal-wednesday", ctx.config)
    if factor != 1.0:
        return base.scaled(factor), f"profile normal-wednesday x {factor:g}"
    return base, "profile normal-wednesday"


def within_slots(profile: Profile, slots: Sequence[time], since: time | None = None) -> Profile:
    """The profile restricted to these slots (and, if ``since`` is given, the part of the day
    from ``since`` on: the slot containing it keeps the remaining share of its rate)."""
    keep = set(slots)
    rates: dict[str, dict[time, float]] = {}
    for code, by_slot in profile.rates.items():
        mine = {}
        for start, rate in by_slot.items():
            if start not in keep:
                continue
            if since is not None:
                end = minutes_of(start) + SLOT_MINUTES
                left = (end - minutes_of(since) - since.second / 60) / SLOT_MINUTES
                rate *= min(1.0, max(0.0, left))
            if rate > 0:
                mine[start] = rate
        if mine:
            rates[code] = mine
    return Profile(
        profile.name, rates, profile.green_share, profile.appointment_share, profile.transfer_rate
    )


# --- groups and windows --------------------------------------------------------------------


def item_groups(ctx: HallContext) -> list[tuple[frozenset[str], list[int]]]:
    """Item groups (linked through windows) with the windows serving them, in a stable order."""
    groups = sorted(set(ctx.item_groups.values()), key=lambda g: sorted(g))
    out = []
    for group in groups:
        numbers = sorted(w.number for w in ctx.config.windows if set(w.items) & group)
        out.append((group, numbers))
    return out


def group_label(ctx: HallContext, items: Iterable[str]) -> str:
    departments = {i.code: i.department for i in ctx.config.items}
    return "+".join(sorted({departments[c] for c in items}))


def choose_windows(
    ctx: HallContext, numbers: Sequence[int], demand: Mapping[str, float], n: int
) -> list[int]:
    """``n`` (at least enough to serve every item in demand) of these windows: first a greedy
    cover of the items in demand, then the windows serving the most demand."""
    items = ctx.window_items
    wanted = {code for code, rate in demand.items() if rate > 0}
    chosen: list[int] = []
    uncovered = set(wanted)
    while uncovered:
        best = max(
            (w for w in numbers if w not in chosen),
            key=lambda w: (len(uncovered & set(items[w])), -w),
            default=None,
        )
        if best is None or not uncovered & set(items[best]):
            break
        chosen.append(best)
        uncovered -= set(items[best])
    rest = sorted(
        (w for w in numbers if w not in chosen),
        key=lambda w: (-sum(demand.get(c, 0.0) for c in items[w]), w),
    )
    return chosen + rest[: max(0, n - len(chosen))]


def cover_size(ctx: HallContext, numbers: Sequence[int], demand: Mapping[str, float]) -> int:
    return len(choose_windows(ctx, numbers, demand, 0))


# --- simulator figures ---------------------------------------------------------------------


@dataclass
class _Waits:
    """Waits (minutes) by slot and by (slot, group); a resident who gave up or was still
    waiting counts with how long they had waited (a lower bound). ``by_group`` keeps, per
    resident, the wait, whether they were called and when they queued."""

    by_slot: dict[time, list[float]]
    by_group: dict[tuple[time, int], list[tuple[float, bool, datetime]]]


def _waits(
    results: Iterable[SimResult], group_of: Mapping[str, int], until: datetime | None
) -> _Waits:
    by_slot: dict[time, list[float]] = {}
    by_group: dict[tuple[time, int], list[tuple[float, bool, datetime]]] = {}
    for result in results:
        end = until or max(
            (t.ended_at or t.called_at or t.queued_at for t in result.tickets), default=None
        )
        for t in result.tickets:
            wait = _waited(t, end)
            if wait is None:
                continue
            slot = slot_of(t.queued_at)
            by_slot.setdefault(slot, []).append(wait)
            mine = (wait, t.called_at is not None, t.queued_at)
            by_group.setdefault((slot, group_of[t.item_code]), []).append(mine)
    return _Waits(by_slot, by_group)


def _waited(t: SimTicket, end: datetime | None) -> float | None:
    stop = t.called_at or (t.ended_at if t.outcome == "abandoned" else end)
    if stop is None:
        return None
    return max(0.0, (stop - t.queued_at).total_seconds() / 60.0)


def _p90(values: list[float] | None) -> float | None:
    p90 = percentile(sorted(values), 0.9) if values else None
    return None if p90 is None else round(p90, 1)


# --- the plan ------------------------------------------------------------------------------


@dataclass
class _Inputs:
    slots: list[time]
    rates: dict[time, dict[str, float]]  # slot -> item -> residents per half hour
    service: ServiceTimes
    no_show_rate: float
    profile: Profile | None  # for generated arrivals (None: recorded day)
    fixed: list[Arrival]  # arrivals known already (recorded, or today's current line)
    start: datetime | None  # simulate from here (today); None: the whole day
    busy_until: dict[int, datetime]  # today: window -> when its current service should end


def staffing_plan(session: Session, ctx: HallContext, day: date, now: datetime) -> StaffingPlan:
    """Windows needed per half hour on ``day`` (see the module docstring for the modes)."""
    cfg, s = ctx.config, ctx.config.staffing
    local_now = ctx.local(now)
    today = local_now.date()
    kind = classify_day(ctx.calendar, day)
    mode = "recorded" if day < today else "today" if day == today else "forecast"
    periods = day_periods(ctx, day)
    base = StaffingPlan(hall=ctx.code, day=day, target=target_text(ctx), day_kind=kind, slots=[],
                        mode=mode, target_minutes=s.target_minutes, target_share=s.target_share)  # fmt: skip
    if not periods:
        return replace(base, source="closed")
    slots = slots_of(periods)
    if mode == "today" and local_now.time() < periods[0][0]:
        mode = "forecast"  # before opening: the day as planned
        base = replace(base, mode=mode)
    fitted = fit_service(
        session, ctx, min(day, today) - timedelta(weeks=s.history_weeks), min(day, today)
    )
    patience = s.patience_minutes or None
    groups = item_groups(ctx)
    group_of = {code: g for g, (items, _) in enumerate(groups) for code in items}

    recorded = None
    past_slots: set[time] = set()
    if mode == "forecast":
        profile, source = expected_profile(session, ctx, day, kind, today)
        profile = within_slots(profile, slots)
        inputs = _Inputs(slots, _by_slot(profile), fitted.service, fitted.no_show_rate, profile,
                         [], None, {})  # fmt: skip
        planned = planned_roster(ctx, day)
    elif mode == "recorded":
        recorded = recorded_day(session, ctx, day)
        source = f"recorded day: {len(recorded.arrivals)} residents"
        counts: dict[time, dict[str, float]] = {}
        for a in recorded.arrivals:
            per = counts.setdefault(slot_of(a.at), {})
            per[a.item_code] = per.get(a.item_code, 0.0) + 1
        inputs = _Inputs(slots, counts, fitted.service, fitted.no_show_rate, None,
                         list(recorded.arrivals), None, {})  # fmt: skip
        planned = recorded.roster
        past_slots = set(slots)
    else:
        profile, source = expected_profile(session, ctx, day, kind, today)
        profile = within_slots(profile, slots)
        inputs, planned, past_slots, recorded, source = _today(
            session, ctx, day, local_now, profile, source, fitted, slots, patience
        )

    # quick answer: Erlang per group and half hour
    needed: dict[tuple[time, int], int] = {}
    for slot in slots:
        demand = inputs.rates.get(slot, {})
        for g, (items, numbers) in enumerate(groups):
            mine = {c: r for c, r in demand.items() if c in items}
            needed[(slot, g)] = _erlang_windows(ctx, inputs.service, mine, numbers, patience)

    def roster_for(need: Mapping[tuple[time, int], int]) -> Roster:
        counts = {}
        for slot in slots:
            if slot in past_slots and mode == "today":
                continue
            demand = inputs.rates.get(slot, {})
            chosen: list[int] = []
            for g, (_items, numbers) in enumerate(groups):
                chosen += choose_windows(ctx, numbers, demand, need[(slot, g)])
            counts[slot] = chosen
        return _from_now(roster_from_counts(cfg, counts), inputs)

    seeds = list(range(1, s.sim_runs + 1)) if inputs.profile is not None else [0]
    days_arrivals = [_arrivals_for(ctx, day, inputs, seed, patience) for seed in seeds]

    def run(roster: Roster) -> _Waits:
        results = [
            simulate(cfg, day, arr, roster, seed)
            for arr, seed in zip(days_arrivals, seeds, strict=True)
        ]
        return _waits(results, group_of, None)

    planned_sim = _from_now(planned, inputs) if mode == "today" else planned
    planned_waits = run(planned_sim)
    advised_waits = None
    for _ in range(CHECK_ROUNDS):
        advised_waits = run(roster_for(needed))
        if not _bump(needed, advised_waits, groups, s, inputs.start):
            break
    else:
        advised_waits = run(roster_for(needed))
    if _keep_planned(needed, advised_waits, planned_sim, groups, s):
        advised_waits = run(roster_for(needed))

    close = datetime.combine(day, periods[-1][1], tzinfo=ctx.tz)
    recorded_waits = _recorded_waits(recorded, min(local_now, close)) if recorded else {}
    advice = []
    for slot in slots:
        past = slot in past_slots and (mode == "recorded" or slot_end(slot) <= local_now.time())
        opened = _planned_count(planned, slot)
        need = sum(needed[(slot, g)] for g in range(len(groups)))
        per_group = tuple(
            GroupAdvice(
                group_label(ctx, items),
                _planned_count(tuple(x for x in planned if x.window in numbers), slot),
                needed[(slot, g)],
                len(numbers),
            )
            for g, (items, numbers) in enumerate(groups)
        )
        rec_p90 = _p90(recorded_waits.get(slot)) if slot in past_slots else None
        advice.append(
            SlotAdvice(
                start=slot,
                end=slot_end(slot),
                planned=opened,
                needed=need,
                gap=need - opened,
                p90_planned=rec_p90 if past else _p90(planned_waits.by_slot.get(slot)),
                p90_advised=_p90(advised_waits.by_slot.get(slot)) if advised_waits else None,
                past=past,
                recorded_p90=rec_p90,
                expected_arrivals=round(sum(inputs.rates.get(slot, {}).values()), 1),
                groups=per_group,
            )
        )
    return replace(base, slots=advice, source=source)


def _keep_planned(needed, waits: _Waits, planned: Roster, groups, s) -> bool:
    """Never advise a roster worse than the plan: where the advised roster still misses the
    target for a group (the group cannot reach it even with all its windows, or the check ran
    out of rounds), the group keeps at least its planned windows in that half hour and in the
    half hours before it (a line that builds up early is waited out later). True if changed."""
    changed = False
    for g, (_items, numbers) in enumerate(groups):
        mine = tuple(shift for shift in planned if shift.window in numbers)
        missed = [
            slot
            for (slot, group), residents in waits.by_group.items()
            if group == g
            and len(residents) >= MIN_CHECKED
            and _share_within(residents, s) < s.target_share
        ]
        if not missed:
            continue
        for slot, group in needed:
            if group == g and slot <= max(missed):
                keep = _planned_count(mine, slot)
                if needed[(slot, g)] < keep:
                    needed[(slot, g)] = keep
                    changed = True
    return changed


def _share_within(residents: list[tuple[float, bool, datetime]], s) -> float:
    within = sum(1 for wait, called, _ in residents if called and wait <= s.target_minutes)
    return within / len(residents)


def _bump(needed, waits: _Waits, groups, s, start: datetime | None) -> bool:
    """Add a window to each group and half hour where the simulated residents of a half hour
    miss the target: in the half hour where most of those missing it reached the target wait
    uncalled (more windows then would have called them in time). Today (``start`` set) only
    residents who can still be called in time count, those already waiting as residents of the
    current half hour. True if anything changed."""
    limit = timedelta(minutes=s.target_minutes)
    now_slot = slot_of(start) if start is not None else None
    pooled: dict[tuple[time, int], list[tuple[float, bool, datetime]]] = {}
    for (slot, g), residents in waits.by_group.items():
        for resident in residents:
            if start is not None and resident[2] + limit < start:
                continue  # already late: no roster from now on changes that
            key = (max(slot, now_slot) if now_slot else slot, g)
            pooled.setdefault(key, []).append(resident)
    bumped = False
    for (slot, g), residents in sorted(pooled.items()):
        if (slot, g) not in needed or len(residents) < MIN_CHECKED:
            continue
        if _share_within(residents, s) >= s.target_share:
            continue
        late = Counter(
            slot_of(queued + limit)
            for wait, called, queued in residents
            if not (called and wait <= s.target_minutes)
        )
        for when, _count in late.most_common():
            key = (when, g) if (when, g) in needed else (slot, g)
            if now_slot is not None and key[0] < now_slot:
                key = (now_slot, g)
            if needed[key] < len(groups[g][1]):
                needed[key] += 1
                bumped = True
                break
    return bumped


def _by_slot(profile: Profile) -> dict[time, dict[str, float]]:
    out: dict[time, dict[str, float]] = {}
    for code, by_slot in profile.rates.items():
        for slot, rate in by_slot.items():
            out.setdefault(slot, {})[code] = rate
    return out


def _erlang_windows(
    ctx: HallContext,
    service: ServiceTimes,
    demand: Mapping[str, float],
    numbers: Sequence[int],
    patience_minutes: float | None,
) -> int:
    total = sum(demand.values())
    if total <= 0:
        return 0
    mean = sum(r * service.law(ctx.config, c).mean_seconds for c, r in demand.items()) / total
    s = ctx.config.staffing
    n = servers_needed(
        total / (SLOT_MINUTES * 60.0),
        mean,
        s.target_minutes * 60.0,
        s.target_share,
        patience_minutes * 60.0 if patience_minutes else None,
    )
    return max(n, cover_size(ctx, numbers, demand))


def _arrivals_for(ctx, day, inputs: _Inputs, seed: int, patience) -> list[Arrival]:
    if inputs.profile is None:
        return list(inputs.fixed)
    made = arrivals(ctx.config, inputs.profile, day, seed, inputs.service, inputs.no_show_rate,
                    patience)  # fmt: skip
    if inputs.start is not None:
        made = [a for a in made if a.at >= inputs.start]
    return sorted(list(inputs.fixed) + made, key=lambda a: a.at)


def _from_now(roster: Roster, inputs: _Inputs) -> Roster:
    """Today: the roster cut to start now, each busy window from when it should be free."""
    if inputs.start is None:
        return roster
    now = inputs.start.time()
    out = []
    for shift in roster:
        begin = max(shift.start, now)
        free = inputs.busy_until.get(shift.window)
        if free is not None and free.date() == inputs.start.date():
            begin = max(begin, free.time())
        if shift.end > begin:
            out.append(Shift(shift.window, begin, shift.end))
    return tuple(out)


def _planned_count(roster: Roster, slot: time) -> int:
    """Windows open in the slot, time-weighted (two windows each open half the slot: one)."""
    lo, hi = _seconds(slot), _seconds(slot) + SLOT_MINUTES * 60
    open_seconds = sum(
        max(0.0, min(hi, _seconds(s.end)) - max(lo, _seconds(s.start))) for s in roster
    )
    return math.floor(open_seconds / (SLOT_MINUTES * 60) + 0.5)


def _seconds(t: time) -> float:
    return t.hour * 3600 + t.minute * 60 + t.second + t.microsecond / 1e6


def _recorded_waits(recorded, until: datetime) -> dict[time, list[float]]:
    """Recorded waits by half hour of queueing; not called (yet): waited until ``until``."""
    out: dict[time, list[float]] = {}
    for t in recorded.tickets:
        stop = t.called_at or until
        out.setdefault(slot_of(t.queued_at), []).append(
            max(0.0, (stop - t.queued_at).total_seconds() / 60.0)
        )
    return out


# --- today ---------------------------------------------------------------------------------


def _today(session, ctx, day, local_now, profile, source, fitted, slots, patience):
    """Inputs for the rest of today: the current line, windows open now (busy ones from when
    their service should end), arrivals from now on scaled by today so far."""
    recorded = recorded_day(session, ctx, day)
    so_far = sum(1 for a in recorded.arrivals if a.at <= local_now)
    expected = sum(
        rate * _elapsed_share(slot, local_now.time())
        for by_slot in profile.rates.values()
        for slot, rate in by_slot.items()
    )
    ratio = (so_far + TODAY_PRIOR) / (expected + TODAY_PRIOR)
    rest = within_slots(profile, slots, since=local_now.time()).scaled(ratio)
    generate = within_slots(profile, slots).scaled(ratio)  # drawn over whole slots, kept >= now
    line, busy_until = _current_line(session, ctx, local_now, fitted.service, patience)
    open_now = _windows_open_now(session, ctx)
    planned_past = recorded_roster(session, ctx, day, until=local_now)
    periods = day_periods(ctx, day)
    ahead = tuple(
        Shift(n, max(a, local_now.time()), b)
        for n in open_now
        for a, b in periods
        if b > local_now.time()
    )
    planned = tuple(sorted(planned_past + ahead, key=lambda s: (s.window, s.start)))
    past = {slot for slot in slots if slot <= local_now.time()}
    counts: dict[time, dict[str, float]] = {}
    for a in recorded.arrivals:
        slot = slot_of(a.at)
        if slot in past and slot_end(slot) <= local_now.time():
            per = counts.setdefault(slot, {})
            per[a.item_code] = per.get(a.item_code, 0.0) + 1
    rates = _by_slot(rest)
    for slot in past:
        if slot_end(slot) <= local_now.time():
            rates[slot] = counts.get(slot, {})
        else:  # the current half hour: arrived so far plus the rest expected
            mine = dict(rates.get(slot, {}))
            for a in recorded.arrivals:
                if slot_of(a.at) == slot:
                    mine[a.item_code] = mine.get(a.item_code, 0.0) + 1
            rates[slot] = mine
    inputs = _Inputs(slots, rates, fitted.service, fitted.no_show_rate, generate, line, local_now,
                     busy_until)  # fmt: skip
    done = {slot for slot in slots if slot_end(slot) <= local_now.time()}
    return inputs, planned, done, recorded, f"{source}; today x {ratio:.2f} so far"


def _elapsed_share(slot: time, now: time) -> float:
    start, end = _seconds(slot), _seconds(slot) + SLOT_MINUTES * 60
    return min(1.0, max(0.0, (_seconds(now) - start) / (end - start)))


def _current_line(session, ctx, local_now, service: ServiceTimes, patience):
    """The waiting tickets as arrivals (drawn service times, deterministic per ticket), and when
    each busy window should be free."""
    import random

    rows = session.execute(
        select(
            ServiceItem.code,
            Ticket.id,
            Ticket.seq,
            Ticket.priority,
            Ticket.waiting_since,
            Ticket.target_window,
        )  # fmt: skip
        .join(ServiceItem, Ticket.item_id == ServiceItem.id)
        .where(Ticket.hall_id == ctx.id, Ticket.state == TicketState.WAITING)
        .order_by(Ticket.id)
    ).all()
    line = []
    for code, ident, seq, priority, since, _target in rows:
        rng = random.Random(ident)
        law = service.law(ctx.config, code)
        left = rng.expovariate(1.0 / (patience * 60.0)) if patience else None
        waited = (local_now - since).total_seconds()
        line.append(
            Arrival(since.astimezone(ctx.tz), code, law.sample(rng), priority,
                    patience_seconds=None if left is None else waited + left, seq=seq)
        )  # fmt: skip
    busy_until = {}
    current = session.execute(
        select(Window.number, ServiceItem.code, Ticket.called_at, Ticket.started_at)
        .join(Ticket, Ticket.id == Window.current_ticket_id)
        .join(ServiceItem, Ticket.item_id == ServiceItem.id)
        .where(Window.hall_id == ctx.id, Window.active)
    ).all()
    for number, code, called, started in current:
        since = (started or called).astimezone(ctx.tz)
        expected = timedelta(seconds=service.law(ctx.config, code).mean_seconds)
        busy_until[number] = max(local_now, since + expected)
    return line, busy_until


def _windows_open_now(session, ctx) -> list[int]:
    """Windows staffed now (open or paused: a pause ends)."""
    return sorted(
        session.scalars(
            select(Window.number).where(
                Window.hall_id == ctx.id, Window.active, Window.state != WindowState.CLOSED
            )
        )
    )


# --- output --------------------------------------------------------------------------------


def plan_to_json(plan: StaffingPlan) -> dict[str, Any]:
    data = asdict(plan)
    data["day"] = plan.day.isoformat()
    for slot in data["slots"]:
        slot["start"] = slot["start"].strftime("%H:%M")
        slot["end"] = slot["end"].strftime("%H:%M")
    return data


__all__ = [
    "DAY_KINDS",
    "GroupAdvice",
    "SlotAdvice",
    "StaffingPlan",
    "classify_day",
    "plan_to_json",
    "staffing_plan",
]
