"""``onestop staffing`` and ``onestop sim``: staffing advice and the offline simulator as tables
(Chinese headings first, English below) or JSON."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from ..hallconfig import HallConfig, load_config
from .model import Roster, Shift, default_roster

RANGE = re.compile(r"^(\d+)(?:-(\d+))?$")


# --- arguments -----------------------------------------------------------------------------


def add_parsers(sub) -> None:
    st = sub.add_parser(
        "staffing", help="windows needed per half hour vs planned (窗口配置建议), as a table"
    )
    st.add_argument("hall", help="hall code")
    st.add_argument("--date", type=_day, help="YYYY-MM-DD (default: tomorrow)")
    st.add_argument("--json", action="store_true", help="print the plan as JSON")
    st.add_argument("--groups", action="store_true", help="also show each item group")
    st.set_defaults(func=cmd_staffing)

    sm = sub.add_parser(
        "sim", help="simulate a hall day offline (大厅仿真), or replay a recorded day"
    )
    sm.add_argument("hall", help="hall code in the database, or a hall config file (.toml)")
    what = sm.add_mutually_exclusive_group(required=True)
    what.add_argument(
        "--profile",
        help="monday-after-holiday | normal-wednesday | pension-certification-peak | a .toml/.json "
        "profile file | history (the hall's recorded days of the same kind)",
    )
    what.add_argument("--replay", type=_day, metavar="DATE", help="replay a recorded day")
    sm.add_argument("--date", type=_day, help="day to simulate (default: tomorrow)")
    sm.add_argument(
        "--roster",
        help='windows and hours, e.g. "1-6,8@08:30-12:00,14:00-17:30;9@09:00-11:00" '
        "(default: every window over the day's opening hours)",
    )
    sm.add_argument("--seed", type=int, default=1)
    sm.add_argument(
        "--patience", type=float, help="mean patience in minutes (default: [staffing]; 0: none)"
    )
    sm.add_argument("--no-show-rate", type=float, default=0.03)
    sm.add_argument("--json", action="store_true", help="print the figures as JSON")
    sm.add_argument("--tickets", action="store_true", help="replay: list every ticket")
    sm.set_defaults(func=cmd_sim)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-25") from None


def parse_roster(spec: str, cfg: HallConfig) -> Roster:
    """``"1-6,8@08:30-12:00,14:00-17:30;9@09:00-11:00"`` -> shifts (every window checked)."""
    known = {w.number for w in cfg.windows}
    shifts = []
    for part in filter(None, (p.strip() for p in spec.split(";"))):
        if "@" not in part:
            raise ValueError(f"roster {part!r}: write WINDOWS@HH:MM-HH:MM[,HH:MM-HH:MM]")
        windows, periods = part.split("@", 1)
        numbers: list[int] = []
        for chunk in windows.split(","):
            m = RANGE.match(chunk.strip())
            if not m:
                raise ValueError(f"roster {part!r}: {chunk!r} is not a window or range like 1-6")
            lo, hi = int(m.group(1)), int(m.group(2) or m.group(1))
            numbers += range(lo, hi + 1)
        for number in numbers:
            if number not in known:
                raise ValueError(f"roster {part!r}: no window {number} in the hall config")
        for period in periods.split(","):
            try:
                a, b = (time.fromisoformat(x.strip()) for x in period.split("-"))
            except ValueError:
                raise ValueError(f"roster {part!r}: {period!r} is not HH:MM-HH:MM") from None
            if b <= a:
                raise ValueError(f"roster {part!r}: {period} ends before it starts")
            shifts += [Shift(n, a, b) for n in numbers]
    if not shifts:
        raise ValueError("roster: no window given")
    return tuple(sorted(shifts, key=lambda s: (s.window, s.start)))


# --- helpers -------------------------------------------------------------------------------


def day_hours(cfg: HallConfig, day: date):
    """The day's kind (working / weekend / closed, by the national calendar and the hall's
    overrides) and its opening periods."""
    from ..domain.workcalendar import WorkCalendar
    from .model import merge_periods

    calendar = WorkCalendar(cfg.calendar.extra_closed, cfg.calendar.extra_working)
    kind = calendar.day_kind(day)
    periods = cfg.hours.to_domain().periods_on(day, calendar.day_kind)
    return kind, merge_periods(periods)


def _database(args) -> str:
    from ..app import DEFAULT_DATABASE_URL

    return args.database or os.environ.get("ONESTOP_DATABASE_URL", DEFAULT_DATABASE_URL)


def _now() -> datetime:
    return datetime.now(UTC)


def _fmt(value, width: int, digits: int = 1) -> str:
    if value is None:
        text = "-"
    elif isinstance(value, float):
        text = f"{value:.{digits}f}"
    else:
        text = str(value)
    return text.rjust(width)


def _table(headings_zh: list[str], headings_en: list[str], widths: list[int], rows) -> str:
    def line(cells):
        out = []
        for cell, width in zip(cells, widths, strict=True):
            # a Chinese character takes two columns
            shown = sum(2 if ord(ch) > 0x2E80 else 1 for ch in cell)
            out.append(" " * max(0, width - shown) + cell)
        return " ".join(out)

    lines = [line(headings_zh), line(headings_en)]
    lines.append("-" * (sum(widths) + len(widths) - 1))
    lines += [" ".join(_fmt(c, w) for c, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(lines)


# --- onestop staffing ----------------------------------------------------------------------


def cmd_staffing(args) -> int:
    from ..db.engine import open_database
    from ..services.halls import hall_context
    from ..services.staffing import plan_to_json, staffing_plan

    now = _now()
    db = open_database(_database(args))
    try:
        with db.reader() as session:
            ctx = hall_context(session, args.hall)
            day = args.date or ctx.local(now).date() + timedelta(days=1)
            plan = staffing_plan(session, ctx, day, now)
    finally:
        db.dispose()
    if args.json:
        print(json.dumps(plan_to_json(plan), ensure_ascii=False, indent=2))
        return 0
    print(format_plan(plan, args.groups))
    return 0


KIND_ZH = {
    "workday": "工作日 / working day",
    "after_holiday": "节后首日 / first day after a holiday",
    "makeup_workday": "调休上班日 / make-up working day",
    "weekend": "双休日值班 / weekend duty",
    "holiday": "节假日闭厅 / holiday, closed",
}
MODE_ZH = {
    "forecast": "预测 / forecast",
    "today": "今日（已过时段为实际）/ today (past half hours as recorded)",
    "recorded": "历史实际 / recorded day",
}


def format_plan(plan, groups: bool = False) -> str:
    head = [
        f"窗口配置建议 / staffing advice — {plan.hall} {plan.day.isoformat()}",
        f"日期类型 / day: {KIND_ZH.get(plan.day_kind, plan.day_kind)}; "
        f"{MODE_ZH.get(plan.mode, plan.mode)}",
        f"目标 / target: {plan.target}",
        f"到达数据 / arrivals from: {plan.source}",
        "",
    ]
    if not plan.slots:
        return "\n".join(head + ["当天不开放 / the hall is closed that day"])
    rows = []
    for s in plan.slots:
        mark = "*" if s.past else ""
        rows.append(
            [
                f"{s.start:%H:%M}-{s.end:%H:%M}{mark}",
                round(s.expected_arrivals),
                s.planned,
                s.needed,
                f"{s.gap:+d}" if s.gap else "0",
                s.p90_planned,
                s.p90_advised,
            ]
        )
    table = _table(
        ["时段", "预计到达", "计划窗口", "需要窗口", "缺口", "p90计划", "p90建议"],
        ["half hour", "arrivals", "planned", "needed", "gap", "p90 plan", "p90 adv"],
        [13, 9, 9, 9, 5, 9, 9],
        rows,
    )
    notes = [
        "",
        "p90：90% 的群众在此分钟数内被叫号（仿真，单位分钟）/ p90: minutes within which 90% are "
        "called (simulated)",
        "缺口 > 0：需加开窗口；< 0：可减少窗口 / gap > 0: open more windows; < 0: fewer suffice",
    ]
    if any(s.past for s in plan.slots):
        notes.append("* 已过时段：计划为实际开放窗口，p90 为实际记录 / * past: as recorded")
    out = head + [table] + notes
    if groups:
        out += ["", "按事项组 / by item group (planned/needed of available):"]
        for s in plan.slots:
            parts = [f"{g.group} {g.planned}/{g.needed} of {g.available}" for g in s.groups]
            out.append(f"  {s.start:%H:%M}  " + "; ".join(parts))
    return "\n".join(out)


# --- onestop sim ---------------------------------------------------------------------------


def _hall(args, session_needed: bool):
    """(config, ctx or None, db or None) from a hall code or a config file."""
    path = Path(args.hall)
    if path.suffix == ".toml" or path.exists():
        if session_needed:
            raise ValueError("replaying and history profiles need a hall code in the database")
        return load_config(path), None, None
    from ..db.engine import open_database
    from ..services.halls import hall_context

    db = open_database(_database(args))
    with db.reader() as session:
        ctx = hall_context(session, args.hall)
    return ctx.config, ctx, db


def cmd_sim(args) -> int:
    from .profiles import ProfileError

    try:
        if args.replay:
            return _replay(args)
        return _simulate(args)
    except (ProfileError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _simulate(args) -> int:
    from ..services.staffing import classify_day, expected_profile, within_slots
    from .engine import result_to_json, simulate
    from .history import fit_service
    from .model import arrivals, slots_of
    from .profiles import resolve_profile

    use_history = args.profile == "history"
    cfg, ctx, db = _hall(args, use_history)
    now = _now()
    today = now.astimezone(ZoneInfo(cfg.hall.timezone)).date()
    day = args.date or today + timedelta(days=1)
    service = None
    try:
        if ctx is not None:  # a hall in the database: service times fitted from its history
            with db.reader() as session:
                first = today - timedelta(weeks=cfg.staffing.history_weeks)
                service = fit_service(session, ctx, first, today).service
                if use_history:
                    day_kind = classify_day(ctx.calendar, day)
                    profile, source = expected_profile(session, ctx, day, day_kind, today)
    finally:
        if db is not None:
            db.dispose()
    if not use_history:
        profile, source = resolve_profile(args.profile, cfg), f"profile {args.profile}"
    kind, periods = day_hours(cfg, day)
    if not periods:
        print(f"{day}: 大厅不开放 / the hall is closed that day ({kind})", file=sys.stderr)
        return 1
    profile = within_slots(profile, slots_of(periods))
    patience = cfg.staffing.patience_minutes if args.patience is None else args.patience
    made = arrivals(cfg, profile, day, args.seed, service, args.no_show_rate, patience or None)
    roster = parse_roster(args.roster, cfg) if args.roster else default_roster(cfg, kind)
    result = simulate(cfg, day, made, roster, args.seed)
    if args.json:
        data = result_to_json(result) | {
            "hall": cfg.hall.code,
            "day": day.isoformat(),
            "profile": profile.name,
            "seed": args.seed,
            "arrivals": len(made),
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(f"大厅仿真 / hall simulation — {cfg.hall.code} {day.isoformat()}, {source}, "
          f"seed {args.seed}, {len(made)} 人 / residents")  # fmt: skip
    print(format_slots(result.slots))
    print()
    print(format_items(result.items, cfg))
    return 0


def format_slots(slots) -> str:
    rows = [
        [f"{s.start:%H:%M}", s.arrivals, s.served, s.abandoned, s.wait_p50, s.wait_p90,
         s.wait_max, s.queue_length, s.windows_open,
         None if s.utilisation is None else f"{s.utilisation * 100:.0f}%",
         None if s.within_target is None else f"{s.within_target * 100:.0f}%"]
        for s in slots
    ]  # fmt: skip
    return _table(
        ["时段", "到达", "叫号办理", "放弃", "等候p50", "p90", "最长", "排队", "窗口", "利用率",
         "达标"],
        ["slot", "arrived", "served", "left", "wait p50", "p90", "max", "queue", "open", "util",
         "in target"],
        [6, 7, 8, 5, 8, 6, 6, 6, 5, 6, 9],
        rows,
    )  # fmt: skip


def format_items(items, cfg: HallConfig) -> str:
    names = {i.code: i.name.zh for i in cfg.items}
    rows = [
        [code, st.arrivals, st.served, st.abandoned, st.no_shows, st.transfers_in, st.wait_p50,
         st.wait_p90, st.wait_max, st.wait_mean]
        for code, st in items.items()
    ]  # fmt: skip
    table = _table(
        ["事项", "到达", "办理", "放弃", "过号", "转入", "等候p50", "p90", "最长", "平均"],
        ["item", "arrived", "served", "left", "no-show", "transf", "wait p50", "p90", "max",
         "mean"],
        [8, 7, 6, 5, 7, 6, 8, 6, 6, 6],
        rows,
    )  # fmt: skip
    legend = ", ".join(f"{c} {names.get(c, '')}" for c in items)
    return table + "\n" + legend


def _replay(args) -> int:
    from .engine import simulate
    from .history import recorded_day

    cfg, ctx, db = _hall(args, True)
    try:
        with db.reader() as session:
            rec = recorded_day(session, ctx, args.replay)
    finally:
        db.dispose()
    if not rec.arrivals:
        print(f"{args.replay}: 无取号记录 / no tickets recorded that day")
        return 1
    roster = parse_roster(args.roster, cfg) if args.roster else rec.roster
    result = simulate(cfg, args.replay, rec.arrivals, roster)
    pairs = []
    for sim in result.tickets:
        match = next((t for t in rec.tickets if t.number == sim.index and t.leg == sim.leg), None)
        if match is not None:
            pairs.append((match, sim))
    if args.json:
        print(json.dumps(replay_json(pairs, rec), ensure_ascii=False, indent=2))
        return 0
    print(f"重放 / replay — {cfg.hall.code} {args.replay.isoformat()}: {len(rec.arrivals)} 人 / "
          f"residents, {len({s.window for s in roster})} 窗口 / windows")  # fmt: skip
    print(format_replay(pairs, args.tickets))
    return 0


def replay_json(pairs, rec) -> dict:
    return {
        "day": rec.day.isoformat(),
        "tickets": [
            {
                "index": r.number,
                "leg": r.leg,
                "item": r.item_code,
                "queued_at": r.queued_at.isoformat(),
                "recorded_wait": None if r.wait_minutes is None else round(r.wait_minutes, 2),
                "simulated_wait": None if s.wait_minutes is None else round(s.wait_minutes, 2),
                "recorded_window": r.window,
                "simulated_window": s.window,
            }
            for r, s in pairs
        ],
    }


def format_replay(pairs, per_ticket: bool = False) -> str:
    from .engine import percentile

    by_slot: dict[time, tuple[list[float], list[float]]] = {}
    same = 0
    for r, s in pairs:
        slot = time(r.queued_at.hour, r.queued_at.minute // 30 * 30)
        rec_w, sim_w = by_slot.setdefault(slot, ([], []))
        if r.wait_minutes is not None:
            rec_w.append(r.wait_minutes)
        if s.wait_minutes is not None:
            sim_w.append(s.wait_minutes)
        same += (r.called_at, r.window) == (s.called_at, s.window)

    def stat(values, q):
        return percentile(sorted(values), q) if values else None

    rows = []
    for slot in sorted(by_slot):
        rec_w, sim_w = by_slot[slot]
        rows.append(
            [f"{slot:%H:%M}", len(rec_w), stat(rec_w, 0.5), stat(sim_w, 0.5), stat(rec_w, 0.9),
             stat(sim_w, 0.9), max(rec_w, default=None), max(sim_w, default=None)]
        )  # fmt: skip
    table = _table(
        ["时段", "叫号", "实际p50", "仿真p50", "实际p90", "仿真p90", "实际最长", "仿真最长"],
        ["slot", "called", "rec p50", "sim p50", "rec p90", "sim p90", "rec max", "sim max"],
        [6, 6, 8, 8, 8, 8, 8, 8],
        rows,
    )
    rec_all = [r.wait_minutes for r, _ in pairs if r.wait_minutes is not None]
    sim_all = [s.wait_minutes for _, s in pairs if s.wait_minutes is not None]
    lines = [
        table,
        "",
        f"平均等候 / mean wait: 实际 recorded {_mean(rec_all)} min, 仿真 simulated "
        f"{_mean(sim_all)} min; 叫号时刻与窗口完全一致 / identical calls: {same}/{len(pairs)}",
        "仿真按记录的开窗时段、每人实际占用窗口时长和服务器的叫号规则重放；差异来自窗口空闲未叫号等"
        " / the replay uses the recorded window hours, each resident's recorded window time and "
        "the server's calling policy; differences are e.g. clerks not calling at once",
    ]
    if per_ticket:
        lines += ["", "序号 leg 事项 / item   取号 queued  实际 rec  仿真 sim  窗口 window rec/sim"]
        for r, s in pairs:
            lines.append(
                f"{r.number:4d} {r.leg:3d} {r.item_code:10s} {r.queued_at:%H:%M:%S} "
                f"{_fmt(r.wait_minutes, 8)} {_fmt(s.wait_minutes, 8)}   {r.window}/{s.window}"
            )
    return "\n".join(lines)


def _mean(values: list[float]) -> str:
    return f"{sum(values) / len(values):.1f}" if values else "-"
