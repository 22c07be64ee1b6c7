"""The county board (督查督办) through the API, on the test county (county → east, town → cun):
each hall's figures side by side — tickets waiting, windows, the month's on-time rate, a case
turned red as the clock runs, a bad review, devices, referrals waiting — and the referral
alerts: 应当日上报未上报, a late 上报, a referral not accepted by the end of the county's day;
the same alerts on the one-hall board; the county-wide case list with its hall filter; a
constant number of SQL statements whatever the number of halls; and who may read what (a
supervisor its own tree and no write anywhere; town staff and every device none of it)."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from backend.db.engine import open_database
from backend.db.models import Hall
from backend.services import board as one_hall
from backend.services import county_board
from backend.services.halls import context_of
from tests.api.test_cases_api import APPLICANT
from tests.support import hall_config, setup_hall

TREE = ["county", "east", "town", "cun"]  # the root, then each town and its villages by code


def later(network, clock, **delta) -> None:
    """Move the clock on; everybody logs in again (staff tokens last one working day)."""
    clock.advance(**delta)
    for hall in network.values():
        hall._staff.clear()


def serve(hall, item: str, window: int = 2, clerk: str = "clerk1") -> str:
    """Issue a ticket and bring it to the window (finishing whoever stood there before)."""
    number = hall.issue(item)["ticket"]["number"]
    if hall.get(f"/windows/{window}", hall.staff(clerk)).json["window"]["state"] != "open":
        hall.open_window(window, clerk)
    hall.window(window, "finish", clerk)
    assert hall.window(window, "call-next", clerk).json["ticket"]["number"] == number
    assert hall.window(window, "start", clerk).status_code == 200
    return number


def accept_case(hall, item: str = "MZ-02", window: int = 2) -> str:
    serve(hall, item, window)
    r = hall.window(
        window,
        "accept",
        "clerk1",
        applicant=APPLICANT,
        materials_received=["居民身份证"],
        decision="coordinated",
    )
    assert r.status_code == 200, r.json
    return r.json["case"]["number"]


def refer(hall, number: str):
    r = hall.post(f"/cases/{number}/refer", {"reason": "超出镇级权限"}, hall.staff("clerk1"))
    assert r.status_code == 200, r.json
    return r.json["referral"]


def ducha(network) -> dict[str, str]:
    return network["county"].staff("ducha")


def board_of(network, hall: str = "county") -> dict:
    r = network["county"].client.get(f"/api/v1/halls/{hall}/network/board", headers=ducha(network))
    assert r.status_code == 200, r.json
    return r.json


@pytest.fixture
def county_day(network, clock):
    """A week and a half of the county: returns what was made, the clock at Wednesday
    2 December 09:10."""
    county, town, east = network["county"], network["town"], network["east"]
    # Monday 23 November: two 5-day cases at the county (due Monday 30th), a 15-day one at east
    red_case = accept_case(county)
    late_case = accept_case(county)
    on_time_case = accept_case(east, "MZ-01")
    later(network, clock, days=8)  # Tuesday 1 December, 09:00: the county's two are overdue
    assert county.post("/cases/sweep", {}, county.staff("boss")).json["sweep"]["overdue"] == 2
    # three matters beyond a town's remit (MZ-02 refer_up): one reported at once, one the next
    # day (late), one never
    reported_late, reported, kept = (accept_case(town) for _ in range(3))
    on_time_referral = refer(town, reported)
    later(network, clock, days=1)  # Wednesday 2 December, 09:00
    late_referral = refer(town, reported_late)
    assert late_referral["late"] is True
    finish = {"result": "已办结"}
    r = county.post(f"/cases/{late_case}/finish", finish, county.staff("clerk1"))
    assert r.json["case"]["on_time"] is False
    r = east.post(f"/cases/{on_time_case}/finish", finish, east.staff("clerk1"))
    assert r.json["case"]["on_time"] is True
    # a bad review at east (its rectification stays open)
    rated = serve(east, "RS-01", window=3, clerk="clerk2")
    east.window(3, "finish", "clerk2")
    assert east.window(3, "rating-request", "clerk2").status_code == 200
    r = east.post("/evaluations", {"ticket": rated, "rating": "dissatisfied"}, east.device("pad-3"))
    assert r.status_code == 200, r.json
    # two residents waiting at the town
    town.issue("MZ-01")
    town.issue("RS-02")
    clock.advance(minutes=10)
    return {
        "red": red_case,
        "kept": kept,
        "reported_late": reported_late,
        "reported": reported,
        "on_time_referral": on_time_referral,
        "late_referral": late_referral,
    }


def test_the_board_shows_every_hall_of_the_tree_side_by_side(network, county_day, db_url, clock):
    got = board_of(network)
    assert got["at"] == "2026-12-02T01:10:00+00:00"
    assert got["root"] == {
        "code": "county",
        "name": {"zh": "测试县政务服务中心", "en": "county (county)"},
        "level": "county",
        "level_zh": "县级政务服务中心",
    }
    rows = {r["hall"]["code"]: r for r in got["halls"]}
    assert [r["hall"]["code"] for r in got["halls"]] == TREE
    assert [rows[c]["hall"]["parent"] for c in TREE] == [None, "county", "county", "town"]
    assert rows["cun"]["hall"]["level_zh"] == "村（社区）便民服务站"

    county, town, east, cun = (rows[c] for c in ("county", "town", "east", "cun"))
    assert (town["waiting"], town["longest_wait_minutes"]) == (2, 10.0)
    assert (county["waiting"], county["longest_wait_minutes"]) == (0, None)
    # windows signed in stay open across days until signed out
    assert (county["windows_open"], county["windows"]) == (1, 4)
    assert (east["windows_open"], east["windows"]) == (2, 3)
    assert (cun["windows_open"], cun["windows"]) == (0, 1)
    # December to date: the county finished one promised case late, east one on time
    assert (county["on_time_rate"], east["on_time_rate"], town["on_time_rate"]) == (0.0, 1.0, None)
    assert (county["cases_open"], county["red"], county["orange"]) == (1, 1, 0)
    assert (town["cases_open"], town["red"]) == (1, 0)  # the two reported are the county's now
    assert (east["cases_open"], east["bad_reviews"]) == (0, 1)
    assert county["referrals_waiting"] == 2 and town["referrals_waiting"] == 0
    # no device has ever connected: all of them are offline
    assert [(rows[c]["devices_offline"], rows[c]["devices"]) for c in TREE] == [
        (5, 5),
        (5, 5),
        (5, 5),
        (1, 1),
    ]

    totals = got["totals"]
    assert totals["waiting"] == 2 and totals["longest_wait_minutes"] == 10.0
    assert (totals["windows_open"], totals["windows"]) == (4, 11)
    assert totals["on_time_rate"] == 0.5  # one of the two finished in the county
    assert (totals["cases_open"], totals["red"], totals["bad_reviews"]) == (2, 1, 1)
    assert (totals["referrals_waiting"], totals["devices"]) == (2, 16)
    assert totals["alerts"] == sum(r["alerts"] for r in got["halls"])
    check_alerts(got, county_day)

    town_board = board_of(network, "town")  # a town's tree: itself and its villages
    assert town_board["root"]["code"] == "town"
    assert [r["hall"]["code"] for r in town_board["halls"]] == ["town", "cun"]
    assert {a["hall"] for a in town_board["alerts"]} == {"town", "cun"}
    check_statements(db_url, clock)


def check_alerts(got: dict, county_day: dict) -> None:
    """The referral alerts, then one line per hall for red cases, bad reviews, devices."""
    alerts = [(a["hall"], a["kind"], a["case"]) for a in got["alerts"]]
    assert alerts == [
        ("county", "referral_waiting", county_day["reported"]),
        ("county", "cases_red", None),
        ("county", "devices_offline", None),
        ("east", "bad_reviews", None),
        ("east", "devices_offline", None),
        ("town", "refer_up_due", county_day["kept"]),
        ("town", "referral_late", county_day["reported_late"]),
        ("town", "devices_offline", None),
        ("cun", "devices_offline", None),
    ]
    by_kind = {a["kind"]: a for a in got["alerts"] if a["case"]}
    assert by_kind["refer_up_due"]["text"] == (
        f"{county_day['kept']} 临时救助申请 应当日上报未上报（应于 12月1日 17:30 前上报）"
    )
    assert by_kind["refer_up_due"]["at"] == "2026-12-01T17:30:00+08:00"
    assert "上报测试县政务服务中心超时" in by_kind["referral_late"]["text"]
    assert by_kind["referral_late"]["at"] == county_day["late_referral"]["sent_at"]
    assert by_kind["referral_waiting"]["text"].startswith("town镇便民服务中心上报的 ")
    assert "当日未接收" in by_kind["referral_waiting"]["text"]
    red = next(a for a in got["alerts"] if a["kind"] == "cases_red")
    assert red["text"] == "1 件办件已超期（红色）"
    rows = {r["hall"]["code"]: r["alerts"] for r in got["halls"]}
    assert rows == {"county": 3, "east": 2, "town": 3, "cun": 1}


def test_the_referral_alerts_are_on_the_one_hall_board_too(network, county_day, db_url, clock):
    """The same alerts on the hall's own board, until the county accepts the referral."""
    db = open_database(db_url)
    try:
        with db.reader() as session:
            halls = {h.code: context_of(h) for h in session.scalars(select(Hall))}
            town = one_hall.board(session, halls["town"], clock())
            county = one_hall.board(session, halls["county"], clock())
    finally:
        db.dispose()
    town_alerts = [(a["kind"], a["case"]) for a in town["alerts"] if a["kind"].startswith("ref")]
    assert town_alerts == [
        ("refer_up_due", county_day["kept"]),
        ("referral_late", county_day["reported_late"]),
    ]
    assert [a["kind"] for a in town["cases"]["referrals"]] == ["refer_up_due", "referral_late"]
    county_alerts = [a for a in county["alerts"] if a["kind"].startswith("ref")]
    assert [(a["kind"], a["case"]) for a in county_alerts] == [
        ("referral_waiting", county_day["reported"])
    ]

    county = network["county"]
    referral = county_day["on_time_referral"]
    r = county.post(f"/referrals/{referral['id']}/accept", {}, county.staff("clerk1"))
    assert r.status_code == 200, r.json
    got = board_of(network)
    assert "referral_waiting" not in [a["kind"] for a in got["alerts"]]
    assert got["halls"][0]["referrals_waiting"] == 1  # the late one, sent this morning


