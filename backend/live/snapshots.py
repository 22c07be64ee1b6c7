"""What each kind of live client receives on (re)connect: a consistent picture plus its seq."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db.models import (
    AuditEntry,
    Department,
    Device,
    Evaluation,
    ServiceItem,
    Ticket,
    User,
    Window,
)
from ..db.uow import current_seq
from ..domain.numbering import local_day
from ..services.auth import Principal
from ..services.board import board
from ..services.halls import HallContext
from ..services.queue import snapshot

# A rating request older than this is not shown again to a pad that (re)connects.
PAD_REQUEST_MINUTES = 5
WINDOW_IN_NAME = re.compile(r"^\s*(\d+)\s*号窗口")


def hall_header(ctx: HallContext) -> dict[str, Any]:
    return {
        "code": ctx.code,
        "name": {"zh": ctx.name_zh, "en": ctx.name_en},
        "announcements": ctx.config.hall.announcements,
        "timezone": ctx.timezone,
    }


def staff_snapshot(session: Session, ctx: HallContext, now: datetime) -> dict[str, Any]:
    return snapshot(session, ctx, now) | {"kind": "staff", "hall_info": hall_header(ctx)}


def display_snapshot(
    session: Session, ctx: HallContext, area: str, now: datetime
) -> dict[str, Any]:
    """Windows of the area, waiting counts, the latest calls: numbers and window names only."""
    base = snapshot(session, ctx, now)
    windows = [w for w in base["windows"] if area == "all" or w["area"] == area]
    numbers = {w["number"] for w in windows}
    window_rows = {w.id: w for w in session.scalars(select(Window).where(Window.hall_id == ctx.id))}
    recent = session.scalars(
        select(Ticket)
        .where(
            Ticket.hall_id == ctx.id,
            Ticket.day == local_day(now, ctx.timezone),
            Ticket.called_at.is_not(None),
        )
        .order_by(Ticket.called_at.desc())
        .limit(ctx.config.display.recent_calls * 4)
    ).all()
    calls = []
    for t in recent:
        w = window_rows.get(t.window_id)
        if w is None or w.number not in numbers:
            continue
        calls.append(
            {
                "number": t.number,
                "window": w.number,
                "window_name": {"zh": w.name_zh, "en": w.name_en},
                "area": w.area,
                "at": t.called_at.isoformat(),
                "state": t.state,
            }
        )
        if len(calls) == ctx.config.display.recent_calls:
            break
    for w in windows:  # public screens show the number only
        if w["current"]:
            w["current"] = {"number": w["current"]["number"], "state": w["current"]["state"]}
        w.pop("clerk", None)
    return {
        "kind": "display",
        "seq": base["seq"],
        "at": base["at"],
        "area": area,
        "hall": hall_header(ctx),
        "windows": windows,
        "items": base["items"],
        "recent_calls": calls,
        "voice": {"repeat": ctx.config.display.voice_repeat, "chime": ctx.config.display.chime},
    }


def board_snapshot(session: Session, ctx: HallContext, now: datetime) -> dict[str, Any]:
    return board(session, ctx, now) | {"kind": "board", "hall": hall_header(ctx)}


def cases_snapshot(
    session: Session, ctx: HallContext, principal: Principal, now: datetime
) -> dict[str, Any]:
    """For the cases page: the sequence it is consistent with and the filter choices; the list
    itself comes from the REST API (GET /cases), reloaded on every case event."""
    departments = session.scalars(
        select(Department).where(Department.hall_id == ctx.id).order_by(Department.id)
    ).all()
    items = session.scalars(
        select(ServiceItem)
        .where(ServiceItem.hall_id == ctx.id, ServiceItem.kind == "promised")
        .order_by(ServiceItem.code)
    ).all()
    users = session.scalars(
        select(User).where(User.hall_id == ctx.id, User.active).order_by(User.username)
    ).all()
    return {
        "kind": "cases",
        "seq": current_seq(session, ctx.id),
        "at": now.isoformat(),
        "hall": hall_header(ctx),
        "role": principal.role,
        "units": [{"code": d.code, "name": d.name_zh} for d in departments],
        "items": [{"code": i.code, "name": i.name_zh} for i in items],
        "clerks": [
            {"username": u.username, "name": u.display_name}
            for u in users
            if u.role in ("clerk", "manager", "admin")
        ],
    }


def pad_window(device: Device) -> int | None:
    """The window a rating pad stands at, from its name (「1号窗口好差评评价器」 -> 1)."""
    match = WINDOW_IN_NAME.match(device.name or "")
    return int(match.group(1)) if match else None


def pad_snapshot(session: Session, ctx: HallContext, device: Device, now: datetime) -> dict:
    """A rating pad: the hall, its windows' names, and the rating requests of the last few
    minutes not rated yet (so a pad that reconnects still shows the one it missed)."""
    windows = session.scalars(
        select(Window).where(Window.hall_id == ctx.id, Window.active).order_by(Window.number)
    ).all()
    by_number = {w.number: w for w in windows}
    asked = session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.hall_id == ctx.id,
            AuditEntry.at >= now - timedelta(minutes=PAD_REQUEST_MINUTES),
            AuditEntry.action == "evaluation.requested",
        )
        .order_by(AuditEntry.id.desc())
        .limit(50)
    ).all()
    pending: dict[int, dict[str, Any]] = {}
    day = local_day(now, ctx.timezone)
    for entry in asked:
        number = (entry.details or {}).get("window")
        if number in pending or number not in by_number:
            continue
        ticket = session.scalar(
            select(Ticket)
            .where(
                Ticket.hall_id == ctx.id,
                Ticket.day == day,
                Ticket.number == entry.entity_id,
                Ticket.parent_id.is_(None),
            )
            .limit(1)
        )
        if ticket is None:
            continue
        rated = session.scalar(select(Evaluation.id).where(Evaluation.ticket_id == ticket.id))
        pending[number] = {
            "window": number,
            "window_name": by_number[number].name_zh,
            "number": ticket.number,
            "item_name": ticket.item.name_zh,
            "at": entry.at.isoformat(),
            "rated": rated is not None,
        }
    return {
        "kind": "pad",
        "seq": current_seq(session, ctx.id),
        "at": now.isoformat(),
        "hall": hall_header(ctx) | {"supervision_phone": ctx.config.hall.supervision_phone},
        "device": {
            "code": device.code,
            "name": device.name,
            "area": device.area,
            "window": pad_window(device),
        },
        "windows": [
            {"number": w.number, "name": {"zh": w.name_zh, "en": w.name_en}} for w in windows
        ],
        "pending": [p for p in pending.values() if not p["rated"]],
    }
