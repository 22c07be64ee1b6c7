"""预约 through the real app: public booking with masked data, idempotent retries, limits,
cancel and move, kiosk check-in inside and outside the tolerance, the staff's day list, the
no-show sweep, and concurrent bookings of a slot's last places (SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from backend.api.responses.appointments import AppointmentBooked, CheckedIn
from backend.db.models import Appointment, AppointmentSlotCount, AuditEntry, Ticket
from backend.db.uow import UnitOfWork
from backend.services.appointments import sweep_no_shows
from tests.support import HallClient, hall_config, rid, setup_hall

TUESDAY_9 = "2026-11-24T09:00:00+08:00"  # the clock starts on Monday 09:00
TUESDAY_930 = "2026-11-24T09:30:00+08:00"
PHONE = "13812345678"


@pytest.fixture
def appt(app, db_url, clock) -> HallClient:
    """The test hall checking appointment codes; every slot of MZ-01 has 3 places."""
    data = hall_config("town", appointments={"unchecked_codes": False, "share": 1.0})
    return HallClient(app, "town", setup_hall(db_url, data, clock()))


def book(hall, slot=TUESDAY_9, phone=PHONE, item="MZ-01", **extra):
    body = {"item_code": item, "slot_start": slot, "name": "张小三", "phone": phone} | extra
    return hall.client.post(hall.url("/appointments"), json={"request_id": rid()} | body)


def booked(hall, **kwargs) -> dict:
    r = book(hall, **kwargs)
    assert r.status_code == 201, r.json
    AppointmentBooked.model_validate(r.json)
    return r.json


def test_items_days_and_slots_are_public(appt):
    items = appt.get("/appointments/items").json["items"]
    assert {"code": "MZ-01", "bookable": True} | items[0] == items[0]
    days = appt.get("/appointments/days?item=MZ-01").json["days"]
    assert days[0]["day"] == "2026-11-23" and days[0]["kind"] == "workday"
    assert [d["kind"] for d in days[5:7]] == ["weekend", "weekend"]
    today = appt.get("/appointments/slots?item=MZ-01&day=2026-11-23").json["slots"]
    assert today[0]["reason"] == "past" and today[0]["start"] == "2026-11-23T08:30:00+08:00"
    assert today[1]["reason"] == "past"  # 09:00: now
    assert today[2]["reason"] == "cutoff" and today[3]["reason"] is None  # 09:30; 10:00
    assert today[3]["capacity"] == 3 and today[3]["left"] == 3


def test_booking_masks_replays_and_fills_the_slot(appt, clock):
    body = {
        "request_id": "same-1",
        "item_code": "MZ-01",
        "slot_start": TUESDAY_9,
        "name": "张小三",
        "phone": PHONE,
    }
    first = appt.client.post(appt.url("/appointments"), json=body)
    again = appt.client.post(appt.url("/appointments"), json=body)
    assert first.status_code == again.status_code == 201
    assert again.json == first.json and again.headers["Idempotent-Replayed"] == "true"
    view = first.json["appointment"]
    assert view["name_masked"] == "张*三" and view["phone_masked"] == "138****5678"
    assert PHONE not in first.get_data(as_text=True) and "张小三" not in first.get_data(
        as_text=True
    )
    assert view["check_in_from"] == "2026-11-24T08:45:00+08:00"
    assert len(view["code"]) == 8 and view["state"] == "booked"
    page = appt.client.get(f"/api/v1/appointments/{first.json['manage_token']}")
    assert page.status_code == 200 and page.json["appointment"] == view
    booked(appt, phone="13900000001")
    booked(appt, phone="13900000002")
    full = book(appt, phone="13900000003")
    assert full.status_code == 409 and full.json["error"]["code"] == "slot_full"
    slots = appt.get("/appointments/slots?item=MZ-01&day=2026-11-24").json["slots"]
    assert slots[1]["left"] == 0 and slots[1]["reason"] == "full"
    with UnitOfWork(appt.app.extensions["onestop"].db, clock()) as uow:
        row = uow.session.scalar(select(Appointment).where(Appointment.code == view["code"]))
        assert PHONE not in row.phone_sealed and row.phone_last4 == "5678"
        actions = uow.session.scalars(select(AuditEntry.action)).all()
        assert actions.count("appointment.booked") == 3


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"slot_start": "2026-11-24T09:10:00+08:00"}, "slot_start", "not_a_slot"),
        ({"slot_start": "2026-11-24T09:00:00"}, "slot_start", "invalid_field"),
        ({"slot_start": "2026-13-40T09:00:00+08:00"}, "slot_start", "invalid_field"),
        ({"phone": "12345"}, "phone", "invalid_phone"),
        ({"name": "张\x00三"}, "name", "bad_character"),
        ({"id_number": "110101199003071235"}, "id_number", "invalid_id_number"),
        ({"item_code": "NOPE"}, "item_code", "item_not_found"),
        ({"slot_start": "2026-11-23T09:30:00+08:00"}, "slot_start", "slot_cutoff"),
        ({"slot_start": "2026-12-31T09:00:00+08:00"}, "slot_start", "slot_closed"),
    ],
)
def test_bad_bookings_name_the_field(appt, change, field, code):
    r = book(appt, **change)
    assert 400 <= r.status_code < 500, r.json
    assert (r.json["error"]["field"], r.json["error"]["code"]) == (field, code)


def test_bad_queries_name_the_field(appt):
    r = appt.get("/appointments/slots?item=MZ-01&day=2026-02-30")
    assert r.status_code == 400 and r.json["error"]["field"] == "day"
    r = appt.get("/appointments/slots?item=MZ-01")
    assert r.status_code == 400 and r.json["error"]["field"] == "day"
    r = appt.get(f"/appointments/today?window={2**40}", appt.staff("clerk1"))
    assert r.status_code == 400 and r.json["error"]["field"] == "window"


def test_limits_per_phone_and_id(appt):
    person = "110101199003071233"
    booked(appt, id_number=person)
    again = book(appt, slot=TUESDAY_930)
    assert again.status_code == 409 and again.json["error"]["code"] == "already_booked"
    booked(appt, item="MZ-02")
    third = book(appt, item="RS-01")
    assert (third.status_code, third.json["error"]["code"]) == (409, "too_many_active")
    assert third.json["error"]["field"] == "phone"
    booked(appt, phone="13900000009", item="RS-01", id_number=person)
    by_id = book(appt, phone="13900000008", item="RS-02", id_number=person)
    assert (by_id.status_code, by_id.json["error"]["field"]) == (409, "id_number")
    assert by_id.json["error"]["code"] == "too_many_active"


def test_cancel_and_move_by_the_manage_token(appt):
    token = booked(appt)["manage_token"]
    moved = appt.client.post(
        f"/api/v1/appointments/{token}/move", json={"request_id": rid(), "slot_start": TUESDAY_930}
    )
    assert moved.status_code == 200 and moved.json["appointment"]["slot_start"] == TUESDAY_930
    slots = appt.get("/appointments/slots?item=MZ-01&day=2026-11-24").json["slots"]
    assert (slots[1]["left"], slots[2]["left"]) == (3, 2)
    gone = appt.client.post(f"/api/v1/appointments/{token}/cancel", json={"request_id": rid()})
    assert gone.status_code == 200 and gone.json["appointment"]["state"] == "cancelled"
    assert not gone.json["appointment"]["can_move"]
    twice = appt.client.post(f"/api/v1/appointments/{token}/cancel", json={"request_id": rid()})
    assert twice.status_code == 409
    slots = appt.get("/appointments/slots?item=MZ-01&day=2026-11-24").json["slots"]
    assert slots[2]["left"] == 3
    assert appt.client.get("/api/v1/appointments/nope").status_code == 404


def check_in(hall, **body):
    return hall.client.post(
        hall.url("/appointments/check-in"), json={"request_id": rid()} | body, headers=hall.device()
    )


def test_check_in_on_time_early_and_by_phone(appt, clock):
    first = booked(appt)["appointment"]
    second = booked(appt, phone="13900000001", slot=TUESDAY_930)["appointment"]
    appt.next_day(clock, minutes=-10)  # Tuesday 08:50: on time for 09:00, early for 09:30
    r = check_in(appt, code=first["code"])
    assert r.status_code == 201, r.json
    CheckedIn.model_validate(r.json)
    assert r.json["ticket"]["priority"] == "appointment" and r.json["appointment"]["on_time"]
    assert r.json["appointment"]["explanation"] is None
    again = check_in(appt, code=first["code"])
    assert again.status_code == 409 and again.json["error"]["code"] == "already_checked_in"
    early = check_in(appt, phone_last4="0001", item_code="MZ-01")
    assert early.status_code == 201 and early.json["ticket"]["priority"] == "normal"
    assert "早" in early.json["appointment"]["explanation"]["zh"]
    assert check_in(appt, code="12345678").status_code == 404
    page = appt.client.get(
        f"/api/v1/appointments/{booked(appt, phone='13900000005', slot='2026-11-24T11:00:00+08:00')['manage_token']}"
    )
    assert page.status_code == 200
    day = appt.get("/appointments/today", appt.staff("clerk1")).json
    nine = [s for s in day["slots"] if s["start"] == TUESDAY_9][0]
    assert nine["checked_in"] == 1 and nine["appointments"][0]["ticket_number"]
    assert nine["appointments"][0]["phone_masked"] == "138****5678"
    assert second["code"] in {a["code"] for s in day["slots"] for a in s["appointments"]}
    other = appt.get("/appointments/today?day=2026-11-25", appt.staff("clerk1"))
    assert other.status_code == 403
    assert appt.get("/appointments/today?day=2026-11-25", appt.staff("boss")).status_code == 200
    with UnitOfWork(appt.app.extensions["onestop"].db, clock()) as uow:
        ticket = uow.session.scalar(
            select(Ticket).where(Ticket.number == r.json["ticket"]["number"])
        )
        assert ticket.appointment_id is not None and ticket.slot_start is not None


def test_kiosk_appointment_tickets_need_a_real_code(appt, clock):
    made_up = appt.post(
        "/tickets",
        {"item_code": "MZ-01", "priority": "appointment", "priority_reason": "12345678"},
        appt.device(),
    )
    assert made_up.status_code == 404 and made_up.json["error"]["code"] == "appointment_not_found"
    code = booked(appt)["appointment"]["code"]
    appt.next_day(clock)
    wrong_item = appt.post(
        "/tickets",
        {"item_code": "RS-01", "priority": "appointment", "priority_reason": code},
        appt.device(),
    )
    assert wrong_item.status_code == 409
    ok = appt.post(
        "/tickets",
        {"item_code": "MZ-01", "priority": "appointment", "priority_reason": code},
        appt.device(),
    )
    assert ok.status_code == 200 and ok.json["ticket"]["priority"] == "appointment"


def test_no_shows_are_marked_and_limit_booking(app, db_url, clock, publisher):
    data = hall_config("town", appointments={"unchecked_codes": False, "no_show_limit": 1})
    hall = HallClient(app, "town", setup_hall(db_url, data, clock()))
    code = booked(hall)["appointment"]["code"]
    db = app.extensions["onestop"].db
    hall.next_day(clock, minutes=9)  # Tuesday 09:09: still inside the tolerance
    assert sweep_no_shows(db, clock(), publisher) == {"town": 0}
    clock.advance(minutes=20)  # 09:29: past the tolerance, the slot not over yet
    assert sweep_no_shows(db, clock(), publisher) == {"town": 0}
    clock.advance(minutes=1)  # 09:30: the slot's end
    assert sweep_no_shows(db, clock(), publisher) == {"town": 1}
    page = hall.get("/appointments/today", hall.staff("clerk1")).json
    assert page["slots"][0]["no_show"] == 1
    refused = book(hall, slot="2026-11-25T09:00:00+08:00")
    assert refused.status_code == 409 and refused.json["error"]["code"] == "too_many_no_shows"
    assert "appointment.no_show" in [e.type for e in publisher.events]
    with UnitOfWork(db, clock()) as uow:
        assert (
            uow.session.scalar(select(Appointment.state).where(Appointment.code == code))
            == "no_show"
        )


def test_concurrent_bookings_never_exceed_the_slot(app, db_url, clock):
    data = hall_config("town", appointments={"share": 1.0, "max_active_per_phone": 20})
    hall = HallClient(app, "town", setup_hall(db_url, data, clock()))
    booked(hall)  # 2 places left of 3

    def attempt(i: int):
        client = app.test_client()
        body = {
            "request_id": f"c-{i % 6}-{uuid.uuid4().hex[:4]}" if i >= 6 else f"retry-{i % 3}",
            "item_code": "MZ-01",
            "slot_start": TUESDAY_9,
            "name": "李四",
            "phone": f"1390000{i % 3 if i < 6 else i:04d}",
        }
        if i < 6:  # retries of 3 requests, each sent twice at once
            body["phone"] = f"1390000{i % 3:04d}"
        r = client.post(hall.url("/appointments"), json=body)
        return r.status_code, (r.json or {}).get("error", {}).get("code"), body["request_id"]

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(attempt, range(16)))
    assert all(status in (201, 409) for status, _, _ in results), results
    assert {code for status, code, _ in results if status == 409} <= {"slot_full", "already_booked"}
    with UnitOfWork(app.extensions["onestop"].db, clock()) as uow:
        taken = uow.session.scalar(select(AppointmentSlotCount.taken))
        rows = uow.session.scalars(select(Appointment)).all()
    assert taken == len(rows) == 3


def test_a_checked_in_appointment_is_called_from_its_slot_not_before(appt, clock):
    code = booked(appt)["appointment"]["code"]
    appt.next_day(clock, minutes=-20)  # Tuesday 08:40
    walk_in = appt.issue("MZ-01")["ticket"]["number"]
    clock.advance(minutes=8)  # 08:48: on time, but before the slot
    mine = check_in(appt, code=code).json["ticket"]["number"]
    later = appt.issue("MZ-01")["ticket"]["number"]  # 08:48, still before the slot start
    appt.open_window(2, "clerk2")
    first = appt.window(2, "call-next", "clerk2").json["ticket"]["number"]
    assert first == walk_in
    appt.window(2, "start", "clerk2")
    appt.window(2, "finish", "clerk2")
    clock.advance(minutes=12)  # 09:00: the slot has begun
    assert appt.window(2, "call-next", "clerk2").json["ticket"]["number"] == mine
    assert later != mine
