"""Queue under load: N kiosks each issue K tickets over HTTP while M windows loop call-next ->
finish until every ticket is served. Prints one JSON line; progress goes to stderr.

    .venv/bin/python bench/bench_queue.py [--quick] [--kiosks 20 --per-kiosk 50 --windows 10]
    .venv/bin/python bench/bench_queue.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test

SQLite runs on a temporary file; PostgreSQL in a private schema created and dropped here.
A window calls only when the kiosks have issued a ticket no window has called yet, so
empty_calls counts "nobody is waiting" answers (200, ``ticket: null``) given while somebody was;
they are not errors. call-next latency counts only the calls that got a ticket.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from backend.db.engine import open_database  # noqa: E402
from backend.db.migrate import upgrade  # noqa: E402
from backend.db.models import AuditEntry, Ticket  # noqa: E402
from tests.live_server import LiveServer  # noqa: E402
from tests.support import PASSWORD, hall_config, setup_hall  # noqa: E402

HALL = "bench"
ITEMS = ["MZ-01", "RS-01", "MZ-02", "RS-02"]
TIMEOUT = 60


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))], 2)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@contextlib.contextmanager
def fresh_database(database_url: str | None, tmp: Path) -> Iterator[str]:
    """A migrated empty database: a SQLite file in ``tmp``, or a private PostgreSQL schema."""
    if not database_url:
        url = f"sqlite:///{tmp / 'bench.db'}"
        upgrade(url)
        yield url
        return
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(database_url)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        url = sa.engine.make_url(database_url).update_query_dict(
            {"options": f"-csearch_path={schema}"}
        )
        url = url.render_as_string(hide_password=False)
        upgrade(url)
        yield url
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


def bench_hall(kiosks: int, windows: int, code: str = HALL) -> dict:
    """The small test hall with ``kiosks`` kiosks and ``windows`` windows serving every item."""
    data = hall_config(code)
    data["devices"] = [
        {"code": f"kiosk-{i}", "kind": "kiosk", "name": f"取号机{i}"} for i in range(1, kiosks + 1)
    ]
    data["windows"] = [
        {"number": n, "name": {"zh": f"{n}号综合窗口"}, "comprehensive": True, "items": ITEMS}
        for n in range(1, windows + 1)
    ]
    return data


class Load:
    """Shared state of one run: the figures the worker threads record, under one lock, and a
    semaphore counting the issued tickets no window has called yet."""

    def __init__(self, url: str, kiosks: int, per_kiosk: int, windows: int):
        self.url, self.per_kiosk = url, per_kiosk
        self.run = uuid.uuid4().hex[:6]
        self.lock = threading.Lock()
        self.uncalled = threading.Semaphore(0)
        self.stop = threading.Event()
        self.started_at = self.duration = 0.0
        self.start = threading.Barrier(kiosks + windows, timeout=TIMEOUT)
        self.kiosks_left = kiosks
        self.issue_ms, self.call_ms = [], []  # milliseconds
        self.numbers, self.called = [], []  # numbers issued, ids of the tickets called
        self.served = self.served_in_time = self.empty_calls = 0
        self.errors: Counter[str] = Counter()

    def api(self, path: str) -> str:
        return f"{self.url}/api/v1/halls/{HALL}{path}"

    def post(self, s: requests.Session, path: str, body: dict, headers: dict):
        """POST; returns (json or None when it failed, milliseconds)."""
        sent, action = time.perf_counter(), path.split("/")[-1]
        try:
            r = s.post(self.api(path), json=body, headers=headers, timeout=TIMEOUT)
        except requests.RequestException as exc:
            self.error(f"{action}: {type(exc).__name__}")
            return None, 0.0
        ms = (time.perf_counter() - sent) * 1000
        if r.status_code != 200:
            self.error(f"{action}: {r.status_code} {r.text[:160]}")
            return None, ms
        return r.json(), ms

    def error(self, what: str) -> None:
        with self.lock:
            if what not in self.errors:
                log(f"error: {what}")
            self.errors[what] += 1

    def all_served(self) -> bool:
        with self.lock:
            return self.kiosks_left == 0 and self.served >= len(self.numbers)


def kiosk(load: Load, k: int, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    try:
        with requests.Session() as s:
            load.start.wait()
            for i in range(load.per_kiosk):
                if load.stop.is_set():
                    return
                body = {
                    "item_code": ITEMS[(k + i) % len(ITEMS)],
                    "request_id": f"{load.run}-k{k}-{i}",
                }
                answer, ms = load.post(s, "/tickets", body, headers)
                if answer is not None:
                    with load.lock:
                        load.issue_ms.append(ms)
                        load.numbers.append(answer["ticket"]["number"])
                    load.uncalled.release()
    finally:
        with load.lock:
            load.kiosks_left -= 1


def window(load: Load, n: int, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    with requests.Session() as s:
        load.start.wait()
        step = 0
        while not load.stop.is_set() and not load.all_served():
            step += 1
            if not load.uncalled.acquire(timeout=0.5):  # like a clerk told "a ticket is out"
                continue
            rid = f"{load.run}-w{n}-{step}"
            answer, ms = load.post(s, f"/windows/{n}/call-next", {"request_id": rid}, headers)
            if answer is None:
                load.uncalled.release()
                time.sleep(0.05)
                continue
            if answer["ticket"] is None:
                with load.lock:
                    load.empty_calls += 1
                load.uncalled.release()
                time.sleep(0.02)
                continue
            with load.lock:
                load.call_ms.append(ms)
                load.called.append(answer["ticket"]["id"])
            for _ in range(3):  # the same request id: a retry cannot finish twice
                done, _ms = load.post(s, f"/windows/{n}/finish", {"request_id": rid + "f"}, headers)
                if done is not None:
                    with load.lock:
                        load.served += 1
                    break


def check_database(url: str) -> tuple[set, int, int]:
    """Numbers given to two residents and tickets called twice, legs not finished, and the
    residents' ticket count (a transfer's later legs keep the number: only first legs count)."""
    db = open_database(url)
    try:
        with db.reader() as session:
            rows = session.execute(
                sa.select(Ticket.hall_id, Ticket.day, Ticket.number, Ticket.state, Ticket.parent_id)
            ).all()
            calls = Counter(
                details["ticket_id"]
                for details in session.scalars(
                    sa.select(AuditEntry.details).where(AuditEntry.action == "ticket.called")
                )
            )
    finally:
        db.dispose()
    firsts = [r for r in rows if r.parent_id is None]
    numbers = Counter((r.hall_id, r.day, r.number) for r in firsts)
    dupes = {("number", n) for n, c in numbers.items() if c > 1}
    dupes |= {("called", t) for t, c in calls.items() if c > 1}
    return dupes, sum(1 for r in rows if r.state != "finished"), len(firsts)


def open_windows(url: str, clerks: list[str], run: str, hall: str = HALL) -> dict[int, str]:
    """Log each clerk in and sign them in to their window; returns their tokens by window."""
    tokens = {}
    for n, clerk in enumerate(clerks, 1):
        r = requests.post(
            f"{url}/api/v1/auth/login",
            json={"hall": hall, "username": clerk, "password": PASSWORD},
            timeout=TIMEOUT,
        )
        r.raise_for_status()
        tokens[n] = r.json()["token"]
        r = requests.post(
            f"{url}/api/v1/halls/{hall}/windows/{n}/sign-in",
            json={"request_id": f"{run}-signin-{n}"},
            headers={"Authorization": f"Bearer {tokens[n]}"},
            timeout=TIMEOUT,
        )
        r.raise_for_status()
    return tokens


def drive(load: Load, workers: list[threading.Thread], time_limit: float, total: int) -> bool:
    """Run the workers to the end or the time limit; returns whether it was reached."""
    load.started_at = time.perf_counter()
    for t in workers:
        t.start()
    deadline, next_report = time.monotonic() + time_limit, time.monotonic() + 2
    try:
        while time.monotonic() < deadline and any(t.is_alive() for t in workers):
            if load.all_served():
                break
            if time.monotonic() > next_report:
                log(f"  issued {len(load.numbers)}/{total}, served {load.served}")
                next_report += 2
            time.sleep(0.05)
    finally:  # on Ctrl-C too; the daemon workers then die with the server
        load.duration = time.perf_counter() - load.started_at
        load.stop.set()
        load.served_in_time = load.served
    timed_out = time.monotonic() >= deadline
    if timed_out:
        log(f"time limit of {time_limit}s reached")
    for t in workers:
        t.join(TIMEOUT)
    return timed_out


def thread(target, *args) -> threading.Thread:
    return threading.Thread(target=target, args=args, daemon=True)


def run(args, tmp: Path) -> dict:
    db_kind = "postgresql" if args.database_url else "sqlite"
    log(f"{db_kind}: {args.kiosks} kiosks x {args.per_kiosk}, {args.windows} windows")
    with fresh_database(args.database_url, tmp) as url:
        clerks = [f"clerk{n:02d}" for n in range(1, args.windows + 1)]
        kiosks = range(1, args.kiosks + 1)
        hall = bench_hall(args.kiosks, args.windows)
        kiosk_tokens = setup_hall(url, hall, datetime.now(UTC), clerks=clerks)
        server = LiveServer(tmp, database_url=url, gunicorn=args.server == "gunicorn")
        server.start()
        try:
            load = Load(server.url, args.kiosks, args.per_kiosk, args.windows)
            clerk_tokens = open_windows(load.url, clerks, load.run)
            workers = [thread(kiosk, load, k, kiosk_tokens[f"kiosk-{k}"]) for k in kiosks]
            workers += [thread(window, load, n, token) for n, token in clerk_tokens.items()]
            timed_out = drive(load, workers, args.time_limit, args.kiosks * args.per_kiosk)
        finally:
            server.stop()
        if load.errors:
            log(f"server log ends with:\n{server.log_path.read_text(errors='replace')[-3000:]}")
        dupes = {("number", n) for n, c in Counter(load.numbers).items() if c > 1}
        dupes |= {("called", t) for t, c in Counter(load.called).items() if c > 1}
        db_dupes, unserved, db_tickets = check_database(url)
        if db_tickets != len(load.numbers):
            log(f"the database holds {db_tickets} tickets, the kiosks got {len(load.numbers)}")
    return {
        "bench": "queue",
        "db": db_kind,
        "server": args.server,
        "kiosks": args.kiosks,
        "per_kiosk": args.per_kiosk,
        "windows": args.windows,
        "tickets": len(load.numbers),
        "duration_s": round(load.duration, 2),
        "tickets_per_s": round(load.served_in_time / load.duration, 1),
        "issue_p50_ms": percentile(load.issue_ms, 0.5),
        "issue_p99_ms": percentile(load.issue_ms, 0.99),
        "call_next_p50_ms": percentile(load.call_ms, 0.5),
        "call_next_p99_ms": percentile(load.call_ms, 0.99),
        "errors": sum(load.errors.values()),
        "duplicates": len(dupes | db_dupes),
        "empty_calls": load.empty_calls,
        "unserved": unserved,
        "timed_out": timed_out,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kiosks", type=int, default=20)
    parser.add_argument("--per-kiosk", type=int, default=50, help="tickets each kiosk issues")
    parser.add_argument("--windows", type=int, default=10)
    parser.add_argument("--quick", action="store_true", help="smoke run: 4 kiosks x 10, 3 windows")
    parser.add_argument("--time-limit", type=float, default=300, help="seconds")
    parser.add_argument(
        "--database-url", help="PostgreSQL URL to run in a private schema (default: SQLite file)"
    )
    parser.add_argument(
        "--server",
        choices=["gunicorn", "serve"],
        default="gunicorn",
        help="gunicorn with one uvicorn worker (production shape) or `onestop serve` (uvicorn)",
    )
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # clean up on kill as on Ctrl-C
    if args.quick:
        args.kiosks, args.per_kiosk, args.windows = 4, 10, 3
    with tempfile.TemporaryDirectory(prefix="onestop-bench-") as tmp:
        try:
            result = run(args, Path(tmp))
        except KeyboardInterrupt:
            log("interrupted; server stopped and database removed")
            return 130
    print(json.dumps(result), flush=True)
    failed = result["errors"] or result["duplicates"] or result["timed_out"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
