"""The county network on one deployment: two real server processes on one PostgreSQL database
and one Redis channel. A town clerk on process A accepts a case at a window and refers it up
(上报); a county clerk on process B finds it in the county's inbox and accepts it. The county's
staff socket on B gets ``referral.received`` pushed from A through Redis, the town's staff socket
on A gets ``referral.accepted`` pushed from B, and the county's case, read on A, carries the
town's history. The refer retried with the same request id on B replays A's answer; the accept
sent as twins to both processes at once makes one county case."""

from __future__ import annotations

import os
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
import redis
import requests
import sqlalchemy as sa
from sqlalchemy import func, select

from backend.db.engine import open_database
from backend.db.migrate import upgrade
from backend.db.models import Case, CaseReferral, Hall
from backend.live.bus import decode
from tests.live.served import LiveSocket, hall_seq
from tests.live_server import LiveServer
from tests.support import PASSWORD, setup_network

REDIS = os.environ.get("ONESTOP_TEST_REDIS_URL")
PG = os.environ.get("ONESTOP_TEST_DATABASE_URL")
APPLICANT = {"name": "张小三", "phone": "13812341234", "id_number": "320102198503151230"}
WAIT = 10.0

pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.skipif(
        not (REDIS and PG),
        reason="NOT SET: ONESTOP_TEST_DATABASE_URL and ONESTOP_TEST_REDIS_URL: the two-process "
        "county network test (PostgreSQL + Redis) is SKIPPED",
    ),
]


@pytest.fixture
def schema_url():
    """A private PostgreSQL schema, migrated, shared by both server processes."""
    assert PG
    schema = f"net_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    url = (
        sa.engine.make_url(PG)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    upgrade(url)
    yield url
    with admin.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    admin.dispose()


class Staff:
    """One staff login of one hall, talking to one server process over HTTP."""

    def __init__(self, url: str, hall: str, username: str, token: str | None = None):
        self.url, self.hall = url, hall
        self.http = requests.Session()
        if token is None:
            r = self.http.post(
                f"{url}/api/v1/auth/login",
                json={"hall": hall, "username": username, "password": PASSWORD},
                timeout=WAIT,
            )
            assert r.status_code == 200, r.text
            token = r.json()["token"]
        self.token = token
        self.http.headers["Authorization"] = f"Bearer {token}"

    def on(self, url: str) -> Staff:
        """The same login (same token, same principal) on another process."""
        return Staff(url, self.hall, "", self.token)

    def get(self, path: str) -> requests.Response:
        return self.http.get(f"{self.url}/api/v1/halls/{self.hall}{path}", timeout=WAIT)

    def post(self, path: str, body: dict | None = None, rid: str | None = None):
        body = {"request_id": rid or uuid.uuid4().hex} | (body or {})
        return self.http.post(f"{self.url}/api/v1/halls/{self.hall}{path}", json=body, timeout=WAIT)

    def ok(self, path: str, body: dict | None = None, rid: str | None = None) -> dict:
        r = self.post(path, body, rid)
        assert r.status_code == 200, (path, r.status_code, r.text)
        return r.json()


class ChannelTap:
    """Every event published on the Redis channel, as it comes (a thread reading pub/sub)."""

    def __init__(self, url: str, channel: str):
        self.events: list = []
        self._pubsub = redis.Redis.from_url(url).pubsub(ignore_subscribe_messages=True)
        self._pubsub.subscribe(channel)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            message = self._pubsub.get_message(timeout=0.2)
            if message and message["type"] == "message":
                self.events.append(decode(message["data"]))

    def wait_for(self, hall_id: int, kind: str):
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            found = [e for e in self.events if e.hall_id == hall_id and e.type == kind]
            if found:
                return found
            time.sleep(0.05)
        raise AssertionError(f"no {kind} of hall {hall_id} on the channel: {self.events}")

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=WAIT)
        self._pubsub.close()


def accept_at_window(kiosk_token: str, clerk: Staff, window: int = 2, item: str = "MZ-02") -> str:
    """A resident takes a ticket for ``item``; the clerk calls, serves and accepts it as a case."""
    r = requests.post(
        f"{clerk.url}/api/v1/halls/{clerk.hall}/tickets",
        json={"item_code": item, "request_id": uuid.uuid4().hex},
        headers={"Authorization": f"Bearer {kiosk_token}"},
        timeout=WAIT,
    )
    assert r.status_code == 200, r.text
    ticket = r.json()["ticket"]["number"]
    clerk.ok(f"/windows/{window}/sign-in")
    assert clerk.ok(f"/windows/{window}/call-next")["ticket"]["number"] == ticket
    clerk.ok(f"/windows/{window}/start")
    case = clerk.ok(
        f"/windows/{window}/accept",
        {"applicant": APPLICANT, "materials_received": ["居民身份证", "户口簿"]},
    )["case"]
    assert case["state"] == "open"
    return case["number"]


def event_types(sock: LiveSocket) -> list[dict]:
    return [m["args"][0] for m in sock.received("event")]


