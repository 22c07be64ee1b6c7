"""The resident's side of a referred case (上报/交办): the /t/ page, its case part served alone,
the kiosk's lookup JSON and the phone's push messages say where the matter is now (the receiving
hall and department, its acceptance number, that case's state, deadline and result), before
and after the county accepts it, and never the referral's reason, a staff name or the
applicant's data."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select

from backend.db.models import Hall
from backend.live.status_read import read_cases
from tests.api.test_cases_api import APPLICANT, accept, act
from tests.live.conftest import live, live_app  # noqa: F401 - fixtures of the push test
from tests.support import HallClient, setup_network

REASON = "王主任交代：张小三家户口情况复杂，超出镇级权限"
RETURN_REASON = "李科长意见：材料不全，退回镇里"
COUNTY = "测试县政务服务中心"
WAITING = f"已上报，等待 {COUNTY}（公安户籍） 接收"
SECRETS = (
    REASON,
    "王主任",
    "超出镇级权限",
    APPLICANT["name"],
    "张*三",
    APPLICANT["phone"],
    "138****1234",
    APPLICANT["id_number"],
    "clerk1",
    "clerk2",
    "boss",
)


def served_case(town: HallClient) -> tuple[str, dict]:
    """A ticket for MZ-01 served at window 2 and accepted as a case; (status token, case)."""
    token = town.issue("MZ-01")["status_token"]
    town.open_window(2, "clerk1")
    town.window(2, "call-next", "clerk1")
    town.window(2, "start", "clerk1")
    case = accept(town, decision="coordinated")
    assert town.window(2, "finish", "clerk1").status_code == 200
    return token, case


def page(hall: HallClient, token: str, lang: str = "zh") -> str:
    r = hall.client.get(f"/t/{token}?lang={lang}")
    assert r.status_code == 200
    return r.get_data(as_text=True)


def part(hall: HallClient, token: str, lang: str = "zh") -> str:
    r = hall.client.get(f"/t/{token}/case?lang={lang}")
    assert r.status_code == 200, r.status_code
    assert r.headers["Cache-Control"] == "no-store" and "Content-Security-Policy" in r.headers
    return r.get_data(as_text=True)


def lookup(hall: HallClient, number: str) -> dict:
    r = hall.get(f"/cases/lookup?number={number}&phone_last4=1234", hall.device("kiosk-1"))
    assert r.status_code == 200, r.json
    return r.json["case"]


def visible(html: str) -> str:
    """The page's text (tags out, whitespace folded)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def leaks(text: str) -> list[str]:
    return [s for s in (*SECRETS, RETURN_REASON) if s in text]


def push_view(hall: HallClient, token: str) -> dict:
    """What the phone's ``case`` message carries (status_watch reads it with read_cases)."""
    read = read_cases(hall.app.extensions["onestop"].db, [token])[token]
    assert read is not None
    return read.message()


