"""When each window took calls, from the audit trail (append-only; every sign-in, sign-out,
pause, resume and handover is there with its time), so a window open but idle counts too.

A window takes calls from a sign-in, resume or handover until a pause or sign-out. A sign-in
counts until sign-out or the end of that day; a window left signed in overnight counts again
from its first call of the next day. Used by the staffing advice (today's roster so far), the
simulator's replay of a recorded day, and the monthly report's windows-opened chart."""

from __future__ import annotations

import functools
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..db.models import AuditEntry
from .halls import HallContext

# Audit actions that change whether a window takes calls, and what they leave it as.
WINDOW_ACTIONS = {
    "window.opened": True,
    "window.resumed": True,
    "window.handed_over": True,
    "window.paused": False,
    "window.closed": False,
}

Spans = dict[str, list[tuple[datetime, datetime]]]


def open_intervals(session: Session, ctx: HallContext, start: datetime, end: datetime) -> Spans:
    """Per window number (as text): when it took calls within [start, end). Reads the window
    changes of the period and each window's last change before it, not the whole history."""
    actions = list(WINDOW_ACTIONS)
    latest_before = (
        select(func.max(AuditEntry.id))
        .where(
            AuditEntry.hall_id == ctx.id,
            AuditEntry.action.in_(actions),
            AuditEntry.at < start,
        )
        .group_by(AuditEntry.entity_id)
    )
    rows = session.execute(
        select(AuditEntry.entity_id, AuditEntry.action, AuditEntry.at)
        .where(
            AuditEntry.hall_id == ctx.id,
            AuditEntry.action.in_(actions),
            ((AuditEntry.at >= start) & (AuditEntry.at < end)) | AuditEntry.id.in_(latest_before),
        )
        .order_by(AuditEntry.at, AuditEntry.id)
    ).all()
    first_calls = functools.cache(lambda: _first_calls(session, ctx, start, end))

    since: dict[str, datetime] = {}
    out: Spans = defaultdict(list)

    def close(window: str, until: datetime) -> None:
        """A span from sign-in to ``until``, cut at midnights: its first day counts from the
        sign-in; a later day (nobody signed out) from the window's first call that day."""
        begin = since.pop(window, None)
        while begin is not None and begin < until:
            midnight = _midnight_after(ctx, begin)
            a, b = max(begin, start), min(until, midnight, end)
            if b > a:
                out[window].append((a, b))
            if midnight >= until:
                break
            later = [c for c in first_calls().get(window, []) if c >= midnight]
            begin = later[0] if later and later[0] < until else None

    for window, action, at in rows:
        takes_calls = WINDOW_ACTIONS[action]
        if takes_calls and window not in since:
            since[window] = at
        elif not takes_calls:
            close(window, at)
    for window in list(since):
        close(window, end)
    return out


def _first_calls(
    session: Session, ctx: HallContext, start: datetime, end: datetime
) -> dict[str, list[datetime]]:
    """Window number -> the first call made from it on each day of the period, in order (from
    the audit trail: a ticket's own ``called_at`` only keeps its last call)."""
    rows = session.execute(
        select(AuditEntry.at, AuditEntry.details).where(
            AuditEntry.hall_id == ctx.id,
            AuditEntry.action == "ticket.called",
            AuditEntry.at >= start,
            AuditEntry.at < end,
        )
    ).all()
    first: dict[tuple[str, date], datetime] = {}
    for called, details in rows:
        number = (details or {}).get("window")
        if number is None:
            continue
        key = (str(number), ctx.local(called).date())
        if key not in first or called < first[key]:
            first[key] = called
    out: dict[str, list[datetime]] = defaultdict(list)
    for (number, _day), called in sorted(first.items(), key=lambda kv: kv[1]):
        out[number].append(called)
    return out


def _midnight_after(ctx: HallContext, moment: datetime) -> datetime:
    day = ctx.local(moment).date() + timedelta(days=1)
    return datetime.combine(day, time(), tzinfo=ctx.tz)
