"""GET /staffing: windows planned vs needed per half hour, for managers (the board's strip)."""

from __future__ import annotations

import pytest

BOSS = "boss"


def advice(hall, query: str = ""):
    r = hall.get(f"/staffing{query}", hall.staff(BOSS))
    assert r.status_code == 200, r.json
    return r.json


def test_staffing_advice_is_for_managers(hall):
    assert hall.get("/staffing", hall.staff("clerk1")).status_code == 403
    assert hall.get("/staffing", hall.device("kiosk-1")).status_code == 403
    assert hall.get("/staffing", hall.device("display-1")).status_code == 403
    assert hall.get("/staffing").status_code == 401
    assert hall.get("/staffing", hall.staff(BOSS)).status_code == 200


@pytest.mark.parametrize(
    "value",
    ["yesterday", "2026-13-01", "2026-02-30", "23.11.2026", "1999-12-31", "2026-11-23T09:00"],
)
def test_a_bad_day_is_refused_naming_day(hall, value):
    r = hall.get(f"/staffing?day={value}", hall.staff(BOSS))
    assert r.status_code == 400, r.json
    assert (r.json["error"]["code"], r.json["error"]["field"]) == ("invalid_day", "day")


def test_an_unknown_parameter_is_refused(hall):
    r = hall.get("/staffing?date=2026-11-24", hall.staff(BOSS))
    assert r.status_code == 400 and r.json["error"]["field"] == "date"


def test_today_remaining_follows_the_clock_and_the_open_windows(hall, clock):
    clock.advance(minutes=40)  # Monday 23 November, 09:40
    today = advice(hall)
    assert (today["scope"], today["day"], today["hall"]) == ("today", "2026-11-23", "town")
    assert today["slots"][0]["start"] == "09:30"  # the half hours over by 09:40 are left out
    assert all(s["end"] > "09:40" for s in today["slots"])
    assert all(s["gap"] == s["needed"] - s["planned"] for s in today["slots"])
    assert today == advice(hall, "?day=today") | {"at": today["at"]}
    assert today["slots"] == advice(hall, "?day=2026-11-23")["slots"]
    # No window is open yet while residents are expected (a demo profile: no history): short.
    assert all(s["planned"] == 0 for s in today["slots"])
    assert any(s["gap"] > 0 for s in today["slots"]) and today["mode"] == "today"

    for number, clerk in ((1, "clerk1"), (2, "clerk2"), (3, "clerk3")):
        hall.open_window(number, clerk)
    opened = advice(hall)
    # 09:30-10:00 has them for 20 of its 30 minutes (time-weighted: 2), then all three.
    assert [s["planned"] for s in opened["slots"][:3]] == [2, 3, 3]
    assert all(s["planned"] == 3 for s in opened["slots"][1:])
    assert all(s["gap"] == s["needed"] - s["planned"] for s in opened["slots"])

    clock.advance(hours=8)  # 17:40: the small hall closed at 17:30
    assert advice(hall)["slots"] == []


def test_tomorrow_and_another_day_are_whole_days(hall):
    tomorrow = advice(hall, "?day=tomorrow")
    assert (tomorrow["scope"], tomorrow["day"]) == ("tomorrow", "2026-11-24")
    assert tomorrow["slots"][0]["start"] == "08:30" and tomorrow["slots"][-1]["end"] == "17:30"
    assert tomorrow["day_kind"] == "workday"
    later = advice(hall, "?day=2026-12-02")
    assert (later["scope"], later["day"]) == ("day", "2026-12-02")
    assert [s["start"] for s in later["slots"]] == [s["start"] for s in tomorrow["slots"]]
    saturday = advice(hall, "?day=2026-11-28")  # weekend duty 09:00-12:00
    assert saturday["day_kind"] == "weekend"
    assert [s["start"] for s in saturday["slots"]][::5] == ["09:00", "11:30"]
    national_day = advice(hall, "?day=2026-10-01")  # a past public holiday: closed
    assert (national_day["day_kind"], national_day["mode"]) == ("holiday", "recorded")
    assert national_day["slots"] == []


def test_the_day_parameter_is_documented(app):
    doc = app.test_client().get("/api/v1/openapi.json").json
    op = doc["paths"]["/api/v1/halls/{hall}/staffing"]["get"]
    params = {p["name"]: p for p in op["parameters"] if p["in"] == "query"}
    assert set(params) == {"day"}
    assert op["x-roles"] == ["admin", "manager", "supervisor"]
