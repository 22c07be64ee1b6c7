"""The county network through the API: 上报 from a town to the county the same working day,
acceptance into the county's cases with the original acceptance time, 退回, 交办 down to a town,
and the isolation that stays exact (a town sees only itself; a supervisor only its tree)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from backend.db.engine import open_database
from backend.db.models import Case, CaseReferral
from backend.db.uow import Actor, UnitOfWork
from backend.services.auth import add_user
from tests.api.test_cases_api import accept, act, at_window
from tests.support import PASSWORD, hall_config, rid, setup_hall


def referral_count(db_url) -> int:
    db = open_database(db_url)
    try:
        with db.reader() as s:
            return s.scalar(select(func.count()).select_from(CaseReferral))
    finally:
        db.dispose()


def town_case(network, item: str = "MZ-02", hall: str = "town") -> dict:
    at_window(network[hall], item)
    return accept(network[hall], decision="coordinated")


def refer(network, number: str, hall: str = "town", who: str = "clerk1", **body):
    town = network[hall]
    return town.post(f"/cases/{number}/refer", {"reason": "超出镇级权限"} | body, town.staff(who))


def inbox(network, hall: str = "county", **params) -> list[dict]:
    county = network[hall]
    query = "&".join(f"{k}={v}" for k, v in params.items())
    r = county.get(f"/referrals?{query}", county.staff("clerk1"))
    assert r.status_code == 200, r.json
    return r.json["referrals"]


def test_refer_up_then_accept_keeps_the_original_acceptance_and_the_history(network, clock):
    town, county = network["town"], network["county"]
    case = town_case(network, "MZ-01")  # 15 working days at the town
    clock.advance(hours=2)  # 11:00 the same Monday
    r = refer(network, case["number"], to_unit="GA")
    assert r.status_code == 200, r.json
    referral = r.json["referral"]
    assert r.json["case"]["state"] == "referred" and r.json["case"]["colour"] is None
    assert referral["direction"] == "up" and referral["to_hall"]["code"] == "county"
    assert referral["to_unit"] == "GA" and referral["late"] is False
    assert referral["due_at"] == "2026-11-23T09:30:00+00:00"  # 17:30 that day, Shanghai
    # the town's list of open cases no longer holds it; the county's inbox does
    assert case["number"] not in [
        c["number"] for c in town.get("/cases", town.staff("boss")).json["cases"]
    ]
    waiting = inbox(network, state="sent")
    assert [w["case"] for w in waiting] == [case["number"]]
    assert waiting[0]["applicant"] == {"name": "张*三", "phone": "138****1234"}
    assert inbox(network, hall="town", box="out")[0]["id"] == referral["id"]

    clock.advance(hours=1)
    r = county.post(
        f"/referrals/{referral['id']}/accept", {"item": "GA-01"}, county.staff("clerk2")
    )
    assert r.status_code == 200, r.json
    taken = r.json["case"]
    assert taken["number"].startswith("COUNTY-20261123-")
    assert taken["accepted_at"] == case["accepted_at"]  # the resident's first application
    assert taken["item"] == "GA-01" and taken["working_days"] == 20
    assert taken["handling_unit"] == "GA" and taken["state"] == "open"
    # 20 working days from Monday 23 November (acceptance day does not count): 21 December
    assert taken["deadline_at"] == "2026-12-21T17:30:00+08:00"
    assert taken["applicant"] == case["applicant"]  # the sealed data came along, still masked
    assert r.json["referral"]["state"] == "accepted"
    assert r.json["referral"]["received_as"] == taken["number"]

    detail = county.get(f"/cases/{taken['number']}", county.staff("boss")).json["case"]
    (leg,) = detail["referred_from"]
    assert leg["hall"]["code"] == "town" and leg["number"] == case["number"]
    actions = [h["action"] for h in leg["history"]]
    assert actions == ["case.accepted", "case.referred", "case.referral_accepted"]
    assert leg["history"][-1]["actor"] == "user:clerk2@county"
    assert [h["action"] for h in detail["history"]] == ["case.accepted"]
    origin = town.get(f"/cases/{case['number']}", town.staff("boss")).json["case"]
    assert origin["state"] == "referred"
    assert origin["referrals"][0]["received_as"] == taken["number"]
    # a referred case takes no more actions at the town
    r = act(town, case["number"], "finish", result="办结")
    assert r.status_code == 409 and r.json["error"]["code"] == "invalid_case_transition"


def test_a_referral_after_the_acceptance_day_is_late(network, clock):
    case = town_case(network)
    clock.advance(days=1)  # Tuesday: the town should have reported on Monday
    network["town"]._staff.clear()
    r = refer(network, case["number"])
    assert r.status_code == 200, r.json
    assert r.json["referral"]["late"] is True


def test_return_reopens_the_town_case(network, clock):
    town, county = network["town"], network["county"]
    case = town_case(network)
    referral = refer(network, case["number"]).json["referral"]
    path = f"/referrals/{referral['id']}/return"
    r = county.post(path, {"reason": "属镇级权限"}, county.staff("clerk1"))
    assert r.status_code == 403  # returning is a manager's decision
    r = county.post(path, {"reason": "属镇级权限，请镇里办理"}, county.staff("boss"))
    assert r.status_code == 200, r.json
    assert r.json["referral"]["state"] == "returned"
    again = town.get(f"/cases/{case['number']}", town.staff("clerk1")).json["case"]
    assert again["state"] == "open" and again["colour"] == "green"
    assert again["history"][-1]["action"] == "case.referral_returned"
    # decided once: accepting it now is a conflict, and nothing was created
    r = county.post(f"/referrals/{referral['id']}/accept", {}, county.staff("clerk1"))
    assert r.status_code == 409 and r.json["error"]["code"] == "referral_decided"


def test_assign_down_from_the_county_to_a_town(network):
    county, east = network["county"], network["east"]
    at_window(county, "MZ-01")
    case = accept(county, decision="coordinated")
    r = county.post(
        f"/cases/{case['number']}/refer",
        {"to_hall": "east", "reason": "属地办理"},
        county.staff("clerk1"),
    )
    assert r.status_code == 200, r.json
    assert r.json["referral"]["direction"] == "down"
    (waiting,) = inbox(network, hall="east")
    r = east.post(f"/referrals/{waiting['id']}/accept", {}, east.staff("clerk3"))
    assert r.status_code == 200, r.json
    assert r.json["case"]["number"].startswith("EAST-") and r.json["case"]["item"] == "MZ-01"
    assert r.json["case"]["deadline_at"] == case["deadline_at"]  # same limit, same start


def test_referrals_go_one_level_and_never_sideways(network):
    case = town_case(network)
    for target, code in (
        ("east", "not_adjacent"),
        ("nowhere", "hall_not_found"),
    ):
        r = refer(network, case["number"], to_hall=target)
        assert r.status_code in (404, 409) and r.json["error"]["code"] == code, r.json
        assert r.json["error"]["field"] == "to_hall"
    r = refer(network, case["number"], to_unit="XX")
    assert r.status_code == 404 and r.json["error"]["field"] == "to_unit"
    # the village point reports to its town, and the town's inbox gets it
    cun = network["cun"]  # no kiosk: the clerk issues the ticket at the single window
    r = cun.post("/tickets", {"item_code": "MZ-02"}, cun.staff("clerk1"))
    assert r.status_code == 200, r.json
    cun.open_window(1, "clerk1")
    assert cun.window(1, "call-next", "clerk1").status_code == 200
    village = accept(cun, window=1, decision="coordinated")
    r = refer(network, village["number"], hall="cun")
    assert r.status_code == 200 and r.json["referral"]["to_hall"]["code"] == "town"
    assert [w["case"] for w in inbox(network, hall="town")] == [village["number"]]
    # the county has no hall above it
    at_window(network["county"], "MZ-02")
    top = accept(network["county"], decision="coordinated")
    r = refer(network, top["number"], hall="county")
    assert r.status_code == 409 and r.json["error"]["code"] == "no_parent"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"reason": ""}, "reason"),
        ({"reason": "x" * 401}, "reason"),
        ({"reason": "ok", "to_hall": "a b"}, "to_hall"),
        ({"reason": "ok\u0000"}, "reason"),
        ({"reason": "ok", "extra": 1}, "extra"),
        ({"reason": "ok", "to_unit": 10**30}, "to_unit"),
    ],
)
def test_bad_referrals_name_the_field_and_write_nothing(network, db_url, body, field):
    case = town_case(network)
    town = network["town"]
    r = town.client.post(
        town.url(f"/cases/{case['number']}/refer"),
        json={"request_id": rid()} | body,
        headers=town.staff("clerk1"),
    )
    assert r.status_code == 400, r.json
    assert r.json["error"]["field"] == field
    assert referral_count(db_url) == 0
    assert (
        town.get(f"/cases/{case['number']}", town.staff("clerk1")).json["case"]["state"] == "open"
    )


def test_a_retry_gets_the_first_answer_and_refers_once(network, db_url):
    case = town_case(network)
    town = network["town"]
    body = {"request_id": "refer-once", "reason": "超出镇级权限"}
    first = town.client.post(
        town.url(f"/cases/{case['number']}/refer"), json=body, headers=town.staff("clerk1")
    )
    again = town.client.post(
        town.url(f"/cases/{case['number']}/refer"), json=body, headers=town.staff("clerk1")
    )
    assert first.status_code == again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true" and again.json == first.json
    assert referral_count(db_url) == 1
    county = network["county"]
    rid_ = first.json["referral"]["id"]
    body = {"request_id": "accept-once"}
    one = county.client.post(
        county.url(f"/referrals/{rid_}/accept"), json=body, headers=county.staff("clerk1")
    )
    two = county.client.post(
        county.url(f"/referrals/{rid_}/accept"), json=body, headers=county.staff("clerk1")
    )
    assert one.status_code == two.status_code == 200 and one.json == two.json
    db = open_database(db_url)
    try:
        with db.reader() as s:
            county_cases = s.scalar(
                select(func.count()).select_from(Case).where(Case.number.like("COUNTY-%"))
            )
    finally:
        db.dispose()
    assert county_cases == 1


def test_a_town_cannot_see_or_take_another_halls_referrals(network):
    case = town_case(network)
    referral = refer(network, case["number"]).json["referral"]
    east, town = network["east"], network["town"]
    # east is not the receiving hall: its accept answers as if the referral did not exist
    r = east.post(f"/referrals/{referral['id']}/accept", {}, east.staff("clerk1"))
    assert r.status_code == 404 and r.json["error"]["code"] == "referral_not_found"
    assert inbox(network, hall="east") == []
    # the town cannot accept its own referral into itself either
    r = town.post(f"/referrals/{referral['id']}/accept", {}, town.staff("clerk1"))
    assert r.status_code == 404
    # staff of one hall reach no other hall's routes: 404, as if it did not exist
    for path in ("/cases", f"/cases/{case['number']}", "/referrals", "/board"):
        r = east.client.get(town.url(path), headers=east.staff("boss"))
        assert r.status_code == 404, (path, r.status_code)
        r = town.client.get(network["county"].url(path), headers=town.staff("boss"))
        assert r.status_code == 404, (path, r.status_code)
    # devices too
    r = east.client.get(town.url("/referrals"), headers=east.device("kiosk-1"))
    assert r.status_code in (403, 404)


def test_the_supervisor_reads_the_halls_below_and_changes_nothing(network, app, db_url, clock):
    county, town = network["county"], network["town"]
    ducha = county.staff("ducha")
    case = town_case(network)
    for hall in ("county", "town", "east", "cun"):
        r = county.client.get(f"/api/v1/halls/{hall}/referrals?box=all", headers=ducha)
        assert r.status_code == 200, (hall, r.json)
    # it may not act in a town
    r = town.post(f"/cases/{case['number']}/refer", {"reason": "x"}, ducha)
    assert r.status_code == 403
    r = town.post("/windows/2/call-next", {}, ducha)
    assert r.status_code == 403
    # a hall outside its tree does not exist for it
    setup_hall(db_url, hall_config("other"), clock())
    r = county.client.get("/api/v1/halls/other/referrals", headers=ducha)
    assert r.status_code == 404
    # a town's supervisor sees its village point, not the county nor the other town
    db = open_database(db_url)
    try:
        with UnitOfWork(db, clock()) as uow:
            add_user(uow, "town", "xiangzhen", "镇督查", "supervisor", PASSWORD, Actor("test"))
            uow.commit()
    finally:
        db.dispose()
    mine = town.staff("xiangzhen")
    assert town.client.get("/api/v1/halls/cun/referrals", headers=mine).status_code == 200
    for hall in ("county", "east"):
        assert town.client.get(f"/api/v1/halls/{hall}/referrals", headers=mine).status_code == 404


def test_the_town_report_counts_a_referred_case_as_referred_never_as_overdue(network, clock):
    town = network["town"]
    case = town_case(network)  # MZ-02: due Monday 30 November at the town
    assert refer(network, case["number"]).status_code == 200
    town.next_day(clock, days=9)  # Wednesday 2 December: past the town's deadline
    r = town.get("/reports/monthly?month=2026-11", town.staff("boss"))
    assert r.status_code == 200, r.json
    totals = r.json["totals"]
    assert totals["cases_accepted"] == 1 and totals["cases_referred"] == 1
    assert totals["cases_overdue"] == 0 and totals["cases_finished"] == 0
    listed = town.get("/cases?state=referred", town.staff("boss")).json["cases"]
    assert [c["number"] for c in listed] == [case["number"]]


def test_the_supervisor_orders_a_town_case_settled_on_record(network, publisher):
    county, town = network["county"], network["town"]
    case = town_case(network)
    path = f"/cases/{case['number']}/supervise"
    r = town.post(path, {"note": "请本周内办结"}, county.staff("ducha"))
    assert r.status_code == 200, r.json
    history = town.get(f"/cases/{case['number']}", town.staff("clerk1")).json["case"]["history"]
    assert history[-1]["action"] == "case.supervised"
    assert history[-1]["actor"] == "user:ducha@county"
    assert history[-1]["details"] == {"note": "请本周内办结", "by_hall": "county"}
    pushed = [e for e in publisher.events if e.type == "case.supervised"]
    assert pushed and pushed[-1].payload["case"]["number"] == case["number"]
    # hall staff cannot, an empty note names the field, a closed case is a conflict
    assert town.post(path, {"note": "x"}, town.staff("boss")).status_code == 403
    r = town.post(path, {"note": "   "}, county.staff("ducha"))
    assert r.status_code == 400 and r.json["error"]["field"] == "note"
    assert refer(network, case["number"]).status_code == 200
    r = town.post(path, {"note": "再催"}, county.staff("ducha"))
    assert r.status_code == 409 and r.json["error"]["code"] == "case_closed"
    # a hall outside the supervisor's tree does not exist for it
    assert (
        town.client.post(
            "/api/v1/halls/nowhere/cases/X/supervise",
            json={"request_id": rid(), "note": "x"},
            headers=county.staff("ducha"),
        ).status_code
        == 404
    )
