"""What each kind of live client receives on (re)connect: a consistent picture plus its seq."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db.models import Ticket, Window
from ..domain.numbering import local_day
from ..services.board import board
from ..services.halls import HallContext
from ..services.queue import snapshot


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
