"""In-process profile of the hot requests through the Flask app (no HTTP, no sockets): issuing
a ticket, or a window's call-next + finish (``--path cycle``). SQL statements and transactions per
request, CPU ms per request, and the top functions by own time. Prints one JSON line;
``--pstats FILE`` keeps the full profile for ``python -m pstats``.

    .venv/bin/python bench/profile_issue.py [--path issue|cycle] [--tickets 500] [--database-url URL]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402

from backend.app import create_app  # noqa: E402
from backend.db.uow import RecordingPublisher  # noqa: E402
from bench.bench_queue import ITEMS, bench_hall, fresh_database  # noqa: E402
from tests.support import PASSWORD, setup_hall  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=500)
    parser.add_argument("--path", choices=["issue", "cycle"], default="issue")
    parser.add_argument("--database-url")
    parser.add_argument("--pstats", help="write the cProfile data here")
    parser.add_argument("--sql", action="store_true", help="list each statement's count (stderr)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, fresh_database(args.database_url, Path(tmp)) as url:
        tokens = setup_hall(url, bench_hall(1, 4), datetime.now(UTC), clerks=["c1"])
        clerk = {}
        app = create_app(
            {
                "ONESTOP_DATABASE_URL": url,
                "ONESTOP_PUBLISHER": RecordingPublisher(),
                "ONESTOP_DATA_KEY_FILE": Path(tmp) / "data.key",
                "TESTING": True,
            }
        )
        client = app.test_client()
        headers = {"Authorization": f"Bearer {tokens['kiosk-1']}"}
        db = app.extensions["onestop"].db
        counts = {"statements": 0, "transactions": 0}
        texts: Counter[str] = Counter()

        def statement(conn, cursor, sql, *rest):
            head = sql.lstrip().upper()
            if head.startswith("BEGIN"):
                counts["transactions"] += 1  # SQLite: we issue BEGIN ourselves
            elif not head.startswith(("COMMIT", "ROLLBACK")):
                counts["statements"] += 1
                texts[" ".join(sql.split())[:160]] += 1

        def issue(n: int) -> None:
            body = {"item_code": ITEMS[n % len(ITEMS)], "request_id": f"p-{n}"}
            r = client.post("/api/v1/halls/bench/tickets", json=body, headers=headers)
            assert r.status_code == 200, r.json

        def cycle(n: int) -> None:
            for action in ("call-next", "finish"):
                r = client.post(
                    f"/api/v1/halls/bench/windows/1/{action}",
                    json={"request_id": f"w-{n}-{action}"},
                    headers=clerk,
                )
                assert r.status_code == 200 and r.json.get("ticket"), r.json

        step = issue
        if args.path == "cycle":
            r = client.post(
                "/api/v1/auth/login", json={"hall": "bench", "username": "c1", "password": PASSWORD}
            )
            clerk["Authorization"] = f"Bearer {r.json['token']}"
            r = client.post(
                "/api/v1/halls/bench/windows/1/sign-in", json={"request_id": "in"}, headers=clerk
            )
            assert r.status_code == 200, r.json
            for n in range(2 * args.tickets + 120):  # a line that never runs dry, ~100 long
                issue(-n - 1)
            step = cycle
        for n in range(20):  # warm the caches
            step(-n - 1)
        engines = {db.engine, db.reader.kw["bind"]}
        for engine in engines:
            event.listen(engine, "before_cursor_execute", statement)
        cpu, wall = time.process_time(), time.perf_counter()
        for n in range(args.tickets):
            step(n)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        for engine in engines:
            event.remove(engine, "before_cursor_execute", statement)
        if args.sql:
            for text, n in texts.most_common():
                print(f"{n / args.tickets:6.2f}  {text}", file=sys.stderr)
        profile = cProfile.Profile()  # a second batch under the profiler (which slows it)
        profile.enable()
        for n in range(args.tickets, 2 * args.tickets):
            step(n)
        profile.disable()
        db.dispose()
    if args.pstats:
        profile.dump_stats(args.pstats)
    stats = pstats.Stats(profile)
    top = sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)[:8]
    print(
        json.dumps(
            {
                "bench": "profile_issue",
                "path": args.path,
                "db": "postgresql" if args.database_url else "sqlite",
                "tickets": args.tickets,
                "statements_per_ticket": round(counts["statements"] / args.tickets, 2),
                "sqlite_transactions_per_ticket": round(counts["transactions"] / args.tickets, 2),
                "cpu_ms_per_ticket": round(cpu * 1000 / args.tickets, 2),
                "wall_ms_per_ticket": round(wall * 1000 / args.tickets, 2),
                "profiled_tickets": args.tickets,
                "top_own_time": [
                    {"fn": f"{Path(f).name}:{line}:{name}", "own_ms": round(v[2] * 1000, 1)}
                    for (f, line, name), v in top
                ],
            },
            ensure_ascii=False,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
