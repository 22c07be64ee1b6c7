"""The managers' live board: today's figures per item and window, the case picture (open cases
by colour, the red and orange ones, overdue records, extension requests, bad reviews), alerts,
and totals."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import mean
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy import case as sa_case
from sqlalchemy.orm import Session

from ..db.models import (
    Case,
    CaseExtension,
    CaseReferral,
    Department,
    Device,
    Evaluation,
    ServiceItem,
    Ticket,
    User,
    Window,
)
from ..db.uow import current_seq
from ..domain import referral_alerts as ra
from ..domain.cases import SATISFIED, CaseState, ExtensionState, Rating, RectificationState
from ..domain.network import ReferralState
from ..domain.numbering import local_day
from ..domain.tickets import TicketState
from ..domain.windows import WindowState
from ..hallconfig import Thresholds
from . import network
from .case_queries import list_overdue
from .devices import device_view
from .evaluations import list_rectifications
from .halls import HallContext

# Live devices whose presence the board watches (printers report through their kiosk).
WATCHED_DEVICES = ("kiosk", "display", "rating_pad")
# Red and orange cases listed on the board; the rest are on the cases page.
URGENT_LIMIT = 50
# At most this many alerts of one case kind, then one line "另有 N 件".
CASE_ALERTS_LIMIT = 6

HALF_HOUR = timedelta(minutes=30)


def _minutes(delta: timedelta) -> float:
    return round(delta.total_seconds() / 60, 1)


def board(session: Session, ctx: HallContext, now: datetime) -> dict[str, Any]:
    day = local_day(now, ctx.timezone)
    limits = ctx.config.thresholds
    seq = current_seq(session, ctx.id)
    items = session.scalars(
        select(ServiceItem).where(ServiceItem.hall_id == ctx.id, ServiceItem.active)
    ).all()
    departments = {
        d.id: d for d in session.scalars(select(Department).where(Department.hall_id == ctx.id))
    }
    windows = session.scalars(
        select(Window).where(Window.hall_id == ctx.id, Window.active).order_by(Window.number)
    ).all()
    legs = session.scalars(select(Ticket).where(Ticket.hall_id == ctx.id, Ticket.day == day)).all()
    users = {u.id: u for u in session.scalars(select(User).where(User.hall_id == ctx.id))}
    by_id = {t.id: t for t in legs}

    waiting = defaultdict(list)
    waits, services = defaultdict(list), defaultdict(list)
    served_at_window: Counter[int | None] = Counter()
    for t in legs:
        code = t.item.code
        if t.state == TicketState.WAITING:
            waiting[code].append(t)
        if t.called_at and t.parent_id is None:
            waits[code].append(_minutes(t.called_at - t.issued_at))
        if t.state == TicketState.FINISHED and t.started_at and t.ended_at:
            services[code].append(_minutes(t.ended_at - t.started_at))
            served_at_window[t.window_id] += 1

    item_rows: list[dict[str, Any]] = []
    for i in items:
        queued = waiting[i.code]
        longest = max((_minutes(now - t.waiting_since) for t in queued), default=0)
        item_rows.append(
            {
                "code": i.code,
                "name": {"zh": i.name_zh, "en": i.name_en},
                "department": departments[i.department_id].code,
                "department_name": departments[i.department_id].name_zh,
                "waiting": len(queued),
                "longest_wait_minutes": longest,
                "oldest_waiting_since": min((t.waiting_since for t in queued), default=None),
                "avg_wait_minutes": round(mean(waits[i.code]), 1) if waits[i.code] else None,
                "avg_service_minutes": round(mean(services[i.code]), 1)
                if services[i.code]
                else None,
            }
        )
    for row in item_rows:
        if row["oldest_waiting_since"]:
            row["oldest_waiting_since"] = row["oldest_waiting_since"].isoformat()

    window_rows = []
    for w in windows:
        current = by_id.get(w.current_ticket_id) if w.current_ticket_id else None
        if current is None and w.current_ticket_id:
            current = session.get(Ticket, w.current_ticket_id)
        state = w.state if w.state != WindowState.OPEN else ("serving" if current else "idle")
        window_rows.append(
            {
                "number": w.number,
                "name": {"zh": w.name_zh, "en": w.name_en},
                "area": w.area,
                "state": state,
                "state_since": w.state_since.isoformat() if w.state_since else None,
                "pause_reason": w.pause_reason,
                "clerk": users[w.clerk_id].display_name if w.clerk_id in users else None,
                "current": {
                    "number": current.number,
                    "item": current.item.code,
                    "state": current.state,
                    "since": (current.called_at or now).isoformat(),
                }
                if current
                else None,
                "served_today": served_at_window[w.id],
                "items": w.item_codes,
            }
        )

    devices = watched_devices(session, [ctx.id])[ctx.id]

    roots = [t for t in legs if t.parent_id is None]
    finished = [t for t in legs if t.state == TicketState.FINISHED]
    all_waits = [w for values in waits.values() for w in values]
    unit_names = {d.code: d.name_zh for d in departments.values()}
    picture = case_picture(session, ctx, now, users, unit_names)
    return {
        "seq": seq,
        "at": now.isoformat(),
        "day": day.isoformat(),
        "thresholds": limits.model_dump(),
        "items": item_rows,
        "windows": window_rows,
        "devices": devices,
        "alerts": case_alerts(picture) + alerts(item_rows, window_rows, devices, now, limits),
        "cases": picture,
        "totals": {
            "issued": len(roots),
            "served": len(finished),
            "no_show": sum(1 for t in legs if t.state == TicketState.NO_SHOW),
            "waiting": sum(len(v) for v in waiting.values()),
            "avg_wait_minutes": round(mean(all_waits), 1) if all_waits else None,
        },
        "half_hours": half_hours(roots, finished, ctx, now),
    }


def alerts(items, windows, devices, now: datetime, limits) -> list[dict[str, Any]]:
    """Everything a manager should act on now, most urgent kinds first."""
    out = []
    waiting_by_item = {i["code"]: i["waiting"] for i in items}
    for i in items:
        if i["waiting"] > limits.queue_length:
            out.append(
                {
                    "kind": "queue_long",
                    "item": i["code"],
                    "text": f"{i['name']['zh']} 等候 {i['waiting']} 人",
                }
            )
        if i["longest_wait_minutes"] > limits.wait_minutes:
            out.append(
                {
                    "kind": "wait_long",
                    "item": i["code"],
                    "text": f"{i['name']['zh']} 最长等候 {int(i['longest_wait_minutes'])} 分钟",
                }
            )
    for w in windows:
        if w["state"] == "idle" and any(waiting_by_item.get(code, 0) for code in w["items"]):
            out.append(
                {
                    "kind": "idle_with_queue",
                    "window": w["number"],
                    "text": f"{w['name']['zh']} 空闲但有群众等候",
                }
            )
        if w["state"] == WindowState.PAUSED and w["state_since"]:
            paused = _minutes(now - datetime.fromisoformat(w["state_since"]))
            if paused > limits.pause_minutes:
                out.append(
                    {
                        "kind": "paused_long",
                        "window": w["number"],
                        "text": f"{w['name']['zh']} 暂停 {int(paused)} 分钟",
                    }
                )
    for d in devices:
        if device_offline(d, now, limits):
            out.append({"kind": "device_offline", "device": d["code"], "text": f"{d['name']} 离线"})
        printer = (d["status"] or {}).get("printer") or {}
        if printer.get("condition") in ("paper_out", "cover_open", "error", "offline"):
            out.append(
                {
                    "kind": "printer_fault",
                    "device": d["code"],
                    "text": f"{d['name']} 打印机：{printer.get('message') or printer['condition']}",
                }
            )
    return out


def case_picture(
    session: Session,
    ctx: HallContext,
    now: datetime,
    users: dict[int, User],
    unit_names: dict[str, str],
) -> dict[str, Any]:
    """Open cases counted by colour (and 补正中), the red and orange ones, and what waits for a
    manager: overdue records to handle, extension requests to decide, bad reviews to rectify.

    Colours are the stored ones: set when a case changes and by the deadline sweep (every
    minute), which pushes ``case.colour`` when one changes, so the board reloads then. Counting
    them in SQL keeps the snapshot cheap for a hall with thousands of open cases (recomputing a
    colour walks the working-day calendar)."""
    counts, open_total = case_counts(session, [ctx.id])[ctx.id]
    urgent_cases = session.scalars(
        select(Case)
        .where(
            Case.hall_id == ctx.id, Case.state == CaseState.OPEN, Case.colour.in_(("red", "orange"))
        )
        .order_by(sa_case((Case.colour == "red", 0), else_=1), Case.deadline_at)
        .limit(URGENT_LIMIT)
    ).all()
    urgent = [
        {
            "number": c.number,
            "item": c.item.code,
            "item_name": c.item.name_zh,
            "handling_unit": c.handling_unit,
            "unit_name": unit_names.get(c.handling_unit, c.handling_unit),
            "deadline_at": ctx.local(c.deadline_at).isoformat(),
            "colour": c.colour,
            "clerk": users[c.clerk_id].display_name if c.clerk_id in users else None,
        }
        for c in urgent_cases
    ]
    overdue = list_overdue(session, ctx, pending_only=True)
    for record in overdue:
        record["unit_name"] = unit_names.get(record["handling_unit"], record["handling_unit"])
    requested = session.execute(
        select(CaseExtension, Case)
        .join(Case, CaseExtension.case_id == Case.id)
        .where(Case.hall_id == ctx.id, CaseExtension.state == ExtensionState.REQUESTED)
        .order_by(CaseExtension.requested_at)
    ).all()
    extensions = [
        {
            "id": ext.id,
            "case": case.number,
            "item_name": case.item.name_zh,
            "handling_unit": case.handling_unit,
            "unit_name": unit_names.get(case.handling_unit, case.handling_unit),
            "days": ext.days,
            "reason": ext.reason,
            "requested_at": ext.requested_at.isoformat(),
            "requested_by": users[ext.requested_by].display_name
            if ext.requested_by in users
            else None,
            "deadline_at": ctx.local(case.deadline_at).isoformat(),
        }
        for ext, case in requested
    ]
    rectifications = list_rectifications(session, ctx, RectificationState.OPEN)
    # Ratings of today's services (joined through today's tickets, which are indexed by day).
    ratings = session.scalars(
        select(Evaluation.rating)
        .join(Ticket, Evaluation.ticket_id == Ticket.id)
        .where(
            Ticket.hall_id == ctx.id,
            Ticket.day == local_day(now, ctx.timezone),
            Evaluation.excluded.is_(False),
        )
    ).all()
    satisfied = sum(1 for r in ratings if Rating(r) in SATISFIED)
    referrals = referral_facts(session, {ctx.id: ctx}, now).alerts[ctx.id]
    return {
        "counts": counts,
        "open": open_total,
        "urgent": urgent,
        "urgent_total": counts["red"] + counts["orange"],
        "overdue": overdue,
        "extensions": extensions,
        "rectifications": rectifications,
        "ratings_today": {
            "total": len(ratings),
            "satisfied": satisfied,
            "bad": len(ratings) - satisfied,
        },
        # 上报/交办 to act on: not reported the same day, sent late, waiting to be accepted
        "referrals": [a.view() for a in referrals],
    }


def case_alerts(picture: dict[str, Any]) -> list[dict[str, Any]]:
    """A new overdue case (its record not handled yet), a referral to act on (上报 not made the
    same day, sent late, waiting to be accepted) and a new bad review (nothing done yet)."""
    out: list[dict[str, Any]] = []
    overdue = picture["overdue"]
    for record in overdue[:CASE_ALERTS_LIMIT]:
        out.append(
            {
                "kind": "case_overdue",
                "case": record["case"],
                "text": f"{record['case']} {record['item_name']}（{record['unit_name']}）已超期",
            }
        )
    if len(overdue) > CASE_ALERTS_LIMIT:
        out.append(
            {
                "kind": "case_overdue",
                "case": None,
                "text": f"另有 {len(overdue) - CASE_ALERTS_LIMIT} 件超期待督办",
            }
        )
    for kind in ra.ORDER:
        of_kind = [a for a in picture["referrals"] if a["kind"] == kind]
        for alert in of_kind[:CASE_ALERTS_LIMIT]:
            out.append({"kind": kind.value, "case": alert["case"], "text": alert["text"]})
        if len(of_kind) > CASE_ALERTS_LIMIT:
            more = len(of_kind) - CASE_ALERTS_LIMIT
            out.append(
                {"kind": kind.value, "case": None, "text": f"另有 {more} 件{ra.KIND_ZH[kind]}"}
            )
    fresh = [r for r in picture["rectifications"] if not r["steps"]]
    for rect in fresh[:CASE_ALERTS_LIMIT]:
        comment = f"：{rect['comment'][:24]}" if rect["comment"] else ""
        out.append(
            {
                "kind": "bad_review",
                "rectification": rect["id"],
                "text": f"{rect['ticket']} 评价「{rect['rating_zh']}」{comment}",
            }
        )
    if len(fresh) > CASE_ALERTS_LIMIT:
        out.append(
            {
                "kind": "bad_review",
                "rectification": None,
                "text": f"另有 {len(fresh) - CASE_ALERTS_LIMIT} 条差评待回访",
            }
        )
    return out


def half_hours(roots, finished, ctx: HallContext, now: datetime) -> list[dict[str, Any]]:
    """Arrivals and services per half hour of today, local time, from the first to now."""

    def slot(moment: datetime) -> str:
        local = moment.astimezone(ctx.tz)
        return f"{local.hour:02d}:{'30' if local.minute >= 30 else '00'}"

    arrivals = Counter(slot(t.issued_at) for t in roots)
    served = Counter(slot(t.ended_at) for t in finished if t.ended_at)
    slots = sorted(set(arrivals) | set(served))
    if not slots:
        return []
    first, last = slots[0], slot(now)
    out, (h, m) = [], map(int, first.split(":"))
    while True:
        label = f"{h:02d}:{m:02d}"
        out.append(
            {"slot": label, "arrivals": arrivals.get(label, 0), "served": served.get(label, 0)}
        )
        if label >= last or len(out) >= 48:
            break
        m += 30
        if m == 60:
            h, m = h + 1, 0
    return out


# --- figures of many halls at once (the county board reads them for every hall of its tree) ------
# Each is one grouped statement over ``hall_id IN (...)``, however many halls there are.

OPEN_STATES = (CaseState.OPEN.value, CaseState.SUSPENDED.value)
COLOURS = ("red", "orange", "yellow", "green")


def case_counts(session: Session, hall_ids: Iterable[int]) -> dict[int, tuple[dict[str, int], int]]:
    """Open cases per hall by stored colour (and 补正中), and how many are open in all."""
    ids = list(hall_ids)
    counts = {h: dict.fromkeys((*COLOURS, "suspended"), 0) for h in ids}
    totals: Counter[int] = Counter()
    for hall_id, state, colour, n in session.execute(
        select(Case.hall_id, Case.state, Case.colour, func.count())
        .where(Case.hall_id.in_(ids), Case.state.in_(OPEN_STATES))
        .group_by(Case.hall_id, Case.state, Case.colour)
    ):
        totals[hall_id] += n
        key = "suspended" if state == CaseState.SUSPENDED.value else colour
        if key in counts[hall_id]:
            counts[hall_id][key] += n
    return {h: (counts[h], totals[h]) for h in ids}


def watched_devices(session: Session, hall_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
    """The live devices whose presence the board watches, per hall, by code."""
    ids = list(hall_ids)
    out: dict[int, list[dict[str, Any]]] = {h: [] for h in ids}
    for d in session.scalars(
        select(Device)
        .where(Device.hall_id.in_(ids), Device.active, Device.kind.in_(WATCHED_DEVICES))
        .order_by(Device.code)
    ):
        out[d.hall_id].append(device_view(d))
    return out


def device_offline(view: dict[str, Any], now: datetime, limits: Thresholds) -> bool:
    """Not heard from for longer than the hall allows, and no socket of it open."""
    seen = datetime.fromisoformat(view["last_seen_at"]) if view["last_seen_at"] else None
    online = (view["status"] or {}).get("online")
    stale = seen is None or (now - seen).total_seconds() > limits.device_offline_seconds
    return stale and online is not True


def office(ctx: HallContext) -> ra.Office:
    return ra.Office(ctx.tz, ctx.calendar, ctx.deadline_rule.office_close)


@dataclass
class ReferralFacts:
    """Per hall: its referral alerts (most urgent first) and the referrals waiting for it."""

    alerts: dict[int, list[ra.Alert]]
    waiting: Counter[int] = field(default_factory=Counter)


def referral_facts(
    session: Session,
    halls: Mapping[int, HallContext],
    now: datetime,
    tree: Mapping[int, network.HallNode] | None = None,
) -> ReferralFacts:
    """The referral alerts of ``halls`` (see ``domain.referral_alerts``) and how many referrals
    wait for each: two statements (three without ``tree``) whatever the number of halls."""
    ids = list(halls)
    facts = ReferralFacts({h: [] for h in ids})
    if not ids:
        return facts
    tree = tree if tree is not None else network.nodes(session)
    offices = {h: office(ctx) for h, ctx in halls.items()}
    week = min(ra.week_start(now, o.tz) for o in offices.values())
    rows = session.execute(
        select(
            CaseReferral.from_hall_id,
            CaseReferral.to_hall_id,
            CaseReferral.direction,
            CaseReferral.state,
            CaseReferral.sent_at,
            CaseReferral.due_at,
            CaseReferral.late,
            Case.number,
            ServiceItem.name_zh,
        )
        .join(Case, Case.id == CaseReferral.from_case_id)
        .join(ServiceItem, ServiceItem.id == Case.item_id)
        .where(
            or_(
                and_(
                    CaseReferral.from_hall_id.in_(ids),
                    CaseReferral.late.is_(True),
                    CaseReferral.sent_at >= week,
                ),
                and_(CaseReferral.to_hall_id.in_(ids), CaseReferral.state == ReferralState.SENT),
            )
        )
        .order_by(CaseReferral.id)
    ).all()
    for r in rows:
        sender, receiver = tree[r.from_hall_id], tree[r.to_hall_id]
        referral = ra.Referral(
            case=r.number,
            item_name=r.name_zh,
            direction=r.direction,
            state=r.state,
            from_hall=sender.code,
            from_name=sender.name_zh,
            to_hall=receiver.code,
            to_name=receiver.name_zh,
            sent_at=r.sent_at,
            due_at=r.due_at,
            late=r.late,
        )
        if r.from_hall_id in offices:
            late = ra.referral_late(referral, offices[r.from_hall_id], now)
            if late is not None:
                facts.alerts[r.from_hall_id].append(late)
        if r.to_hall_id in offices and r.state is ReferralState.SENT:
            facts.waiting[r.to_hall_id] += 1
            waiting = ra.referral_waiting(referral, offices[r.to_hall_id], now)
            if waiting is not None:
                facts.alerts[r.to_hall_id].append(waiting)
    refer_up = {
        h: {item.code for item in ctx.config.items if item.refer_up} for h, ctx in halls.items()
    }
    codes = set().union(*refer_up.values())
    if codes:
        sent = exists().where(CaseReferral.from_case_id == Case.id)
        came = exists().where(CaseReferral.to_case_id == Case.id)
        for c in session.execute(
            select(
                Case.hall_id, Case.number, Case.accepted_at, ServiceItem.code, ServiceItem.name_zh
            )
            .join(ServiceItem, ServiceItem.id == Case.item_id)
            .where(
                Case.hall_id.in_(ids),
                Case.state.in_(OPEN_STATES),
                ServiceItem.code.in_(sorted(codes)),
                ~sent,
                ~came,
            )
            .order_by(Case.accepted_at)
        ):
            case = ra.OpenCase(
                hall=halls[c.hall_id].code,
                number=c.number,
                item_name=c.name_zh,
                accepted_at=c.accepted_at,
                refer_up=c.code in refer_up[c.hall_id],
                referred=False,
            )
            due = ra.refer_up_due(case, offices[c.hall_id], now)
            if due is not None:
                facts.alerts[c.hall_id].append(due)
    facts.alerts = {h: ra.ordered(found) for h, found in facts.alerts.items()}
    return facts
