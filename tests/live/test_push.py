"""The push path of a served app: publish() only hands events over, the relay restores seq
order and fills gaps from the outbox, calls go out at once and everything else in batches, and
the database is read off the socket loop."""

from __future__ import annotations

import json
import threading
import time

import pytest
import requests
from sqlalchemy import select

from backend.db.models import Hall
from backend.db.uow import Actor, UnitOfWork
from tests.support import HallClient, hall_config, setup_hall


@pytest.fixture
def hall(live_app, db_url, clock):
    return HallClient(live_app, "town", setup_hall(db_url, hall_config("town"), clock()))


class Timed:
    """Wraps the app's publisher and records how long each publish() took."""

    def __init__(self, inner):
        self.inner, self.durations = inner, []

    def publish(self, events):
        started = time.perf_counter()
        self.inner.publish(events)
        self.durations.append(time.perf_counter() - started)


class Counted:
    """Wraps the relay's outbox reader and records every read."""

    def __init__(self, inner):
        self.inner, self.reads = inner, []

    def __call__(self, hall_id, first, last):
        self.reads.append((first, last))
        return self.inner(hall_id, first, last)


def staff_socket(live, hall):
    sock = live.connect(hall.staff("boss")["Authorization"][7:])
    sock.received()
    return sock


def outbox_only(live, clock, count: int) -> list:
    """Commit ``count`` events without handing them to any publisher (they are in the outbox)."""
    db = live.app.extensions["onestop"].db
    with UnitOfWork(db, clock()) as uow:
        hall_id = uow.session.scalar(select(Hall.id).where(Hall.code == "town"))
        for n in range(count):
            uow.emit(hall_id, "hall.note", {"n": n})
        uow.audit(hall_id, Actor("test"), "test.note", "hall", "town")
        return uow.commit()


def seqs(sock) -> list[int]:
    return [m["args"][0]["seq"] for m in sock.received("event")]


def test_publish_hands_over_and_returns_while_the_loop_is_blocked(live, hall):
    ext = live.app.extensions["onestop"]
    ext.publisher = timed = Timed(ext.publisher)
    staff = staff_socket(live, hall)
    start = live.seq("town")
    frames_before = len(staff.frames)
    release, inside = threading.Event(), threading.Event()
    live.loop.call_soon_threadsafe(lambda: (inside.set(), release.wait(10)))
    assert inside.wait(5)
    try:
        began = time.perf_counter()
        hall.issue("MZ-01")
        hall.open_window(2, "clerk1")
        hall.window(2, "call-next", "clerk1")
        assert time.perf_counter() - began < 3  # the API never waits for the socket loop
        assert len(timed.durations) == 3 and max(timed.durations) < 0.05
        time.sleep(0.2)
        assert len(staff.frames) == frames_before  # nothing can be sent while the loop sleeps
    finally:
        release.set()
    assert seqs(staff) == [start + 1, start + 2, start + 3]


def test_an_event_handed_over_before_the_one_before_it_is_delivered_in_order(live, hall, clock):
    live.hub.relay.read_events = reader = Counted(live.hub.relay.read_events)
    staff = staff_socket(live, hall)
    two, three = outbox_only(live, clock, 2)
    publisher = live.app.extensions["onestop"].publisher
    publisher.publish([three])
    publisher.publish([two])
    assert seqs(staff) == [two.seq, three.seq]
    assert reader.reads == []  # both came within the hold: nothing read from the outbox


def test_a_missing_seq_is_backfilled_from_the_outbox(live, hall, clock):
    live.hub.relay.read_events = reader = Counted(live.hub.relay.read_events)
    staff = staff_socket(live, hall)
    lost = outbox_only(live, clock, 2)  # committed, never handed over
    hall.issue("MZ-01")  # handed over: the relay holds it until the two before it are read
    got = [m["args"][0] for m in staff.received("event")]
    assert [e["seq"] for e in got] == [lost[0].seq, lost[1].seq, lost[1].seq + 1]
    assert [e["type"] for e in got] == ["hall.note", "hall.note", "ticket.issued"]
    assert got[0]["data"] == {"n": 0} and got[0]["at"] == got[2]["at"]
    assert reader.reads == [(lost[0].seq, lost[1].seq)]


def test_calls_go_out_at_once_and_everything_else_in_batches(live, hall):
    staff = staff_socket(live, hall)
    display = live.connect(hall.devices["display-1"])
    display.received()
    first = len(staff.frames)
    for _ in range(6):
        hall.issue("MZ-01")
    staff.settle()
    batches = staff.frames[first:]
    assert {name for name, _data, _at in batches} == {"events"}
    assert [e["type"] for _n, data, _at in batches for e in data] == ["ticket.issued"] * 6
    assert len(batches) < 6  # several events share a frame
    gaps = [b[2] - a[2] for a, b in zip(batches, batches[1:], strict=False)]
    assert all(gap > 0.12 for gap in gaps), gaps  # at most ~5 batched frames a second

    hall.open_window(2, "clerk1")  # window.opened: batched ...
    hall.window(2, "call-next", "clerk1")  # ... and flushed ahead of the call, sent at once
    answered = time.monotonic()
    staff.settle()
    display.settle()
    for sock in (staff, display):
        name, data, at = sock.frames[-1]
        assert name == "event" and data["type"] == "ticket.called"
        assert at - answered < 0.15
        before = sock.frames[-2]
        assert before[0] == "events" and before[1][-1]["type"] == "window.opened"
        assert before[1][-1]["seq"] == data["seq"] - 1
    assert "clerk" not in display.frames[-2][1][-1]["data"]  # batches keep the public view


def test_snapshots_are_read_off_the_loop_and_a_client_leaving_meanwhile_is_forgotten(
    live, hall, monkeypatch
):
    from backend.live import store

    reading, slow_snapshot = threading.Event(), store.snapshot

    def snapshot(*args):
        reading.set()
        time.sleep(0.5)  # the connect handler waits for this in a worker thread
        return slow_snapshot(*args)

    monkeypatch.setattr(store, "snapshot", snapshot)
    polling = f"{live.url}/socket.io/?EIO=4&transport=polling"
    opened = requests.get(polling, timeout=5).text  # Engine.IO open: 0{"sid": ...}
    sid = json.loads(opened[1:])["sid"]
    auth = json.dumps({"token": hall.devices["display-1"]})
    requests.post(f"{polling}&sid={sid}", data=f"40/hall,{auth}", timeout=5)
    assert reading.wait(5) and live.hub.connected_count() == 1
    began = time.perf_counter()
    assert requests.get(polling, timeout=5).ok  # the loop answers while the snapshot is read
    assert time.perf_counter() - began < 0.3
    requests.post(f"{polling}&sid={sid}", data="1", timeout=5)  # gone before it was connected
    deadline = time.monotonic() + 5
    while live.hub.connected_count() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert live.hub.connected_count() == 0
    rooms = live.hub.sio.manager.rooms.get("/hall", {})
    assert not [room for room in rooms if isinstance(room, str) and room.startswith("display:")]
