"""Deadline work with many open cases: one colour sweep of the hall, and the managers' case
list (GET /cases). Prints one JSON line.

    .venv/bin/python bench/bench_cases.py --cases 2000 --runs 5 [--database-url URL]

The cases are written straight into a fresh database (accepted over the last 20 working days
with the demo-like promised days), then the sweep and the list run ``--runs`` times each.
"""

from __future__ import annotations

import argparse
import json
import random
import secrets
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from backend.db.engine import open_database  # noqa: E402
from backend.db.models import Case, ServiceItem  # noqa: E402
from backend.db.uow import RecordingPublisher, UnitOfWork  # noqa: E402
from backend.services.case_queries import list_cases  # noqa: E402
from backend.services.cases import recompute_deadline  # noqa: E402
from backend.services.deadlines import sweep_all  # noqa: E402
from backend.services.halls import hall_context  # noqa: E402
from bench.bench_queue import fresh_database  # noqa: E402
from tests.support import MONDAY_9AM, hall_config, setup_hall  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def seed(db, now, count: int) -> None:
    rng = random.Random(7)
    with UnitOfWork(db, now) as uow:
        ctx = hall_context(uow.session, "town")
        items = uow.session.scalars(
            select(ServiceItem).where(ServiceItem.hall_id == ctx.id, ServiceItem.kind == "promised")
        ).all()
        for n in range(count):
            item = rng.choice(items)
            case = Case(
                hall_id=ctx.id,
                number=f"TOWN-BENCH-{n:06d}",
                status_token=secrets.token_urlsafe(18),
                item_id=item.id,
                item=item,
                kind="promised",
                state="open",
                decision="done_now",
                handling_unit=item.department.code,
                accepted_at=now - timedelta(days=rng.randint(0, 28), hours=rng.randint(0, 8)),
                working_days=item.promised_days,
                extended_days=0,
                deadline_at=now,
                suspensions=[],
                materials_received=[],
                missing_materials=[],
            )
            recompute_deadline(ctx, case)
            uow.session.add(case)
        uow.commit()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--database-url", help="PostgreSQL URL to run in a private schema (default: SQLite file)"
    )
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as tmp,
        fresh_database(args.database_url, Path(tmp)) as url,
    ):
        setup_hall(url, hall_config("town"), MONDAY_9AM)
        db = open_database(url)
        try:
            seed(db, MONDAY_9AM, args.cases)
            sweeps, lists = [], []
            for run in range(args.runs):
                now = MONDAY_9AM + timedelta(hours=run)
                start = time.perf_counter()
                sweep_all(db, now, RecordingPublisher())  # what the scheduler runs
                sweeps.append((time.perf_counter() - start) * 1000)
                with UnitOfWork(db, now, write=False) as uow:
                    ctx = hall_context(uow.session, "town")
                    start = time.perf_counter()
                    listed = list_cases(uow.session, ctx, now, {})
                    lists.append((time.perf_counter() - start) * 1000)
        finally:
            db.dispose()
    result = {
        "bench": "cases",
        "db": url.split(":", 1)[0].split("+", 1)[0],
        "open_cases": args.cases,
        "runs": args.runs,
        "listed": len(listed["cases"]),
        "sweep_p50_ms": round(statistics.median(sweeps), 1),
        "sweep_p99_ms": round(percentile(sweeps, 0.99), 1),
        "list_p50_ms": round(statistics.median(lists), 1),
        "list_p99_ms": round(percentile(lists, 0.99), 1),
    }
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
