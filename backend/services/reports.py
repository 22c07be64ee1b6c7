"""Daily and monthly statistics per department, item, window and clerk, as plain dict rows.

Everything is first turned into small facts (a ticket issued, a wait, a service, a case finished
on time, a rating ...) carrying the item, window, clerk and hall-local day they belong to; a
grouping then only decides which key a fact is counted under, so every grouping adds up to the
same totals. Periods are hall-local days and months.
"""

from __future__ import annotations

import calendar as cal
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from statistics import mean
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..db.models import (
    AuditEntry,
    Case,
    CaseExtension,
    Department,
    Evaluation,
    ServiceItem,
    Ticket,
    User,
    Window,
)
from ..domain.cases import SATISFIED, ExtensionState, Rating
from .halls import HallContext

GROUPINGS = ("department", "item", "window", "clerk")
RATINGS = tuple(r.value for r in Rating)
GOOD = frozenset(r.value for r in SATISFIED)
UNASSIGNED = "（未分配）"


@dataclass(frozen=True)
class Period:
    kind: str  # day | month
    first: date
    last: date  # inclusive
    start: datetime  # hall-local midnight of `first`
    end: datetime  # hall-local midnight after `last` (exclusive)

    @property
    def label(self) -> str:
        return self.first.isoformat() if self.kind == "day" else self.first.strftime("%Y-%m")

    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]


def day_period(ctx: HallContext, day: date) -> Period:
    return _period(ctx, "day", day, day)


def month_period(ctx: HallContext, year: int, month: int) -> Period:
    last = date(year, month, cal.monthrange(year, month)[1])
    return _period(ctx, "month", date(year, month, 1), last)


def _period(ctx: HallContext, kind: str, first: date, last: date) -> Period:
    def midnight(d: date) -> datetime:
        return datetime.combine(d, time(), tzinfo=ctx.tz)

    return Period(kind, first, last, midnight(first), midnight(last + timedelta(days=1)))


@dataclass(frozen=True)
class Fact:
    kind: str
    item_id: int
    window_id: int | None
    clerk_id: int | None
    day: date
    value: float | None = None


def minutes(delta: timedelta) -> float:
    """A duration in minutes (waits and services in every report)."""
    return delta.total_seconds() / 60


# --- facts -----------------------------------------------------------------------------------------


def ticket_facts(session: Session, ctx: HallContext, p: Period) -> list[Fact]:
    """Issued and waited: once per resident (the first leg); served, service time and no-show:
    per leg. A returning no-show's wait runs to its first call (from the audit trail)."""
    rows = session.execute(
        select(
            Ticket.id, Ticket.number, Ticket.item_id, Ticket.window_id, Ticket.clerk_id,
            Ticket.day, Ticket.state, Ticket.parent_id, Ticket.requeue_count,
            Ticket.issued_at, Ticket.called_at, Ticket.started_at, Ticket.ended_at,
        ).where(Ticket.hall_id == ctx.id, Ticket.day >= p.first, Ticket.day <= p.last)
    ).all()  # fmt: skip
    requeued = [r for r in rows if r.parent_id is None and r.requeue_count and r.called_at]
    first_call = first_calls(session, ctx, p, requeued)
    facts = []
    for r in rows:
        at = (r.item_id, r.window_id, r.clerk_id, r.day)
        if r.parent_id is None:
            facts.append(Fact("issued", *at))
            called = first_call.get(r.id, r.called_at)
            if called is not None:
                facts.append(Fact("wait", *at, minutes(called - r.issued_at)))
        if r.state == "finished":
            facts.append(Fact("served", *at))
            if r.started_at and r.ended_at:
                facts.append(Fact("service", *at, minutes(r.ended_at - r.started_at)))
        elif r.state == "no_show":
            facts.append(Fact("no_show", *at))
    return facts


def first_calls(session: Session, ctx: HallContext, p: Period, rows) -> dict[int, datetime]:
    """When each of these tickets (rows with ``id`` and ``number``) was first called within the
    period, by ticket id (the audit log's ``ticket.called``: a recall is not the first call)."""
    if not rows:
        return {}
    wanted = {r.id for r in rows}
    calls = session.execute(
        select(AuditEntry.at, AuditEntry.details).where(
            AuditEntry.hall_id == ctx.id,
            AuditEntry.action == "ticket.called",
            AuditEntry.entity_id.in_(sorted({r.number for r in rows})),
            AuditEntry.at >= p.start,
            AuditEntry.at < p.end,
        )
    ).all()
    first: dict[int, datetime] = {}
    for at, details in calls:
        tid = (details or {}).get("ticket_id")
        if isinstance(tid, int) and tid in wanted and (tid not in first or at < first[tid]):
            first[tid] = at
    return first


