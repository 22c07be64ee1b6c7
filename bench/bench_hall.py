"""The request path under a real hall's load: one server process and phases of kiosks issuing,
timed arrivals, windows cycling call-next -> finish, and both at once. Prints one JSON line per
phase and a last "check" line on stdout; progress goes to stderr.

    .venv/bin/python bench/bench_hall.py [--quick] [--seconds 5] [--rate 50] [--server gunicorn]
    .venv/bin/python bench/bench_hall.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test

issue         1, 4, 16 kiosks issuing back to back, keep-alive (one HTTP connection per kiosk)
              and new-connection (a fresh TCP connection per request)
open_loop     --rate tickets/s on a fixed clock over 16 connections; latency counts from the
              scheduled send time, so requests queueing in the client count; send_lag_max_ms is
              how late the client itself was to send one
window_cycle  1, 4, 12 windows each looping call-next -> finish
mixed         --rate tickets/s into the line while 12 windows cycle at --cycle-rate cycles/s in
              all; tickets and window actions reported apart
login_flood   32 clients posting wrong passwords as fast as they are answered while kiosks
              issue at --rate; the kiosks' latency, and the logins' answers by status

Calling reads the waiting line of the window's items (issuing only counts it), so its length is
set here, not left to pile up:
each issue phase and the open-loop phase run in a hall of their own that starts empty, and the
window phases share one hall whose line is topped up before each phase to --line plus what the
windows can call in it (waiting_before). empty_calls > 0 means the line ran dry in that phase.
Each line carries the server's CPU per request, this process's CPU (client_cpu_s), local
PostgreSQL's, everybody else's (others_cpu_s) and the 1-min load average. The check line
counts duplicate ticket numbers and tickets called twice, from the answers and the database;
any error or duplicate makes the exit status 1. SQLite runs on a temporary file, PostgreSQL in a
private schema created and dropped here.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import math
import signal
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402

from bench.bench_queue import (  # noqa: E402
    HALL,
    ITEMS,
    bench_hall,
    check_database,
    fresh_database,
    open_windows,
)
from bench.common import (  # noqa: E402
    Meter,
    Stats,
    issue_loop,
    live_server,
    log,
    post,
    server_log_tail,
    session,
)
from tests.support import setup_hall  # noqa: E402

KIOSKS, WINDOWS = 16, 12  # of every hall; the phases use as many as they need


class Bench:
    """One run: the server, the halls' tokens, what was issued and called, the errors."""

    def __init__(self, args, url: str, pid: int, kiosks: dict, clerks: dict):
        self.args, self.url, self.pid = args, url, pid
        self.kiosks, self.clerks = kiosks, clerks  # hall -> kiosk tokens; window -> clerk token
        self.run = uuid.uuid4().hex[:6]
        self.rids = itertools.count()
        self.issued: list[tuple[str, str]] = []  # (hall, number)
        self.called: list[int] = []  # ticket ids
        self.waiting = 0  # the window hall's line as counted here
        self.errors = self.empty_calls = 0
        self.capacity = 0.0  # best issuing req/s seen: bounds how fast windows can cycle

    def rid(self) -> str:
        return f"{self.run}-{next(self.rids)}"

    def emit(self, line: dict, *parts: Stats) -> None:
        self.errors += sum(sum(s.errors.values()) for s in parts)
        head = {"bench": "hall", "db": self.db, "server": self.args.server}
        print(json.dumps(head | line), flush=True)
        log(f"  {line['phase']}: {json.dumps(line)[:240]}")

    @property
    def db(self) -> str:
        return "postgresql" if self.args.database_url else "sqlite"

    def record(self, hall: str, numbers: list[str]) -> None:
        self.issued += [(hall, n) for n in numbers]
        if hall == HALL:
            self.waiting += len(numbers)


