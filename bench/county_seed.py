"""Seed a county network for benchmarks: one county centre and N towns (demo-hall variants,
placed in the tree), each with a day's worth of tickets, open cases of every colour, finished
cases of the month, ratings with their rectifications, and referrals up and down.

The rows are written in bulk through the ORM in one unit of work per hall (no request path),
but shaped as the services write them: numbers from the hall's counters (which are bumped to
match), deadlines and colours from the hall's calendar (``recompute_deadline``/``colour_now``),
sealed and masked applicants, an overdue record per red case, and the audit entries the case
detail and the report read (``ticket.called``, ``case.accepted``, ``case.referred`` ...).

    .venv/bin/python bench/county_seed.py [--towns 19] [--tickets 1000] [--cases 200]
        [--database-url URL] [--schema bench_county]

prints one JSON line with the row counts. ``bench/bench_county.py`` calls ``seed_county``.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import secrets
import sys
import time as clock
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from sqlalchemy import select  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from backend.db.engine import open_database  # noqa: E402
from backend.db.migrate import upgrade  # noqa: E402
from backend.db.models import (  # noqa: E402
    AuditEntry,
    Base,
    Case,
    CaseExtension,
    CaseReferral,
    Device,
    Evaluation,
    Hall,
    NumberCounter,
    OverdueRecord,
    Rectification,
    ServiceItem,
    Ticket,
    User,
    Window,
)
from backend.db.protect import Protector, load_protector  # noqa: E402
from backend.db.uow import Actor, UnitOfWork  # noqa: E402
from backend.domain import network as net_rules  # noqa: E402
from backend.domain.cases import acceptance_number, is_bad  # noqa: E402
from backend.domain.numbering import format_number  # noqa: E402
from backend.domain.privacy import mask_id_number, mask_name, mask_phone  # noqa: E402
from backend.domain.queue_policy import queue_key_for  # noqa: E402
from backend.hallconfig import parse_config  # noqa: E402
from backend.services.cases import colour_now, recompute_deadline  # noqa: E402
from backend.services.halls import HallContext, hall_context, sync_hall  # noqa: E402
from tests.support import PASSWORD  # noqa: E402

# Thursday 2026-11-26, 15:30 in Shanghai: a working day well into the afternoon
NOW = datetime(2026, 11, 26, 7, 30, tzinfo=UTC)
DEFAULT_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
COUNTY = "county"
TOWN_NAMES = (
    "青山",
    "白沙",
    "石门",
    "桃源",
    "龙潭",
    "杨柳",
    "金塘",
    "花桥",
    "长乐",
    "新华",
    "东岭",
    "西湖",
    "南岳",
    "北港",
    "清水",
    "黄土",
    "枫林",
    "梅溪",
    "柳林",
)
REFER_UP = ("HJ-03", "ZJ-02")  # 户口迁移, 宅基地使用申请: beyond a town's remit in this county
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰"
RATINGS = (
    ("very_satisfied", 60),
    ("satisfied", 25),
    ("basically_satisfied", 10),
    ("dissatisfied", 4),
    ("very_dissatisfied", 1),
)
# target share of open cases by working days left: red (<0), orange (<1), yellow (<3), green
COLOUR_MIX = ((-4, -1, 10), (0, 0, 10), (1, 2, 20), (3, 12, 60))
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def town_codes(towns: int) -> list[str]:
    return [f"town{n:02d}" for n in range(1, towns + 1)]


def hall_data(code: str, level: str, parent: str | None, index: int) -> dict[str, Any]:
    """config/demo-hall.toml as the county centre or as town number ``index``."""
    data = tomllib.loads((ROOT / "config" / "demo-hall.toml").read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    data["hall"]["code"] = code
    data["hall"]["level"] = level
    data["hall"].pop("parent", None)  # the file's own county (qingxi) is not this bench's
    for item in data["items"]:  # this bench's REFER_UP, not the demo file's refer_up marks
        item["refer_up"] = level != "county" and item["code"] in REFER_UP
    if level == "county":
        data["hall"]["name"] = {"zh": "示范县政务服务中心", "en": "Model County Service Centre"}
    else:
        town = TOWN_NAMES[index % len(TOWN_NAMES)] + ("" if index < len(TOWN_NAMES) else str(index))
        data["hall"]["name"] = {"zh": f"{town}镇便民服务中心", "en": f"{code} Town Centre"}
        data["hall"]["parent"] = parent
    return data


# --- the database ----------------------------------------------------------------------------


def bench_url(database_url: str, schema: str | None) -> str:
    """``database_url`` with its search path set to ``schema`` (created if missing)."""
    if not schema or database_url.startswith("sqlite"):
        return database_url
    admin = sa.create_engine(database_url)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    admin.dispose()
    url = sa.engine.make_url(database_url).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


def truncate(url: str) -> None:
    """Migrate, then empty every table (the audit log's triggers refuse DELETE, not TRUNCATE)."""
    upgrade(url)
    engine = sa.create_engine(url)
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        if url.startswith("sqlite"):
            raise SystemExit("the county bench seeds PostgreSQL (a SQLite file: start afresh)")
        conn.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    engine.dispose()


# --- people ----------------------------------------------------------------------------------


def id_number(rng: random.Random) -> str:
    birth = date(1940, 1, 1) + timedelta(days=rng.randint(0, 365 * 60))
    body = f"430121{birth:%Y%m%d}{rng.randint(0, 999):03d}"
    return body + ID_CHECK[sum(int(c) * w for c, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


@dataclass
class Applicant:
    name: str
    phone: str
    id_number: str


def applicant(rng: random.Random) -> Applicant:
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    phone = f"1{rng.choice('3578')}{rng.randint(0, 999_999_999):09d}"
    return Applicant(name, phone, id_number(rng))


class Sealer:
    """Applicant fields as ``services.cases._seal`` writes them. Sealing every applicant afresh
    would make the seed crypto-bound: 64 distinct residents are sealed once and reused."""

    def __init__(self, protector: Protector, rng: random.Random):
        self.fields = []
        for _ in range(64):
            a = applicant(rng)
            self.fields.append(
                {
                    "name_sealed": protector.seal(a.name),
                    "name_masked": mask_name(a.name),
                    "phone_sealed": protector.seal(a.phone),
                    "phone_masked": mask_phone(a.phone),
                    "phone_last4": a.phone[-4:],
                    "id_sealed": protector.seal(a.id_number),
                    "id_masked": mask_id_number(a.id_number),
                    "id_digest": protector.digest(a.id_number),
                }
            )

    def pick(self, rng: random.Random) -> dict[str, str]:
        return rng.choice(self.fields)


# --- one hall --------------------------------------------------------------------------------


@dataclass
class HallRows:
    """What the seed keeps of a hall for the referral step and the summary."""

    ctx: HallContext
    users: dict[str, User]
    items: dict[str, ServiceItem]
    counts: Counter = field(default_factory=Counter)
    case_seq: Counter = field(default_factory=Counter)  # local day -> last acceptance seq


def local_at(ctx: HallContext, day: date, minutes: float) -> datetime:
    """``minutes`` after local midnight of ``day``, in UTC."""
    start = datetime.combine(day, time(), tzinfo=ctx.tz)
    return (start + timedelta(minutes=minutes)).astimezone(UTC)


def working_days_back(ctx: HallContext, day: date, n: int) -> date:
    while n > 0:
        day -= timedelta(days=1)
        if ctx.calendar.is_working_day(day):
            n -= 1
    return day


def next_case_number(rows: HallRows, at: datetime) -> str:
    day = rows.ctx.local(at).date()
    rows.case_seq[day] += 1
    return acceptance_number(rows.ctx.code, day, rows.case_seq[day])


def audit(
    s, rows: HallRows, at, actor: str, action: str, entity: str, eid, details, user=None
) -> None:
    s.add(
        AuditEntry(
            hall_id=rows.ctx.id,
            at=at,
            actor=actor,
            user_id=user.id if user else None,
            action=action,
            entity=entity,
            entity_id=str(eid),
            details=details,
        )
    )
    rows.counts["audit"] += 1


def seed_tickets(
    s, rows: HallRows, rng: random.Random, day: date, count: int, now: datetime, today: bool
) -> list[Ticket]:
    """A day of tickets: arrivals from 08:30 until now (today) or 17:30; today's latest are
    waiting, one per open window is at the counter, the rest finished or no-show."""
    ctx = rows.ctx
    windows = s.scalars(
        select(Window).where(Window.hall_id == ctx.id).order_by(Window.number)
    ).all()
    kiosk = s.scalar(select(Device).where(Device.hall_id == ctx.id, Device.kind == "kiosk"))
    clerks = [rows.users[f"c{w.number:02d}"] for w in windows]
    open_windows = windows[:-2] if today else windows  # today: one paused, one closed
    if today:
        for w, clerk in zip(windows, clerks, strict=True):
            w.clerk_id, w.state_since = clerk.id, local_at(ctx, day, 8 * 60 + 25)
            w.state = "open"
        windows[-2].state, windows[-2].pause_reason = "paused", "临时离开（取材料）"
        windows[-2].state_since = now - timedelta(minutes=9)
        windows[-1].state, windows[-1].clerk_id = "closed", None
    serving_at = {w.number: w for w in open_windows}
    codes = [i.code for i in rows.items.values()]
    weights = [3 if rows.items[c].kind == "immediate" else 1 for c in codes]
    close = min(now, local_at(ctx, day, 17 * 60 + 30))
    first = local_at(ctx, day, 8 * 60 + 30)
    span = (close - first).total_seconds()
    arrivals = sorted(first + timedelta(seconds=rng.uniform(0, span)) for _ in range(count))
    waiting_from = int(count * 0.88) if today else count
    seqs: Counter[str] = Counter()
    tickets: list[Ticket] = []
    free = dict(serving_at)
    at_counter: dict[int, Ticket] = {}  # window number -> the ticket being served there
    for n, issued in enumerate(arrivals):
        code = rng.choices(codes, weights)[0]
        item = rows.items[code]
        seqs[item.prefix] += 1
        seq = seqs[item.prefix]
        green = rng.random() < 0.05
        t = Ticket(
            hall_id=ctx.id,
            item_id=item.id,
            item=item,
            day=day,
            prefix=item.prefix,
            seq=seq,
            number=format_number(item.prefix, seq, ctx.config.queue.number_width),
            priority="green" if green else "normal",
            priority_reason="elderly" if green else None,
            state="waiting",
            issued_at=issued,
            waiting_since=issued,
            queue_key=queue_key_for(issued, seq),
            status_token=secrets.token_urlsafe(18),
            device_id=kiosk.id if kiosk else None,
            language="zh",
            call_count=0,
            requeue_count=0,
        )
        tickets.append(t)
        audit(
            s,
            rows,
            issued,
            f"device:{kiosk.code if kiosk else 'kiosk-1'}",
            "ticket.issued",
            "ticket",
            t.number,
            {"item": code, "priority": t.priority},
        )
        if n >= waiting_from:
            continue
        able = [w for w in open_windows if code in w.item_codes] or open_windows
        window = rng.choice(able)
        clerk = rows.users[f"c{window.number:02d}"]
        called = issued + timedelta(minutes=rng.uniform(1, 35))
        started = called + timedelta(minutes=rng.uniform(0.3, 1.5))
        ended = started + timedelta(minutes=rng.uniform(3, 14))
        if called >= now:
            continue  # still waiting
        t.window_id, t.clerk_id, t.called_at, t.call_count = window.id, clerk.id, called, 1
        if today and ended >= now and window.number in free:
            t.state, t.started_at = "serving", started
            at_counter[window.number] = t
            free.pop(window.number)
        elif ended >= now:
            t.window_id = t.clerk_id = t.called_at = None
            t.call_count = 0
            continue
        elif rng.random() < 0.05:
            t.state, t.ended_at = "no_show", called + timedelta(minutes=2)
        else:
            t.state, t.started_at, t.ended_at = "finished", started, ended
        audit(
            s,
            rows,
            called,
            f"user:{clerk.username}",
            "ticket.called",
            "ticket",
            t.number,
            {"window": window.number},
            clerk,
        )
    if today:  # a window still free serves the resident it finished in the last minutes
        for t in reversed(tickets):
            left_at = t.ended_at
            if not free or t.state != "finished" or left_at is None:
                continue
            if left_at < now - timedelta(minutes=12):
                continue
            w = next((w for w in free.values() if w.id == t.window_id), None)
            if w is not None:
                t.state, t.ended_at = "serving", None
                at_counter[w.number] = t
                free.pop(w.number)
    s.add_all(tickets)
    s.flush()
    for w in windows:
        w.current_ticket_id = at_counter[w.number].id if w.number in at_counter else None
    for prefix, value in seqs.items():
        s.add(NumberCounter(hall_id=ctx.id, day=day, prefix=prefix, value=value))
    rows.counts["tickets"] += len(tickets)
    rows.counts["waiting"] += sum(t.state == "waiting" for t in tickets)
    return tickets


def seed_devices(s, rows: HallRows, rng: random.Random, now: datetime, index: int) -> None:
    """Live devices as their heartbeats leave them: online seconds ago; in every fifth hall a
    display dropped off ten minutes ago, and one kiosk's printer is out of paper."""
    for d in s.scalars(select(Device).where(Device.hall_id == rows.ctx.id)):
        if d.kind not in ("kiosk", "display", "rating_pad"):
            continue
        d.last_seen_at = now - timedelta(seconds=rng.uniform(3, 50))
        d.status = {"online": True}
        if d.kind == "kiosk":
            d.status["printer"] = {"condition": "ok", "message": ""}
        if index % 5 == 2 and d.kind == "display":
            d.last_seen_at, d.status = now - timedelta(minutes=10), {"online": False}
            rows.counts["devices_offline"] += 1
        if index % 7 == 3 and d.code == "kiosk-2":
            d.status["printer"] = {"condition": "paper_out", "message": "缺纸"}
            rows.counts["printer_faults"] += 1


def seed_ratings(s, rows: HallRows, rng: random.Random, tickets: list[Ticket], now) -> None:
    """Half the finished services are rated (mostly satisfied); each bad one opens a
    rectification, a third of them already called back."""
    ctx = rows.ctx
    levels = [level for level, _ in RATINGS]
    weights = [weight for _, weight in RATINGS]
    rated = []
    for t in tickets:
        if t.state != "finished" or t.ended_at is None or rng.random() > 0.5:
            continue
        e = Evaluation(
            hall_id=ctx.id,
            ticket_id=t.id,
            item_id=t.item_id,
            window_id=t.window_id,
            clerk_id=t.clerk_id,
            rating=rng.choices(levels, weights)[0],
            comment="",
            channel=rng.choice(("pad", "pad", "qr", "counter")),
            at=t.ended_at + timedelta(seconds=40),
        )
        if is_bad(e.rating):
            e.comment = rng.choice(("等候时间太长", "窗口态度不好", "材料要求没有一次说清", ""))
        rated.append(e)
    s.add_all(rated)
    s.flush()
    for e in rated:
        if not is_bad(e.rating):
            continue
        opened = e.at
        deadline = ctx.calendar.deadline_for(
            ctx.local(opened), ctx.config.cases.rectification_days, ctx.deadline_rule.office_close
        )
        notes = {
            "callback": "已电话回访，群众反映属实",
            "verify": "调取窗口录像核实",
            "fix": "已对窗口人员批评教育并改进告知方式",
            "inform": "已将整改结果告知群众，群众表示认可",
        }
        due = deadline.astimezone(UTC)
        closed = due < now and rng.random() < 0.9  # past its deadline: mostly done
        done = list(notes) if closed else ["callback"] if rng.random() < 0.33 else []
        steps = [
            {
                "step": step,
                "at": (opened + timedelta(hours=2 * (k + 1))).isoformat(),
                "by": "boss",
                "note": notes[step],
            }
            for k, step in enumerate(done)
        ]
        s.add(
            Rectification(
                hall_id=ctx.id,
                evaluation_id=e.id,
                opened_at=opened,
                deadline_at=due,
                steps=steps,
                state="done" if closed else "open",
                closed_at=opened + timedelta(hours=8) if closed else None,
            )
        )
        rows.counts["rectifications_open" if not closed else "rectifications_done"] += 1
    rows.counts["evaluations"] += len(rated)


def new_case(
    rows: HallRows,
    rng: random.Random,
    sealer: Sealer,
    item: ServiceItem,
    accepted: datetime,
    *,
    clerk: User,
    window: Window | None = None,
    ticket: Ticket | None = None,
    numbered: datetime | None = None,
) -> Case:
    """An open promised case as a window accepts it, numbered on the day it came in."""
    materials = [m for m in item.guide.get("materials", []) if isinstance(m, str)]
    case = Case(
        hall_id=rows.ctx.id,
        number=next_case_number(rows, numbered or accepted),
        status_token=secrets.token_urlsafe(18),
        ticket_id=ticket.id if ticket else None,
        item_id=item.id,
        item=item,
        kind="promised",
        state="open",
        decision=rng.choice(("done_now", "done_now", "proxy", "coordinated")),
        handling_unit=item.department.code,
        window_id=window.id if window else None,
        clerk_id=clerk.id,
        accepted_at=accepted,
        working_days=item.promised_days,
        extended_days=0,
        deadline_at=accepted,
        suspensions=[],
        materials_received=materials[:2] or ["居民身份证"],
        missing_materials=[],
        **sealer.pick(rng),
    )
    return case


def seed_cases(
    s,
    rows: HallRows,
    rng: random.Random,
    sealer: Sealer,
    tickets: list[Ticket],
    now: datetime,
    open_count: int,
) -> list[Case]:
    """``open_count`` open cases (every colour, some 补正 and extension requests) and a month's
    finished and refused ones."""
    ctx = rows.ctx
    today = ctx.local(now).date()
    promised = [i for i in rows.items.values() if i.kind == "promised"]
    clerks = [u for u in rows.users.values() if u.role == "clerk"]
    windows = {w.id: w for w in s.scalars(select(Window).where(Window.hall_id == ctx.id))}
    # today's served promised tickets become today's cases, as at a window
    served = [t for t in tickets if t.state == "finished" and t.item.kind == "promised"]
    cases: list[Case] = []
    bands, weights = [(lo, hi) for lo, hi, _ in COLOUR_MIX], [w for *_, w in COLOUR_MIX]
    for n in range(open_count):
        item = rng.choice(promised)
        lo, hi = rng.choices(bands, weights)[0]
        left = rng.randint(lo, hi)
        back = max(item.promised_days - left, 0)
        if back == 0 and served:
            t = served.pop()
            item = t.item
            case = new_case(
                rows,
                rng,
                sealer,
                item,
                (t.ended_at or now) - timedelta(minutes=1),
                clerk=rows.users[f"c{windows[t.window_id].number:02d}"],
                window=windows[t.window_id],
                ticket=t,
            )
        else:
            day = working_days_back(ctx, today, max(back, 1))
            clerk = rng.choice(clerks)
            window = windows.get(rng.choice(list(windows)))
            at = local_at(ctx, day, rng.uniform(8.6 * 60, 17.4 * 60))
            case = new_case(rows, rng, sealer, item, at, clerk=clerk, window=window)
        if n % 20 == 7:  # 补正: the clock stopped since a day after acceptance
            since = min(ctx.local(case.accepted_at).date() + timedelta(days=1), today)
            case.state, case.suspensions = "suspended", [[since.isoformat(), None]]
            case.missing_materials = ["户口簿", "收入证明"]
        if n % 25 == 3:
            case.extended_days = 2
        recompute_deadline(ctx, case)
        case.colour = colour_now(ctx, case, now) if case.state == "open" else None
        cases.append(case)
    # the month's closed cases: accepted since the 1st, finished (mostly on time) or refused
    first = today.replace(day=1)
    month = [first + timedelta(days=d) for d in range((today - first).days)]
    month = [d for d in month if ctx.calendar.is_working_day(d)] or [today]
    for n in range(open_count // 3):
        item = rng.choice(promised)
        day = rng.choice(month)
        at = local_at(ctx, day, rng.uniform(8.6 * 60, 17.4 * 60))
        case = new_case(rows, rng, sealer, item, at, clerk=rng.choice(clerks))
        recompute_deadline(ctx, case)
        done = at + timedelta(hours=rng.uniform(2, 24 * 12))
        done = min(done, now - timedelta(minutes=5))
        if n % 12 == 5:
            case.state, case.refuse_reason = "refused", "不符合申请条件（户籍不在本辖区）"
        else:
            case.state, case.result = "finished", "已办结，结果已告知申请人"
            case.on_time = done <= case.deadline_at
        case.finished_at, case.colour = done, None
        cases.append(case)
    s.add_all(cases)
    s.flush()
    for case in cases:
        audit(
            s,
            rows,
            case.accepted_at,
            f"user:{next(u.username for u in clerks if u.id == case.clerk_id)}",
            "case.accepted",
            "case",
            case.number,
            {"item": case.item.code, "kind": "promised", "decision": case.decision},
        )
        if case.state in ("finished", "refused"):
            action = "case.finished" if case.state == "finished" else "case.refused"
            audit(s, rows, case.finished_at, "user:boss", action, "case", case.number, {})
    extras(s, rows, rng, cases, now)
    rows.counts["cases_open"] += sum(c.state in ("open", "suspended") for c in cases)
    rows.counts["cases_closed"] += sum(c.state in ("finished", "refused") for c in cases)
    rows.counts.update(f"colour_{c.colour}" for c in cases if c.colour)
    return cases


def extras(s, rows: HallRows, rng: random.Random, cases: list[Case], now: datetime) -> None:
    """Extensions (approved on the cases given days, some requested) and the overdue records
    the sweep opens when a case turns red (some handled by the duty officer)."""
    boss = rows.users["boss"]
    for n, case in enumerate(c for c in cases if c.state == "open"):
        if case.extended_days:
            asked = case.accepted_at + timedelta(days=2)
            s.add(
                CaseExtension(
                    case_id=case.id,
                    days=case.extended_days,
                    reason="需要实地核查，延期办理",
                    state="approved",
                    requested_by=case.clerk_id,
                    requested_at=asked,
                    decided_by=boss.id,
                    decided_at=asked + timedelta(hours=2),
                )
            )
        elif n % 33 == 4 and case.colour in ("orange", "yellow"):
            s.add(
                CaseExtension(
                    case_id=case.id,
                    days=2,
                    reason="待县级部门出具证明",
                    state="requested",
                    requested_by=case.clerk_id,
                    requested_at=now - timedelta(hours=3),
                )
            )
            rows.counts["extension_requests"] += 1
        if case.colour == "red":
            handled = rng.random() < 0.3
            s.add(
                OverdueRecord(
                    hall_id=rows.ctx.id,
                    case_id=case.id,
                    handling_unit=case.handling_unit,
                    deadline_at=case.deadline_at,
                    detected_at=case.deadline_at + timedelta(minutes=1),
                    reason="材料审核时间较长" if handled else None,
                    action="责令两个工作日内办结" if handled else None,
                    handled_by=boss.id if handled else None,
                    handled_at=case.deadline_at + timedelta(hours=20) if handled else None,
                )
            )
            rows.counts["overdue_records"] += 1


def refer(
    s,
    sender: HallRows,
    receiver: HallRows,
    rng: random.Random,
    sealer: Sealer,
    now: datetime,
    item_code: str,
    state: str,
    direction: net_rules.Direction,
) -> None:
    """One referral as ``services.referrals`` leaves it: the sending case ``referred`` (or open
    again when returned), the referral row, and on acceptance the receiving hall's case with
    the original acceptance time; the audit entries of both halls."""
    ctx, there = sender.ctx, receiver.ctx
    today = ctx.local(now).date()
    item = sender.items[item_code]
    clerk = sender.users[f"c{rng.randint(1, 6):02d}"]
    day = working_days_back(ctx, today, rng.randint(0, 4))
    accepted = local_at(ctx, day, rng.uniform(8.6 * 60, 15 * 60))
    accepted = min(accepted, now - timedelta(hours=1))
    origin = new_case(sender, rng, sealer, item, accepted, clerk=clerk)
    recompute_deadline(ctx, origin)
    origin.state, origin.colour = "referred", None
    s.add(origin)
    s.flush()
    sent = accepted + timedelta(minutes=rng.uniform(20, 150))
    due = net_rules.referral_due(
        ctx.calendar, ctx.local(accepted), ctx.deadline_rule.office_close
    ).astimezone(UTC)
    reason = "超出本镇权限，上报县中心" if direction is net_rules.Direction.UP else "交由属地镇办理"
    referral = CaseReferral(
        direction=direction.value,
        from_hall_id=ctx.id,
        from_case_id=origin.id,
        to_hall_id=there.id,
        to_unit=item.department.code if rng.random() < 0.5 else "",
        reason=reason,
        state="sent",
        sent_at=sent,
        sent_by=clerk.id,
        due_at=due,
        late=sent > due,
    )
    details: dict[str, Any] = {"to": there.code, "unit": referral.to_unit, "reason": reason}
    details |= {"direction": direction.value, "late": referral.late}
    audit(s, sender, accepted, f"user:{clerk.username}", "case.accepted", "case", origin.number, {})
    audit(
        s, sender, sent, f"user:{clerk.username}", "case.referred", "case", origin.number, details
    )
    s.add(referral)
    s.flush()
    audit(
        s,
        receiver,
        sent,
        f"user:{clerk.username}@{ctx.code}",
        "referral.received",
        "referral",
        referral.id,
        details,
    )
    decided = min(sent + timedelta(hours=rng.uniform(1, 20)), now - timedelta(minutes=10))
    boss = receiver.users["boss"]
    if state == "accepted":
        row = receiver.items[item_code]
        taker = receiver.users[f"c{rng.randint(1, 6):02d}"]
        case = new_case(receiver, rng, sealer, row, accepted, clerk=taker, numbered=decided)
        case.decision = "coordinated"
        for name in ("name_sealed", "name_masked", "phone_sealed", "phone_masked"):
            setattr(case, name, getattr(origin, name))
        for name in ("phone_last4", "id_sealed", "id_masked", "id_digest"):
            setattr(case, name, getattr(origin, name))
        zh = net_rules.DIRECTION_ZH[direction]
        case.note = f"{zh}自 {ctx.name_zh} {origin.number}：{reason}"
        recompute_deadline(there, case)
        case.colour = colour_now(there, case, now)
        s.add(case)
        s.flush()
        referral.state, referral.decided_at, referral.decided_by = "accepted", decided, taker.id
        referral.to_case_id = case.id
        took = {"referral": referral.id, "from": ctx.code, "origin": origin.number}
        audit(
            s,
            receiver,
            decided,
            f"user:{taker.username}",
            "case.accepted",
            "case",
            case.number,
            took,
        )
        audit(
            s,
            sender,
            decided,
            f"user:{taker.username}@{there.code}",
            "case.referral_accepted",
            "case",
            origin.number,
            {"referral": referral.id, "by": there.code, "as": case.number},
        )
        receiver.counts["cases_open"] += 1
        receiver.counts[f"colour_{case.colour}"] += 1
    elif state == "returned":
        referral.state, referral.decided_at, referral.decided_by = "returned", decided, boss.id
        referral.return_reason = "属本镇办理权限，请按规定受理"
        origin.state = "open"
        origin.colour = colour_now(ctx, origin, now)
        audit(
            s,
            sender,
            decided,
            f"user:boss@{there.code}",
            "case.referral_returned",
            "case",
            origin.number,
            {"referral": referral.id, "reason": referral.return_reason},
        )
        sender.counts["cases_open"] += 1
        sender.counts[f"colour_{origin.colour}"] += 1
    sender.counts["referrals_sent"] += 1
    receiver.counts[f"referrals_in_{state}"] += 1


# --- the county ------------------------------------------------------------------------------


def load_halls(db, now: datetime, towns: int) -> list[str]:
    codes = [COUNTY, *town_codes(towns)]
    actor = Actor("bench")
    password = generate_password_hash(PASSWORD, method="scrypt")  # hashed once for every user
    for index, code in enumerate(codes):
        level, parent = ("county", None) if code == COUNTY else ("town", COUNTY)
        cfg = parse_config(hall_data(code, level, parent, index - 1), f"{code}.toml")
        with UnitOfWork(db, now) as uow:
            sync_hall(uow, cfg, actor)
            hall_id = uow.session.scalar(select(Hall.id).where(Hall.code == code))
            people = [(f"c{n:02d}", f"窗口{n}号 {SURNAMES[n]}某", "clerk") for n in range(1, 13)]
            people.append(("boss", "王主任", "manager"))
            if code == COUNTY:
                people.append(("ducha", "督查办 陈", "supervisor"))
            for username, name, role in people:
                uow.session.add(
                    User(
                        hall_id=hall_id,
                        username=username,
                        display_name=name,
                        role=role,
                        password_hash=password,
                        created_at=now - timedelta(days=30),
                    )
                )
            uow.commit()
    return codes


def hall_rows(s, code: str) -> HallRows:
    ctx = hall_context(s, code)
    users = {u.username: u for u in s.scalars(select(User).where(User.hall_id == ctx.id))}
    items = {
        i.code: i
        for i in s.scalars(
            select(ServiceItem).where(ServiceItem.hall_id == ctx.id, ServiceItem.active)
        )
    }
    return HallRows(ctx, users, items)


def seed_county(
    url: str,
    now: datetime = NOW,
    *,
    towns: int = 19,
    tickets: int = 1000,
    cases: int = 200,
    days: int = 1,
    key_file: Path,
    seed: int = 20261126,
    progress=lambda message: None,
) -> dict[str, Any]:
    """Truncate, load the halls, seed them; returns the row counts (per hall and in all)."""
    started = clock.perf_counter()
    truncate(url)
    db = open_database(url)
    rng = random.Random(seed)
    sealer = Sealer(load_protector(key_file), rng)
    try:
        codes = load_halls(db, now, towns)
        progress(f"loaded {len(codes)} halls in {clock.perf_counter() - started:.1f}s")
        kept: dict[str, HallRows] = {}
        for index, code in enumerate(codes):
            with UnitOfWork(db, now) as uow:
                s = uow.session
                rows = hall_rows(s, code)
                seed_devices(s, rows, rng, now, index)
                today = rows.ctx.local(now).date()
                earlier = [working_days_back(rows.ctx, today, n) for n in range(days - 1, 0, -1)]
                for day in earlier:  # whole days of the month before today, all served
                    done = seed_tickets(s, rows, rng, day, tickets, now, today=False)
                    seed_ratings(s, rows, rng, done, now)
                todays = seed_tickets(s, rows, rng, today, tickets, now, today=True)
                seed_ratings(s, rows, rng, todays, now)
                open_own = cases - (0 if code == COUNTY else 3)  # + 3 from referrals below
                if code == COUNTY:
                    open_own -= 4 * towns  # the accepted 上报 are open county cases
                seed_cases(s, rows, rng, sealer, todays, now, max(open_own, 0))
                uow.commit()
                kept[code] = rows
            progress(f"  {code}: {dict(rows.counts)}")
        # referrals: per town 10 up (5 waiting, 4 accepted, 1 returned), 2 down (accepted)
        # and 1 down returned is not seeded; down-accepted count in the town's open cases
        county = kept[COUNTY]
        with UnitOfWork(db, now) as uow:
            s = uow.session
            for code in codes[1:]:
                town = kept[code]
                for n in range(10):
                    state = "sent" if n < 5 else ("accepted" if n < 9 else "returned")
                    refer(
                        s, town, county, rng, sealer, now, REFER_UP[n % 2], state,
                        net_rules.Direction.UP,
                    )  # fmt: skip
                for n in range(2):
                    refer(
                        s, county, town, rng, sealer, now, "MZ-0" + str(n + 1), "accepted",
                        net_rules.Direction.DOWN,
                    )  # fmt: skip
            for rows in kept.values():  # the acceptance numbers' counters, as allocate_seq
                for day, value in rows.case_seq.items():
                    s.add(NumberCounter(hall_id=rows.ctx.id, day=day, prefix="#C", value=value))
            uow.commit()
    finally:
        db.dispose()
    totals: Counter = Counter()
    for rows in kept.values():
        totals.update(rows.counts)
    return {
        "halls": len(codes),
        "towns": towns,
        "now": now.isoformat(),
        "seconds": round(clock.perf_counter() - started, 1),
        "per_hall": {code: dict(rows.counts) for code, rows in kept.items()},
        "totals": dict(totals),
    }


def main() -> int:
    import os
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--towns", type=int, default=19)
    parser.add_argument("--tickets", type=int, default=1000)
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--days", type=int, default=1, help="working days of tickets, to today")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("ONESTOP_BENCH_DATABASE_URL")
        or os.environ.get("ONESTOP_TEST_DATABASE_URL")
        or DEFAULT_DATABASE,
    )
    parser.add_argument("--schema", default="bench_county", help="'' for the URL's own schema")
    args = parser.parse_args()
    url = bench_url(args.database_url, args.schema)
    with tempfile.TemporaryDirectory() as tmp:
        out = seed_county(
            url,
            towns=args.towns,
            tickets=args.tickets,
            cases=args.cases,
            days=args.days,
            key_file=Path(tmp) / "data.key",
            progress=lambda m: print(m, file=sys.stderr, flush=True),
        )
    out.pop("per_hall")
    print(json.dumps({"phase": "seed"} | out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