def case_facts(session: Session, ctx: HallContext, p: Period, now: datetime) -> list[Fact]:
    """Accepted, finished (on time or late), refused, extended (first approved extension) in the
    period; "overdue_open" once per day at whose end the case was unresolved past its deadline."""
    rows = session.execute(
        select(
            Case.id, Case.item_id, Case.window_id, Case.clerk_id, Case.state, Case.accepted_at,
            Case.finished_at, Case.on_time, Case.deadline_at, Case.suspensions,
        ).where(
            Case.hall_id == ctx.id,
            Case.accepted_at < p.end,
            or_(Case.finished_at.is_(None), Case.finished_at >= p.start),
        )
    ).all()  # fmt: skip
    extended = dict(
        session.execute(
            select(CaseExtension.case_id, func.min(CaseExtension.decided_at))
            .join(Case, Case.id == CaseExtension.case_id)
            .where(Case.hall_id == ctx.id, CaseExtension.state == ExtensionState.APPROVED)
            .group_by(CaseExtension.case_id)
        )
        .tuples()
        .all()
    )
    cutoffs = [(d, min(p.end, _next_midnight(ctx, d), now)) for d in p.days()]
    cutoffs = [(d, c) for d, c in cutoffs if c > datetime.combine(d, time(), tzinfo=ctx.tz)]
    facts = []
    for r in rows:
        ids = (r.item_id, r.window_id, r.clerk_id)

        def add(kind: str, moment: datetime, ids: tuple[int, int | None, int | None] = ids) -> None:
            if p.start <= moment < p.end:
                facts.append(Fact(kind, *ids, ctx.local(moment).date()))

        add("accepted", r.accepted_at)
        if r.finished_at is not None:
            if r.state == "finished":
                add("finished", r.finished_at)
                if r.on_time is not None:
                    add("on_time" if r.on_time else "overdue_late", r.finished_at)
            elif r.state == "refused":
                add("refused", r.finished_at)
            elif r.state == "referred":  # 上报/交办: it left this hall, which no longer holds it
                add("referred", r.finished_at)
        if (extended_at := extended.get(r.id)) is not None:
            add("extended", extended_at)
        for day, cutoff in cutoffs:
            unresolved = r.finished_at is None or r.finished_at > cutoff
            late = unresolved and r.accepted_at < cutoff and r.deadline_at < cutoff
            if late and not suspended_on(r.suspensions, day):
                facts.append(Fact("overdue_open", *ids, day))
    return facts


def _next_midnight(ctx: HallContext, d: date) -> datetime:
    return datetime.combine(d + timedelta(days=1), time(), tzinfo=ctx.tz)


def suspended_on(suspensions: list[Any], day: date) -> bool:
    """True if the case was waiting for supplements (补正) on ``day``: ``suspensions`` are the
    case's [since, until] ISO date pairs, ``until`` None while it still waits."""
    for since, until in suspensions or []:
        if date.fromisoformat(since) <= day and (until is None or day < date.fromisoformat(until)):
            return True
    return False


def rating_facts(session: Session, ctx: HallContext, p: Period) -> list[Fact]:
    """Ratings given in the period; those excluded on appeal do not count."""
    rows = session.execute(
        select(
            Evaluation.item_id, Evaluation.window_id, Evaluation.clerk_id, Evaluation.rating,
            Evaluation.at,
        ).where(
            Evaluation.hall_id == ctx.id,
            Evaluation.excluded.is_(False),
            Evaluation.at >= p.start,
            Evaluation.at < p.end,
        )
    ).all()  # fmt: skip
    return [
        Fact(r.rating, r.item_id, r.window_id, r.clerk_id, ctx.local(r.at).date()) for r in rows
    ]


# --- figures ---------------------------------------------------------------------------------------


