"""What each kind of live client receives on (re)connect: a consistent picture plus its seq."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..db.models import (
    Department,
    Device,
    Event,
    ServiceItem,
    Ticket,
    User,
    Window,
)
from ..db.uow import current_seq
from ..domain.numbering import local_day
from ..domain.ratings import pad_window
from ..services.auth import Principal
from ..services.board import board
from ..services.county_board import network_board
from ..services.halls import HallContext
from ..services.queue import snapshot
from ..services.rating_requests import open_at_window
from .publisher import public_window


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
        w = window_rows.get(t.window_id) if t.window_id is not None else None
        if w is None or w.number not in numbers or t.called_at is None:
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
    windows = [public_window(w) for w in windows]  # no clerk, no pause reason
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


def kiosk_snapshot(session: Session, ctx: HallContext, now: datetime) -> dict[str, Any]:
    """A kiosk: the hall's windows and waiting counts as public screens see them."""
    base = snapshot(session, ctx, now)
    return base | {
        "kind": "kiosk",
        "hall_info": hall_header(ctx),
        "windows": [public_window(w) for w in base["windows"]],
    }


def board_snapshot(session: Session, ctx: HallContext, now: datetime) -> dict[str, Any]:
    return board(session, ctx, now) | {"kind": "board", "hall": hall_header(ctx)}


def network_snapshot(
    session: Session, ctx: HallContext, halls: dict[int, str], now: datetime
) -> dict[str, Any]:
    """A supervisor's county board: each watched hall's last sequence number (``seqs``, by hall
    code; the events that follow carry ``hall``, so a gap is told per hall) and the board,
    read after them (an event it already covers is applied again harmlessly)."""
    last = dict(
        session.execute(
            select(Event.hall_id, func.max(Event.seq))
            .where(Event.hall_id.in_(list(halls)))
            .group_by(Event.hall_id)
        )
        .tuples()
        .all()
    )
    return {
        "kind": "network",
        "view": "network",
        "at": now.isoformat(),
        "hall": hall_header(ctx),
        "seqs": {code: int(last.get(h) or 0) for h, code in halls.items()},
        "board": network_board(session, ctx, now),
    }


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


def pad_snapshot(session: Session, ctx: HallContext, device: Device, now: datetime) -> dict:
    """A rating pad: the hall, its windows' names, its own window, and that window's open rating
    request (so a pad that reconnects still shows the one it missed)."""
    windows = session.scalars(
        select(Window).where(Window.hall_id == ctx.id, Window.active).order_by(Window.number)
    ).all()
    number = pad_window(device.attached_to, device.name)
    mine = next((w for w in windows if w.number == number), None)
    request = open_at_window(session, mine, now) if mine else None
    pending = []
    if mine is not None and request is not None:
        leg = session.get_one(Ticket, request.leg_id)
        pending.append(
            {
                "window": mine.number,
                "window_name": mine.name_zh,
                "number": leg.number,
                "item_name": leg.item.name_zh,
                "at": request.requested_at.isoformat(),
            }
        )
    return {
        "kind": "pad",
        "seq": current_seq(session, ctx.id),
        "at": now.isoformat(),
        "hall": hall_header(ctx) | {"supervision_phone": ctx.config.hall.supervision_phone},
        "device": {
            "code": device.code,
            "name": device.name,
            "area": device.area,
            "window": number,
        },
        "windows": [
            {"number": w.number, "name": {"zh": w.name_zh, "en": w.name_en}} for w in windows
        ],
        "pending": pending,
    }
