"""The county's month across its halls (各中心对比): per hall below a root (the root included, in
tree order) the figures of its own monthly report — tickets, cases, on-time rate, satisfaction,
average wait — plus bad reviews, repeat visits (重访), referrals (上报/交办) and the items most
asked for; then the county's totals and its most asked-for items.

A hall's figures are those of ``reports.report`` for its local month, counted by the same rules
(``reports.ticket_facts``, ``case_facts``, ``rating_facts`` and the month-end cut-off for open
overdue cases), but read for all halls at once: a handful of grouped statements in all instead
of a dozen per hall, and only what the totals need (the open overdue cases of the last day, not
of every day). ``tests/reports/test_county_report.py`` holds every row to the hall's own monthly
report. The county's totals are recomputed over every resident, case and rating (the average
wait over all waits, the rates over all cases and ratings), never averaged over halls.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from statistics import mean
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from sqlalchemy import DateTime, case, func, or_, select, type_coerce
from sqlalchemy.orm import Session

from i18n.textwidth import text_width

from ..db.models import Case, CaseReferral, Department, Evaluation, Hall, ServiceItem, Ticket
from ..domain import network as rules
from . import network, report_export, reports
from .halls import HallContext, context_for

TOP_ITEMS = 5  # per hall
COUNTY_TOP_ITEMS = 10
BAD = tuple(r for r in reports.RATINGS if r not in reports.GOOD)  # 不满意, 非常不满意
FIGURES = (
    "tickets_issued",
    "tickets_served",
    "no_shows",
    "avg_wait_minutes",
    "cases_accepted",
    "cases_finished",
    "cases_on_time",
    "cases_overdue",
    "on_time_rate",
    "evaluations",
    "satisfaction_rate",
)
REFERRALS = ("referrals_up", "referrals_received", "referrals_down")
ITEM_FIGURES = ("tickets_issued", "tickets_served", "cases_accepted")


@dataclass
class Tally:
    """One hall's month: facts counted by kind (the kinds of ``reports.Fact``), the waits in
    minutes, and per item the residents, services and cases accepted."""

    n: Counter[str] = field(default_factory=Counter)
    waits: list[float] = field(default_factory=list)
    items: defaultdict[int, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    def figures(self) -> dict[str, Any]:
        """The figures of ``reports.metrics`` that the comparison shows, the same way rounded."""
        n, rated = self.n, sum(self.n[r] for r in reports.RATINGS)
        return {
            "tickets_issued": n["issued"],
            "tickets_served": n["served"],
            "no_shows": n["no_show"],
            "avg_wait_minutes": round(mean(self.waits), 1) if self.waits else None,
            "cases_accepted": n["accepted"],
            "cases_finished": n["finished"],
            "cases_on_time": n["on_time"],
            "cases_overdue": n["overdue_late"] + n["overdue_open"],
            "on_time_rate": round(n["on_time"] / n["finished"], 4) if n["finished"] else None,
            "evaluations": rated,
            "satisfaction_rate": round(sum(n[r] for r in reports.GOOD) / rated, 4)
            if rated
            else None,
            "bad_reviews": sum(n[r] for r in BAD),
        }

    def add(self, other: Tally) -> None:
        self.n.update(other.n)
        self.waits += other.waits


def county_month(
    session: Session, root_ctx: HallContext, year: int, month: int, now: datetime
) -> dict[str, Any]:
    """The month ``year``-``month`` for ``root_ctx`` and every hall below it."""
    nodes = network.below(session, root_ctx.id)
    contexts = _contexts(session, [n.id for n in nodes])
    periods = {n.id: reports.month_period(contexts[n.id], year, month) for n in nodes}
    tally = {n.id: Tally() for n in nodes}
    _tickets(session, contexts, periods, tally)
    _cases(session, contexts, periods, now, tally)
    _ratings(session, periods, tally)
    repeats = _repeat_visits(session, periods)
    referred = _referrals(session, periods)
    names = _item_names(session, list(periods))
    depth = _depths(nodes)
    halls, county = [], Tally()
    items: dict[str, dict[str, Any]] = {}
    for node in nodes:
        ranked = _ranked(tally[node.id], names)
        for row in ranked:
            _add_item(items, row)
        county.add(tally[node.id])
        halls.append(
            node.brief()
            | {"parent": _code(nodes, node.parent_id), "depth": depth[node.id]}
            | tally[node.id].figures()
            | {"repeat_visits": repeats[node.id]}
            | referred[node.id]
            | {"top_items": ranked[:TOP_ITEMS]}
        )
    p = periods[root_ctx.id]
    totals = county.figures() | {"repeat_visits": sum(repeats.values())}
    totals |= {k: sum(r[k] for r in referred.values()) for k in REFERRALS}
    return {
        "root": next(n for n in nodes if n.id == root_ctx.id).brief(),
        "period": {"kind": p.kind, "label": p.label}
        | {k: getattr(p, k).isoformat() for k in ("first", "last", "start", "end")},
        "generated_at": root_ctx.local(now).isoformat(timespec="seconds"),
        "halls": halls,
        "totals": totals,
        "top_items": sorted(items.values(), key=_volume)[:COUNTY_TOP_ITEMS],
    }


# --- the facts of every hall at once (the rules of services/reports.py) ---------------------------


def _tickets(session, contexts, periods, tally: dict[int, Tally]) -> None:
    """``reports.ticket_facts``: issued and waited once per resident (the first leg), served and
    no-show per leg; a returning no-show waited until its first call (the audit trail's)."""
    first, last = _days(periods)
    in_month = (Ticket.hall_id.in_(list(periods)), Ticket.day >= first, Ticket.day <= last)
    first_leg = case((Ticket.parent_id.is_(None), 1), else_=0)
    counts = session.execute(
        select(Ticket.hall_id, Ticket.item_id, Ticket.state, first_leg, func.count())
        .where(*in_month)
        .group_by(Ticket.hall_id, Ticket.item_id, Ticket.state, first_leg)
    )
    for hall, item, state, is_first, number in counts:
        t = tally[hall]
        if is_first:
            t.n["issued"] += number
            t.items[item]["tickets_issued"] += number
        if state == "finished":
            t.n["served"] += number
            t.items[item]["tickets_served"] += number
        elif state == "no_show":
            t.n["no_show"] += number
    # the two instants as the driver gives them (aware on PostgreSQL, naive UTC on SQLite): only
    # their difference is used, and the column type's conversion of 2 x 20,000 values to aware
    # UTC was the largest single cost in the profile of a 20-hall county
    raw = DateTime(timezone=True)
    called = session.execute(
        select(Ticket.hall_id, Ticket.id, Ticket.number, Ticket.requeue_count,
               type_coerce(Ticket.issued_at, raw).label("issued_at"),
               type_coerce(Ticket.called_at, raw).label("called_at"))
        .where(*in_month, Ticket.parent_id.is_(None), Ticket.called_at.is_not(None))
    ).all()  # fmt: skip
    requeued: defaultdict[int, list] = defaultdict(list)
    for r in called:
        if r.requeue_count:
            requeued[r.hall_id].append(r)
    first_call: dict[int, datetime] = {}
    for hall, rows in requeued.items():
        first_call |= reports.first_calls(session, contexts[hall], periods[hall], rows)
    for r in called:
        if (at := first_call.get(r.id)) is not None:  # an aware UTC instant from the audit trail
            wait = at - (r.issued_at if r.issued_at.tzinfo else r.issued_at.replace(tzinfo=UTC))
        else:
            wait = r.called_at - r.issued_at
        tally[r.hall_id].waits.append(reports.minutes(wait))


def _cases(session, contexts, periods, now: datetime, tally: dict[int, Tally]) -> None:
    """``reports.case_facts`` for the totals: accepted, finished (on time or late) and refused
    in the month; open overdue cases as they stood at the end of the month (or now) — the one
    day ``reports`` keeps of its daily stock — unless suspended (补正) on that day."""
    start, end = _span(periods)
    rows = session.execute(
        select(Case.id, Case.hall_id, Case.item_id, Case.state, Case.accepted_at,
               Case.finished_at, Case.on_time, Case.deadline_at)
        .where(
            Case.hall_id.in_(list(periods)),
            Case.accepted_at < end,
            or_(Case.finished_at.is_(None), Case.finished_at >= start),
        )
    )  # fmt: skip
    bounds = {hall: (p.start.astimezone(UTC), p.end.astimezone(UTC)) for hall, p in periods.items()}
    cutoffs = {hall: _cutoff(contexts[hall], p, now) for hall, p in periods.items()}
    late: dict[int, tuple[int, date]] = {}  # case -> (hall, day): overdue unless suspended
    for r in rows:
        (first, after), t = bounds[r.hall_id], tally[r.hall_id]
        if first <= r.accepted_at < after:
            t.n["accepted"] += 1
            t.items[r.item_id]["cases_accepted"] += 1
        if r.finished_at is not None and first <= r.finished_at < after:
            if r.state == "finished":
                t.n["finished"] += 1
                if r.on_time is not None:
                    t.n["on_time" if r.on_time else "overdue_late"] += 1
            elif r.state == "refused":
                t.n["refused"] += 1
        if (at := cutoffs[r.hall_id]) is not None:
            day, cutoff = at
            unresolved = r.finished_at is None or r.finished_at > cutoff
            if unresolved and r.accepted_at < cutoff and r.deadline_at < cutoff:
                late[r.id] = (r.hall_id, day)
    if late:  # their 补正 periods (JSON), read for these few only
        found = session.execute(
            select(Case.id, Case.suspensions).where(Case.id.in_(list(late)))
        ).tuples()
        for case_id, suspensions in found:
            hall, day = late[case_id]
            if not reports.suspended_on(suspensions, day):
                tally[hall].n["overdue_open"] += 1


def _cutoff(ctx: HallContext, p: reports.Period, now: datetime) -> tuple[date, datetime] | None:
    """The day whose open overdue cases the month's totals count (its last, or today) and the
    moment it is judged at (its end, or now, in UTC); None when the month has not begun."""
    day = min(p.last, ctx.local(now).date())
    midnight = datetime.combine(day, time(), tzinfo=ctx.tz)
    cutoff = min(p.end, midnight + timedelta(days=1), now)
    if day < p.first or cutoff <= midnight:
        return None
    return day, cutoff.astimezone(UTC)


def _ratings(session, periods, tally: dict[int, Tally]) -> None:
    """``reports.rating_facts``: ratings given in the month, those excluded on appeal left out."""
    for (start, end), halls in _by_period(periods).items():
        rows = session.execute(
            select(Evaluation.hall_id, Evaluation.rating, func.count())
            .where(
                Evaluation.hall_id.in_(halls),
                Evaluation.excluded.is_(False),
                Evaluation.at >= start,
                Evaluation.at < end,
            )
            .group_by(Evaluation.hall_id, Evaluation.rating)
        )
        for hall, rating, number in rows:
            tally[hall].n[rating] += number


# --- the rest ---------------------------------------------------------------------------------------


def _volume(row: dict[str, Any]) -> tuple:
    """Most residents first (取号人数), then most served, then most cases accepted."""
    return (-row["tickets_issued"], -row["tickets_served"], -row["cases_accepted"], row["code"])


def _ranked(t: Tally, names: dict[int, tuple[str, str, str]]) -> list[dict[str, Any]]:
    """The hall's items with any volume, the largest first, with the figures of its report's
    item rows (取号人数, 办结人次, 受理件数)."""
    rows = [
        dict(zip(("code", "name", "department"), names[item], strict=True))
        | {k: n[k] for k in ITEM_FIGURES}
        for item, n in t.items.items()
        if any(n[k] for k in ITEM_FIGURES)
    ]
    return sorted(rows, key=_volume)


def _item_names(session: Session, halls: list[int]) -> dict[int, tuple[str, str, str]]:
    """Code, name and department of every item of these halls (inactive ones too: history)."""
    rows = session.execute(
        select(ServiceItem.id, ServiceItem.code, ServiceItem.name_zh, Department.name_zh)
        .join(Department, Department.id == ServiceItem.department_id)
        .where(ServiceItem.hall_id.in_(halls))
    )
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def _add_item(items: dict[str, dict[str, Any]], row: dict[str, Any]) -> None:
    """County-wide by item code (a county's halls share the standard catalogue's codes); the
    name is the one of the first hall in tree order that has the item."""
    entry = items.setdefault(row["code"], row | dict.fromkeys(ITEM_FIGURES, 0) | {"halls": 0})
    for key in ITEM_FIGURES:
        entry[key] += row[key]
    entry["halls"] += 1


def _code(nodes: list[network.HallNode], hall_id: int | None) -> str | None:
    return next((n.code for n in nodes if n.id == hall_id), None)


def _depths(nodes: list[network.HallNode]) -> dict[int, int]:
    """0 for the root, 1 for the halls directly below it, … (``nodes`` in tree order)."""
    depth: dict[int, int] = {}
    for n in nodes:
        depth[n.id] = depth[n.parent_id] + 1 if n.parent_id in depth else 0
    return depth


def _contexts(session: Session, ids: list[int]) -> dict[int, HallContext]:
    rows = session.execute(select(Hall.id, Hall.config_digest).where(Hall.id.in_(ids)))
    return {r.id: context_for(session, r.id, r.config_digest) for r in rows}


def _days(periods: dict[int, reports.Period]) -> tuple[date, date]:
    """The month's first and last day (hall-local days: the same dates in every time zone)."""
    p = next(iter(periods.values()))
    return p.first, p.last


def _span(periods: dict[int, reports.Period]) -> tuple[datetime, datetime]:
    """From the earliest start to the latest end (halls may keep different time zones)."""
    return min(p.start for p in periods.values()), max(p.end for p in periods.values())


def _by_period(periods: dict[int, reports.Period]) -> dict[tuple[datetime, datetime], list[int]]:
    """The halls grouped by their month's start and end (one group unless time zones differ)."""
    out: dict[tuple[datetime, datetime], list[int]] = defaultdict(list)
    for hall, p in periods.items():
        out[(p.start, p.end)].append(hall)
    return out


def _within(p: reports.Period, moment: datetime) -> bool:
    return p.start <= moment < p.end


def _repeat_visits(session: Session, periods: dict[int, reports.Period]) -> dict[int, int]:
    """重访: cases accepted in the hall's month that were flagged as a repeat of an earlier one
    (the same applicant on the same item within the hall's repeat window)."""
    start, end = _span(periods)
    rows = session.execute(
        select(Case.hall_id, Case.accepted_at).where(
            Case.hall_id.in_(list(periods)),
            Case.repeat_of_id.is_not(None),
            Case.accepted_at >= start,
            Case.accepted_at < end,
        )
    )
    found = Counter(hall for hall, at in rows if _within(periods[hall], at))
    return {hall: found[hall] for hall in periods}


def _referrals(session: Session, periods: dict[int, reports.Period]) -> dict[int, dict[str, int]]:
    """Referrals sent in the month: 上报 and 交办 by the sending hall (its month), received by
    the receiving hall (its month), whatever became of them since."""
    start, end = _span(periods)
    ids = list(periods)
    rows = session.execute(
        select(
            CaseReferral.from_hall_id,
            CaseReferral.to_hall_id,
            CaseReferral.direction,
            CaseReferral.sent_at,
        ).where(
            or_(CaseReferral.from_hall_id.in_(ids), CaseReferral.to_hall_id.in_(ids)),
            CaseReferral.sent_at >= start,
            CaseReferral.sent_at < end,
        )
    )
    out = {hall: dict.fromkeys(REFERRALS, 0) for hall in periods}
    sent = {rules.Direction.UP.value: "referrals_up", rules.Direction.DOWN.value: "referrals_down"}
    for from_hall, to_hall, direction, at in rows:
        if from_hall in periods and _within(periods[from_hall], at):
            out[from_hall][sent[direction]] += 1
        if to_hall in periods and _within(periods[to_hall], at):
            out[to_hall]["referrals_received"] += 1
    return out


# --- CSV and XLSX: one row per hall, the county's total last ----------------------------------------

_HEADERS = dict(report_export.COLUMNS)
COLUMNS: list[tuple[str, str]] = [
    ("code", "中心编码"),
    ("name", "服务中心"),
    ("level_zh", "层级"),
    ("parent", "上级中心"),
    *[(k, _HEADERS[k]) for k in FIGURES],
    ("bad_reviews", "差评数"),
    ("repeat_visits", "重访件数"),
    ("referrals_up", "上报件数"),
    ("referrals_received", "接收移交件数"),
    ("referrals_down", "交办件数"),
    ("top_items", "办理量前五事项（取号人数·受理件数）"),
]
KEY_COLUMNS = 4  # code, name, level, parent: empty in the total row


def top_items_text(items: list[dict[str, Any]], limit: int = TOP_ITEMS) -> str:
    """「临时救助申请（3人·3件）」: residents who took a ticket, cases accepted."""
    return "、".join(
        f"{i['name']}（{i['tickets_issued']}人·{i['cases_accepted']}件）" for i in items[:limit]
    )


def table(data: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The header and one row per hall (tree order), then 合计 with the county's figures."""
    names = {h["code"]: h["name"]["zh"] for h in data["halls"]}

    def value(row: dict[str, Any], key: str) -> Any:
        if key == "name":
            return row["name"]["zh"]
        if key == "parent":
            return names.get(row["parent"], row["parent"])
        if key == "top_items":
            return top_items_text(row["top_items"])
        return row[key]

    body = [[report_export.sheet_value(value(h, k)) for k, _ in COLUMNS] for h in data["halls"]]
    totals = data["totals"] | {"top_items": top_items_text(data["top_items"])}
    body.append(
        ["合计"]
        + [None] * (KEY_COLUMNS - 1)
        + [report_export.sheet_value(totals[k]) for k, _ in COLUMNS[KEY_COLUMNS:]]
    )
    return [h for _, h in COLUMNS], body


def to_csv(data: dict[str, Any]) -> bytes:
    """UTF-8 with a BOM (Excel shows the Chinese), rates as percentages like the hall's CSV."""
    header, body = table(data)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in body:
        writer.writerow(
            [report_export.csv_value(k, v) for (k, _), v in zip(COLUMNS, row, strict=True)]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(data: dict[str, Any]) -> bytes:
    """Sheet 各中心对比 (the rows of the CSV, hall names indented under their parent) and
    sheet 全县事项排名 (the county's most asked-for items)."""
    book = Workbook()
    if (default := book.active) is not None:  # a new workbook has one empty sheet
        book.remove(default)
    book.properties.title = f"{data['root']['name']['zh']} {data['period']['label']} 各中心对比"
    header, body = table(data)
    sheet = _sheet(book, "各中心对比", header, body, [k for k, _ in COLUMNS])
    for n, hall in enumerate(data["halls"], start=2):
        sheet.cell(row=n, column=2).alignment = Alignment(indent=2 * hall["depth"])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = sheet.cell(row=2, column=3)
    items = [
        ("code", "事项编码"),
        ("name", "事项"),
        ("department", "所属部门"),
        ("tickets_issued", "取号人数"),
        ("tickets_served", "办结人次"),
        ("cases_accepted", "受理件数"),
        ("halls", "开展中心数"),
    ]
    rows = [[report_export.sheet_value(i[k]) for k, _ in items] for i in data["top_items"]]
    _sheet(book, "全县事项排名", [h for _, h in items], rows, [k for k, _ in items])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet(book: Workbook, title: str, header: list[str], body: list[list[Any]], keys: list[str]):
    sheet = book.create_sheet(title)
    sheet.append(header)
    for row in body:
        sheet.append(row)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for col, key in enumerate(keys, start=1):
        letter = get_column_letter(col)
        values = [header[col - 1]] + [r[col - 1] for r in body]
        sheet.column_dimensions[letter].width = min(60, max(text_width(v) for v in values) + 2)
        fmt = (
            "0.0%"
            if key in report_export.RATES
            else "0.0"
            if key in report_export.AVERAGES
            else None
        )
        if fmt:
            for cell in sheet[letter][1:]:
                cell.number_format = fmt
    return sheet
