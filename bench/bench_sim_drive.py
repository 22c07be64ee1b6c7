"""A whole simulated morning driven through a real server at high speed (`onestop simulate`'s
driver, in this process): the demo hall with 12 clerks, a named profile's arrivals, display and
rating-pad sockets. One JSON line per speed on stdout, then a "check" line; progress on stderr.

    .venv/bin/python bench/bench_sim_drive.py [--speeds 300 3000] [--profile NAME] [--quick]
    .venv/bin/python bench/bench_sim_drive.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test

morning   --start for --minutes of simulated time at each --speeds value, each on a fresh server
          and database: API p50/p99 per endpoint kind (issue, call-next, finish, ...), push lag
          per event type from the REST answer to the first display frame (ticket.called goes out
          at once, the others in batches of at most 2 frames/s to displays), deliveries missing,
          errors and 5xx, and what the hall did (issued, served, no-shows, waiting at the end).
          The driver's own CPU (driver_cpu_s, = client_cpu_s: this process), its share of one
          core, how late it issued an arrival (send_lag) and how late its loop woke a sleeper
          (loop_lag): when those stay small the driver is not the bottleneck.
check     per speed, the driver's counts against the server's daily report and the database
          (numbers issued twice, tickets called twice); any mismatch, error or missing delivery
          makes the exit status 1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from backend.cli import DEMO_CONFIG  # noqa: E402
from backend.hallconfig import load_config  # noqa: E402
from backend.sim.model import PROFILE_NAMES  # noqa: E402
from backend.simdrive.drive import Options, drive  # noqa: E402
from backend.simdrive.plan import build_plan, parse_hhmm  # noqa: E402
from backend.simdrive.staff import Credentials  # noqa: E402
from bench.bench_queue import check_database, fresh_database  # noqa: E402
from bench.common import Meter, live_server, log, server_log_tail  # noqa: E402
from tests.live_server import ONESTOP  # noqa: E402

KINDS = ("issue", "call-next", "start", "finish", "recall", "no-show", "rating-request", "rate")


def database_check(url: str) -> dict:
    """Numbers given to two residents, tickets called twice, and the residents' tickets."""
    dupes, _unfinished, tickets = check_database(url)
    return {
        "db_tickets": tickets,
        "duplicate_numbers": sum(1 for kind, _ in dupes if kind == "number"),
        "called_twice": sum(1 for kind, _ in dupes if kind == "called"),
    }