def metrics(facts: Iterable[Fact]) -> dict[str, Any]:
    facts = list(facts)
    n = Counter(f.kind for f in facts)
    waits = [f.value for f in facts if f.kind == "wait" and f.value is not None]
    services = [f.value for f in facts if f.kind == "service" and f.value is not None]
    rated = sum(n[r] for r in RATINGS)
    return {
        "tickets_issued": n["issued"],
        "tickets_served": n["served"],
        "no_shows": n["no_show"],
        "avg_wait_minutes": round(mean(waits), 1) if waits else None,
        "avg_service_minutes": round(mean(services), 1) if services else None,
        "cases_accepted": n["accepted"],
        "cases_finished": n["finished"],
        "cases_on_time": n["on_time"],
        "cases_overdue": n["overdue_late"] + n["overdue_open"],
        "cases_extended": n["extended"],
        "cases_refused": n["refused"],
        "cases_referred": n["referred"],
        "on_time_rate": round(n["on_time"] / n["finished"], 4) if n["finished"] else None,
        **{r: n[r] for r in RATINGS},
        "evaluations": rated,
        "satisfaction_rate": round(sum(n[r] for r in GOOD) / rated, 4) if rated else None,
    }


def _catalog(session: Session, ctx: HallContext) -> dict[str, Any]:
    def rows(model, order):
        return session.scalars(select(model).where(model.hall_id == ctx.id).order_by(order)).all()

    items = rows(ServiceItem, ServiceItem.id)
    depts = {d.id: d for d in rows(Department, Department.id)}
    return {
        "department": [(d.id, d.code, d.name_zh, d.active, {}) for d in depts.values()],
        "item": [
            (i.id, i.code, i.name_zh, i.active, {"department": depts[i.department_id].name_zh})
            for i in items
        ],
        "window": [(w.id, w.number, w.name_zh, w.active, {}) for w in rows(Window, Window.number)],
        "clerk": [
            (u.id, u.username, u.display_name, u.active and u.role == "clerk", {})
            for u in rows(User, User.username)
        ],
        "item_department": {i.id: i.department_id for i in items},
    }


def _key(grouping: str, f: Fact, item_department: dict[int, int]):
    if grouping == "department":
        return item_department[f.item_id]
    return {"item": f.item_id, "window": f.window_id, "clerk": f.clerk_id}[grouping]


def grouped(grouping: str, facts: list[Fact], catalog: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per department/item/window/clerk: every active one, and any other with figures;
    facts with no window or clerk (never called, say) in a last 「未分配」 row."""
    buckets: dict[Any, list[Fact]] = defaultdict(list)
    for f in facts:
        buckets[_key(grouping, f, catalog["item_department"])].append(f)
    out = []
    for id_, key, name, active, extra in catalog[grouping]:
        if active or id_ in buckets:
            out.append({"key": key, "name": name, **extra, **metrics(buckets.get(id_, []))})
    if buckets.get(None):
        out.append({"key": None, "name": UNASSIGNED, **metrics(buckets[None])})
    return out


def _at_cutoff(facts: list[Fact], p: Period, now: datetime, ctx: HallContext) -> list[Fact]:
    """Open overdue cases count once, as they stood at the end of the period (or now)."""
    last = min(p.last, ctx.local(now).date())
    return [f for f in facts if f.kind != "overdue_open" or f.day == last]


def report(
    session: Session, ctx: HallContext, p: Period, now: datetime, by: str | None = None
) -> dict[str, Any]:
    facts = ticket_facts(session, ctx, p) + case_facts(session, ctx, p, now)
    facts += rating_facts(session, ctx, p)
    catalog = _catalog(session, ctx)
    flat = _at_cutoff(facts, p, now, ctx)
    out: dict[str, Any] = {
        "hall": {"code": ctx.code, "name": ctx.name_zh},
        "period": {"kind": p.kind, "label": p.label}
        | {k: getattr(p, k).isoformat() for k in ("first", "last", "start", "end")},
        "generated_at": ctx.local(now).isoformat(timespec="seconds"),
        "totals": metrics(flat),
        "groupings": {g: grouped(g, flat, catalog) for g in ([by] if by else GROUPINGS)},
    }
    if p.kind == "month":
        per_day: dict[date, list[Fact]] = defaultdict(list)
        for f in facts:
            per_day[f.day].append(f)
        out["days"] = [
            {"key": d.isoformat(), "working_day": ctx.calendar.is_working_day(d)}
            | metrics(per_day[d])
            for d in p.days()
        ]
    return out