@contextmanager
def counted_statements(session):
    seen: list[str] = []
    engine = session.get_bind()

    def count(_conn, _cursor, statement, *_rest):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def check_statements(db_url, clock) -> None:
    """One statement per figure, grouped over the halls: as many for 4 halls as for 1."""
    db = open_database(db_url)
    try:
        counts = {}
        for root in ("county", "town", "cun"):  # 4, 2 and 1 halls
            with db.reader() as session:
                ctx = context_of(session.scalar(select(Hall).where(Hall.code == root)))
                with counted_statements(session) as seen:
                    county_board.network_board(session, ctx, clock())
                counts[root] = len(seen)
    finally:
        db.dispose()
    assert 0 < counts["county"] == counts["town"] == counts["cun"] <= 11, counts


def test_the_county_wide_case_list(network, county_day):
    get = network["county"].client.get
    base = "/api/v1/halls/county/network/cases"
    r = get(base, headers=ducha(network))
    assert r.status_code == 200, r.json
    listed = r.json
    assert [(c["hall"]["code"], c["number"]) for c in listed["cases"]] == [
        ("county", county_day["red"]),
        ("town", county_day["kept"]),
    ]
    assert listed["counts"] == {"red": 1, "orange": 0, "yellow": 0, "green": 1, "suspended": 0}
    assert [h["code"] for h in listed["halls"]] == TREE
    assert listed["cases"][1]["applicant"]["name"] == "张*三"  # masked as everywhere

    town = get(f"{base}?hall=town&state=referred", headers=ducha(network)).json
    assert {c["number"] for c in town["cases"]} == {
        county_day["reported"],
        county_day["reported_late"],
    }
    assert {c["hall"]["code"] for c in town["cases"]} == {"town"}
    red = get(f"{base}?colour=red", headers=ducha(network)).json["cases"]
    assert [c["number"] for c in red] == [county_day["red"]]
    items = get(f"{base}?item=MZ-02&unit=MZ&state=all", headers=ducha(network)).json["cases"]
    assert len(items) == 5  # the county's two and the town's three

    outside = get(f"{base}?hall=nowhere", headers=ducha(network))
    assert outside.status_code == 404 and outside.json["error"]["field"] == "hall"
    bad = get(f"{base}?colour=purple", headers=ducha(network))
    assert bad.status_code == 400 and bad.json["error"]["field"] == "colour"
    unknown = get(f"{base}?colur=red", headers=ducha(network))
    assert unknown.status_code == 400 and unknown.json["error"]["field"] == "colur"
    below = get("/api/v1/halls/town/network/cases?hall=county", headers=ducha(network))
    assert below.status_code == 404 and below.json["error"]["field"] == "hall"


