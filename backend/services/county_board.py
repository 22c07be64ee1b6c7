"""The county board (督查督办): the root hall and every hall below it side by side — queue,
windows, on-time rate, cases by colour, bad reviews, devices, referrals waiting — with the
alerts a supervisor acts on; and the county-wide case list.

The board reads a constant number of SQL statements whatever the number of halls (each figure
is one statement grouped over ``hall_id IN (...)``; the one-hall board's shared pieces come
from ``services.board``): the tree twice (``network.below`` and ``network.nodes``), the hall
rows, waiting tickets, windows, finished cases of the month, open cases by colour, open
rectifications, watched devices, and the two of ``board.referral_facts`` — 11 in all
(``tests/api/test_network_board.py`` counts them)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy import case as sa_case
from sqlalchemy.orm import Session

from ..db.models import Case, Hall, Rectification, Ticket, Window
from ..domain import referral_alerts as ra
from ..domain.cases import CaseState, RectificationState
from ..domain.errors import NotFound
from ..domain.numbering import local_day
from ..domain.tickets import TicketState
from ..domain.windows import WindowState
from . import board, network
from .case_queries import COLOUR_ORDER, list_cases
from .halls import HallContext, context_of

COUNTED = (
    "waiting",
    "windows_open",
    "windows",
    "cases_open",
    "red",
    "orange",
    "bad_reviews",
    "devices_offline",
    "devices",
    "referrals_waiting",
    "alerts",
)
# Referral alerts listed per hall and kind; the rest are one line 「另有 N 件」.
LISTED_PER_KIND = board.CASE_ALERTS_LIMIT


def _minutes(seconds: float) -> float:
    return round(seconds / 60, 1)


def _contexts(session: Session, ids: list[int]) -> dict[int, HallContext]:
    rows = {h.id: h for h in session.scalars(select(Hall).where(Hall.id.in_(ids)))}
    return {h: context_of(rows[h]) for h in ids}


def _month_start(ctx: HallContext, now: datetime) -> datetime:
    local = ctx.local(now)
    return datetime.combine(local.date().replace(day=1), time(), tzinfo=ctx.tz)


def network_board(session: Session, root_ctx: HallContext, now: datetime) -> dict[str, Any]:
    halls = network.below(session, root_ctx.id)
    tree = network.nodes(session)
    ids = [n.id for n in halls]
    ctxs = _contexts(session, ids)

    days = {h: local_day(now, ctx.timezone) for h, ctx in ctxs.items()}
    waiting: dict[int, tuple[int, datetime | None]] = {h: (0, None) for h in ids}
    for hall_id, day, n, oldest in session.execute(
        select(Ticket.hall_id, Ticket.day, func.count(), func.min(Ticket.waiting_since))
        .where(
            Ticket.hall_id.in_(ids),
            Ticket.day.in_(sorted(set(days.values()))),
            Ticket.state == TicketState.WAITING,
        )
        .group_by(Ticket.hall_id, Ticket.day)
    ):
        if day == days[hall_id]:
            waiting[hall_id] = (n, oldest)

    windows: Counter[int] = Counter()
    staffed: Counter[int] = Counter()
    for hall_id, state, n in session.execute(
        select(Window.hall_id, Window.state, func.count())
        .where(Window.hall_id.in_(ids), Window.active)
        .group_by(Window.hall_id, Window.state)
    ):
        windows[hall_id] += n
        if state != WindowState.CLOSED.value:
            staffed[hall_id] += n  # signed in: serving, idle or paused

    # finished promised cases of the month to date, in each hall's own month
    starts: dict[datetime, list[int]] = {}
    for h, ctx in ctxs.items():
        starts.setdefault(_month_start(ctx, now), []).append(h)
    finished: dict[int, tuple[int, int]] = {}
    for hall_id, n, on_time in session.execute(
        select(
            Case.hall_id,
            func.count(),
            func.sum(sa_case((Case.on_time.is_(True), 1), else_=0)),
        )
        .where(
            Case.kind == "promised",
            Case.state == CaseState.FINISHED.value,
            or_(
                *(
                    and_(Case.hall_id.in_(group), Case.finished_at >= start)
                    for start, group in starts.items()
                )
            ),
        )
        .group_by(Case.hall_id)
    ):
        finished[hall_id] = (int(n), int(on_time or 0))

    counts = board.case_counts(session, ids)
    rectifying = Counter(
        dict(
            session.execute(
                select(Rectification.hall_id, func.count())
                .where(
                    Rectification.hall_id.in_(ids), Rectification.state == RectificationState.OPEN
                )
                .group_by(Rectification.hall_id)
            )
            .tuples()
            .all()
        )
    )
    devices = board.watched_devices(session, ids)
    referrals = board.referral_facts(session, ctxs, now, tree)

    rows: list[dict[str, Any]] = []
    alerts: list[dict[str, Any]] = []
    for node in halls:
        h, ctx = node.id, ctxs[node.id]
        colours, open_total = counts[h]
        offline = sum(1 for d in devices[h] if board.device_offline(d, now, ctx.config.thresholds))
        n_waiting, oldest = waiting[h]
        done, on_time = finished.get(h, (0, 0))
        here = _hall_alerts(
            node.code,
            referrals.alerts[h],
            red=colours["red"],
            bad_reviews=rectifying[h],
            offline=offline,
            now=now,
        )
        alerts += here["listed"]
        parent = tree.get(node.parent_id) if node.parent_id is not None else None
        rows.append(
            {
                "hall": node.brief() | {"parent": parent.code if parent else None},
                "waiting": n_waiting,
                "longest_wait_minutes": _minutes((now - oldest).total_seconds())
                if oldest is not None
                else None,
                "windows_open": staffed[h],
                "windows": windows[h],
                "on_time_rate": round(on_time / done, 4) if done else None,
                "cases_open": open_total,
                "red": colours["red"],
                "orange": colours["orange"],
                "bad_reviews": rectifying[h],
                "devices_offline": offline,
                "devices": len(devices[h]),
                "referrals_waiting": referrals.waiting[h],
                "alerts": here["count"],
                "_finished": (done, on_time),
            }
        )
    totals: dict[str, Any] = {key: sum(r[key] for r in rows) for key in COUNTED}
    longest = [r["longest_wait_minutes"] for r in rows if r["longest_wait_minutes"] is not None]
    totals["longest_wait_minutes"] = max(longest) if longest else None
    done = sum(r["_finished"][0] for r in rows)
    on_time = sum(r["_finished"][1] for r in rows)
    totals["on_time_rate"] = round(on_time / done, 4) if done else None
    for r in rows:
        del r["_finished"]
    return {
        "at": now.isoformat(),
        "root": tree[root_ctx.id].brief(),
        "halls": rows,
        "totals": totals,
        "alerts": alerts,
    }


def _hall_alerts(
    hall: str,
    found: list[ra.Alert],
    *,
    red: int,
    bad_reviews: int,
    offline: int,
    now: datetime,
) -> dict[str, Any]:
    """A hall's alert lines: its referral alerts (at most ``LISTED_PER_KIND`` of a kind, then
    「另有 N 件」) and one line each for red cases, bad reviews and offline devices; ``count`` is
    every referral alert plus those lines."""
    listed: list[dict[str, Any]] = []
    for kind in ra.ORDER:
        of_kind = [a for a in found if a.kind is kind]
        listed += [a.view() for a in of_kind[:LISTED_PER_KIND]]
        if len(of_kind) > LISTED_PER_KIND:
            more = len(of_kind) - LISTED_PER_KIND
            listed.append(
                {
                    "hall": hall,
                    "kind": kind.value,
                    "text": f"另有 {more} 件{ra.KIND_ZH[kind]}",
                    "at": of_kind[LISTED_PER_KIND].at.isoformat(),
                    "case": None,
                }
            )
    counted = [
        ("cases_red", red, f"{red} 件办件已超期（红色）"),
        ("bad_reviews", bad_reviews, f"{bad_reviews} 条差评待整改"),
        ("devices_offline", offline, f"{offline} 台设备离线"),
    ]
    lines = [
        {"hall": hall, "kind": kind, "text": text, "at": now.isoformat(), "case": None}
        for kind, n, text in counted
        if n
    ]
    return {"listed": listed + lines, "count": len(found) + len(lines)}


# --- the county-wide case list ----------------------------------------------------------------------


def network_cases(
    session: Session,
    root_ctx: HallContext,
    now: datetime,
    filters: dict[str, str],
    hall: str | None = None,
) -> dict[str, Any]:
    """The cases of the root and every hall below it (or of ``hall`` among them), each as the
    hall's own list gives it plus its hall, red first then by deadline; counts summed."""
    halls = network.below(session, root_ctx.id)
    if hall is not None:
        chosen = [n for n in halls if n.code == hall]
        if not chosen:
            raise NotFound("hall_not_found", f"no hall {hall!r} below this one", "hall")
    else:
        chosen = halls
    ctxs = _contexts(session, [n.id for n in chosen])
    cases: list[dict[str, Any]] = []
    counts: Counter[str] = Counter(
        dict.fromkeys(("red", "orange", "yellow", "green", "suspended"), 0)
    )
    for node in chosen:
        listed = list_cases(session, ctxs[node.id], now, filters)
        brief = node.brief()
        cases += [c | {"hall": brief} for c in listed["cases"]]
        counts.update(listed["counts"])
    cases.sort(
        key=lambda c: (COLOUR_ORDER.get(c["colour"], 4), datetime.fromisoformat(c["deadline_at"]))
    )
    return {"cases": cases, "counts": dict(counts), "halls": [n.brief() for n in halls]}
