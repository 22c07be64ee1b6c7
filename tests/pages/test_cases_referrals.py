"""The county network on the cases page (/cases) and on the resident's status page, in headless
Chromium against a real server on the test county: a town clerk reports a case up (上报) from
its detail, the county's inbox (待接收转办件) takes it in as its own item, the county's case
shows the town's leg with its history, the town's case says where it went; the resident's page
follows it live. A county manager returns (退回) another referral with a reason."""

from __future__ import annotations

import uuid

import pytest

from clientlib.api import ApiClient
from tests.network_server import NetworkServer
from tests.pages.conftest import LANDSCAPE, overflowing

pytestmark = pytest.mark.slow

PHONE = {"width": 400, "height": 860}
APPLICANT = {"name": "张小三", "phone": "13812341234", "id_number": "320102198503151230"}
COUNTY = "测试县政务服务中心"


@pytest.fixture
def county_server(tmp_path):
    with NetworkServer(tmp_path) as server:
        yield server


def staff(server, hall: str, username: str) -> ApiClient:
    api = ApiClient(server.url, hall)
    api.login(username, server.password(username))
    return api


def served_case(server, clerk: ApiClient, item: str = "MZ-01") -> tuple[dict, str]:
    """A ticket issued at the town's kiosk, served at window 2 and accepted as a case;
    (the ticket as issued, the case number)."""
    kiosk = ApiClient(server.url, "town", server.device_token("kiosk-1"))
    ticket = kiosk.issue_ticket(item, uuid.uuid4().hex)
    assert clerk.window_action(2, "call-next")["ticket"]["number"] == ticket["ticket"]["number"]
    clerk.window_action(2, "start")
    case = clerk.post(
        clerk.hall_path("/windows/2/accept"),
        {"applicant": APPLICANT, "materials_received": ["居民身份证"], "decision": "coordinated"},
    )["case"]
    clerk.window_action(2, "finish")
    return ticket, case["number"]


def login(page, server, hall: str, username: str) -> None:
    page.goto(f"{server.url}/cases")
    page.fill("#login-hall", hall)
    page.fill("#login-user", username)
    page.fill("#login-password", server.password(username))
    page.click("#login-submit")
    page.wait_for_selector("body[data-view='cases'][data-loaded]", state="attached")


def text(page, selector: str) -> str:
    return page.locator(selector).inner_text().strip()