def morning(args, speed: float, tmp: Path) -> tuple[dict, dict, dict]:
    cfg = load_config(DEMO_CONFIG)
    day = datetime.now(ZoneInfo(cfg.hall.timezone)).date()
    plan = build_plan(
        cfg,
        args.profile,
        day,
        args.seed,
        start=parse_hhmm(args.start),
        duration_minutes=args.minutes,
        no_show_rate=args.no_show_rate,
        patience_minutes=cfg.staffing.patience_minutes or None,
    )
    with fresh_database(args.database_url, tmp) as url:
        server = live_server(tmp, url, args.server)
        server.prepare()
        subprocess.run(  # one clerk per window
            [*ONESTOP, "--database", url, "demo", "--clerks", "12"]
            + ["--credentials", str(server.credentials_path)],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        server.prepare()  # reads the credentials again (idempotent)
        server.start()
        try:
            creds = Credentials(
                server.hall, server.credentials["users"], server.credentials["devices"]
            )
            options = Options(
                url=server.url, speed=speed, seed=args.seed, progress_minutes=None, say=log
            )
            log(f"  ×{speed:g}: {len(plan.arrivals)} arrivals over {plan.minutes:g} min")
            with Meter(server.process.pid) as m:
                s = asyncio.run(drive(plan, creds, options))
        finally:
            server.stop()
        if s["errors"] or s["server_errors"]:
            log(f"failures: {s['failures'][:5]}\nserver log ends with:\n{server_log_tail(server)}")
        db = database_check(url)
    return s, line_of(args, s, m) | {"db": "postgresql" if args.database_url else "sqlite"}, db


def line_of(args, s: dict, m: Meter) -> dict:
    c, drv = s["counts"], s["driver"]
    api = {
        k: {f: s["api"][k][f] for f in ("requests", "p50_ms", "p99_ms", "max_ms", "errors")}
        for k in KINDS
        if k in s["api"]
    }
    push = {
        k: {
            f: v[f] for f in ("events", "p50_ms", "p99_ms", "max_ms", "from_send_p99_ms", "missing")
        }
        for k, v in s["push"].items()
    }
    fields = m.fields(s["requests"])
    return {
        "bench": "sim_drive",
        "phase": "morning",
        "server": args.server,
        "profile": s["profile"],
        "speed": s["speed"],
        "sim_minutes": s["period"]["minutes"],
        "arrivals": s["arrivals"],
        "windows": s["windows"],
        "issued": c["issued"],
        "served": c["served"],
        "no_shows": c["no_shows"],
        "abandoned": c["abandoned"],
        "waiting_at_end": c["waiting"],
        "ratings": c["ratings"],
        "requests": s["requests"],
        "req_per_s": round(s["requests"] / drv["wall_s"], 1),
        "errors": s["errors"],
        "server_errors": s["server_errors"],
        "api": api,
        "push": push,
        "socket_gaps": s["sockets"].get("gaps", 0),
        "wait_p90_sim_minutes": s["wait_minutes"]["p90"],
        "driver_cpu_s": drv["cpu_s"],
        "driver_cpu_share": drv["cpu_share"],
        "send_lag_p99_ms": drv["send_lag_ms"]["p99"],
        "loop_lag_p99_ms": drv["loop_lag_ms"]["p99"],
        "loop_lag_max_ms": drv["loop_lag_ms"]["max"],
    } | fields


def check_of(s: dict, db: dict) -> dict:
    c, report = s["counts"], s["server_report"] or {}
    mismatches = []
    for mine, theirs in (("issued", "tickets_issued"), ("served", "tickets_served")):
        if c[mine] != report.get(theirs):
            mismatches.append(f"{mine} {c[mine]} vs report {report.get(theirs)}")
    if c["no_shows"] != report.get("no_shows"):
        mismatches.append(f"no_shows {c['no_shows']} vs report {report.get('no_shows')}")
    if c["issued"] != db["db_tickets"]:
        mismatches.append(f"issued {c['issued']} vs database {db['db_tickets']}")
    missing = sum(p["missing"] for p in s["push"].values())
    return {
        "bench": "sim_drive",
        "phase": "check",
        "speed": s["speed"],
        "issued": c["issued"],
        "numbers_unique": len(set(s["numbers"])) == len(s["numbers"]),
        **db,
        "missing_deliveries": missing,
        "errors": s["errors"],
        "mismatches": mismatches,
        "ok": not (mismatches or missing or s["errors"] or db["duplicate_numbers"])
        and not db["called_twice"]
        and len(set(s["numbers"])) == len(s["numbers"]),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speeds", type=float, nargs="+", default=[300, 3000])
    parser.add_argument("--profile", choices=PROFILE_NAMES, default="pension-certification-peak")
    parser.add_argument("--start", default="08:30", help="simulated start, HH:MM")
    parser.add_argument("--minutes", type=float, default=210, help="simulated minutes (a morning)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-show-rate", type=float, default=0.03)
    parser.add_argument("--quick", action="store_true", help="smoke run: one hour at ×1200")
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a SQLite file)")
    parser.add_argument("--server", choices=["serve", "gunicorn"], default="serve")
    args = parser.parse_args()
    if args.quick:
        args.speeds, args.minutes = [1200.0], 60.0
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # clean up on kill as on Ctrl-C
    ok = True
    for speed in args.speeds:
        with tempfile.TemporaryDirectory(prefix="onestop-bench-") as tmp:
            try:
                summary, line, db = morning(args, speed, Path(tmp))
            except KeyboardInterrupt:
                log("interrupted; server stopped and database removed")
                return 130
        print(json.dumps(line), flush=True)
        check = check_of(summary, db)
        print(json.dumps(check), flush=True)
        ok = ok and check["ok"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
