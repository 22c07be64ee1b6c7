"""The county at scale: one county centre and 19 towns on PostgreSQL, each with a day's worth of
tickets (1,000) and 200 open cases of every colour with referrals up and down
(``bench/county_seed.py``), then the supervisor's two county-wide reads timed:

- the county board snapshot, GET /api/v1/halls/county/network/board (through the Flask app in
  process: token, unit of work, service, JSON) and ``county_board.network_board`` alone;
- the county monthly report, GET /api/v1/halls/county/network/report?month=YYYY-MM&format=json,
  ``county_report.county_month`` alone, and the PDF once.

Before them a town's own board (``services.board.board``, what a manager's socket snapshot
reads: there is no REST route for it) and case list (GET /halls/town01/cases) check the seed
and give the single-hall baseline. One JSON line per phase on stdout (progress on stderr):
``phase``, ``n``, ``p50_ms``/``p99_ms``/``max_ms`` of wall time, ``sql_statements`` per call,
this process's CPU per call, the PostgreSQL backends' CPU per call, the rest of the machine's
CPU over the phase (``others_cpu_s``: large means a noisy run) and the 1-minute load. The calls
are sequential in one process, so there is no client to saturate: the wall time is the server
path's. Then one ``profile`` line per read with the top functions of one call under cProfile.

    .venv/bin/python bench/bench_county.py [--runs 20] [--towns 19] [--tickets 1000]
        [--cases 200] [--days 1] [--database-url URL] [--schema bench_county] [--reuse]
        [--pstats-dir DIR]

The database (``--database-url``, default $ONESTOP_BENCH_DATABASE_URL, else
$ONESTOP_TEST_DATABASE_URL, else the local ``test`` database) gets a schema of its own
(``--schema``), migrated and truncated before the seed; ``--reuse`` keeps the last seed.
The clock is fixed at the seed's "now" (Thursday 2026-11-26, 15:30 in Shanghai).
Exits 1 if a check fails or a read answers anything but 200.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event, func, select  # noqa: E402

from backend.app import create_app  # noqa: E402
from backend.db.models import Case, CaseReferral, Hall, Ticket  # noqa: E402
from backend.db.uow import RecordingPublisher, UnitOfWork  # noqa: E402
from backend.services.board import board as town_board  # noqa: E402
from backend.services.halls import hall_context  # noqa: E402
from bench.bench_queue import log, percentile  # noqa: E402
from bench.common import _postgres_backends, _processes, machine_busy_s  # noqa: E402
from bench.county_seed import (  # noqa: E402
    COUNTY,
    DEFAULT_DATABASE,
    NOW,
    bench_url,
    seed_county,
    town_codes,
)
from tests.support import PASSWORD  # noqa: E402

BOARD = f"/api/v1/halls/{COUNTY}/network/board"
REPORT = f"/api/v1/halls/{COUNTY}/network/report"
KEY_FILE = ROOT / "var" / "bench-county.key"  # the seed's sealed applicants open with it


def emit(line: dict[str, Any]) -> None:
    print(json.dumps(line, ensure_ascii=False), flush=True)


class Counter:
    """SQL statements sent on the app's engines while ``on``."""

    def __init__(self, engines):
        self.engines, self.n, self.on = engines, 0, False
        for engine in engines:
            event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *_args) -> None:
        if self.on:
            self.n += 1

    def close(self) -> None:
        for engine in self.engines:
            event.remove(engine, "before_cursor_execute", self._count)


def cpu_now() -> dict[str, Any]:
    procs = _processes()
    me = os.getpid()
    return {
        "busy": machine_busy_s(),
        "me": time.process_time(),
        "postgres": _postgres_backends(procs, {me}),
    }


def timed(
    phase: str, call: Callable[[], Any], runs: int, sql: Counter, extra: dict | None = None
) -> tuple[dict[str, Any], Any]:
    """``runs`` calls of ``call`` after two warm-up calls; one JSON line's fields."""
    for _ in range(2):
        answer = call()
    walls, statements = [], []
    start = cpu_now()
    for _ in range(runs):
        sql.n, sql.on = 0, True
        t0 = time.perf_counter()
        answer = call()
        walls.append((time.perf_counter() - t0) * 1000)
        sql.on = False
        statements.append(sql.n)
    end = cpu_now()
    me = end["me"] - start["me"]
    pg = sum(cpu - start["postgres"].get(p, 0.0) for p, cpu in end["postgres"].items())
    busy = end["busy"] - start["busy"]
    line = {
        "phase": phase,
        "n": runs,
        "p50_ms": round(statistics.median(walls), 1),
        "p99_ms": percentile(walls, 0.99),
        "max_ms": round(max(walls), 1),
        "sql_statements": statistics.median(statements),
        "sql_statements_max": max(statements),
        "cpu_ms_per_call": round(1000 * me / runs, 1),
        "postgres_cpu_ms_per_call": round(1000 * pg / runs, 1),
        "others_cpu_s": round(max(busy - me - pg, 0.0), 2),
        "load1": round(os.getloadavg()[0], 2),
    } | (extra or {})
    return line, answer


