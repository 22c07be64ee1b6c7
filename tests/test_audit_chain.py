"""The audit log's hash chains: sealing after the fact, verification that names the first broken
link, identical bytes on SQLite and PostgreSQL, late ids, and sealers racing."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from backend.db.engine import open_database
from backend.db.models import AuditEntry, AuditSeal
from backend.db.uow import Actor, UnitOfWork
from backend.domain.auditchain import (
    GENESIS,
    Seal,
    canonical,
    extend,
    link_hash,
    verify_chain,
)
from backend.jobs import Scheduler
from backend.services import audit_chain
from backend.services.audit_chain import seal_pending, verify

# --- the pure chain ---------------------------------------------------------------------------


def entry(id_: int, **changes) -> dict:
    base = {
        "id": id_,
        "hall_id": 1,
        "at": datetime(2026, 11, 23, 1, 0, id_, tzinfo=UTC),
        "actor": "user:clerk1",
        "user_id": 3,
        "device_id": None,
        "action": "ticket.called",
        "entity": "ticket",
        "entity_id": str(100 + id_),
        "request_id": f"r{id_}",
        "details": {"window": 2},
    }
    return base | changes


def chain(entries: list[dict]) -> list[tuple[Seal, dict | None]]:
    links = extend((0, GENESIS), entries)
    return [(Seal(seq, e["id"], h), e) for e, (seq, h) in zip(entries, links, strict=True)]


def test_canonical_form_is_sorted_compact_utc_json():
    at = datetime(2026, 11, 23, 9, 0, 0, 5, tzinfo=timezone(timedelta(hours=8)))
    assert (
        canonical(entry(1, at=at, details={"b": 1, "a": "张"}))
        == (
            '{"action":"ticket.called","actor":"user:clerk1","at":"2026-11-23T01:00:00.000005Z",'
            '"details":{"a":"张","b":1},"device_id":null,"entity":"ticket","entity_id":"101",'
            '"hall_id":1,"id":1,"request_id":"r1","user_id":3}'
        ).encode()
    )
    assert canonical(entry(1, details={"n": 1})) != canonical(entry(1, details={"n": "1"}))


def test_each_link_depends_on_the_one_before():
    links = chain([entry(i) for i in (1, 2, 3)])
    assert links[0][0].hash == link_hash(GENESIS, 1, entry(1))
    assert links[1][0].hash == link_hash(links[0][0].hash, 2, entry(2))
    assert verify_chain(links).broken is None
    assert verify_chain(links).count == 3 and verify_chain(links).head == links[2][0].hash
    assert verify_chain([]).head == GENESIS


def test_the_walk_names_the_first_broken_link_and_why():
    links = chain([entry(i) for i in (1, 2, 3, 4)])

    def broken(changed):
        return verify_chain(changed).broken

    edited = links[:1] + [(links[1][0], entry(2, details={"window": 9}))] + links[2:]
    assert (broken(edited).seq, broken(edited).problem) == (2, "row_changed")
    assert broken(edited).audit_id == 2 and verify_chain(edited).count == 1

    reseal = [(Seal(2, 2, "f" * 64), links[1][1])]
    assert broken(links[:1] + reseal + links[2:]).problem == "seal_changed"
    assert broken(links[:3] + [(Seal(4, 4, "f" * 64), links[3][1])]).problem == "hash_mismatch"
    assert broken(links[:2] + [(links[2][0], None)] + links[3:]).problem == "row_missing"
    gap = broken(links[:2] + links[3:])
    assert (gap.seq, gap.problem) == (3, "seal_missing")
    assert broken(links[:2] + [links[1]] + links[2:]).problem == "seal_duplicated"
    assert broken(links[:2] + [(Seal(3, 2, links[2][0].hash), entry(2))]).problem == (
        "seal_duplicated"
    )


# --- against the database ---------------------------------------------------------------------


GUARDS = {"audit_log": "audit_log_no_change", "audit_seals": "audit_seals_no_change"}


def tamper(db_url: str, table: str, statement: str, **params) -> None:
    """Change rows as someone with database access would: switch the append-only guard off,
    change, switch it back on."""
    engine = sa.create_engine(db_url)
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql(f"ALTER TABLE {table} DISABLE TRIGGER {GUARDS[table]}")
                conn.execute(sa.text(statement), params)
                conn.exec_driver_sql(f"ALTER TABLE {table} ENABLE TRIGGER {GUARDS[table]}")
                return
            triggers = conn.execute(
                sa.text(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"
                ),
                {"t": table},
            ).all()
            for name, _sql in triggers:
                conn.exec_driver_sql(f"DROP TRIGGER {name}")
            conn.execute(sa.text(statement), params)
            for _name, sql in triggers:
                conn.exec_driver_sql(sql)
    finally:
        engine.dispose()


@pytest.fixture
def db(db_url):
    database = open_database(db_url)
    yield database
    database.dispose()


def write_audit(db, now, n: int, hall_id: int | None = None, **extra) -> None:
    with UnitOfWork(db, now) as uow:
        for i in range(n):
            uow.audit(hall_id, Actor("test"), "test.entry", "thing", i, {"i": i} | extra)
        uow.commit()


def insert_with_id(db, now, id_: int, hall_id: int | None = None) -> None:
    with UnitOfWork(db, now) as uow:
        uow.session.execute(
            sa.insert(AuditEntry.__table__).values(
                id=id_,
                hall_id=hall_id,
                at=now,
                actor="test",
                action="late.entry",
                entity="thing",
                entity_id=str(id_),
                details={},
            )
        )
        uow.commit()


def seals(db) -> list[tuple[int, int, int]]:
    with db.reader() as session:
        return [
            tuple(r)
            for r in session.execute(
                sa.select(AuditSeal.hall_key, AuditSeal.seq, AuditSeal.audit_id).order_by(
                    AuditSeal.hall_key, AuditSeal.seq
                )
            )
        ]


def audit_ids(db, hall_id: int) -> list[int]:
    with db.reader() as session:
        return list(
            session.scalars(
                sa.select(AuditEntry.id)
                .where(AuditEntry.hall_id == hall_id)
                .order_by(AuditEntry.id)
            )
        )


def town(reports):
    return next(r for r in reports if r.hall == "town")


def test_the_same_entry_hashes_to_the_same_bytes_on_every_database(db):
    local = timezone(timedelta(hours=8))
    now = datetime(2026, 11, 23, 9, 30, 15, 456789, tzinfo=local)
    details = {"z": [1, 2.5, True, None, "1"], "名": "张*三", "a": {"b": -3, "c": 1e-7}}
    with UnitOfWork(db, now) as uow:
        uow.audit(None, Actor("cli"), "hall.loaded", "hall", 42, details, request_id="r-1")
        uow.commit()
    assert seal_pending(db, now) == 1
    with db.reader() as session:
        row = session.execute(sa.select(AuditEntry.__table__)).one()
        stored = session.scalar(sa.select(AuditSeal.hash))
    assert (
        canonical(audit_chain._entry(row))
        == (
            '{"action":"hall.loaded","actor":"cli","at":"2026-11-23T01:30:15.456789Z",'
            '"details":{"a":{"b":-3,"c":1e-07},"z":[1,2.5,true,null,"1"],"名":"张*三"},'
            '"device_id":null,"entity":"hall","entity_id":"42","hall_id":null,"id":1,'
            '"request_id":"r-1","user_id":null}'
        ).encode()
    )
    assert stored == "18eda6ca1f17ab9b6a4cb6484fdcbb36f3fdf66783d15a6c557a252bf2684486"


def test_sealed_chains_verify_per_hall_with_their_heads(hall, db, clock):
    hall.issue("MZ-01")
    hall.open_window(2, "clerk1")
    hall.window(2, "call-next", "clerk1")
    write_audit(db, clock(), 2)  # entries without a hall: their own chain
    assert verify(db, clock()) and all(r.result.count == 0 for r in verify(db, clock()))

    total = seal_pending(db, clock(), batch=3)
    ids = audit_ids(db, town_id(db))
    assert total == len(ids) + 2
    reports = verify(db, clock())
    assert all(r.broken is None for r in reports)
    assert town(reports).result.count == len(ids)
    no_hall = next(r for r in reports if r.key == 0)
    assert no_hall.hall == "" and no_hall.result.count == 2
    with db.reader() as session:
        last = session.scalar(
            sa.select(AuditSeal.hash)
            .where(AuditSeal.hall_key == town_id(db))
            .order_by(AuditSeal.seq.desc())
            .limit(1)
        )
    assert town(reports).result.head == last
    chain_ids = [a for k, _s, a in seals(db) if k == town_id(db)]
    assert chain_ids == ids  # sealed in id order, seq 1, 2, 3, ...
    assert [s for k, s, _a in seals(db) if k == town_id(db)] == list(range(1, len(ids) + 1))
    assert seal_pending(db, clock()) == 0  # nothing sealed twice


def town_id(db) -> int:
    with db.reader() as session:
        return session.scalar(sa.text("SELECT id FROM halls WHERE code = 'town'"))


def test_an_edited_entry_breaks_its_own_link(hall, db, db_url, clock):
    hall.issue("MZ-01")
    seal_pending(db, clock())
    victim = audit_ids(db, town_id(db))[2]
    tamper(
        db_url,
        "audit_log",
        "UPDATE audit_log SET details = :d WHERE id = :id",
        d='{"x": 1}',
        id=victim,
    )
    report = town(verify(db, clock()))
    assert report.broken.problem == "row_changed"
    assert (report.broken.seq, report.broken.audit_id) == (3, victim)
    assert report.result.count == 2


def test_a_deleted_entry_is_reported_missing(hall, db, db_url, clock):
    hall.issue("MZ-01")
    seal_pending(db, clock())
    victim = audit_ids(db, town_id(db))[-1]
    tamper(db_url, "audit_log", "DELETE FROM audit_log WHERE id = :id", id=victim)
    broken = town(verify(db, clock())).broken
    assert (broken.problem, broken.audit_id) == ("row_missing", victim)


def test_an_edited_or_removed_seal_is_reported(hall, db, db_url, clock):
    hall.issue("MZ-01")
    seal_pending(db, clock())
    key = town_id(db)
    tamper(
        db_url,
        "audit_seals",
        "UPDATE audit_seals SET hash = :h WHERE hall_key = :k AND seq = 2",
        h="0" * 64,
        k=key,
    )
    broken = town(verify(db, clock())).broken
    assert (broken.seq, broken.problem) == (2, "seal_changed")

    tamper(db_url, "audit_seals", "DELETE FROM audit_seals WHERE hall_key = :k AND seq = 2", k=key)
    seal_pending(db, clock())  # the entry whose seal went is sealed again, at the chain's end
    broken = town(verify(db, clock())).broken
    assert (broken.seq, broken.problem) == (2, "seal_missing")


def test_an_entry_committed_late_with_a_lower_id_gets_the_next_link(hall, db, clock):
    key = town_id(db)
    insert_with_id(db, clock(), 1_000_000, key)
    seal_pending(db, clock(), lookback=audit_chain.LOOKBACK_IDS)
    before = len([s for s in seals(db) if s[0] == key])
    insert_with_id(db, clock(), 999_999, key)  # a lower id, visible only after the higher one
    assert seal_pending(db, clock(), lookback=audit_chain.LOOKBACK_IDS) == 1
    assert seals(db)[-1] == (key, before + 1, 999_999)
    report = town(verify(db, clock()))
    assert report.broken is None and report.result.count == before + 1


def test_the_periodic_sealer_looks_near_the_head_and_verify_finds_what_it_left(hall, db, clock):
    key = town_id(db)
    insert_with_id(db, clock(), 1_000_000, key)
    seal_pending(db, clock())
    insert_with_id(db, clock(), 500_000, key)  # far below the newest sealed id
    assert seal_pending(db, clock(), lookback=audit_chain.LOOKBACK_IDS) == 0
    assert town(verify(db, clock())).broken is None  # just written: not late yet
    clock.advance(minutes=11)
    stale = town(verify(db, clock())).broken
    assert (stale.problem, stale.audit_id, stale.seq) == ("unsealed", 500_000, None)
    assert seal_pending(db, clock()) == 1  # a search of the whole log seals it
    assert town(verify(db, clock())).broken is None


def test_racing_sealers_make_one_chain(hall, db_url, clock):
    write_audit_db = open_database(db_url)
    try:
        for _ in range(4):
            write_audit(write_audit_db, clock(), 25, town_id(write_audit_db))
        key = town_id(write_audit_db)
    finally:
        write_audit_db.dispose()
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def run():
        own = open_database(db_url)  # as a separate process would
        try:
            start.wait()
            seal_pending(own, clock(), batch=7)
        except BaseException as exc:  # noqa: BLE001 - reported by the assert below
            errors.append(exc)
        finally:
            own.dispose()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    db = open_database(db_url)
    try:
        links = [(s, a) for k, s, a in seals(db) if k == key]
        ids = audit_ids(db, key)
        assert [s for s, _a in links] == list(range(1, len(ids) + 1))
        assert sorted(a for _s, a in links) == ids
        assert town(verify(db, clock())).broken is None
    finally:
        db.dispose()


@pytest.mark.postgres
def test_a_sealer_that_loses_the_race_retries_instead_of_forking(hall, db_url, clock, monkeypatch):
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite writers never overlap (BEGIN IMMEDIATE)")
    both_read_the_head = threading.Barrier(2, timeout=10)
    real_head, conflicts = audit_chain._head, []
    real_batch = audit_chain._seal_batch
    first = threading.local()

    def head(session, key):
        result = real_head(session, key)
        if not getattr(first, "done", False):
            first.done = True
            both_read_the_head.wait()  # both transactions saw the same head
        return result

    def batch(*args):
        try:
            return real_batch(*args)
        except sa.exc.IntegrityError:
            conflicts.append(threading.current_thread().name)
            raise

    monkeypatch.setattr(audit_chain, "_head", head)
    monkeypatch.setattr(audit_chain, "_seal_batch", batch)
    dbs = [open_database(db_url) for _ in range(2)]
    try:
        threads = [threading.Thread(target=seal_pending, args=(d, clock())) for d in dbs]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        key = town_id(dbs[0])
        links = [(s, a) for k, s, a in seals(dbs[0]) if k == key]
        assert len(conflicts) == 1  # exactly one lost, and it retried
        assert [s for s, _a in links] == list(range(1, len(audit_ids(dbs[0], key)) + 1))
        assert town(verify(dbs[0], clock())).broken is None
    finally:
        for d in dbs:
            d.dispose()


def test_only_the_lease_holder_seals_and_an_idle_log_writes_nothing(hall, db, clock, publisher):
    a = Scheduler(db, publisher, clock, owner="process-a")
    b = Scheduler(db, publisher, clock, owner="process-b")
    assert a.seal_tick() > 0
    hall.issue("MZ-01")
    assert b.seal_tick() is None  # a holds the sealing lease
    assert a.seal_tick() == 1  # the ticket.issued entry
    with db.reader() as session:
        runs = session.scalar(sa.text("SELECT runs FROM job_leases WHERE name = 'audit-seal'"))
    assert a.seal_tick() == 0 and b.seal_tick() == 0  # nothing to seal: no lease taken
    with db.reader() as session:
        assert (
            session.scalar(sa.text("SELECT runs FROM job_leases WHERE name = 'audit-seal'")) == runs
        )
    hall.issue("MZ-01")
    clock.advance(minutes=1)  # a died: its lease (30 s) ran out
    assert b.seal_tick() >= 1
    assert town(verify(db, clock())).broken is None
