"""The deadline sweep's scheduler: only the lease holder fires, a dead holder's lease is taken
over after it expires, and colours follow an injected clock."""

from __future__ import annotations

import threading
from datetime import timedelta

from backend.db.engine import open_database
from backend.jobs import Scheduler, take_lease
from tests.api.test_cases_api import accept, at_window


def test_two_schedulers_never_double_fire(hall, db_url, clock, publisher):
    at_window(hall)
    accept(hall)
    db = open_database(db_url)
    try:
        a = Scheduler(db, publisher, clock, interval=60, owner="process-a")
        b = Scheduler(db, publisher, clock, interval=60, owner="process-b")
        results: dict[str, list] = {"a": [], "b": []}

        def run(name, scheduler):
            for _ in range(5):
                results[name].append(scheduler.tick())

        threads = [threading.Thread(target=run, args=p) for p in (("a", a), ("b", b))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        fired = [name for name in "ab" for r in results[name] if r is not None]
        assert len(set(fired)) == 1 and len(fired) == 5  # one holder fired every time

        holder = a if fired[0] == "a" else b
        other = b if holder is a else a
        clock.advance(minutes=2)
        assert other.tick() is None  # the lease (3 minutes) still runs
        clock.advance(minutes=2)  # the holder died: its lease expired
        assert other.tick() is not None
        assert holder.tick() is None
    finally:
        db.dispose()


def test_sweep_recolours_with_the_injected_clock(hall, db_url, clock, publisher):
    at_window(hall)
    number = accept(hall)["number"]
    db = open_database(db_url)
    try:
        scheduler = Scheduler(db, publisher, clock, interval=60, owner="only")
        assert scheduler.tick()["town"] == {"checked": 1, "changed": 0, "overdue": 0}
        clock.advance(days=8)  # Tuesday 1 December: past the Monday deadline
        assert scheduler.tick()["town"] == {"checked": 1, "changed": 1, "overdue": 1}
        events = [e for e in publisher.events if e.type in ("case.colour", "overdue.opened")]
        assert [e.type for e in events] == ["case.colour", "overdue.opened"]
        assert events[0].payload["case"]["number"] == number
        assert events[0].payload["case"]["colour"] == "red"
    finally:
        db.dispose()


def test_lease_is_atomic_per_name(db_url, clock):
    db = open_database(db_url)
    try:
        now = clock()
        ttl = timedelta(minutes=1)
        assert take_lease(db, "job", "a", now, ttl)
        assert not take_lease(db, "job", "b", now, ttl)
        assert take_lease(db, "other-job", "b", now, ttl)
        assert take_lease(db, "job", "a", now + timedelta(seconds=30), ttl)  # renewal
        assert take_lease(db, "job", "b", now + timedelta(minutes=2), ttl)
    finally:
        db.dispose()