async def issue_phase(b: Bench, clients: int, keepalive: bool) -> None:
    hall = f"{HALL}-{'ka' if keepalive else 'nc'}{clients}"
    with Meter(b.pid) as m:
        stats, numbers = await issue_loop(
            b.url, hall, b.kiosks[hall], ITEMS, clients, b.rid(), b.args.seconds, None, keepalive
        )
    b.record(hall, numbers)
    fields = stats.fields(m.duration)
    if keepalive:
        b.capacity = max(b.capacity, fields["req_per_s"] or 0.0)
    connection = "keep-alive" if keepalive else "new"
    line = {"phase": "issue", "clients": clients, "connection": connection} | fields
    b.emit(line | m.fields(fields["requests"]), stats)


async def open_loop(b: Bench, hall: str, stats: Stats) -> float:
    """--rate tickets/s for --seconds; returns how late (ms) the client was to send one."""
    tokens, rate = b.kiosks[hall], b.args.rate
    endpoint, lag, tasks = f"{b.url}/api/v1/halls/{hall}/tickets", 0.0, []

    async def one(s, i: int, at: float) -> None:
        body = {"item_code": ITEMS[i % len(ITEMS)], "request_id": b.rid()}
        headers = {"Authorization": f"Bearer {tokens[i % len(tokens)]}"}
        answer = await post(s, endpoint, body, headers, stats, sent=at)
        if answer is not None:
            b.record(hall, [answer["ticket"]["number"]])

    async with session(limit=len(tokens)) as s:
        start = time.perf_counter() + 0.01
        for i in range(round(rate * b.args.seconds)):
            at = start + i / rate
            delay = at - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            lag = max(lag, time.perf_counter() - at)
            tasks.append(asyncio.create_task(one(s, i, at)))
        await asyncio.gather(*tasks)
    return round(lag * 1000, 2)


async def windows(
    b: Bench, count: int, calls: Stats, finishes: Stats, rate: float | None = None
) -> int:
    """``count`` windows loop call-next -> finish for --seconds, flat out or, with ``rate``,
    paced to that many cycles a second between them; returns the cycles done."""
    start = time.perf_counter()
    deadline, cycles = start + b.args.seconds, 0

    async def window(n: int) -> None:
        nonlocal cycles
        headers = {"Authorization": f"Bearer {b.clerks[n]}"}
        base = f"{b.url}/api/v1/halls/{HALL}/windows/{n}"
        async with session() as s:
            k = 0
            while time.perf_counter() < deadline:
                if rate:  # window n's k-th cycle is due at a fixed time, staggered by window
                    due = start + (k + n / count) * count / rate
                    k += 1
                    if due >= deadline:
                        break
                    await asyncio.sleep(max(0.0, due - time.perf_counter()))
                answer = await post(s, f"{base}/call-next", {"request_id": b.rid()}, headers, calls)
                if answer is None or answer["ticket"] is None:
                    b.empty_calls += answer is not None
                    await asyncio.sleep(0.02)
                    continue
                b.called.append(answer["ticket"]["id"])
                b.waiting -= 1
                rid = b.rid()  # a retry with the same request id cannot finish twice
                for _ in range(3):
                    if await post(s, f"{base}/finish", {"request_id": rid}, headers, finishes):
                        cycles += 1
                        break

    await asyncio.gather(*(window(n) for n in range(1, count + 1)))
    return cycles


async def top_up(b: Bench) -> int:
    """Fill the window hall's line to --line plus what the windows can call in one phase (a
    cycle is two requests, so at most capacity/2 per second); returns the line's length."""
    target = b.args.line + math.ceil(1.3 * b.capacity / 2 * b.args.seconds) + WINDOWS
    if target > b.waiting:
        log(f"  line {b.waiting} -> {target}")
        stats, numbers = await issue_loop(
            b.url, HALL, b.kiosks[HALL], ITEMS, 16, b.rid(), count=target - b.waiting
        )
        b.record(HALL, numbers)
        b.errors += sum(stats.errors.values())
    return b.waiting