def profiled(phase: str, call: Callable[[], Any], pstats_dir: Path | None, top: int = 12) -> dict:
    """One call under cProfile: the top functions by own time, and the project's own functions
    by cumulative time."""
    profile = cProfile.Profile()
    profile.enable()
    call()
    profile.disable()
    if pstats_dir:
        pstats_dir.mkdir(parents=True, exist_ok=True)
        profile.dump_stats(pstats_dir / f"{phase}.pstats")
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]

    def name(key) -> str:
        file, line, fn = key
        path = Path(file)
        where = "/".join(path.parts[-2:]) if "backend" in path.parts else path.name
        return f"{where}:{line}:{fn}"

    own = sorted(stats.items(), key=lambda kv: kv[1][2], reverse=True)[:top]
    ours = [kv for kv in stats.items() if "/backend/" in kv[0][0]]
    cumulative = sorted(ours, key=lambda kv: kv[1][3], reverse=True)[:top]
    total = max((v[3] for v in stats.values()), default=0.0)
    return {
        "phase": f"profile:{phase}",
        "profiled_ms": round(total * 1000, 1),
        "top_own": [
            {"fn": name(k), "calls": v[1], "own_ms": round(v[2] * 1000, 1)} for k, v in own
        ],
        "top_cumulative_backend": [
            {"fn": name(k), "calls": v[1], "cum_ms": round(v[3] * 1000, 1)} for k, v in cumulative
        ],
    }


def login(client, hall: str, username: str) -> dict[str, str]:
    r = client.post(
        "/api/v1/auth/login", json={"hall": hall, "username": username, "password": PASSWORD}
    )
    assert r.status_code == 200, (hall, username, r.status_code, r.get_json())
    return {"Authorization": f"Bearer {r.get_json()['token']}"}


def get(client, path: str, headers: dict[str, str]):
    """GET that must answer 200 (else the run fails with the answer)."""

    def call():
        r = client.get(path, headers=headers)
        if r.status_code != 200:
            raise SystemExit(
                f"GET {path} answered {r.status_code}: {r.get_data(as_text=True)[:600]}"
            )
        return r

    return call


def seed_check(db, client, town: str, boss: dict, expect: dict) -> list[str]:
    """What a town's own board and case list say about the seed, against the database."""
    problems = []
    with db.reader() as s:
        hall_id = s.scalar(select(Hall.id).where(Hall.code == town))
        today = NOW.astimezone(hall_context(s, town).tz).date()
        waiting = s.scalar(
            select(func.count()).where(
                Ticket.hall_id == hall_id, Ticket.day == today, Ticket.state == "waiting"
            )
        )
        open_cases = s.scalar(
            select(func.count()).where(
                Case.hall_id == hall_id, Case.state.in_(("open", "suspended"))
            )
        )
        referrals = s.scalar(select(func.count()).select_from(CaseReferral))
    board = service(db, town, lambda s, ctx: town_board(s, ctx, NOW))()
    listed = client.get(f"/api/v1/halls/{town}/cases", headers=boss).get_json()
    checks = {
        "board issued = tickets": (board["totals"]["issued"], expect["tickets"]),
        "board waiting = database": (board["totals"]["waiting"], waiting),
        "board open cases = --cases": (board["cases"]["open"], expect["cases"]),
        "database open cases = --cases": (open_cases, expect["cases"]),
        "case list = --cases": (len(listed["cases"]), expect["cases"]),
        "referrals = 12 per town": (referrals, 12 * expect["towns"]),
    }
    for what, (got, want) in checks.items():
        if got != want:
            problems.append(f"{what}: {got} != {want}")
    colours = board["cases"]["counts"]
    if min(colours[c] for c in ("red", "orange", "yellow", "green", "suspended")) == 0:
        problems.append(f"a colour is missing on the town board: {colours}")
    if not board["cases"]["urgent"] or not board["cases"]["overdue"]:
        problems.append("no urgent or overdue cases on the town board")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
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
    parser.add_argument("--reuse", action="store_true", help="keep the last seed")
    parser.add_argument("--pstats-dir", type=Path, help="write each profile's cProfile data here")
    args = parser.parse_args()
    if args.database_url.startswith("sqlite"):
        parser.error("the county bench runs on PostgreSQL")
    url = bench_url(args.database_url, args.schema)
    expect = {"tickets": args.tickets, "cases": args.cases, "towns": args.towns}
    if not args.reuse:
        log(f"seeding {args.towns + 1} halls into {url.split('@')[-1]} ...")
        seeded = seed_county(
            url,
            NOW,
            towns=args.towns,
            tickets=args.tickets,
            cases=args.cases,
            days=args.days,
            key_file=KEY_FILE,
            progress=log,
        )
        seeded.pop("per_hall")
        emit({"phase": "seed", "days": args.days, "load1": round(os.getloadavg()[0], 2)} | seeded)

    return 1 if measure(args, url, expect) else 0