def test_a_town_refers_up_on_one_process_and_the_county_accepts_on_another(tmp_path, schema_url):
    tokens = setup_network(schema_url, datetime.now(UTC))
    channel = f"onestop:test:{uuid.uuid4().hex[:8]}"  # pub/sub ignores Redis database numbers
    env = {"ONESTOP_MESSAGE_QUEUE": REDIS or "", "ONESTOP_MESSAGE_CHANNEL": channel}
    a = LiveServer(tmp_path, database_url=schema_url, env=env)
    b = LiveServer(tmp_path, database_url=schema_url, env=env)
    db = open_database(schema_url)
    sockets: list[LiveSocket] = []
    tap: ChannelTap | None = None
    try:
        a.start()
        b.start()
        with db.reader() as s:
            hall_ids = dict(s.execute(select(Hall.code, Hall.id)).tuples().all())
        tap = ChannelTap(REDIS or "", channel)

        town_a = Staff(a.url, "town", "clerk1")
        county_b = Staff(b.url, "county", "clerk1")
        town_sock = LiveSocket(a.url, town_a.token, lambda: hall_seq(db, "town"), view="cases")
        county_sock = LiveSocket(
            b.url, county_b.token, lambda: hall_seq(db, "county"), view="cases"
        )
        sockets += [town_sock, county_sock]
        number = accept_at_window(tokens["town"]["kiosk-1"], town_a)
        town_sock.received()  # the ticket's and the case's own events
        county_sock.received()

        # 上报 on A
        refer = town_a.post(
            f"/cases/{number}/refer", {"reason": "超出本镇权限，上报县中心"}, "up-1"
        )
        assert refer.status_code == 200, refer.text
        assert refer.headers["Idempotent-Replayed"] == "false"
        first = refer.json()
        assert first["case"]["state"] == "referred"
        referral = first["referral"]
        assert referral["direction"] == "up" and referral["state"] == "sent"
        assert referral["to_hall"]["code"] == "county" and referral["case"] == number

        # the same request id again, on B: A's answer replayed, no second referral
        again = town_a.on(b.url).post(
            f"/cases/{number}/refer", {"reason": "超出本镇权限，上报县中心"}, "up-1"
        )
        assert again.status_code == 200, again.text
        assert again.headers["Idempotent-Replayed"] == "true"
        assert again.json() == first
        with db.reader() as s:
            assert s.scalar(select(func.count()).select_from(CaseReferral)) == 1

        # pushed from A through Redis; the county's staff socket on B hears it
        (published,) = tap.wait_for(hall_ids["county"], "referral.received")
        assert published.payload["referral"]["id"] == referral["id"]
        county_sock.wait_for(
            lambda ms: any(m["args"][0]["type"] == "referral.received" for m in ms),
            "referral.received on B",
        )
        (received,) = [e for e in event_types(county_sock) if e["type"] == "referral.received"]
        assert received["data"]["referral"]["id"] == referral["id"]
        assert received["data"]["referral"]["from_hall"]["code"] == "town"
        assert received["data"]["referral"]["applicant"]["name"] == "张*三"  # masked

        # the county's inbox on B
        r = county_b.get("/referrals")
        assert r.status_code == 200, r.text
        (listed,) = r.json()["referrals"]
        assert (listed["id"], listed["state"], listed["case"]) == (referral["id"], "sent", number)

        # accept: twins with one request id at both processes at once make one county case
        county_a = county_b.on(a.url)
        path = f"/referrals/{referral['id']}/accept"
        with ThreadPoolExecutor(2) as pool:
            twins = [pool.submit(who.post, path, {}, "take-1") for who in (county_b, county_a)]
            answers = [t.result(timeout=WAIT * 2) for t in twins]
        assert [x.status_code for x in answers] == [200, 200], [x.text for x in answers]
        assert sorted(x.headers["Idempotent-Replayed"] for x in answers) == ["false", "true"]
        assert answers[0].json() == answers[1].json()
        taken = answers[0].json()
        county_number = taken["case"]["number"]
        assert taken["referral"]["state"] == "accepted"
        assert taken["referral"]["received_as"] == county_number
        with db.reader() as s:
            assert s.scalar(select(func.count()).where(Case.hall_id == hall_ids["county"])) == 1
            assert s.scalar(select(func.count()).select_from(CaseReferral)) == 1

        # pushed back from whichever process accepted; the town's staff socket on A hears it
        tap.wait_for(hall_ids["town"], "referral.accepted")
        town_sock.wait_for(
            lambda ms: any(m["args"][0]["type"] == "referral.accepted" for m in ms),
            "referral.accepted on A",
        )
        (back,) = [e for e in event_types(town_sock) if e["type"] == "referral.accepted"]
        assert back["data"]["case"] == number
        assert back["data"]["referral"]["received_as"] == county_number
        assert town_a.get("/referrals?box=out").json()["referrals"][0]["state"] == "accepted"

        # the county's case, read on A, carries the town's leg and its history
        r = county_a.get(f"/cases/{county_number}")
        assert r.status_code == 200, r.text
        detail = r.json()["case"]
        assert detail["state"] == "open"
        (leg,) = detail["referred_from"]
        assert leg["hall"]["code"] == "town" and leg["number"] == number
        actions = [h["action"] for h in leg["history"]]
        for action in ("case.accepted", "case.referred", "case.referral_accepted"):
            assert action in actions, actions
        assert "case.accepted" in [h["action"] for h in detail["history"]]
        # the town's own case, on B: closed as referred, pointing at the county's case
        town_b = town_a.on(b.url)
        mine = town_b.get(f"/cases/{number}").json()["case"]
        assert mine["state"] == "referred"
        assert [x["received_as"] for x in mine["referrals"]] == [county_number]
    finally:
        for sock in sockets:
            sock.close()
        if tap is not None:
            tap.close()
        a.stop()
        b.stop()
        db.dispose()
