"""The kiosk's 办件查询 guard in the database: misses counted per acceptance number and per
device, shared by every server process (two app instances on one database), exact under
concurrent misses, a 429 with Retry-After that reveals nothing, and the clerk lifting a lock."""

from __future__ import annotations

import copy
import threading

import pytest
from sqlalchemy import func, select

from backend.app import create_app
from backend.db.engine import open_database
from backend.db.models import AuditEntry, LookupGuard
from tests.support import HallClient, hall_config, setup_hall

from .test_cases_api import accept, at_window

WRONG = "0000"  # the applicant's phone ends in 1234


def town(**sections) -> dict:
    """The test hall with a second kiosk; ``sections`` replace whole config sections."""
    data = copy.deepcopy(hall_config("town"))
    data["devices"].append({"code": "kiosk-2", "kind": "kiosk", "name": "二号取号机"})
    data.update(sections)
    return data


@pytest.fixture
def two(app, db_url, clock, tmp_path):
    """The hall, served by two app instances (two server processes) on one database."""
    tokens = setup_hall(db_url, town(), clock())
    other = create_app(
        {
            "ONESTOP_DATABASE_URL": db_url,
            "ONESTOP_DATA_KEY_FILE": tmp_path / "data.key",
            "ONESTOP_CLOCK": clock,
            "TESTING": True,
        }
    )
    yield HallClient(app, "town", tokens), HallClient(other, "town", tokens)
    other.extensions["onestop"].db.dispose()


def ask(hall: HallClient, number: str, last4: str, device: str = "kiosk-1"):
    return hall.get(f"/cases/lookup?number={number}&phone_last4={last4}", hall.device(device))


def a_case(hall: HallClient) -> str:
    at_window(hall)
    return accept(hall)["number"]


def locked(r, scope: str = "number") -> dict:
    assert r.status_code == 429, r.json
    error = r.json["error"]
    assert error["code"] == "lookup_locked" and error["field"] == scope
    assert int(r.headers["Retry-After"]) > 0
    assert "case" not in r.json
    return error


def audited(db_url: str, action: str) -> list[AuditEntry]:
    db = open_database(db_url)
    try:
        with db.reader() as s:
            return list(s.scalars(select(AuditEntry).where(AuditEntry.action == action)))
    finally:
        db.dispose()


def test_misses_on_two_app_instances_count_together(two, clock):
    a, b = two
    number = a_case(a)
    for i in range(4):  # 4 misses, alternating between the two processes
        assert ask((a, b)[i % 2], number, WRONG).status_code == 404
    error = locked(ask(b, number, WRONG))  # the fifth locks the number
    assert error["message"].startswith("该受理编号查询错误次数过多")  # Chinese first
    for hall in (a, b):
        r = ask(hall, number, "1234")  # even the right pair, on either instance
        assert locked(r)["message"] == error["message"]
        assert r.headers["Retry-After"] == str(15 * 60)
    clock.advance(minutes=15)
    assert ask(a, number, "1234").json["case"]["number"] == number  # the lock ran out


def test_a_right_pair_while_locked_answers_exactly_like_a_wrong_one(two):
    a, _ = two
    number = a_case(a)
    for _ in range(5):
        ask(a, number, WRONG)
    right, wrong = ask(a, number, "1234"), ask(a, number, WRONG)
    assert right.status_code == wrong.status_code == 429
    assert right.get_data() == wrong.get_data()
    assert right.headers["Retry-After"] == wrong.headers["Retry-After"]


def test_misses_older_than_the_window_no_longer_count(two, clock):
    a, _ = two
    number = a_case(a)
    for _ in range(4):
        ask(a, number, WRONG)
    clock.advance(minutes=16)
    for _ in range(4):
        assert ask(a, number, WRONG).status_code == 404
    assert ask(a, number, "1234").status_code == 200


def test_the_number_lock_and_the_device_lock_are_independent(app, db_url, clock):
    guard = {"number_misses": 3, "device_misses": 4, "window_minutes": 15, "lock_minutes": 10}
    hall = HallClient(app, "town", setup_hall(db_url, town(lookup_guard=guard), clock()))
    first = a_case(hall)
    hall.window(2, "finish", "clerk1")
    second = a_case(hall)
    for _ in range(3):  # 3 misses on the first number lock that number ...
        ask(hall, first, WRONG)
    locked(ask(hall, first, "1234", "kiosk-2"))  # ... on every kiosk
    assert ask(hall, second, "1234").status_code == 200  # kiosk-1 still looks up others
    # a fourth miss from kiosk-1 (guessing another number) locks kiosk-1's lookups
    locked(ask(hall, "TOWN-20261123-9999", WRONG), "device")
    error = locked(ask(hall, second, "1234"), "device")
    assert error["message"].startswith("本机办件查询错误次数过多")
    assert ask(hall, second, "1234", "kiosk-2").status_code == 200  # not kiosk-2's
    # lifting the device lock leaves the number locked, and the other way round
    staff = hall.staff("clerk1")
    assert hall.post("/cases/lookup/unlock", {"device": "kiosk-1"}, staff).status_code == 200
    assert ask(hall, second, "1234").status_code == 200
    locked(ask(hall, first, "1234"))
    assert hall.post("/cases/lookup/unlock", {"number": first}, staff).status_code == 200
    assert ask(hall, first, "1234").status_code == 200


