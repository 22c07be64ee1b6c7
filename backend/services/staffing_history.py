"""Windows opened and windows required per half hour over a month, for the monthly report's
staffing chart.

Opened: when each window took calls (``window_history.open_intervals``, from the audit trail),
time-weighted within the half hour (open for 15 of its 30 minutes: 0.5).

Required: the staffing advice's quick answer (``services.staffing``: Erlang A per item group,
at least the windows covering every item asked for) on the month's actual arrivals: the
residents who joined each group's queues in the half hour (transferred legs when the leg
before ended), the items' mean service time that month (configured minutes when none was
served), and the hall's target (``[staffing]``); summed over the groups. The simulator check
the advice adds is left out: a month of simulated days would take too long for a report.

Both are averaged over the month's working days with any ticket or window opening."""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from statistics import mean

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db.models import ServiceItem, Ticket
from ..domain.erlang import servers_needed
from ..domain.hours import DayKind
from ..domain.tickets import TicketState
from . import staffing
from .halls import HallContext
from .reports import Period
from .window_history import open_intervals

SLOT = timedelta(minutes=30)


@dataclass(frozen=True)
class MonthStaffing:
    slots: list[str]  # local half-hour starts, "08:30"
    opened: list[float]  # average windows open per half hour
    required: list[float]  # average windows required per half hour
    days: int  # working days averaged over
    target: str  # e.g. "90% 的群众 15 分钟内叫号"
    daily: list[tuple[date, float, float]]  # per day averaged: window-hours opened, required

    def to_json(self) -> dict:
        return {
            "slots": self.slots,
            "opened": self.opened,
            "required": self.required,
            "days": self.days,
            "target": self.target,
            "daily": [
                {"day": d.isoformat(), "opened_hours": o, "required_hours": r}
                for d, o, r in self.daily
            ],
        }


def slot_label(moment: time) -> str:
    return f"{moment.hour:02d}:{'30' if moment.minute >= 30 else '00'}"


def _office_slots(ctx: HallContext) -> list[str]:
    """Half hours of a working day's opening hours (regular and extended)."""
    out = set()
    any_day = date(2000, 1, 3)
    for start, end in ctx.config.hours.to_domain().periods_on(any_day, _working):
        at, stop = datetime.combine(any_day, start), datetime.combine(any_day, end)
        while at < stop:
            out.add(slot_label(at.time()))
            at += SLOT
    return sorted(out)


def _working(_day: date) -> DayKind:
    return DayKind.WORKING


def _slot_of(ctx: HallContext, moment: datetime) -> tuple[date, str]:
    local = ctx.local(moment)
    return local.date(), slot_label(local.time())


def opened_per_slot(
    ctx: HallContext, intervals: dict[str, list[tuple[datetime, datetime]]]
) -> dict[tuple[date, str], float]:
    """(local day, slot) -> windows open, time-weighted within the half hour."""
    out: dict[tuple[date, str], float] = defaultdict(float)
    for spans in intervals.values():
        for start, end in spans:
            local = ctx.local(start)
            at = local.replace(minute=30 if local.minute >= 30 else 0, second=0, microsecond=0)
            while at < end:
                overlap = min(end, at + SLOT) - max(start, at)
                if overlap.total_seconds() > 0:
                    out[(at.date(), slot_label(at.time()))] += overlap / SLOT
                at += SLOT
    return out


def _queue_entries(session: Session, ctx: HallContext, p: Period):
    """(item code, when it joined the queue) for every leg: a resident's first leg at issue,
    a transferred leg when the leg before it ended; and finished legs' service minutes."""
    rows = session.execute(
        select(
            Ticket.id, Ticket.parent_id, ServiceItem.code, Ticket.issued_at, Ticket.state,
            Ticket.started_at, Ticket.ended_at,
        )
        .join(ServiceItem, ServiceItem.id == Ticket.item_id)
        .where(Ticket.hall_id == ctx.id, Ticket.day >= p.first, Ticket.day <= p.last)
    ).all()  # fmt: skip
    ended = {r.id: r.ended_at for r in rows}
    entries, services = [], defaultdict(list)
    for r in rows:
        joined = r.issued_at if r.parent_id is None else ended.get(r.parent_id) or r.issued_at
        entries.append((r.code, joined))
        if r.state == TicketState.FINISHED and r.started_at and r.ended_at:
            services[r.code].append((r.ended_at - r.started_at).total_seconds() / 60)
    return entries, services


def month_staffing(session: Session, ctx: HallContext, p: Period) -> MonthStaffing:
    cfg = ctx.config
    target = cfg.staffing
    opened = opened_per_slot(ctx, open_intervals(session, ctx, p.start, p.end))
    entries, services = _queue_entries(session, ctx, p)
    configured = dict(
        session.execute(
            select(ServiceItem.code, ServiceItem.service_minutes).where(
                ServiceItem.hall_id == ctx.id
            )
        )
        .tuples()
        .all()
    )
    minutes = {code: mean(values) for code, values in services.items()}
    arrivals: dict[tuple[date, str], Counter[str]] = defaultdict(Counter)
    for code, joined in entries:
        arrivals[_slot_of(ctx, joined)][code] += 1

    working = [d for d in p.days() if ctx.day_kinds(d) is DayKind.WORKING]
    active = {day for day, _ in opened} | {day for day, _ in arrivals}
    days = [d for d in working if d in active]
    slots = sorted(set(_office_slots(ctx)) | {s for d, s in arrivals if d in days})

    @functools.cache
    def erlang(residents: int, service_minutes: float) -> int:
        """Windows needed for ``residents`` joining in a half hour (rates per minute)."""
        rate, goal = residents / 30, (target.target_minutes, target.target_share)
        try:
            return servers_needed(rate, service_minutes, *goal, target.patience_minutes or None)
        except ValueError:  # out of reach while residents leave: the plain Erlang C answer
            return servers_needed(rate, service_minutes, *goal)

    def service_minutes(code: str) -> float:
        return minutes.get(code) or configured.get(code) or cfg.queue.default_service_minutes

    def needed(demand: Counter[str]) -> int:
        """As the advice's quick answer: Erlang per item group (its residents' mean service
        time), and at least the windows it takes to serve every item asked for."""
        total = 0
        for items, numbers in staffing.item_groups(ctx):
            mine = {code: n for code, n in demand.items() if code in items}
            residents = sum(mine.values())
            if residents:
                service = sum(n * service_minutes(c) for c, n in mine.items()) / residents
                windows = erlang(residents, round(service, 2))
                total += max(windows, staffing.cover_size(ctx, numbers, mine))
        return total

    required = {key: needed(demand) for key, demand in arrivals.items()}

    def average(values: dict, slot: str) -> float:
        return round(sum(values.get((d, slot), 0) for d in days) / len(days), 2) if days else 0.0

    def hours(values: dict, day: date) -> float:  # window-hours: each half hour is half an hour
        return round(sum(values.get((day, s), 0) for s in slots) / 2, 1)

    return MonthStaffing(
        slots=slots,
        opened=[average(opened, s) for s in slots],
        required=[average(required, s) for s in slots],
        days=len(days),
        target=f"{target.target_share:.0%} 的群众 {target.target_minutes:g} 分钟内叫号",
        daily=[(d, hours(opened, d), hours(required, d)) for d in days],
    )