def test_refer_up_from_the_town_accept_at_the_county(county_server, pages, artifacts):
    server = county_server
    clerk1 = staff(server, "town", "clerk1")
    clerk1.window_action(2, "sign-in")
    ticket, number = served_case(server, clerk1)

    phone = pages(PHONE)
    phone.goto(f"{server.url}{ticket['status_path']}")
    phone.wait_for_selector("body[data-live='1']", state="attached")  # a case open: live
    assert "办理中" in text(phone, "#case-state")

    # The town clerk reports it up from the case's detail.
    town = pages(LANDSCAPE)
    login(town, server, "town", "clerk1")
    town.wait_for_selector("#inbox")  # a hall in a network has an inbox
    town.click(f"#case-list tr.case-row[data-case='{number}']")
    town.wait_for_selector("#d-refer form")
    targets = town.locator("#d-refer select[name='to_hall'] option").all_inner_texts()
    assert targets == [f"上报 · {COUNTY}", "交办 · 东村便民服务站"]  # up, or down to its village
    assert town.input_value("#d-refer select[name='to_hall']") == "county"  # up by default
    town.select_option("#d-refer select[name='to_unit']", "GA")
    town.fill("#d-refer textarea[name='reason']", "户口迁移须县公安户籍审批")
    town.click("#d-refer button[type='submit']")
    town.wait_for_selector(f"#detail-body[data-case='{number}'] #d-referrals li[data-state='sent']")
    assert f"已上报 {COUNTY} · 待对方接收" in text(town, ".d-tags")
    assert "上报至 " + COUNTY + "（公安户籍）" in text(town, "#d-referrals")
    assert not town.is_visible("#d-refer")  # referred: no second referral
    assert text(town, "#d-history li[data-action='case.referred'] .h-what") == "上报"

    # The resident's page follows without a reload.
    phone.wait_for_function(
        "() => (document.getElementById('case-holder') || {}).textContent"
        f" && document.getElementById('case-holder').textContent.includes('等待 {COUNTY}')"
    )
    assert "已移交" in text(phone, "#case-state")
    assert "户口迁移须县公安户籍审批" not in phone.content()  # the reason is for staff

    # The county's inbox: accept it as 户口迁移 (GA-01).
    county = pages(LANDSCAPE)
    login(county, server, "county", "clerk2")
    row = "#inbox li[data-case='" + number + "']"
    county.wait_for_selector(row)
    assert text(county, "#inbox-count") == "1"
    inbox = text(county, row)
    assert f"上报自 town镇便民服务中心 · {number}" in inbox
    assert "张*三" in inbox and "户口迁移须县公安户籍审批" in inbox and "公安户籍" in inbox
    assert county.locator(f"{row} form[data-action^='return']").count() == 0  # clerks: no 退回
    county.select_option(f"{row} select[name='item']", "GA-01")
    county.screenshot(path=str(artifacts / "cases-county-inbox.png"), full_page=True)
    county.click(f"{row} form[data-action^='accept'] button[type='submit']")
    county.wait_for_selector("#d-legs .d-leg")  # the new case opens with the town's leg
    there = county.get_attribute("#detail-body", "data-case")
    assert there.startswith("COUNTY-")
    leg = text(county, "#d-legs")
    assert "town镇便民服务中心" in leg and number in leg
    actions = county.locator("#d-legs .timeline li").evaluate_all(
        "items => items.map(li => li.dataset.action)"
    )
    assert actions == ["case.accepted", "case.referred", "case.referral_accepted"]
    assert "clerk2 · " + COUNTY in leg  # the county's clerk, named with its hall
    assert "来自 town镇便民服务中心 " + number in text(county, ".d-tags")
    county.wait_for_function("() => document.getElementById('inbox-count').textContent === '0'")
    county.screenshot(path=str(artifacts / "cases-county-legs.png"), full_page=True)
    assert not overflowing(county, ".d-tags, .d-buttons button, #inbox h2")

    # The town's page hears of it (referral.accepted) and shows the county's number.
    town.wait_for_selector("#d-referrals li[data-state='accepted']")
    assert f"已接收，编号 {there}" in text(town, "#d-referrals")
    assert f"已上报 {COUNTY} · {there}" in text(town, ".d-tags")
    town.screenshot(path=str(artifacts / "cases-town-referred.png"), full_page=True)

    # ... and the resident's.
    phone.wait_for_function(
        f"() => (document.getElementById('case-holder') || {{}}).textContent.includes('{there}')"
    )
    holder = text(phone, "#case-holder")
    assert f"已上报至 {COUNTY}（公安户籍）" in holder and f"受理编号 {there}，办理中" in holder
    assert "前办结" in holder
    phone.screenshot(path=str(artifacts / "status-referred.png"), full_page=True)
    assert int(phone.evaluate("document.body.dataset.caseUpdates")) >= 2

    # The town list: filtered to 已移交, the case is there with its state.
    town.select_option("#f-state", "referred")
    town.wait_for_selector(f"#case-list tr.case-row[data-case='{number}'][data-state='referred']")
    assert text(town, f"#case-list tr[data-case='{number}'] .r-state") == "已移交"


def test_a_county_manager_returns_a_referral_with_the_reason(county_server, pages):
    server = county_server
    clerk1 = staff(server, "town", "clerk1")
    clerk1.window_action(2, "sign-in")
    _ticket, number = served_case(server, clerk1)
    clerk1.post(clerk1.hall_path(f"/cases/{number}/refer"), {"reason": "超出镇级权限"})

    county = pages(LANDSCAPE)
    login(county, server, "county", "boss")
    row = "#inbox li[data-case='" + number + "']"
    county.wait_for_selector(row)
    county.click("#lang-toggle button[data-lang='en']")  # the inbox in English, and back
    county.wait_for_function(
        "() => document.querySelector(\"#inbox form[data-action^='return'] button\")"
        ".textContent === 'Return'"
    )
    assert text(county, "#inbox [data-i18n='c_inbox']") == "Referrals to accept"
    assert f"Reported up from town (town) · {number}" in text(county, row)
    assert "The same item (MZ-01)" in text(county, f"{row} select[name='item']")
    county.click("#lang-toggle button[data-lang='zh']")
    county.wait_for_selector("body[data-lang='zh']", state="attached")
    county.click(f"{row} form[data-action^='return'] button[type='submit']")
    county.wait_for_selector(f"{row} form[data-action^='return'] .d-msg.error")  # no reason
    county.fill(f"{row} input[name='reason']", "属镇级权限，请镇里办理")
    county.click(f"{row} form[data-action^='return'] button[type='submit']")
    county.wait_for_function("() => document.getElementById('inbox-count').textContent === '0'")
    assert "暂无待接收的转办件" in text(county, "#inbox")

    town = pages(LANDSCAPE)
    login(town, server, "town", "clerk1")
    town.click(f"#case-list tr.case-row[data-case='{number}']")
    town.wait_for_selector("#d-referrals li[data-state='returned']")
    referrals = text(town, "#d-referrals")
    assert "已退回" in referrals and "属镇级权限，请镇里办理" in referrals
    assert town.is_visible("#d-refer")  # open again: it may be referred again
    assert "被退回" in text(town, "#d-history")
