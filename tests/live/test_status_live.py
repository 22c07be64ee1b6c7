"""A resident's phone on the push channel: it joins its own ticket's room by the status token,
gets its public status on connect and on resync, hears of its place moving (one refresh per
burst of a hall's events, not one per event) and of its call at once, and nothing else: no hall
event, no other resident's ticket, no staff data."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
import socketio

from backend.live.publisher import NAMESPACE
from backend.live.status_watch import MAX_PER_TICKET
from tests.support import HallClient, hall_config, setup_hall

WAIT = 10.0


@pytest.fixture
def hall(live_app, db_url, clock):
    return HallClient(live_app, "town", setup_hall(db_url, hall_config("town"), clock()))


class Phone:
    """A phone's Socket.IO client in a loop of its own; records every frame it gets."""

    def __init__(self, url: str, auth: dict):
        self.frames: list[tuple[str, object]] = []
        self.cond = threading.Condition()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.sio = socketio.AsyncClient(reconnection=False)
        self.sio.on("*", self._record, namespace=NAMESPACE)
        self.error = None
        self.sio.on("connect_error", self._refused, namespace=NAMESPACE)
        self.connected = self._call(self._connect(url, auth))

    async def _connect(self, url, auth) -> bool:
        try:
            await self.sio.connect(
                url, namespaces=[NAMESPACE], auth=auth, transports=["websocket"], wait_timeout=WAIT
            )
        except socketio.exceptions.ConnectionError:
            return False
        return True

    async def _refused(self, data=None):
        self.error = data.get("message") if isinstance(data, dict) else str(data)

    async def _record(self, name, data=None):
        with self.cond:
            self.frames.append((name, data))
            self.cond.notify_all()

    def statuses(self) -> list[dict]:
        with self.cond:
            return [d for n, d in self.frames if n == "status"]

    def wait(self, predicate, what: str) -> list[dict]:
        with self.cond:
            ok = self.cond.wait_for(lambda: predicate(self.statuses()), timeout=WAIT)
        assert ok, f"phone did not get {what}: {self.frames}"
        return self.statuses()

    def emit(self, name: str) -> None:
        self._call(self.sio.emit(name, namespace=NAMESPACE))

    def close(self) -> None:
        if self.sio.connected:
            self._call(self.sio.disconnect())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=WAIT)

    def _call(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=WAIT * 2)


@pytest.fixture
def phones(live):
    made: list[Phone] = []

    def make(token: str) -> Phone:
        phone = Phone(live.url, {"status": token})
        made.append(phone)
        return phone

    yield make
    for phone in made:
        phone.close()


def token_of(ticket: dict) -> str:
    return ticket["status_token"]


def test_the_phone_follows_its_own_ticket_and_nothing_else(live, hall, phones):
    first, mine, other = (hall.issue("MZ-01") for _ in range(3))
    phone = phones(token_of(mine))
    assert phone.connected
    [status] = phone.wait(lambda s: len(s) >= 1, "its status on connect")
    assert status["number"] == mine["ticket"]["number"] and status["state"] == "waiting"
    assert status["seq"] == live.seq("town")
    hall.open_window(2, "clerk1")
    statuses = phone.wait(lambda s: s[-1].get("people_ahead") == 1, "one ahead once 2 opens")
    assert statuses[-1]["window_open"] is True

    assert hall.window(2, "call-next", "clerk1").json["ticket"]["number"] == "A001"
    phone.wait(lambda s: s[-1].get("people_ahead") == 0, "no one ahead once A001 is called")
    hall.window(2, "start", "clerk1")
    hall.window(2, "finish", "clerk1")
    before = len(phone.statuses())
    called = time.monotonic()
    hall.window(2, "call-next", "clerk1")  # A002: mine
    statuses = phone.wait(lambda s: s[-1]["state"] == "called", "its call")
    assert time.monotonic() - called < 1.5  # at once, not at the next hall-wide refresh
    assert statuses[-1]["window"] == {"number": 2, "name": {"zh": "2号窗口 民政", "en": ""}}
    assert statuses[-1]["alert"] == "called"
    count = len(statuses)
    hall.window(2, "recall", "clerk1")  # unchanged status, but the phone rings again
    statuses = phone.wait(lambda s: len(s) > count, "the recall")
    assert statuses[-1]["alert"] == "recalled" and statuses[-1]["state"] == "called"

    seen = {name for name, _ in phone.frames}
    assert seen == {"status"}, seen  # no hall event, no snapshot of the hall
    numbers = {s["number"] for s in phone.statuses()}
    assert numbers == {mine["ticket"]["number"]}  # never another resident's ticket
    allowed = {
        "number", "hall", "item", "state", "state_label", "state_label_en", "issued_at",
        "people_ahead", "estimated_wait_minutes", "window_open", "window", "seq", "alert",
    }  # fmt: skip
    for s in phone.statuses():
        assert set(s) <= allowed, set(s) - allowed
    assert len(phone.statuses()) >= before + 1
    del first, other


def test_a_burst_of_events_is_one_refresh_and_unchanged_statuses_are_not_sent(live, hall, phones):
    hall.open_window(1, "clerk1")
    mine = hall.issue("MZ-01")
    phone = phones(token_of(mine))
    phone.wait(lambda s: len(s) == 1, "its status on connect")
    watch = live.hub.status_watch
    refreshes = watch.halls[next(iter(watch.halls))].refreshes
    for _ in range(8):
        hall.issue("RS-01")  # behind me: my place does not change
    time.sleep(watch.settle + watch.every + 0.5)
    assert len(phone.statuses()) == 1  # nothing changed for me: nothing sent
    done = watch.halls[next(iter(watch.halls))].refreshes - refreshes
    assert 1 <= done <= 2, done  # 8 events, at most two hall-wide reads


def test_resync_answers_with_the_status_and_unknown_tokens_are_refused(live, hall, phones):
    mine = hall.issue("MZ-01")
    phone = phones(token_of(mine))
    phone.wait(lambda s: len(s) == 1, "its status on connect")
    phone.emit("resync")
    phone.wait(lambda s: len(s) == 2, "its status again after resync")
    stranger = phones("not-a-ticket-token")
    assert not stranger.connected and "unknown ticket" in (stranger.error or "")
    empty = phones("")
    assert not empty.connected
    assert live.hub.status_watch.count() == 1
    more = [phones(token_of(mine)) for _ in range(MAX_PER_TICKET)]  # a bound per ticket
    assert [p.connected for p in more] == [True] * (MAX_PER_TICKET - 1) + [False]
    for extra in more:
        extra.close()
    deadline = time.monotonic() + WAIT
    while live.hub.status_watch.count() > 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert live.hub.status_watch.count() == 1
    phone.close()
    deadline = time.monotonic() + WAIT
    while live.hub.status_watch.count() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert live.hub.status_watch.count() == 0
    assert all(not w.tickets for w in live.hub.status_watch.halls.values())