def window_fields(calls: Stats, finishes: Stats, cycles: int, empty: int, m: Meter) -> dict:
    return {
        "cycles": cycles,
        "cycles_per_s": round(cycles / m.duration, 1),
        "call_next_p50_ms": calls.fields(m.duration)["p50_ms"],
        "call_next_p99_ms": calls.fields(m.duration)["p99_ms"],
        "finish_p50_ms": finishes.fields(m.duration)["p50_ms"],
        "finish_p99_ms": finishes.fields(m.duration)["p99_ms"],
        "empty_calls": empty,
    }


async def window_phase(b: Bench, count: int) -> None:
    before, empty, calls, finishes = await top_up(b), b.empty_calls, Stats(), Stats()
    with Meter(b.pid) as m:
        cycles = await windows(b, count, calls, finishes)
    both = calls.merged(finishes)
    line = {"phase": "window_cycle", "windows": count, "waiting_before": before}
    line |= both.fields(m.duration) | window_fields(
        calls, finishes, cycles, b.empty_calls - empty, m
    )
    b.emit(line | {"waiting_after": b.waiting} | m.fields(line["requests"]), both)


async def mixed_phase(b: Bench) -> None:
    before, empty = await top_up(b), b.empty_calls
    tickets, calls, finishes = Stats(), Stats(), Stats()
    with Meter(b.pid) as m:
        lag, cycles = await asyncio.gather(
            open_loop(b, HALL, tickets),
            windows(b, WINDOWS, calls, finishes, rate=b.args.cycle_rate),
        )
    actions = calls.merged(finishes)
    line = {
        "phase": "mixed",
        "rate": b.args.rate,
        "windows": WINDOWS,
        "cycle_rate": b.args.cycle_rate,
        "waiting_before": before,
    }
    line["tickets"] = tickets.fields(m.duration) | {"send_lag_max_ms": lag}
    line["window_actions"] = actions.fields(m.duration)
    line |= window_fields(calls, finishes, cycles, b.empty_calls - empty, m)
    requests = line["tickets"]["requests"] + line["window_actions"]["requests"]
    b.emit(line | {"waiting_after": b.waiting} | m.fields(requests), tickets, actions)


async def login_flood_phase(b: Bench, flooders: int = 32) -> None:
    """``flooders`` clients post wrong passwords (for real and made-up users) as fast as they
    are answered while the kiosks issue at --rate; the kiosks' latency is what counts."""
    tickets, logins, stop = Stats(), Counter(), asyncio.Event()

    async def flood(k: int) -> None:
        async with session() as s:
            i = 0
            while not stop.is_set():
                i += 1
                user = f"clerk{(k + i) % WINDOWS + 1:02d}" if i % 2 else f"nobody-{k}-{i}"
                body = {"hall": HALL, "username": user, "password": "wrong-password"}
                try:
                    async with s.post(f"{b.url}/api/v1/auth/login", json=body) as r:
                        await r.read()
                        logins[str(r.status)] += 1
                except (TimeoutError, aiohttp.ClientError) as exc:
                    logins[type(exc).__name__] += 1

    floods = [asyncio.create_task(flood(k)) for k in range(flooders)]
    await asyncio.sleep(0.5)  # the flood is on before the kiosks start
    with Meter(b.pid) as m:
        lag = await open_loop(b, f"{HALL}-open", tickets)
    stop.set()
    await asyncio.gather(*floods)
    line = {"phase": "login_flood", "flooders": flooders, "rate": b.args.rate}
    line |= tickets.fields(m.duration) | {"send_lag_max_ms": lag, "logins": dict(logins)}
    line["login_5xx"] = sum(n for status, n in logins.items() if status.startswith("5"))
    b.errors += line["login_5xx"]
    b.emit(line | m.fields(line["requests"]), tickets)


