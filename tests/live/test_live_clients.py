"""Real python-socketio clients against real server processes: ordering, reconnect, gaps,
refused auth, and two server processes sharing events through Redis and PostgreSQL."""

from __future__ import annotations

import contextlib
import os
import queue
import time
import uuid

import pytest
import socketio
import sqlalchemy as sa

from clientlib.api import ApiClient
from clientlib.live import NAMESPACE, LiveClient
from tests.live_server import LiveServer

pytestmark = pytest.mark.slow


class Recorder:
    def __init__(self):
        self.snapshots: queue.Queue = queue.Queue()
        self.events: queue.Queue = queue.Queue()

    def next_event(self, type_: str, timeout: float = 10) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            event = self.events.get(timeout=max(0.01, deadline - time.monotonic()))
            if event["type"] == type_:
                return event
        raise AssertionError(f"no {type_} event within {timeout}s")


def live(server: LiveServer, token: str) -> tuple[LiveClient, Recorder]:
    rec = Recorder()
    client = LiveClient(server.url, token, rec.snapshots.put, rec.events.put)
    client.connect()
    return client, rec


def clerk_at_window(
    server: LiveServer, item: str = "MZ-01", user: str = "clerk1"
) -> tuple[ApiClient, int]:
    api = ApiClient(server.url, server.hall)
    api.login(user, server.password(user))
    window = next(w["number"] for w in api.catalog()["windows"] if item in w["items"])
    api.window_action(window, "sign-in")
    return api, window


def test_unauthenticated_socket_is_refused(live_server):
    sio = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        sio.connect(live_server.url, namespaces=[NAMESPACE], auth={"token": "nope"}, wait_timeout=5)


def test_display_receives_a_call_in_order_with_its_sequence(live_server):
    display, rec = live(live_server, live_server.device_token("display-east"))
    try:
        snap = rec.snapshots.get(timeout=10)
        kiosk = ApiClient(live_server.url, live_server.hall, live_server.kiosk_token)
        kiosk.issue_ticket("MZ-01", request_id="t1")
        clerk, window = clerk_at_window(live_server)
        clerk.window_action(window, "call-next")
        called = rec.next_event("ticket.called")
        assert called["data"]["number"] == "A001" and called["data"]["window"] == window
        assert called["seq"] == snap["seq"] + 3 and display.resyncs == 0
    finally:
        display.close()


def test_a_display_that_was_offline_comes_back_to_exactly_the_right_state(live_server):
    display, rec = live(live_server, live_server.device_token("display-east"))
    try:
        rec.snapshots.get(timeout=10)
        kiosk = ApiClient(live_server.url, live_server.hall, live_server.kiosk_token)
        kiosk.issue_ticket("MZ-01", request_id="before")
        live_server.stop()
        time.sleep(1)
        live_server.start()
        # Changes made while the display was cut off: it must see them after reconnecting.
        kiosk.issue_ticket("MZ-01", request_id="during")
        clerk, window = clerk_at_window(live_server)
        clerk.window_action(window, "call-next")
        server_seq = kiosk.queue()["seq"]
        # The display reconnects (a fresh snapshot) and, if that snapshot came before the last
        # changes, receives them as events: either way it ends at the server's sequence with
        # the call on screen. It may have caught up already, before this loop starts: wait for
        # the snapshot as well as the sequence, or a fast display reads as one that never came.
        snap, after = None, []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (snap is None or display.last_seq != server_seq):
            with contextlib.suppress(queue.Empty):
                snap, after = rec.snapshots.get(timeout=0.5), []
            while not rec.events.empty():
                after.append(rec.events.get())
        while not rec.events.empty():
            after.append(rec.events.get())
        assert snap is not None and display.last_seq == server_seq
        current = {w["number"]: w["current"] for w in snap["windows"]}
        called = [e["data"]["number"] for e in after if e["type"] == "ticket.called"]
        assert current[window] == {"number": "A001", "state": "called"} or called == ["A001"]
    finally:
        display.close()


def test_a_gap_in_the_sequence_triggers_a_resync(live_server):
    staff_api = ApiClient(live_server.url, live_server.hall)
    staff_api.login("manager", live_server.password("manager"))
    board, rec = live(live_server, staff_api.token)
    try:
        rec.snapshots.get(timeout=10)
        board.last_seq -= 1  # pretend one event was lost on the way
        ApiClient(live_server.url, live_server.hall, live_server.kiosk_token).issue_ticket(
            "RS-01", request_id="g"
        )
        fresh = rec.snapshots.get(timeout=10)
        assert board.resyncs == 1 and fresh["totals"]["issued"] == 1
    finally:
        board.close()


REDIS = os.environ.get("ONESTOP_TEST_REDIS_URL")
PG = os.environ.get("ONESTOP_TEST_DATABASE_URL")


@pytest.mark.skipif(
    not (REDIS and PG), reason="needs ONESTOP_TEST_DATABASE_URL and ONESTOP_TEST_REDIS_URL"
)
def test_two_server_processes_share_events_through_redis(tmp_path):
    schema = f"scale_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    url = (
        sa.engine.make_url(PG)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    env = {"ONESTOP_MESSAGE_QUEUE": REDIS, "ONESTOP_MESSAGE_CHANNEL": f"onestop:test:{schema}"}
    a = LiveServer(tmp_path / "a", database_url=url, env=env, gunicorn=True)
    b = LiveServer(tmp_path / "a", database_url=url, env=env, gunicorn=True)
    try:
        (tmp_path / "a").mkdir()
        a.prepare()
        b.credentials = a.credentials
        a.start()
        b.start()
        display, rec = live(b, b.device_token("display-east"))  # listening on process B
        try:
            rec.snapshots.get(timeout=10)
            ApiClient(a.url, a.hall, a.kiosk_token).issue_ticket("MZ-01", request_id="scale")
            clerk, window = clerk_at_window(a)  # acting on process A
            clerk.window_action(window, "call-next")
            called = rec.next_event("ticket.called")
            assert called["data"]["number"] == "A001"
        finally:
            display.close()
    finally:
        a.stop()
        b.stop()
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()