def test_a_supervisor_sees_its_tree_and_nothing_else(network, db_url, clock):
    setup_hall(db_url, hall_config("other"), clock())  # a town of another county
    get = network["county"].client.get
    for hall in TREE:
        assert get(f"/api/v1/halls/{hall}/network/board", headers=ducha(network)).status_code == 200
    r = get("/api/v1/halls/other/network/board", headers=ducha(network))
    assert r.status_code == 404 and r.json["error"]["field"] == "hall"
    assert get("/api/v1/halls/other/cases", headers=ducha(network)).status_code == 404
    r = get("/api/v1/halls/county/network/cases?hall=other", headers=ducha(network))
    assert r.status_code == 404 and r.json["error"]["field"] == "hall"
    assert "other" not in [h["hall"]["code"] for h in board_of(network)["halls"]]


def test_town_staff_and_devices_may_not_read_the_network(network):
    town = network["town"]
    routes = ("/network/board", "/network/cases")
    for who in ("clerk1", "boss"):
        for route in routes:
            assert town.get(route, town.staff(who)).status_code == 403
            r = town.client.get(f"/api/v1/halls/county{route}", headers=town.staff(who))
            assert r.status_code in (403, 404)
    for hall in TREE:
        for device in network[hall].devices:
            for route in routes:
                r = network[hall].get(route, network[hall].device(device))
                assert r.status_code == 403, (hall, device, route)
    county = network["county"]
    for who in ("clerk1", "boss"):
        assert county.get("/network/board", county.staff(who)).status_code == 403