def test_a_clerk_lifts_the_lock_audited(two, db_url):
    a, b = two
    number = a_case(a)
    for _ in range(5):
        ask(a, number, WRONG)
    locks = a.get("/cases/lookup/locks", a.staff("clerk2")).json["locks"]
    assert [(lock["scope"], lock["key"], lock["misses"]) for lock in locks] == [
        ("number", number, 5)
    ]
    assert a.post("/cases/lookup/unlock", {"number": number}, a.device()).status_code == 403
    r = b.post("/cases/lookup/unlock", {"number": number.lower()}, b.staff("clerk2"))
    assert r.status_code == 200 and r.json["lifted"]["locked"] is True
    assert ask(a, number, "1234").status_code == 200  # on the other instance too
    [entry] = audited(db_url, "case_lookup.unlocked")
    assert entry.actor == "user:clerk2" and entry.entity_id == number
    assert entry.details["misses"] == 5
    [lock] = audited(db_url, "case_lookup.locked")
    assert lock.actor == "device:kiosk-1" and lock.entity_id == number
    # the resident has five fresh tries again
    for _ in range(4):
        assert ask(a, number, WRONG).status_code == 404
    again = b.post("/cases/lookup/unlock", {"number": "TOWN-20990101-0001"}, b.staff("clerk2"))
    assert again.status_code == 404 and again.json["error"]["code"] == "lookup_not_locked"


def test_lifting_needs_exactly_one_known_target(two):
    a, _ = two
    staff = a.staff("clerk1")
    r = a.post("/cases/lookup/unlock", {}, staff)
    assert r.status_code == 400 and r.json["error"]["code"] == "lift_target_required"
    r = a.post("/cases/lookup/unlock", {"number": "X", "device": "kiosk-1"}, staff)
    assert r.status_code == 400
    r = a.post("/cases/lookup/unlock", {"device": "kiosk-9"}, staff)
    assert r.status_code == 404 and r.json["error"]["field"] == "device"
    r = a.get(f"/cases/lookup?number={'A' * 41}&phone_last4=1234", a.device())
    assert r.status_code == 400 and r.json["error"]["field"] == "number"


def test_staff_lookups_are_neither_counted_nor_refused(two, db_url):
    a, _ = two
    number = a_case(a)
    for _ in range(6):
        r = a.get(f"/cases/lookup?number={number}&phone_last4={WRONG}", a.staff("clerk1"))
        assert r.status_code == 404
    assert ask(a, number, "1234").status_code == 200


@pytest.mark.parametrize("limit", [5, 100])
def test_concurrent_misses_count_exactly(two, db_url, limit):
    """12 threads over two app instances miss at once: with a high limit every miss is
    counted; with 5, exactly 4 answers are 404 and the lock is audited once."""
    a, b = two
    if limit != 5:
        with_limit(db_url, limit)
    number = "TOWN-20261123-0042"
    start = threading.Barrier(12)
    answers: list[int] = []

    def miss(i: int) -> None:
        client = (a, b)[i % 2].app.test_client()
        start.wait()
        r = client.get(
            f"/api/v1/halls/town/cases/lookup?number={number}&phone_last4={WRONG}",
            headers=a.device("kiosk-2" if i % 3 == 0 else "kiosk-1"),
        )
        answers.append(r.status_code)

    threads = [threading.Thread(target=miss, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    db = open_database(db_url)
    try:
        with db.reader() as s:
            misses = s.scalar(
                select(LookupGuard.misses).where(
                    LookupGuard.scope == "number", LookupGuard.key == number
                )
            )
            devices = s.scalar(
                select(func.sum(LookupGuard.misses)).where(LookupGuard.scope == "device")
            )
    finally:
        db.dispose()
    if limit == 100:
        assert answers.count(404) == 12 and misses == 12 and devices == 12
    else:
        assert answers.count(404) == 4 and answers.count(429) == 8
        assert 5 <= misses <= 12
        assert len(audited(db_url, "case_lookup.locked")) == 1


def with_limit(db_url: str, limit: int) -> None:
    """Reload the hall with a different number limit (as `onestop hall load` would)."""
    from backend.db.uow import Actor, UnitOfWork
    from backend.hallconfig import parse_config
    from backend.services.halls import sync_hall
    from tests.support import MONDAY_9AM

    guard = {"number_misses": limit, "device_misses": limit}
    cfg = parse_config(town(lookup_guard=guard), "test-hall.toml")
    db = open_database(db_url)
    try:
        with UnitOfWork(db, MONDAY_9AM) as uow:
            sync_hall(uow, cfg, Actor("test"))
            uow.commit()
    finally:
        db.dispose()


def test_misses_in_two_server_processes_count_together(live_server, tmp_path):
    """A real server process and this one, on one database: 5 misses between them lock."""
    import requests

    here = create_app(
        {
            "ONESTOP_DATABASE_URL": live_server.database_url,
            "ONESTOP_DATA_KEY_FILE": tmp_path / "data.key",
            "TESTING": True,
        }
    )
    try:
        local = HallClient(here, live_server.hall, {"kiosk-1": live_server.kiosk_token})
        number = "QINGSHAN-20261123-0099"
        query = f"/cases/lookup?number={number}&phone_last4={WRONG}"

        def remote():
            return requests.get(
                f"{live_server.url}/api/v1/halls/{live_server.hall}{query}",
                headers=local.device(),
                timeout=10,
            )

        answers = [(remote() if i % 2 else local.get(query, local.device())) for i in range(5)]
        assert [r.status_code for r in answers] == [404, 404, 404, 404, 429]
        r = remote()
        assert r.status_code == 429 and r.json()["error"]["code"] == "lookup_locked"
        assert int(r.headers["Retry-After"]) > 14 * 60
        assert local.get(query, local.device()).status_code == 429
    finally:
        here.extensions["onestop"].db.dispose()
