"""Hostile input is a 4xx naming what is wrong, never a 500, and changes nothing."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from backend.db.models import AuditEntry, Ticket


def counts(app):
    with app.extensions["onestop"].db.reader() as s:
        return s.scalar(select(func.count(Ticket.id))), s.scalar(select(func.count(AuditEntry.id)))


@pytest.mark.parametrize("number", [2**31, 2**63, 10**30])
def test_huge_integers_in_the_path_are_400(hall, number):
    r = hall.window(number, "call-next", "clerk1")
    assert r.status_code == 400, r.json
    assert r.json["error"]["field"] == "number"


def test_nul_bytes_in_path_query_and_body_are_400_naming_them(app, hall):
    before = counts(app)
    r = hall.client.get("/api/v1/status/a%00b")
    assert r.status_code == 400 and r.json["error"]["field"] == "token"
    r = hall.get("/audit?limit=5%00", hall.staff("boss"))
    assert r.status_code == 400 and r.json["error"]["field"] == "limit"
    r = hall.post("/tickets", {"item_code": "MZ\x0001"}, hall.device())
    assert r.status_code == 400 and r.json["error"]["field"] == "item_code"
    r = hall.post("/tickets", {"item_code": "MZ-01", "language": "zh\x00"}, hall.device())
    assert r.status_code == 400 and r.json["error"]["field"] == "language"
    assert counts(app)[0] == before[0]  # no ticket was issued


@pytest.mark.parametrize("path", ["/api/v1/auth/login", "/api/v1/halls/town/tickets"])
def test_deeply_nested_json_is_400_not_a_recursion_error(hall, path):
    deep = "[" * 100_000 + "]" * 100_000
    body = '{"item_code": "MZ-01", "request_id": "deep", "x": ' + deep + "}"
    r = hall.client.post(path, data=body, content_type="application/json", headers=hall.device())
    assert r.status_code in (400, 413), r.json
    shallow = '{"item_code": "MZ-01", "request_id": "ok", "x": ' + "[" * 20 + "]" * 20 + "}"
    r = hall.client.post(path, data=shallow, content_type="application/json", headers=hall.device())
    assert r.status_code == 400 and r.json["error"]["code"] == "too_deep"
    brackets_in_a_string = '{"hall": "town", "username": "' + "[" * 40 + '", "password": "x"}'
    r = hall.client.post(
        "/api/v1/auth/login", data=brackets_in_a_string, content_type="application/json"
    )
    assert r.status_code == 403  # a string full of brackets is not nesting


@pytest.mark.parametrize(
    "query, field",
    [
        ("limit=-1", "limit"),
        ("limit=0", "limit"),
        ("limit=abc", "limit"),
        ("before=" + "9" * 30, "before"),
    ],
)
def test_audit_paging_is_bounded(hall, query, field):
    r = hall.get(f"/audit?{query}", hall.staff("boss"))
    assert r.status_code == 400 and r.json["error"]["field"] == field
    assert len(hall.get("/audit?limit=500", hall.staff("boss")).json["entries"]) <= 500


def test_a_chunked_body_over_the_limit_is_413(hall):
    r = hall.client.post(
        hall.url("/tickets"),
        environ_overrides={"wsgi.input_terminated": True},
        input_stream=io.BytesIO(b'{"item_code": "' + b"x" * 100_000 + b'"}'),
        headers=hall.device()
        | {"Transfer-Encoding": "chunked", "Content-Type": "application/json"},
    )
    assert r.status_code == 413, r.json