def test_a_supervisor_reads_a_towns_board_pages_but_changes_nothing(network):
    town, county = network["town"], network["county"]
    me = ducha(network)
    number = accept_case(town)
    referral = refer(town, accept_case(town))
    for path in (
        "/cases",
        f"/cases/{number}",
        "/overdue?pending=1",
        "/rectifications?state=open",
        "/follow-ups",
        "/referrals?box=out",
        "/appointments/today",
        "/staffing",
        "/reports/daily",
        "/reports/monthly",
        "/queue",
    ):
        r = town.get(path, me)
        assert r.status_code == 200, (path, r.json)
    for path, body in (
        ("/tickets", {"item_code": "MZ-01"}),
        ("/windows/1/sign-in", {}),
        ("/windows/2/call-next", {}),
        (f"/cases/{number}/finish", {"result": "办结"}),
        (f"/cases/{number}/refer", {"reason": "督查代报"}),
        (f"/cases/{number}/extension", {"days": 2, "reason": "x"}),
        ("/cases/sweep", {}),
        ("/messages", {"text": "加开窗口"}),
    ):
        r = town.post(path, body, me)
        assert r.status_code == 403, (path, r.json)
    # nor in its own hall
    for path, body in (
        (f"/referrals/{referral['id']}/accept", {}),
        (f"/referrals/{referral['id']}/return", {"reason": "x"}),
        ("/cases/sweep", {}),
    ):
        r = county.post(path, body, me)
        assert r.status_code == 403, (path, r.json)
