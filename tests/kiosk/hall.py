"""The demo hall (config/demo-hall.toml) on the real app in this process, as the kiosk's tests
see it: a kiosk's ApiClient over the network that fails on demand, and what the server stored."""

from __future__ import annotations

import threading

import sqlalchemy as sa

from backend.db.engine import open_database
from backend.db.models import Device
from clientlib.api import ApiClient
from tests.counter.hall import HALL, DemoHall
from tests.flaskhttp import FlakySession, FlaskSession
from tests.support import rid


class HeldSession(FlakySession):
    """FlakySession that can hold requests in flight (while `gate`, an Event, is not set, each
    request waits for it, 10 s at most) and answer the next one itself (`answer_next`)."""

    gate: threading.Event | None = None
    answer_next: tuple[int, dict] | None = None  # (status, body) for the next request only

    def request(self, method, url, json=None, headers=None, timeout=None):
        if self.gate is not None:
            self.gate.wait(10)
        if self.answer_next is not None:  # e.g. a 500 from a broken proxy, or a replayed answer
            status, body = self.answer_next
            self.answer_next = None
            return _Answer(status, body)
        return super().request(method, url, json=json, headers=headers, timeout=timeout)


class _Answer:
    def __init__(self, status: int, body: dict):
        self.status_code, self.ok, self.headers, self._body = status, status < 400, {}, body

    def json(self) -> dict:
        return self._body


class KioskHall(DemoHall):
    """DemoHall plus what a kiosk test reads back: device status, appointments, cases."""

    def kiosk_api(self, device: str = "kiosk-1") -> tuple[ApiClient, HeldSession]:
        """A kiosk's ApiClient with its device token, and the network under it."""
        net = HeldSession(FlaskSession(self.app))
        api = ApiClient("http://127.0.0.1:9", HALL, self.devices[device], session=net, retries=0)  # type: ignore[arg-type]
        return api, net

    def device_status(self, code: str = "kiosk-1") -> dict:
        """The status the device last reported, as the server stored it."""
        with self.app.extensions["onestop"].db.reader() as session:
            device = session.scalars(sa.select(Device).where(Device.code == code)).one()
            return dict(device.status or {})

    def printer(self, code: str = "kiosk-1") -> dict:
        return self.device_status(code).get("printer") or {}

    def tickets_issued(self) -> int:
        """How many tickets the server issued (audited)."""
        return self.audited("ticket.issued")


def reload_demo_hall(hall: KioskHall, retire: tuple[str, ...] = (), **sections: dict) -> None:
    """Reload the demo hall's config with fields of these sections changed (queue={...}) and
    the items of `retire` taken out of it (off every window too): the hall retires them."""
    from backend.db.uow import Actor, UnitOfWork
    from backend.hallconfig import parse_config
    from backend.services.halls import sync_hall
    from tests.counter.hall import DEMO_HALL, demo_config

    data = demo_config()
    for name, fields in sections.items():
        data[name].update(fields)
    data["items"] = [i for i in data["items"] if i["code"] not in retire]
    for window in data["windows"]:
        window["items"] = [code for code in window["items"] if code not in retire]
    cfg = parse_config(data, str(DEMO_HALL))
    db = open_database(hall.db_url)
    try:
        with UnitOfWork(db, hall.clock()) as uow:
            sync_hall(uow, cfg, Actor("test"))
            uow.commit()
    finally:
        db.dispose()


def book(hall: KioskHall, item: str, slot_start: str, phone: str = "13812345678") -> str:
    """A resident books `item` at `slot_start` (ISO, local offset) on the public page; the code."""
    body = {"item_code": item, "slot_start": slot_start, "name": "张小三", "phone": phone}
    r = hall.client.post(hall.url("/appointments"), json={"request_id": rid()} | body)
    assert r.status_code == 201, r.json
    return r.json["appointment"]["code"]


def accept_case(hall: KioskHall, phone: str = "13912345678", item: str = "MZ-01") -> str:
    """李敏 at 3号窗口 accepts a resident's `item` ticket as a case; its acceptance number."""
    number = hall.add_ticket(item)
    if hall.window_view(3)["state"] != "open":
        hall.open_window(3, "clerk1")
    called = hall.window(3, "call-next", "clerk1")
    assert (called.json.get("ticket") or {}).get("number") == number, called.json
    assert hall.window(3, "start", "clerk1").status_code == 200
    applicant = {"name": "张三", "phone": phone, "id_number": "320102198503151230"}
    r = hall.window(3, "accept", "clerk1", applicant=applicant)
    assert r.status_code == 200, r.json
    assert hall.window(3, "finish", "clerk1").status_code == 200  # the resident leaves
    return r.json["case"]["number"]


def case_action(hall: KioskHall, number: str, action: str, **body) -> None:
    """suspend (missing=[...]), finish (result=...), refuse (reason=...) as 李敏."""
    r = hall.post(f"/cases/{number}/{action}", body, hall.staff("clerk1"))
    assert r.status_code == 200, r.json


def serve(hall: KioskHall, window: int, clerk: str, count: int) -> None:
    """`clerk` at `window` (signed in already) calls, serves and finishes `count` tickets."""
    for _ in range(count):
        for action in ("call-next", "start", "finish"):
            r = hall.window(window, action, clerk)
            assert r.status_code == 200, r.json
