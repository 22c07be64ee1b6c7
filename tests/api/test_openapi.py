"""The OpenAPI document describes every answer and every query parameter, and the test suite
holds every real 200 answer to its declared model (``ONESTOP_CHECK_RESPONSES``)."""

from __future__ import annotations

import inspect
import re

import pytest
from pydantic import BaseModel

from backend.api import case_views, hall_views, report_views, window_views
from backend.api.framework import ROUTES
from backend.api.response_check import ResponseMismatch

BINARY = {"type": "string", "format": "binary"}


@pytest.fixture
def doc(app):
    return app.test_client().get("/api/v1/openapi.json").json


def operations(doc):
    for path, methods in doc["paths"].items():
        for method, op in methods.items():
            yield f"{method.upper()} {path}", op


def test_every_operation_describes_its_200_answer(doc):
    schemas = doc["components"]["schemas"]
    for name, op in operations(doc):
        content = op["responses"]["200"]["content"]
        assert content, name
        for media_type, body in content.items():
            if media_type == "application/json":
                ref = body["schema"]["$ref"]
                model = schemas[ref.rsplit("/", 1)[-1]]
                assert model["type"] == "object" and model["properties"], name
                assert "additionalProperties" not in model, name  # a new key is no failure
            else:
                assert body["schema"] == BINARY, name
    assert len(list(operations(doc))) == len(ROUTES)


def test_answers_name_their_keys_and_which_are_always_there(doc):
    schemas = doc["components"]["schemas"]
    brief = schemas["TicketBrief"]
    assert set(brief["required"]) == set(brief["properties"])
    assert {k: v for k, v in brief["properties"]["called_at"].items() if k != "title"} == {
        "anyOf": [{"format": "date-time", "type": "string"}, {"type": "null"}]
    }
    status = schemas["TicketStatus"]
    assert "window" in status["properties"] and "window" not in status["required"]
    assert "rectification" not in schemas["Rated"]["required"]
    daily = doc["paths"]["/api/v1/halls/{hall}/reports/daily"]["get"]["responses"]["200"]
    assert set(daily["content"]) == {
        "application/json",
        "text/csv; charset=utf-8",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    pdf = doc["paths"]["/api/v1/halls/{hall}/reports/monthly.pdf"]["get"]["responses"]["200"]
    assert pdf["content"] == {"application/pdf": {"schema": BINARY}}


def query_parameters(doc, path: str) -> dict[str, dict]:
    op = doc["paths"]["/api/v1/halls/{hall}" + path]["get"]
    return {p["name"]: p for p in op["parameters"] if p["in"] == "query"}


@pytest.mark.parametrize(
    ("path", "names"),
    [
        ("/audit", {"limit", "before"}),
        ("/reports/daily", {"date", "format", "by"}),
        ("/reports/monthly", {"month", "format", "by"}),
        ("/reports/monthly.pdf", {"month"}),
        ("/cases", {"state", "colour", "unit", "clerk", "item"}),
        ("/cases/lookup", {"number", "phone_last4"}),
        ("/overdue", {"pending"}),
        ("/rectifications", {"state"}),
        ("/follow-ups", {"state"}),
    ],
)
def test_query_parameters_are_documented(doc, path, names):
    assert set(query_parameters(doc, path)) == names


def test_query_parameters_carry_their_types_and_bounds(doc):
    audit = query_parameters(doc, "/audit")
    assert audit["limit"]["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 500,
        "default": 100,
    }
    lookup = query_parameters(doc, "/cases/lookup")
    assert lookup["number"]["required"] and lookup["phone_last4"]["required"]
    assert lookup["phone_last4"]["schema"]["pattern"] == "^[0-9]{4}$"
    daily = query_parameters(doc, "/reports/daily")
    assert daily["date"]["schema"] == {"type": "string", "format": "date"}  # never null
    assert daily["format"]["schema"]["enum"] == ["json", "csv", "xlsx"]
    assert query_parameters(doc, "/cases")["state"]["schema"]["enum"][-1] == "all"


def test_no_view_reads_the_query_string_behind_its_model():
    for module in (hall_views, window_views, case_views, report_views):
        assert "request.args" not in inspect.getsource(module), module.__name__


@pytest.mark.parametrize(
    ("path", "code", "field"),
    [
        ("/audit?limit=0", "bad_paging", "limit"),
        ("/audit?before=x", "bad_paging", "before"),
        ("/reports/daily?date=2026-02-30", "invalid_date", "date"),
        ("/reports/daily?format=pdf", "invalid_format", "format"),
        ("/reports/monthly?by=day", "invalid_by", "by"),
        ("/reports/monthly.pdf?month=2026-13", "invalid_month", "month"),
        ("/cases?state=lost", "invalid_filter", "state"),
        ("/cases?colour=blue", "invalid_filter", "colour"),
        ("/cases?floor=2", "unknown_filter", "floor"),
        ("/overdue?pending=maybe", "invalid_filter", "pending"),
        ("/rectifications?state=closed", "invalid_filter", "state"),
        ("/cases/lookup?number=X&phone_last4=12a4", "invalid_phone_last4", "phone_last4"),
        ("/cases/lookup?number=%20&phone_last4=1234", "number_required", "number"),
        ("/audit?page=2", "invalid_field", "page"),
    ],
)
def test_a_bad_query_parameter_keeps_its_code_and_names_itself(hall, path, code, field):
    r = hall.get(path, hall.staff("boss"))
    assert r.status_code == 400, r.json
    assert (r.json["error"]["code"], r.json["error"]["field"]) == (code, field)


def test_empty_query_parameters_mean_their_defaults(hall):
    boss = hall.staff("boss")
    assert "days" not in hall.get("/reports/daily?date=&format=&by=", boss).json
    assert hall.get("/reports/monthly?month=&format=", boss).json["period"]["kind"] == "month"
    assert hall.get("/cases?state=&colour=", boss).json["cases"] == []
    assert hall.get("/audit?limit=2", boss).status_code == 200


def _spec(endpoint: str):
    return next(s for s in ROUTES if s.endpoint == endpoint)


def test_an_answer_missing_a_described_key_fails_loudly(app, hall, monkeypatch):
    assert app.config["ONESTOP_CHECK_RESPONSES"]

    class NeedsMore(BaseModel):
        kind: str
        badge: str

    monkeypatch.setattr(_spec("auth.me"), "response", NeedsMore)
    with pytest.raises(ResponseMismatch, match="badge"):
        hall.client.get("/api/v1/auth/me", headers=hall.device())


def test_an_answer_with_a_key_its_model_leaves_out_fails_loudly(hall, monkeypatch):
    class Fewer(BaseModel):
        kind: str
        name: str
        role: str

    monkeypatch.setattr(_spec("auth.me"), "response", Fewer)
    with pytest.raises(ResponseMismatch, match=re.escape("['hall']")):
        hall.client.get("/api/v1/auth/me", headers=hall.device())
