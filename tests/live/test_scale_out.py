"""Scale-out through Redis. Two server processes (one of each shape) on one PostgreSQL database:
requests go through both at once, and a display socket on each process receives every sequence
number of the hall exactly once, in order, without a single resync. And the API-only entry
(``backend.wsgi``) publishes its events to Redis."""

from __future__ import annotations

import os
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
import sqlalchemy as sa

from backend.app import create_app
from backend.db.engine import open_database
from backend.live.bus import decode
from clientlib.api import ApiClient, ApiError
from tests.live.served import LiveSocket, hall_seq
from tests.live_server import LiveServer
from tests.support import HallClient, hall_config, setup_hall

REDIS = os.environ.get("ONESTOP_TEST_REDIS_URL")
PG = os.environ.get("ONESTOP_TEST_DATABASE_URL")
TICKETS = 8  # per kiosk thread; four of them

pytestmark = pytest.mark.slow
needs_redis = pytest.mark.skipif(not REDIS, reason="needs ONESTOP_TEST_REDIS_URL")
needs_pg_and_redis = pytest.mark.skipif(
    not (REDIS and PG), reason="needs ONESTOP_TEST_DATABASE_URL and ONESTOP_TEST_REDIS_URL"
)


def private_channel() -> str:
    """Pub/sub ignores Redis database numbers: a channel of its own per test run."""
    return f"onestop:test:{uuid.uuid4().hex[:8]}"


@pytest.fixture
def schema_url():
    """A private PostgreSQL schema for the two processes (migrated by ``onestop demo``)."""
    schema = f"scale_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    yield (
        sa.engine.make_url(PG)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    with admin.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    admin.dispose()


def issue(server: LiveServer, item: str) -> None:
    kiosk = ApiClient(server.url, server.hall, server.kiosk_token)
    for _ in range(TICKETS):
        kiosk.issue_ticket(item, request_id=uuid.uuid4().hex)


def serve_window(server: LiveServer, user: str, window: int, done: threading.Event) -> int:
    """Call and finish tickets at ``window`` until the kiosks are done and the line is empty."""
    clerk = ApiClient(server.url, server.hall)
    clerk.login(user, server.password(user))
    clerk.window_action(window, "sign-in")
    served = 0
    while True:
        try:
            called = clerk.window_action(window, "call-next").get("ticket")
        except ApiError:
            called = None
        if not called:  # nobody waiting (yet)
            if done.is_set():
                return served
            time.sleep(0.02)
            continue
        clerk.window_action(window, "finish")
        served += 1


def after_snapshot(sock: LiveSocket) -> tuple[int, list[dict]]:
    """The snapshot's seq and every event frame's events after it, in arrival order."""
    names = [name for name, _data, _at in sock.frames]
    first = names.index("snapshot")
    events = []
    for name, data, _at in sock.frames[first + 1 :]:
        events += data if name == "events" else [data]
    return sock.frames[first][1]["seq"], events


@pytest.mark.postgres
@needs_pg_and_redis
def test_every_display_gets_every_seq_once_in_order_across_two_processes(tmp_path, schema_url):
    env = {"ONESTOP_MESSAGE_QUEUE": REDIS, "ONESTOP_MESSAGE_CHANNEL": private_channel()}
    a = LiveServer(tmp_path, database_url=schema_url, env=env, gunicorn=True)  # uvicorn worker
    b = LiveServer(tmp_path, database_url=schema_url, env=env)  # onestop serve
    db = open_database(schema_url)
    sockets: list[LiveSocket] = []
    try:
        a.prepare()
        b.credentials = a.credentials
        a.start()
        b.start()
        seq = lambda: hall_seq(db, a.hall)  # noqa: E731
        sockets = [
            LiveSocket(a.url, a.device_token("display-east"), seq),
            LiveSocket(b.url, b.device_token("display-west"), seq),
        ]

        done = threading.Event()
        with ThreadPoolExecutor(6) as pool:
            clerks = [
                pool.submit(serve_window, a, "clerk1", 3, done),  # 民政 (MZ) through A
                pool.submit(serve_window, b, "clerk2", 4, done),  # 人社 (RS) through B
            ]
            kiosks = [
                pool.submit(issue, server, item) for server in (a, b) for item in ("MZ-01", "RS-01")
            ]
            for kiosk in kiosks:
                kiosk.result(timeout=120)
            done.set()
            assert sum(c.result(timeout=120) for c in clerks) == 4 * TICKETS

        final = seq()
        for sock in sockets:
            sock.settle()
            start, events = after_snapshot(sock)
            assert [e["seq"] for e in events] == list(range(start + 1, final + 1))
            assert sock.snapshots == 1  # no resync was ever needed
        east, west = ([m[1] for m in s.frames if m[0] == "event"] for s in sockets)
        # Calls go out at once as single frames: windows 3 and 4 are in the east wing, so the
        # west display gets each of them as a skip.
        assert [e["type"] for e in east] == ["ticket.called"] * 4 * TICKETS
        assert [e["type"] for e in west] == ["skip"] * 4 * TICKETS
        assert [e["seq"] for e in west] == [e["seq"] for e in east]
    finally:
        for sock in sockets:
            sock.close()
        a.stop()
        b.stop()
        db.dispose()


@needs_redis
def test_the_api_alone_publishes_its_events_to_redis(db_url, clock, tmp_path):
    """What backend.wsgi:app does with ONESTOP_MESSAGE_QUEUE: no sockets, events to Redis."""
    channel = private_channel()
    app = create_app(
        {
            "ONESTOP_DATABASE_URL": db_url,
            "ONESTOP_CLOCK": clock,
            "ONESTOP_MESSAGE_QUEUE": REDIS,
            "ONESTOP_MESSAGE_CHANNEL": channel,
            "TESTING": True,
        }
    )
    listener = redis.Redis.from_url(REDIS).pubsub(ignore_subscribe_messages=True)
    try:
        listener.subscribe(channel)
        hall = HallClient(app, "town", setup_hall(db_url, hall_config("town"), clock()))
        number = hall.issue("MZ-01")["ticket"]["number"]
        message = listener.get_message(timeout=5)
        while message is None or message["type"] != "message":
            message = listener.get_message(timeout=5)
        event = decode(message["data"])
        assert (event.type, event.payload["number"]) == ("ticket.issued", number)
        assert event.seq == hall_seq(app.extensions["onestop"].db, "town")
        assert event.at == clock()
    finally:
        listener.close()
        app.extensions["onestop"].db.dispose()