def test_the_resident_follows_the_matter_to_the_county(network, clock):
    town, county = network["town"], network["county"]
    token, case = served_case(town)
    clock.advance(hours=1)
    r = town.post(
        f"/cases/{case['number']}/refer", {"reason": REASON, "to_unit": "GA"}, town.staff("clerk1")
    )
    assert r.status_code == 200, r.json
    referral = r.json["referral"]

    # Sent, not yet accepted: where it went, nothing else.
    html = page(town, token)
    text = visible(html)
    assert "已移交" in text and WAITING in text and case["number"] in text
    assert "Reported up; waiting for county (county) (Police) to take it on" in text  # 2nd line
    assert "承诺办结时间" not in text  # the town's promise no longer applies
    assert leaks(html) == []
    found = lookup(town, case["number"])
    assert found["state"] == "referred" and found["deadline"] is None
    assert found["wording"] == WAITING
    assert found["holder"] == {
        "direction": "up",
        "state": "sent",
        "hall": {"code": "county", "name": {"zh": COUNTY, "en": "county (county)"}},
        "unit": {"code": "GA", "name": {"zh": "公安户籍", "en": "Police"}},
        "case": None,
    }
    assert leaks(str(found)) == []
    message = push_view(town, token)
    assert message["case"] == found
    assert f'data-version="{message["version"]}"' in html
    assert part(town, token) in html  # the part the live page swaps in is the page's own

    # The county accepts it as 户口迁移 (20 working days from the first application).
    clock.advance(hours=1)
    r = county.post(
        f"/referrals/{referral['id']}/accept", {"item": "GA-01"}, county.staff("clerk2")
    )
    assert r.status_code == 200, r.json
    there = r.json["case"]["number"]
    assert there.startswith("COUNTY-20261123-")
    text = visible(page(town, token))
    assert f"已上报至 {COUNTY}（公安户籍）" in text
    assert f"受理编号 {there}，办理中" in text
    assert "承诺 2026-12-21 17:30 前办结" in text
    assert "Promised by 2026-12-21 17:30" in text
    found = lookup(town, case["number"])
    assert found["wording"] == (
        f"已上报至 {COUNTY}（公安户籍），受理编号 {there}，办理中，承诺 2026-12-21 17:30 前办结"
    )
    held = found["holder"]["case"]
    assert (held["number"], held["state"], held["deadline"]) == (there, "open", "2026-12-21 17:30")
    assert held["item"]["name"]["zh"] == "户口迁移"
    assert push_view(town, token)["version"] != message["version"]
    assert push_view(town, token)["case"] == found
    assert leaks(str(found)) == [] and leaks(page(town, token)) == []
    # the county's own kiosk answers for its number too (the phone digits came along)
    assert lookup(county, there)["state"] == "open"

    # Missing materials at the county, then its result: both reach the town's page.
    r = act(county, there, "suspend", who="clerk2", missing=["迁入地户口簿"])
    assert r.status_code == 200, r.json
    text = visible(page(town, token))
    assert "待补正材料" in text and "迁入地户口簿" in text
    act(county, there, "supplement", who="clerk2", received=["迁入地户口簿"])
    r = act(county, there, "finish", who="clerk2", result="准予迁入，请到县公安局领取准迁证")
    assert r.status_code == 200, r.json
    html = page(town, token)
    text = visible(html)
    assert f"受理编号 {there}，已办结" in text and "准予迁入，请到县公安局领取准迁证" in text
    assert "承诺 " not in text  # finished: no promise to keep
    assert 'data-case-state="finished"' in html
    assert leaks(html) == []


def test_every_language_says_where_and_nothing_more(network, clock):
    town, county = network["town"], network["county"]
    token, case = served_case(town)
    r = town.post(f"/cases/{case['number']}/refer", {"reason": REASON}, town.staff("clerk1"))
    referral = r.json["referral"]
    en = visible(page(town, token, "en"))
    assert "Reported up; waiting for county (county) to take it on" in en
    assert f"已上报，等待 {COUNTY} 接收" in en  # the Chinese line under it
    ug = page(town, token, "ug")
    assert 'dir="rtl"' in ug and "يۇقىرىغا يوللاندى" in ug
    county.post(f"/referrals/{referral['id']}/accept", {}, county.staff("clerk1"))
    en = visible(part(town, token, "en"))
    assert "Reported up to county (county)" in en and "Case number COUNTY-" in en
    assert ": In progress" in en
    for lang in ("zh", "en", "ug"):
        assert leaks(page(town, token, lang)) == [], lang


def test_a_returned_referral_is_the_towns_case_again(network):
    town, county = network["town"], network["county"]
    token, case = served_case(town)
    r = town.post(f"/cases/{case['number']}/refer", {"reason": REASON}, town.staff("clerk1"))
    referral = r.json["referral"]
    r = county.post(
        f"/referrals/{referral['id']}/return", {"reason": RETURN_REASON}, county.staff("boss")
    )
    assert r.status_code == 200, r.json
    html = page(town, token)
    text = visible(html)
    assert "正在办理中，我们会在承诺时限内办结" in text and "承诺办结时间" in text
    assert "已上报" not in text and leaks(html) == []
    found = lookup(town, case["number"])
    assert found["state"] == "open" and "holder" not in found


def test_assigned_down_says_jiaoban(network):
    county, east = network["county"], network["east"]
    token = county.issue("MZ-01")["status_token"]
    county.open_window(2, "clerk1")
    county.window(2, "call-next", "clerk1")
    county.window(2, "start", "clerk1")
    case = accept(county, decision="coordinated")
    r = county.post(
        f"/cases/{case['number']}/refer",
        {"reason": "属地办理", "to_hall": "east"},
        county.staff("clerk1"),
    )
    assert r.status_code == 200, r.json
    text = visible(page(county, token))
    assert "已交办，等待 east镇便民服务中心 接收" in text
    waiting = east.get("/referrals", east.staff("clerk1")).json["referrals"][0]
    east.post(f"/referrals/{waiting['id']}/accept", {}, east.staff("clerk1"))
    text = visible(page(county, token))
    assert "已交办至 east镇便民服务中心" in text and "受理编号 EAST-" in text


