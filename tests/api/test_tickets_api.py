"""Issuing tickets through the API: numbering, idempotency, validation, status."""

from __future__ import annotations

from sqlalchemy import create_engine, func, select

from backend.db.models import Ticket
from tests.support import rid


def count_tickets(db_url: str) -> int:
    engine = create_engine(db_url)
    with engine.connect() as conn:
        n = conn.scalar(select(func.count()).select_from(Ticket))
    engine.dispose()
    return n


def test_numbers_count_per_prefix(hall):
    numbers = [
        hall.issue(item)["ticket"]["number"] for item in ("MZ-01", "MZ-02", "RS-01", "MZ-01")
    ]
    assert numbers == ["A001", "A002", "B001", "A003"]


def test_numbers_restart_at_hall_local_midnight_and_history_stays(hall, clock, db_url):
    assert hall.issue()["ticket"]["number"] == "A001"
    clock.advance(hours=15, minutes=30)  # 00:30 next day in Shanghai
    second = hall.issue()["ticket"]
    assert second["number"] == "A001" and second["day"] == "2026-11-24"
    assert count_tickets(db_url) == 2


def test_issue_answers_people_ahead_wait_and_windows(hall):
    hall.open_window(2, "clerk1")
    hall.issue("MZ-01")
    hall.issue("MZ-01")
    third = hall.issue("MZ-01")
    assert third["people_ahead"] == 2 and third["window_open"] is True
    assert third["estimated_wait_minutes"] == 12  # window 2 calls the two first, 6 min each
    assert [w["number"] for w in third["windows"]] == [1, 2]
    assert third["status_path"] == f"/t/{third['status_token']}"
    assert len(third["status_token"]) >= 22


def test_same_request_id_returns_the_first_ticket_and_issues_nothing_more(hall, db_url):
    body = {"item_code": "MZ-01", "request_id": "tap-1"}
    first = hall.client.post(hall.url("/tickets"), json=body, headers=hall.device())
    again = hall.client.post(hall.url("/tickets"), json=body, headers=hall.device())
    assert first.json == again.json
    assert again.headers["Idempotent-Replayed"] == "true"
    assert count_tickets(db_url) == 1


def test_idempotency_key_header_works_like_the_field(hall, db_url):
    headers = hall.device() | {"Idempotency-Key": "hdr-1"}
    a = hall.client.post(hall.url("/tickets"), json={"item_code": "RS-01"}, headers=headers)
    b = hall.client.post(hall.url("/tickets"), json={"item_code": "RS-01"}, headers=headers)
    assert (
        a.status_code == b.status_code == 200 and a.json["ticket"]["id"] == b.json["ticket"]["id"]
    )


def test_reusing_a_request_id_for_something_else_is_a_conflict(hall, db_url):
    hall.client.post(
        hall.url("/tickets"), json={"item_code": "MZ-01", "request_id": "x"}, headers=hall.device()
    )
    r = hall.client.post(
        hall.url("/tickets"), json={"item_code": "RS-01", "request_id": "x"}, headers=hall.device()
    )
    assert r.status_code == 409 and r.json["error"]["field"] == "request_id"
    assert count_tickets(db_url) == 1


def test_a_change_without_request_id_is_refused(hall, db_url):
    r = hall.client.post(hall.url("/tickets"), json={"item_code": "MZ-01"}, headers=hall.device())
    assert r.status_code == 400
    assert r.json["error"] == {
        "code": "request_id_required",
        "field": "request_id",
        "message": r.json["error"]["message"],
    }
    assert count_tickets(db_url) == 0


