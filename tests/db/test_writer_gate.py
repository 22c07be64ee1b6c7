"""The SQLite writer gate: writers get the database in arrival order, and the gate is handed
back only after COMMIT/ROLLBACK has run."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa

from backend.db.engine import open_database
from backend.db.gate import FairLock, GateTimeout


def wait_until(condition, timeout=5.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.001)


def test_waiters_get_the_lock_in_arrival_order():
    lock = FairLock()
    lock.acquire()
    order, threads = [], []
    for n in range(8):

        def take(n=n):
            lock.acquire()
            order.append(n)
            lock.release()

        t = threading.Thread(target=take)
        t.start()
        threads.append(t)
        wait_until(lambda n=n: lock.waiting == n + 1)  # queued before the next one starts
    lock.release()
    for t in threads:
        t.join(5)
    assert order == list(range(8))


def test_a_waiter_that_times_out_leaves_the_queue():
    lock = FairLock()
    lock.acquire()
    errors = []

    def late():
        try:
            lock.acquire(timeout=0.05)
        except GateTimeout as exc:
            errors.append(exc)

    t = threading.Thread(target=late)
    t.start()
    t.join(5)
    assert len(errors) == 1 and lock.waiting == 0
    lock.release()
    lock.acquire(timeout=1)  # free again, not handed to the one that gave up
    lock.release()


def test_the_same_thread_cannot_take_it_twice():
    lock = FairLock()
    lock.acquire()
    with pytest.raises(RuntimeError, match="nested write"):
        lock.acquire()
    lock.release()


def test_sqlite_writers_queue_in_the_gate_not_in_the_busy_handler(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'g.db'}")
    with db.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (n INTEGER)")
    first = db.writer()
    first.execute(sa.text("INSERT INTO t VALUES (0)"))  # holds the writer
    gate = first.connection().connection.dbapi_connection.gate
    assert gate.waiting == 0
    order = []

    def write(n):
        with db.writer() as s:
            s.execute(sa.text("INSERT INTO t VALUES (:n)"), {"n": n})
            order.append(n)
            s.commit()

    threads = []
    for n in range(1, 6):
        t = threading.Thread(target=write, args=(n,))
        t.start()
        threads.append(t)
        wait_until(lambda n=n: gate.waiting == n)
    first.commit()
    first.close()
    for t in threads:
        t.join(10)
    assert order == [1, 2, 3, 4, 5]
    with db.reader() as s:
        assert s.scalar(sa.text("SELECT count(*) FROM t")) == 6
    assert gate.waiting == 0
    db.dispose()


def test_a_rolled_back_or_failed_transaction_gives_the_gate_back(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'g.db'}")
    with db.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (n INTEGER PRIMARY KEY)")
    for _ in range(3):
        with db.writer() as s:
            s.execute(sa.text("INSERT INTO t VALUES (1)"))
            s.rollback()
        with db.writer() as s, pytest.raises(sa.exc.OperationalError):
            s.execute(sa.text("INSERT INTO missing VALUES (1)"))
        with db.writer() as s:  # closed without commit
            s.execute(sa.text("INSERT INTO t VALUES (2)"))
    done = threading.Event()

    def other_thread_writes():
        with db.writer() as s:
            s.execute(sa.text("INSERT INTO t VALUES (3)"))
            s.commit()
        done.set()

    threading.Thread(target=other_thread_writes).start()
    assert done.wait(5), "the gate was left held"
    db.dispose()
