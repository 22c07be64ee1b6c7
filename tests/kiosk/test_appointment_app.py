"""我有预约 against the real app (in process, on its FakeClock): the kiosk presenter checks in
through POST /appointments/check-in with the code or the phone's last 4 digits, shows the slot
on the ticket screen and the receipt, and explains a normal ticket outside the tolerance."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from clientlib.api import ApiClient
from kiosk.screens import AppointmentScreen, ConfirmationScreen
from tests.flaskhttp import FlaskSession
from tests.support import HallClient, hall_config, rid, setup_hall

from .test_presenter import Rig

TUESDAY_9 = "2026-11-24T09:00:00+08:00"
PHONE = "13812345678"


@pytest.fixture
def appt(app, db_url, clock) -> HallClient:
    data = hall_config("town", appointments={"unchecked_codes": False, "share": 1.0})
    return HallClient(app, "town", setup_hall(db_url, data, clock()))


def book(hall: HallClient, slot=TUESDAY_9, phone=PHONE, item="MZ-01") -> str:
    body = {"item_code": item, "slot_start": slot, "name": "张小三", "phone": phone}
    r = hall.client.post(hall.url("/appointments"), json={"request_id": rid()} | body)
    assert r.status_code == 201, r.json
    return r.json["appointment"]["code"]


def kiosk(app, hall: HallClient) -> Rig:
    api = ApiClient("http://app", "town", hall.devices["kiosk-1"], session=FlaskSession(app))
    rig = Rig(api=api, hall="town")
    rig.start()
    assert rig.p.state == "ready"
    return rig


def type_code(rig: Rig, code: str) -> None:
    rig.p.open_appointment()
    for digit in code:
        rig.p.appointment_digit(digit)
    rig.p.submit_appointment()


def test_check_in_on_time_with_the_code(app, appt, clock):
    code = book(appt)
    clock.now = datetime(2026, 11, 24, 0, 50, tzinfo=UTC)  # Tuesday 08:50: within 15 min early
    rig = kiosk(app, appt)
    type_code(rig, code)
    screen = rig.settle()
    assert isinstance(screen, ConfirmationScreen), screen
    assert screen.priority_label == "预约 · 09:00–09:30" and screen.appointment_note == ""
    assert rig.printer.tickets[0].priority_label == "预约 09:00–09:30"
    assert rig.printer.tickets[0].item_name == "最低生活保障申请"
    view = appt.get(f"/tickets/{screen.number}", appt.staff("clerk1")).json
    assert view["legs"][-1]["priority"] == "appointment"

    type_code(rig, code)  # the same code again
    screen = rig.settle()
    assert isinstance(screen, AppointmentScreen)
    assert screen.notice == "这个预约已经签到过了，请留意叫号；号票丢失请到服务台"


def test_too_early_gets_a_normal_ticket_with_the_reason(app, appt, clock):
    book(appt, phone="13900001234")
    clock.now = datetime(2026, 11, 24, 0, 10, tzinfo=UTC)  # Tuesday 08:10: 50 min early
    rig = kiosk(app, appt)
    rig.p.open_appointment()
    rig.p.switch_appointment_way()
    for digit in "1234":
        rig.p.appointment_digit(digit)
    rig.p.submit_appointment()
    rig.p.open_item("MZ-01")
    rig.settle()
    rig.p.take_ticket()
    screen = rig.settle()
    assert isinstance(screen, ConfirmationScreen), screen
    assert screen.priority_label == ""
    assert "09:00–09:30" in screen.appointment_note and "普通号" in screen.appointment_note
    assert rig.printer.tickets[0].priority_label == "预约时段 09:00–09:30 · 普通号"


def test_an_unknown_code_is_not_found(app, appt, clock):
    rig = kiosk(app, appt)
    type_code(rig, "00000000")
    screen = rig.settle()
    assert isinstance(screen, AppointmentScreen)
    assert screen.notice == "没有找到您今天的预约，请核对预约码，或到服务台咨询"