def test_bad_input_names_the_field_and_writes_nothing(hall, db_url):
    cases = [
        ({"item_code": "NOPE"}, 404, "item_code"),
        ({"item_code": "MZ-01", "priority": "vip"}, 400, "priority"),
        ({"item_code": "MZ-01", "priority": "green"}, 400, "priority_reason"),
        ({"item_code": "MZ-01", "priority": "appointment"}, 400, "priority_reason"),
        ({"item_code": "MZ-01", "colour": "red"}, 400, "colour"),
        ({"item_code": 12}, 400, "item_code"),
        ({}, 400, "item_code"),
    ]
    for body, status, field in cases:
        r = hall.client.post(
            hall.url("/tickets"), json={"request_id": rid()} | body, headers=hall.device()
        )
        assert (r.status_code, r.json["error"]["field"]) == (status, field), body
        assert r.json["error"]["message"]
    assert count_tickets(db_url) == 0


def test_malformed_and_oversize_bodies_are_refused(hall):
    r = hall.client.post(
        hall.url("/tickets"), data="{oops", content_type="application/json", headers=hall.device()
    )
    assert r.status_code == 400 and r.json["error"]["code"] == "malformed_json"
    r = hall.client.post(hall.url("/tickets"), data="item=MZ-01", headers=hall.device())
    assert r.status_code == 415
    big = {"item_code": "MZ-01", "request_id": "big", "pad": "x" * 70_000}
    r = hall.client.post(hall.url("/tickets"), json=big, headers=hall.device())
    assert r.status_code == 413 and r.json["error"]["code"] == "body_too_large"


def test_green_channel_ticket_stands_before_normal_ones(hall):
    hall.open_window(2, "clerk1")
    hall.issue("MZ-01")
    green = hall.issue("MZ-01", priority="green", priority_reason="elderly")
    assert green["people_ahead"] == 0
    assert (
        hall.window(2, "call-next", "clerk1").json["ticket"]["number"] == green["ticket"]["number"]
    )


def test_hall_closed_outside_opening_hours_when_enforced(app, db_url, clock):
    from tests.support import HallClient, hall_config, setup_hall

    data = hall_config("night", queue={"enforce_opening_hours": True})
    tokens = setup_hall(db_url, data, clock(), clerks=())
    night = HallClient(app, "night", tokens)
    assert (
        night.post("/tickets", {"item_code": "MZ-01"}, night.device()).status_code == 200
    )  # Monday 09:00
    clock.advance(hours=4)  # 13:00 lunch break
    r = night.post("/tickets", {"item_code": "MZ-01"}, night.device())
    assert r.status_code == 409 and r.json["error"]["code"] == "hall_closed"
    assert "14:00" in r.json["error"]["message"]


def test_public_status_by_token_shows_position_and_no_personal_data(hall):
    hall.open_window(2, "clerk1")
    hall.issue("MZ-01")
    mine = hall.issue("MZ-01")
    r = hall.client.get(f"/api/v1/status/{mine['status_token']}")
    assert r.status_code == 200
    assert (
        r.json["number"] == "A002"
        and r.json["people_ahead"] == 1
        and r.json["state_label"] == "等候中"
    )
    hall.window(2, "call-next", "clerk1")
    hall.window(2, "finish", "clerk1")
    hall.window(2, "call-next", "clerk1")
    r = hall.client.get(f"/api/v1/status/{mine['status_token']}")
    assert r.json["state"] == "called" and r.json["window"]["number"] == 2
    assert hall.client.get("/api/v1/status/not-a-token").status_code == 404


def test_cancel_a_waiting_ticket(hall):
    t = hall.issue("MZ-01")["ticket"]
    r = hall.post(f"/tickets/{t['number']}/cancel", {}, hall.staff("clerk1"))
    assert r.status_code == 200 and r.json["ticket"]["state"] == "cancelled"
    again = hall.post(f"/tickets/{t['number']}/cancel", {}, hall.staff("clerk1"))
    assert again.status_code == 409 and "cancelled" in again.json["error"]["message"]


def test_status_page_behind_the_qr_code(hall):
    mine = hall.issue("MZ-01")
    page = hall.client.get(mine["status_path"])
    html = page.get_data(as_text=True)
    assert (
        page.status_code == 200
        and "A001" in html
        and "最低生活保障申请" in html
        and "等候中" in html
    )
    assert hall.client.get("/t/unknown-token").status_code == 404
