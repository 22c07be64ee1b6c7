"""The managers' live board: today's figures per item and window, alerts, and totals."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta
from statistics import mean
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db.models import Department, Device, ServiceItem, Ticket, User, Window
from ..db.uow import current_seq
from ..domain.numbering import local_day
from .devices import device_view
from .halls import HallContext

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
    served_at_window = Counter()
    for t in legs:
        code = t.item.code
        if t.state == "waiting":
            waiting[code].append(t)
        if t.called_at and t.parent_id is None:
            waits[code].append(_minutes(t.called_at - t.issued_at))
        if t.state == "finished" and t.started_at and t.ended_at:
            services[code].append(_minutes(t.ended_at - t.started_at))
            served_at_window[t.window_id] += 1

    item_rows = []
    for i in items:
        w = waiting[i.code]
        longest = max((_minutes(now - t.waiting_since) for t in w), default=0)
        item_rows.append(
            {
                "code": i.code,
                "name": {"zh": i.name_zh, "en": i.name_en},
                "department": departments[i.department_id].code,
                "department_name": departments[i.department_id].name_zh,
                "waiting": len(w),
                "longest_wait_minutes": longest,
                "oldest_waiting_since": min((t.waiting_since for t in w), default=None),
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
        state = w.state if w.state != "open" else ("serving" if current else "idle")
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

    devices = [
        device_view(d)
        for d in session.scalars(
            select(Device)
            .where(Device.hall_id == ctx.id, Device.active, Device.kind.in_(["kiosk", "display"]))
            .order_by(Device.code)
        )
    ]

    roots = [t for t in legs if t.parent_id is None]
    finished = [t for t in legs if t.state == "finished"]
    all_waits = [w for values in waits.values() for w in values]
    return {
        "seq": seq,
        "at": now.isoformat(),
        "day": day.isoformat(),
        "thresholds": limits.model_dump(),
        "items": item_rows,
        "windows": window_rows,
        "devices": devices,
        "alerts": alerts(item_rows, window_rows, devices, now, limits),
        "totals": {
            "issued": len(roots),
            "served": len(finished),
            "no_show": sum(1 for t in legs if t.state == "no_show"),
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
        if w["state"] == "paused" and w["state_since"]:
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
        seen = datetime.fromisoformat(d["last_seen_at"]) if d["last_seen_at"] else None
        online = (d["status"] or {}).get("online")
        stale = seen is None or (now - seen).total_seconds() > limits.device_offline_seconds
        if stale and online is not True:
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