def test_a_page_without_a_case_has_no_case_part(network):
    town = network["town"]
    token = town.issue("MZ-01")["status_token"]
    assert town.client.get(f"/t/{token}/case").status_code == 404
    assert town.client.get("/t/no-such-token/case").status_code == 404


# ------------------------------------------------------------------ the phone, live
@pytest.fixture
def live_network(live_app, db_url, clock):  # noqa: F811 - the imported fixture
    tokens = setup_network(db_url, clock())
    return {code: HallClient(live_app, code, t) for code, t in tokens.items()}


def test_the_phone_hears_the_county_accept_and_finish(live, live_network):  # noqa: F811
    from tests.live.test_status_live import Phone

    town, county = live_network["town"], live_network["county"]
    token, case = served_case(town)
    phone = Phone(live.url, {"status": token})
    try:
        assert phone.connected

        def cases() -> list[dict]:
            with phone.cond:
                return [d for n, d in phone.frames if n == "case"]

        def wait_case(predicate, what: str) -> dict:
            with phone.cond:
                ok = phone.cond.wait_for(lambda: any(predicate(c) for c in cases()), timeout=10)
            assert ok, f"phone did not get {what}: {phone.frames}"
            return [c for c in cases() if predicate(c)][-1]

        first = wait_case(lambda c: c["case"]["state"] == "open", "its case on connect")
        assert first["case"]["number"] == case["number"]
        r = town.post(
            f"/cases/{case['number']}/refer",
            {"reason": REASON, "to_unit": "GA"},
            town.staff("clerk1"),
        )
        referral = r.json["referral"]
        wait_case(lambda c: c["case"]["state"] == "referred", "the referral")
        r = county.post(
            f"/referrals/{referral['id']}/accept", {"item": "GA-01"}, county.staff("clerk2")
        )
        there = r.json["case"]["number"]
        got = wait_case(
            lambda c: ((c["case"].get("holder") or {}).get("case") or {}).get("number") == there,
            "the county's acceptance",
        )
        assert got["case"]["holder"]["state"] == "accepted"
        # an event of the county alone (the town hears nothing of it) reaches the town's phone
        act(county, there, "finish", who="clerk2", result="准予迁入")
        done = wait_case(
            lambda c: (
                ((c["case"].get("holder") or {}).get("case") or {}).get("state") == "finished"
            ),
            "the county's result",
        )
        assert done["case"]["holder"]["case"]["result"] == "准予迁入"
        assert leaks(str(phone.frames)) == []
        with town.app.extensions["onestop"].db.reader() as s:
            county_id = s.scalar(select(Hall.id).where(Hall.code == "county"))
        watching = live.hub.status_watch.case_watch.get(county_id, set())
        assert token in {t for _hall, t in watching}  # the phone follows the county's events
    finally:
        phone.close()
    deadline = time.monotonic() + 10
    while live.hub.status_watch.case_watch and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not live.hub.status_watch.case_watch  # a phone gone is followed no more


def test_the_phone_hears_its_ticket_accepted_as_a_case(live, live_network):  # noqa: F811
    from tests.live.test_status_live import Phone

    town = live_network["town"]
    token = town.issue("MZ-01")["status_token"]
    town.open_window(2, "clerk1")
    town.window(2, "call-next", "clerk1")
    town.window(2, "start", "clerk1")
    phone = Phone(live.url, {"status": token})
    try:
        phone.wait(lambda s: s and s[-1]["state"] == "serving", "its ticket being served")
        assert [n for n, _ in phone.frames] == ["status"]  # no case yet
        case = accept(town)
        with phone.cond:
            ok = phone.cond.wait_for(lambda: any(n == "case" for n, _ in phone.frames), 10)
        assert ok, phone.frames
        [(_, message)] = [(n, d) for n, d in phone.frames if n == "case"]
        assert message["case"]["number"] == case["number"] and leaks(str(message)) == []
    finally:
        phone.close()