async def phases(b: Bench) -> None:
    for keepalive in (True, False):
        for clients in b.args.clients:
            await issue_phase(b, clients, keepalive)
    stats = Stats()
    with Meter(b.pid) as m:
        lag = await open_loop(b, f"{HALL}-open", stats)
    line = {"phase": "open_loop", "rate": b.args.rate, "connections": KIOSKS}
    line |= stats.fields(m.duration) | {"send_lag_max_ms": lag}
    b.emit(line | m.fields(line["requests"]), stats)
    for count in b.args.windows:
        await window_phase(b, count)
    await mixed_phase(b)
    await login_flood_phase(b)  # last: it throttles the clerks' logins for five minutes


def run(args, tmp: Path) -> dict:
    log(f"{'postgresql' if args.database_url else 'sqlite'}, {args.server}, {args.seconds}s phases")
    halls = [f"{HALL}-{c}{n}" for c in ("ka", "nc") for n in args.clients] + [f"{HALL}-open"]
    clerks = [f"clerk{n:02d}" for n in range(1, WINDOWS + 1)]
    with fresh_database(args.database_url, tmp) as url:
        kiosks = {}
        for code in [HALL, *halls]:
            tokens = setup_hall(
                url,
                bench_hall(KIOSKS, WINDOWS, code),
                datetime.now(UTC),
                clerks if code == HALL else (),
            )
            kiosks[code] = [tokens[f"kiosk-{k}"] for k in range(1, KIOSKS + 1)]
        server = live_server(tmp, url, args.server)
        server.start()
        try:
            b = Bench(args, server.url, server.process.pid, kiosks, {})
            b.clerks = open_windows(server.url, clerks, b.run)
            asyncio.run(phases(b))
        finally:
            server.stop()
        if b.errors:
            log(f"server log ends with:\n{server_log_tail(server)}")
        dupes = {("number", *k) for k, c in Counter(b.issued).items() if c > 1}
        dupes |= {("called", t) for t, c in Counter(b.called).items() if c > 1}
        db_dupes, _waiting, db_tickets = check_database(url)
    if dupes | db_dupes:
        log(f"duplicates: {sorted(dupes | db_dupes, key=str)[:20]}")
    return {
        "bench": "hall",
        "phase": "check",
        "tickets": len(b.issued),
        "db_tickets": db_tickets,  # more than tickets when an answer was lost
        "called": len(b.called),
        "duplicates": len(dupes | db_dupes),
        "errors": b.errors,
        "empty_calls": b.empty_calls,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5, help="length of each phase")
    parser.add_argument("--rate", type=float, default=50, help="open-loop tickets per second")
    parser.add_argument(
        "--cycle-rate", type=float, default=50, help="mixed phase: window cycles/s, all windows"
    )
    parser.add_argument("--line", type=int, default=100, help="waiting line left at phase end")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--windows", type=int, nargs="+", default=[1, 4, 12])
    parser.add_argument("--quick", action="store_true", help="smoke run: 1 s phases")
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a SQLite file)")
    parser.add_argument(
        "--server",
        choices=["serve", "gunicorn"],
        default="serve",
        help="`onestop serve` (uvicorn) or gunicorn with one uvicorn worker (production shape)",
    )
    args = parser.parse_args()
    if max(args.clients) > KIOSKS or max(args.windows) > WINDOWS:
        parser.error(f"at most {KIOSKS} clients and {WINDOWS} windows")
    if args.quick:
        args.seconds = 1.0
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # clean up on kill as on Ctrl-C
    with tempfile.TemporaryDirectory(prefix="onestop-bench-") as tmp:
        try:
            result = run(args, Path(tmp))
        except KeyboardInterrupt:
            log("interrupted; server stopped and database removed")
            return 130
    print(json.dumps(result), flush=True)
    return 1 if result["errors"] or result["duplicates"] else 0


if __name__ == "__main__":
    sys.exit(main())