def measure(args, url: str, expect: dict[str, int]) -> bool:
    """Check the seed, time every read, profile one call of each; True if anything failed."""
    failed = False
    config = {
        "ONESTOP_DATABASE_URL": url,
        "ONESTOP_CLOCK": lambda: NOW,
        "ONESTOP_PUBLISHER": RecordingPublisher(),
        "ONESTOP_DATA_KEY_FILE": KEY_FILE,
        "TESTING": True,
    }
    app = create_app(config)
    checked = create_app(config | {"ONESTOP_CHECK_RESPONSES": True})  # answers vs models
    ext = app.extensions["onestop"]
    db = ext.db
    sql = Counter({db.engine, db.reader.kw["bind"]})
    client = app.test_client()
    try:
        town = town_codes(args.towns)[0]
        boss = login(client, town, "boss")
        problems = seed_check(db, client, town, boss, expect)
        emit({"phase": "check_seed", "hall": town, "ok": not problems, "problems": problems})
        failed |= bool(problems)

        reads: dict[str, Callable[[], Any]] = {
            "town_board_service": service(db, town, lambda s, ctx: town_board(s, ctx, NOW)),
            "town_cases": get(client, f"/api/v1/halls/{town}/cases", boss),
        }
        routes = {r.rule for r in app.url_map.iter_rules()}
        month = NOW.astimezone(hall_context_tz(db)).strftime("%Y-%m")
        have_board = "/api/v1/halls/<hall>/network/board" in routes
        have_report = "/api/v1/halls/<hall>/network/report" in routes
        if have_board or have_report:
            ducha = login(client, COUNTY, "ducha")
        if have_board:
            from backend.services import county_board

            reads["county_board"] = get(client, BOARD, ducha)
            reads["county_board_service"] = service(
                db, COUNTY, lambda s, ctx: county_board.network_board(s, ctx, NOW)
            )
        else:
            emit({"phase": "county_board", "skipped": f"no route {BOARD} in the app yet"})
        if have_report:
            from backend.services import county_report

            reads["county_report_json"] = get(client, f"{REPORT}?month={month}&format=json", ducha)
            reads["county_report_service"] = service(
                db, COUNTY, lambda s, ctx: county_report.county_month(s, ctx, 2026, 11, NOW)
            )
        else:
            emit({"phase": "county_report", "skipped": f"no route {REPORT} in the app yet"})

        # every JSON answer once through the response-model check
        check_client = checked.test_client()
        for name, path in (
            ("town_cases", f"/api/v1/halls/{town}/cases"),
            ("county_board", BOARD),
            ("county_report_json", f"{REPORT}?month={month}&format=json"),
        ):
            if name in reads:
                r = check_client.get(path, headers=boss if name == "town_cases" else ducha)
                if r.status_code != 200:
                    failed = True
                    emit(
                        {
                            "phase": "check_response",
                            "path": path,
                            "status": r.status_code,
                            "answer": r.get_data(as_text=True)[:800],
                        }
                    )

        for name, call in reads.items():
            line, answer = timed(name, call, args.runs, sql)
            line |= size(answer) | summary(name, answer)
            emit(line)
        if have_report:
            pdf = get(client, f"{REPORT}?month={month}&format=pdf", ducha)
            line, answer = timed("county_report_pdf", pdf, 1, sql)
            body = answer.get_data()
            line |= {"bytes": len(body), "is_pdf": body[:5] == b"%PDF-"}
            failed |= not line["is_pdf"]
            emit(line)
            reads["county_report_pdf"] = pdf
        for name in (
            "town_board_service",
            "county_board",
            "county_report_json",
            "county_report_pdf",
        ):
            if name in reads:
                emit(profiled(name, reads[name], args.pstats_dir))
    finally:
        sql.close()
        db.dispose()
        checked.extensions["onestop"].db.dispose()
    return failed


def hall_context_tz(db):
    with db.reader() as s:
        return hall_context(s, COUNTY).tz


def service(db, hall: str, fn: Callable[[Any, Any], Any]) -> Callable[[], Any]:
    """The service call alone, in a read transaction as the view runs it (no HTTP, no JSON)."""

    def call():
        with UnitOfWork(db, NOW, write=False) as uow:
            ctx = hall_context(uow.session, hall)
            return fn(uow.session, ctx)

    return call


def size(answer: Any) -> dict[str, Any]:
    if hasattr(answer, "get_data"):
        return {"bytes": len(answer.get_data())}
    return {}


def summary(name: str, answer: Any) -> dict[str, Any]:
    """A few figures of the answer, to show the read saw the whole seed."""
    data = answer.get_json() if hasattr(answer, "get_json") else answer
    if not isinstance(data, dict):
        return {}
    out: dict[str, Any] = {}
    if name == "town_board_service":
        b = data
        out = {"issued": b["totals"]["issued"], "open_cases": b["cases"]["open"]}
    elif name.startswith("county_board"):
        halls = data.get("halls") or data.get("board", {}).get("halls") or []
        out = {"halls": len(halls)}
    elif name.startswith("county_report"):
        halls = data.get("halls") or []
        out = {"halls": len(halls)}
    return out


if __name__ == "__main__":
    sys.exit(main())
