"""Who may do what, token handling, and two halls on one server that never see each other."""

from __future__ import annotations

import pytest

from backend.app import create_app
from tests.support import PASSWORD, HallClient, hall_config, setup_hall


@pytest.fixture
def two_halls(app, db_url, clock):
    a = HallClient(app, "county", setup_hall(db_url, hall_config("county"), clock()))
    b = HallClient(app, "town", setup_hall(db_url, hall_config("town"), clock()))
    return a, b


def test_two_halls_number_queue_and_serve_independently(two_halls):
    county, town = two_halls
    assert county.issue("MZ-01")["ticket"]["number"] == "A001"
    assert county.issue("MZ-01")["ticket"]["number"] == "A002"
    assert town.issue("MZ-01")["ticket"]["number"] == "A001"  # own counter
    town.open_window(2, "clerk1")
    assert town.window(2, "call-next", "clerk1").json["ticket"]["number"] == "A001"
    county_queue = county.get("/queue", county.staff("clerk1")).json
    assert {i["code"]: i["waiting"] for i in county_queue["items"]}["MZ-01"] == 2
    assert all(w["state"] == "closed" for w in county_queue["windows"])


def test_tokens_of_one_hall_do_not_open_another(two_halls):
    county, town = two_halls
    r = town.client.post(
        town.url("/tickets"),
        json={"item_code": "MZ-01", "request_id": "x"},
        headers=county.device(),
    )
    assert r.status_code == 404 and r.json["error"]["field"] == "hall"
    assert town.client.get(town.url("/queue"), headers=county.staff("clerk1")).status_code == 404
    r = town.client.post(
        town.url("/windows/2/sign-in"), json={"request_id": "y"}, headers=county.staff("clerk1")
    )
    assert r.status_code == 404


def test_same_username_in_two_halls_are_different_people(two_halls):
    county, town = two_halls
    county.open_window(2, "clerk1")
    town.open_window(2, "clerk1")  # not "signed in elsewhere": another hall's clerk1
    assert town.get("/queue", town.staff("clerk1")).json["windows"][1]["state"] == "open"


def test_requests_without_a_valid_token_are_refused(hall):
    r = hall.client.post(hall.url("/tickets"), json={"item_code": "MZ-01", "request_id": "a"})
    assert r.status_code == 401 and r.json["error"]["field"] == "Authorization"
    r = hall.client.post(
        hall.url("/tickets"),
        json={"item_code": "MZ-01", "request_id": "a"},
        headers={"Authorization": "Bearer nope"},
    )
    assert r.status_code == 401
    assert hall.get("/queue").status_code == 401


def test_roles_are_checked_on_every_endpoint(hall):
    display = hall.device("display-1")
    assert hall.post("/tickets", {"item_code": "MZ-01"}, display).status_code == 403
    assert (
        hall.post("/windows/2/sign-in", {}, hall.device()).status_code == 403
    )  # a kiosk is no clerk
    assert hall.get("/audit", hall.staff("clerk1")).status_code == 403
    assert hall.get("/audit", hall.staff("boss")).status_code == 200
    assert hall.get("/queue", display).status_code == 200


def test_login_logout_and_revocation(hall):
    bad = hall.client.post(
        "/api/v1/auth/login", json={"hall": "town", "username": "clerk1", "password": "wrong"}
    )
    unknown = hall.client.post(
        "/api/v1/auth/login", json={"hall": "town", "username": "ghost", "password": "wrong"}
    )
    assert (
        bad.status_code == unknown.status_code == 403 and bad.json == unknown.json
    )  # no user enumeration
    headers = hall.staff("clerk1")
    assert hall.client.get("/api/v1/auth/me", headers=headers).json["role"] == "clerk"
    assert (
        hall.client.post(
            "/api/v1/auth/logout", json={"request_id": "lo"}, headers=headers
        ).status_code
        == 200
    )
    assert hall.client.get("/api/v1/auth/me", headers=headers).status_code == 401


def test_tokens_expire(hall, clock):
    headers = hall.staff("clerk1")
    clock.advance(hours=15)
    assert hall.client.get("/api/v1/auth/me", headers=headers).status_code == 401


def test_passwords_are_stored_hashed(db_url, hall):
    import sqlalchemy as sa

    hall.staff("clerk1")
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        stored = conn.execute(
            sa.text("select password_hash from users where username='clerk1'")
        ).scalar()
        token_rows = conn.execute(sa.text("select token_hash from api_tokens")).scalars().all()
    engine.dispose()
    assert stored.startswith("scrypt:") and PASSWORD not in stored
    assert all(len(t) == 64 for t in token_rows)


def test_every_api_route_declares_who_may_call_it(app):
    from flask import Blueprint

    from backend.app import _check_every_api_route_declares_access

    bp = Blueprint("sneaky", __name__)
    bp.add_url_rule("/api/v1/sneaky", "sneaky", lambda: "open to all")
    app.register_blueprint(bp)
    with pytest.raises(RuntimeError, match="/api/v1/sneaky"):
        _check_every_api_route_declares_access(app)


def test_openapi_document_lists_every_api_route(app):
    doc = app.test_client().get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.1")
    rules = {r.rule for r in app.url_map.iter_rules() if r.rule.startswith("/api/")}
    import re

    documented = {re.sub(r"\{(\w+)\}", r"<\1>", p) for p in doc["paths"]}
    assert {re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", r) for r in rules} == documented
    issue = doc["paths"]["/api/v1/halls/{hall}/tickets"]["post"]
    assert issue["x-roles"] == ["admin", "clerk", "kiosk", "manager"]
    assert doc["components"]["schemas"]["IssueTicket"]["properties"]["priority"]["enum"] == [
        "normal",
        "green",
        "appointment",
    ]


def test_unknown_api_paths_and_methods_answer_json(hall):
    r = hall.client.get("/api/v1/nothing-here")
    assert r.status_code == 404 and r.json["error"]["code"] == "not_found"
    r = hall.client.delete(hall.url("/tickets"), headers=hall.device())
    assert r.status_code == 405 and "error" in r.json


def test_create_app_takes_a_config_mapping(tmp_path):
    key = tmp_path / "data.key"
    app = create_app(
        {"ONESTOP_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "ONESTOP_DATA_KEY_FILE": key}
    )
    ext = app.extensions["onestop"]
    assert ext.db.url.endswith("x.db")
    assert ext.scheduler is not None  # a production app sweeps deadlines; tests opt out
    ext.scheduler.stop()
    assert key.stat().st_mode & 0o777 == 0o600  # the data key is created private


def test_a_kiosk_reports_its_printer_and_only_for_itself(hall, publisher):
    r = hall.post(
        "/devices/kiosk-1/status",
        {"printer": {"condition": "paper_out", "message": "缺纸"}},
        hall.device(),
    )
    assert (
        r.status_code == 200 and r.json["device"]["status"]["printer"]["condition"] == "paper_out"
    )
    assert publisher.events[-1].type == "device.status"
    events = len(publisher.events)
    hall.post(
        "/devices/kiosk-1/status",
        {"printer": {"condition": "paper_out", "message": "缺纸"}},
        hall.device(),
    )
    assert len(publisher.events) == events  # a plain heartbeat pushes nothing
    r = hall.post("/devices/kiosk-1/status", {"printer": {"condition": "on fire"}}, hall.device())
    assert (r.status_code, r.json["error"]["field"]) == (400, "printer.condition")
    assert hall.post("/devices/display-1/status", {}, hall.device()).status_code == 403
