"""What the database knows about past days: arrival profiles and service-time laws fitted from
tickets, and a recorded day as arrivals and a roster the simulator can replay.

A recorded day becomes: one ``Arrival`` per first leg (its issue time, item, class, how long it
held the window from call to finish or no-show, a cancellation as patience, a transfer as its
second leg), and one ``Shift`` per stretch a window was open and not paused (from the audit log:
window.opened / paused / resumed / handed_over / closed). A re-queued no-show is replayed as
its last call; a leg transferred on again (a third leg) is left out.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db.models import ServiceItem, Ticket, Window
from ..services.halls import HallContext
from ..services.window_history import open_intervals
from .model import (
    SLOT_MINUTES,
    Arrival,
    LogNormal,
    Profile,
    Roster,
    ServiceTimes,
    Shift,
    minutes_of,
    time_of,
)

MIN_FIT = 10  # finished services needed to fit an item's law; fewer: its configured minutes
MAX_CV = 3.0


def _local(ctx: HallContext, moment: datetime) -> datetime:
    return moment.astimezone(ctx.tz)


def slot_of(moment: datetime) -> time:
    m = minutes_of(moment.time()) // SLOT_MINUTES * SLOT_MINUTES
    return time_of(m)


# --- fits ----------------------------------------------------------------------------------


def fit_lognormal(samples: Sequence[float]) -> LogNormal | None:
    """Lognormal by the moments of the logs; None for fewer than ``MIN_FIT`` positive samples."""
    xs = [math.log(x) for x in samples if x > 0]
    if len(xs) < MIN_FIT:
        return None
    mu = sum(xs) / len(xs)
    var = sum((x - mu) ** 2 for x in xs) / (len(xs) - 1)
    cv = min(MAX_CV, math.sqrt(math.expm1(var)))
    return LogNormal(math.exp(mu + var / 2), cv)


@dataclass(frozen=True)
class Fitted:
    """Service laws and rates from finished tickets of some days."""

    service: ServiceTimes
    no_show_rate: float
    transfer_rate: float
    samples: dict[str, int]  # item -> finished services used


def _tickets(session: Session, ctx: HallContext, first: date, last: date):
    return session.execute(
        select(
            Ticket.id,
            ServiceItem.code,
            Ticket.day,
            Ticket.seq,
            Ticket.priority,
            Ticket.state,
            Ticket.issued_at,
            Ticket.called_at,
            Ticket.ended_at,
            Ticket.target_window,
            Ticket.parent_id,
            Window.number.label("window"),
        )
        .join(ServiceItem, Ticket.item_id == ServiceItem.id)
        .outerjoin(Window, Ticket.window_id == Window.id)
        .where(Ticket.hall_id == ctx.id, Ticket.day >= first, Ticket.day <= last)
        .order_by(Ticket.id)
    ).all()


def fit_service(session: Session, ctx: HallContext, first: date, last: date) -> Fitted:
    """Laws of window time (call to finish) per item, and no-show and transfer shares of the
    calls, over tickets of days ``first``..``last``."""
    durations: dict[str, list[float]] = {}
    calls = no_shows = transfers = 0
    for row in _tickets(session, ctx, first, last):
        if row.called_at is None or row.ended_at is None:
            continue
        calls += 1
        no_shows += row.state == "no_show"
        transfers += row.state == "transferred"
        if row.state == "finished":
            seconds = (row.ended_at - row.called_at).total_seconds()
            durations.setdefault(row.code, []).append(seconds)
    laws = {code: law for code, xs in durations.items() if (law := fit_lognormal(xs))}
    return Fitted(
        ServiceTimes(laws),
        no_shows / calls if calls else 0.03,
        transfers / calls if calls else 0.0,
        {code: len(xs) for code, xs in durations.items()},
    )


def arrival_counts(session: Session, ctx: HallContext, days: Iterable[date]) -> dict:
    """{day: Counter((item, slot start))} of first legs issued on these days."""
    days = sorted(set(days))
    counts: dict[date, Counter] = {d: Counter() for d in days}
    if not days:
        return counts
    for row in _tickets(session, ctx, days[0], days[-1]):
        if row.parent_id is None and row.day in counts:
            counts[row.day][(row.code, slot_of(_local(ctx, row.issued_at)))] += 1
    return counts


def fit_profile(
    session: Session, ctx: HallContext, days: Sequence[date], name: str = "history"
) -> Profile:
    """Mean arrivals per item per half hour over ``days`` (days with no ticket count too)."""
    counts = arrival_counts(session, ctx, days)
    rates: dict[str, dict[time, float]] = {}
    for per_day in counts.values():
        for (code, slot), n in per_day.items():
            rates.setdefault(code, {}).setdefault(slot, 0.0)
            rates[code][slot] += n / len(counts)
    priorities: Counter[str] = Counter()
    for row in _tickets(session, ctx, min(days), max(days)) if days else ():
        if row.parent_id is None and row.day in counts:
            priorities[row.priority] += 1
    total = sum(priorities.values())
    green = priorities["green"] / total if total else 0.05
    appointment = priorities["appointment"] / total if total else 0.10
    return Profile(name, rates, green_share=green, appointment_share=appointment)


def days_with_tickets(session: Session, ctx: HallContext, first: date, last: date) -> set[date]:
    rows = session.scalars(
        select(Ticket.day)
        .where(Ticket.hall_id == ctx.id, Ticket.day >= first, Ticket.day <= last)
        .distinct()
    )
    return set(rows)


# --- a recorded day ------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordedTicket:
    number: int  # the arrival's index in RecordedDay.arrivals
    leg: int
    ticket_id: int
    item_code: str
    queued_at: datetime
    called_at: datetime | None
    window: int | None

    @property
    def wait_minutes(self) -> float | None:
        if self.called_at is None:
            return None
        return (self.called_at - self.queued_at).total_seconds() / 60.0


@dataclass(frozen=True)
class RecordedDay:
    day: date
    arrivals: list[Arrival]
    roster: Roster
    tickets: list[RecordedTicket]  # every leg, with its recorded call


def recorded_day(session: Session, ctx: HallContext, day: date) -> RecordedDay:
    rows = _tickets(session, ctx, day, day)
    children: dict[int, list] = {}
    for row in rows:
        if row.parent_id is not None:
            children.setdefault(row.parent_id, []).append(row)
    arrivals: list[Arrival] = []
    recorded: list[RecordedTicket] = []
    roots = sorted((r for r in rows if r.parent_id is None), key=lambda r: (r.issued_at, r.id))
    for index, row in enumerate(roots):
        issued = _local(ctx, row.issued_at)
        held = _held(row)
        patience = None
        if row.state == "cancelled" and row.called_at is None and row.ended_at is not None:
            patience = (row.ended_at - row.issued_at).total_seconds()
        leg = children.get(row.id, [None])[0]
        arrivals.append(
            Arrival(
                at=issued,
                item_code=row.code,
                service_seconds=held,
                priority=row.priority,
                no_show=row.state == "no_show",
                patience_seconds=patience,
                transfer_to=leg.code if leg is not None else None,
                transfer_window=leg.target_window if leg is not None else None,
                transfer_service_seconds=_held(leg) if leg is not None else 0.0,
                seq=row.seq,
            )
        )
        recorded.append(
            RecordedTicket(index, 0, row.id, row.code, issued, _opt(ctx, row.called_at), row.window)
        )
        if leg is not None:
            queued = _local(ctx, row.ended_at) if row.ended_at else issued
            recorded.append(
                RecordedTicket(
                    index, 1, leg.id, leg.code, queued, _opt(ctx, leg.called_at), leg.window
                )
            )  # fmt: skip
    return RecordedDay(day, arrivals, recorded_roster(session, ctx, day), recorded)


def _held(row) -> float:
    if row is None or row.called_at is None or row.ended_at is None:
        return 0.0
    return max(0.0, (row.ended_at - row.called_at).total_seconds())


def _opt(ctx: HallContext, moment: datetime | None) -> datetime | None:
    return None if moment is None else _local(ctx, moment)


def _day_bounds(ctx: HallContext, day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=ctx.tz)
    return start, start + timedelta(days=1)


def recorded_roster(
    session: Session, ctx: HallContext, day: date, until: datetime | None = None
) -> Roster:
    """Stretches each window was open and calling on ``day`` (up to ``until``, default the end
    of the day; a window still open then is open until then)."""
    start, end = _day_bounds(ctx, day)
    end = min(end, until) if until else end
    stretches = [
        (int(number), a, b)
        for number, spans in open_intervals(session, ctx, start, end).items()
        if number.isdigit()
        for a, b in spans
    ]
    shifts = []
    for number, a, b in stretches:
        la, lb = _local(ctx, a), _local(ctx, b)
        stop = lb.time() if lb.date() == day else time(23, 59, 59, 999999)
        if stop > la.time():
            shifts.append(Shift(number, la.time(), stop))
    return tuple(sorted(shifts, key=lambda s: (s.window, s.start)))
