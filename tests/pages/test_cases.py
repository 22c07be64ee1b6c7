"""Cases on the managers' board, the cases page (/cases) and the rating pad (/rate/...), in
headless Chromium against a real server on the demo hall.

Time: the server runs on the real clock (no FakeClock in a subprocess), so a case is made overdue
the way a long weekend would: its deadline is moved into the past in the server's database, then
the manager runs the deadline sweep (POST /cases/sweep) that the scheduler runs every minute.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from backend.db.models import Case
from clientlib.api import ApiClient, ApiError
from tests.pages.conftest import LANDSCAPE, clerk, issue, overflowing

pytestmark = pytest.mark.slow

PAD = {"width": 1280, "height": 800}
APPLICANT = {"name": "张小三", "phone": "13812341234", "id_number": "320102198503151230"}


def login(page, server, username: str, path: str = "/board") -> None:
    page.goto(f"{server.url}{path}")
    page.fill("#login-hall", server.hall)
    page.fill("#login-user", username)
    page.fill("#login-password", server.password(username))
    page.click("#login-submit")


def manager(server) -> ApiClient:
    api = ApiClient(server.url, server.hall)
    api.login("manager", server.password("manager"))
    return api


def accept_case(server, api: ApiClient, window: int, item: str) -> str:
    """Issue a ticket for ``item``, serve it at ``window`` and accept it as a case."""
    [number] = issue(server, item)
    assert api.window_action(window, "call-next")["ticket"]["number"] == number
    api.window_action(window, "start")
    case = api.post(
        api.hall_path(f"/windows/{window}/accept"),
        {"applicant": APPLICANT, "materials_received": ["居民身份证", "户口簿"]},
    )["case"]
    api.window_action(window, "finish")
    return case["number"]


def move_deadline(server, number: str, delta: timedelta) -> None:
    """Put the case's deadline ``delta`` from now (negative: already past)."""
    engine = sa.create_engine(server.database_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.update(Case)
                .where(Case.number == number)
                .values(deadline_at=datetime.now(UTC) + delta)
            )
    finally:
        engine.dispose()


def sweep(api: ApiClient) -> dict:
    return api.post(api.hall_path("/cases/sweep"))["sweep"]


def text(page, selector: str) -> str:
    return page.locator(selector).inner_text().strip()


def test_board_shows_red_cases_an_overdue_alert_and_a_bad_review(live_server, pages, artifacts):
    page = pages(LANDSCAPE)
    login(page, live_server, "manager")
    page.wait_for_selector("body[data-view='board'][data-snapshots]", state="attached")
    page.evaluate("window.__sameDocument = true")
    assert text(page, "#c-open") == "0"
    assert "没有超期" in text(page, "#urgent tbody")
    assert page.get_attribute("#colour-counts .cc[data-colour='red']", "data-count") == "0"

    clerk1 = clerk(live_server, "clerk1", 3)  # 3号窗口 民政
    late = accept_case(live_server, clerk1, 3, "MZ-02")
    soon = accept_case(live_server, clerk1, 3, "MZ-04")
    calm = accept_case(live_server, clerk1, 3, "MZ-01")
    waiting = accept_case(live_server, clerk1, 3, "MZ-05")
    clerk1.post(clerk1.hall_path(f"/cases/{waiting}/suspend"), {"missing": ["残疾证"]})
    clerk1.post(
        clerk1.hall_path(f"/cases/{calm}/extension"), {"days": 2, "reason": "需入户核查家庭收入"}
    )
    page.wait_for_function("document.getElementById('c-open').textContent === '4'")
    # the suspension's snapshot may come after the one that shows the fourth case
    page.wait_for_selector("#colour-counts .cc[data-colour='suspended'][data-count='1']")

    boss = manager(live_server)
    move_deadline(live_server, late, -timedelta(days=2))
    move_deadline(live_server, soon, timedelta(hours=3))
    assert sweep(boss)["overdue"] == 1

    row = f"#urgent tr[data-case='{late}']"
    page.wait_for_selector(f"{row}[data-colour='red']")
    assert "已超期" in text(page, f"{row} .u-mark")  # the colour is also said in words
    assert "临时救助申请" in text(page, row) and "民政办" in text(page, row)
    assert "已超 2 天" in text(page, f"{row} .u-due")
    assert page.locator(f"#urgent tr[data-case='{soon}'][data-colour='orange']").count() == 1
    assert page.locator(f"#urgent tr[data-case='{calm}']").count() == 0  # green: not urgent
    assert page.get_attribute("#colour-counts .cc[data-colour='red']", "data-count") == "1"
    alert = page.locator(f"#alerts li[data-kind='case_overdue'][data-case='{late}']")
    assert alert.count() == 1 and "已超期" in alert.inner_text()
    assert alert.evaluate("li => li.classList.contains('fresh')")  # new since the board opened
    assert page.locator("#alerts li").first.get_attribute("data-kind") == "case_overdue"
    assert page.locator(f"#overdue-list li[data-case='{late}']").count() == 1
    assert page.locator(f"#extension-list li[data-case='{calm}']").count() == 1

    # A bad review: the clerk asks, the resident taps 不满意 on the pad.
    [number] = issue(live_server, "MZ-04")
    clerk1.window_action(3, "call-next")
    clerk1.window_action(3, "finish")
    clerk1.post(clerk1.hall_path("/windows/3/rating-request"))
    pad = ApiClient(live_server.url, live_server.hall, live_server.device_token("rating-3"))
    pad.post(
        pad.hall_path("/evaluations"),
        {"ticket": number, "rating": "dissatisfied", "comment": "等候时间太长"},
    )
    page.wait_for_selector("#alerts li[data-kind='bad_review']")
    assert number in text(page, "#alerts li[data-kind='bad_review']")
    assert "不满意" in text(page, "#rect-list")
    page.wait_for_function("document.getElementById('ratings-today').textContent.includes('1')")
    page.screenshot(path=str(artifacts / "board-cases.png"))
    assert not overflowing(page, ".cc, .cmark, .todo-list .t-main, .alert, .u-number")

    # The manager records the overdue reason and action: the alert goes, the case stays red.
    boss.post(
        boss.hall_path(f"/cases/{late}/overdue"),
        {"reason": "入户核查未完成", "action": "责令两个工作日内办结"},
    )
    page.wait_for_selector("#alerts li[data-kind='case_overdue']", state="detached")
    assert page.locator(f"{row}[data-colour='red']").count() == 1
    assert "无" in text(page, "#overdue-list")
    assert page.evaluate("window.__sameDocument") is True

    # The board links a case to the cases page, already filtered/opened.
    page.click(f"{row} a.u-number")
    page.wait_for_selector(f"#detail-body[data-case='{late}']")
    assert page.locator("#d-overdue").inner_text().count("责令两个工作日内办结") == 1


def test_cases_page_filters_by_colour_and_approves_an_extension(live_server, pages, artifacts):
    clerk1 = clerk(live_server, "clerk1", 3)
    clerk3 = clerk(live_server, "clerk3", 8)  # 8号窗口 公安户籍
    late = accept_case(live_server, clerk1, 3, "MZ-02")
    calm = accept_case(live_server, clerk1, 3, "MZ-01")
    other = accept_case(live_server, clerk3, 8, "HJ-01")
    clerk1.post(
        clerk1.hall_path(f"/cases/{calm}/extension"), {"days": 2, "reason": "需入户核查家庭收入"}
    )
    boss = manager(live_server)
    move_deadline(live_server, late, -timedelta(days=1))
    sweep(boss)
    before = boss.get(boss.hall_path(f"/cases/{calm}"))["case"]

    page = pages(LANDSCAPE)
    login(page, live_server, "manager", "/cases")
    page.wait_for_selector("body[data-view='cases'][data-loaded]", state="attached")
    page.evaluate("window.__sameDocument = true")
    assert page.locator("#case-list tr.case-row").count() == 3
    # Grouped by colour, red first, each group titled in words.
    assert page.locator("#case-list tr.case-row").first.get_attribute("data-case") == late
    assert "已超期" in text(page, "#case-list tr.group-row[data-group='red']")
    assert page.get_attribute("#colour-counts .cc[data-colour='red']", "data-count") == "1"

    # Filter by colour with the tile: only the red case; the address keeps the filter.
    page.click("#colour-counts .cc[data-colour='red']")
    page.wait_for_function("document.querySelectorAll('#case-list tr.case-row').length === 1")
    assert page.locator(f"#case-list tr.case-row[data-case='{late}']").count() == 1
    assert "colour=red" in page.url and page.input_value("#f-colour") == "red"
    assert page.get_attribute("#colour-counts .cc[data-colour='green']", "data-count") == "2"
    page.select_option("#f-colour", "green")
    page.wait_for_function(
        "[...document.querySelectorAll('#case-list tr.case-row')]"
        ".every(tr => tr.dataset.colour === 'green')"
        " && document.querySelectorAll('#case-list tr.case-row').length === 2"
    )
    page.select_option("#f-unit", "HJ")
    page.wait_for_function("document.querySelectorAll('#case-list tr.case-row').length === 1")
    assert page.locator(f"#case-list tr.case-row[data-case='{other}']").count() == 1
    page.click("#f-clear")
    page.wait_for_function("document.querySelectorAll('#case-list tr.case-row').length === 3")
    page.select_option("#f-clerk", "clerk3")
    page.wait_for_function("document.querySelectorAll('#case-list tr.case-row').length === 1")
    page.click("#f-clear")
    page.select_option("#f-group", "unit")
    page.wait_for_selector("#case-list tr.group-row[data-group='HJ']")
    page.select_option("#f-group", "colour")
    page.wait_for_function("document.querySelectorAll('#case-list tr.case-row').length === 3")

    # The detail pane: history, the extension request, and the manager's decision.
    page.click(f"#case-list tr.case-row[data-case='{calm}']")
    page.wait_for_selector(f"#detail-body[data-case='{calm}']")
    assert "申请延期" in text(page, "#d-history") and "受理" in text(page, "#d-history")
    assert "张*三" in text(page, "#detail-body") and "张小三" not in text(page, "#detail-body")
    ext = "#d-extensions li[data-state='requested']"
    assert "需入户核查家庭收入" in text(page, ext)
    page.fill(f"{ext} input[name='note']", "同意，请按期办结")
    page.click(f"{ext} button[value='approve']")
    page.wait_for_selector("#d-extensions li[data-state='approved']")
    assert "同意，请按期办结" in text(page, "#d-extensions")
    after = boss.get(boss.hall_path(f"/cases/{calm}"))["case"]
    assert after["extended_days"] == 2 and after["deadline_at"] > before["deadline_at"]
    assert [x["state"] for x in after["extensions"]] == ["approved"]
    page.wait_for_function(
        f"document.querySelector(\"#case-list tr[data-case='{calm}'] .r-due\")"
        f".textContent.startsWith('{after['deadline_at'][5:10]}')"
    )

    # The overdue record of the red case: reason and action, on record.
    page.click(f"#case-list tr.case-row[data-case='{late}']")
    page.wait_for_selector(f"#detail-body[data-case='{late}'] #d-overdue.waiting")
    page.fill("#d-overdue textarea[name='reason']", "入户核查未完成")
    page.fill("#d-overdue textarea[name='action']", "责令两个工作日")
    # Live: a case accepted elsewhere appears without reloading the page, and the pane redrawn
    # meanwhile keeps what the manager is typing.
    loaded = int(page.get_attribute("body", "data-loaded"))
    new = accept_case(live_server, clerk3, 8, "HJ-03")
    page.wait_for_selector(f"#case-list tr.case-row[data-case='{new}']")
    page.wait_for_function(f"+document.body.dataset.loaded > {loaded}")
    assert page.input_value("#d-overdue textarea[name='reason']") == "入户核查未完成"
    page.type("#d-overdue textarea[name='action']", "内办结")
    assert page.input_value("#d-overdue textarea[name='action']") == "责令两个工作日内办结"
    assert page.evaluate("window.__sameDocument") is True
    assert not overflowing(page, ".cc, .cmark, .r-number, .d-number")
    page.screenshot(path=str(artifacts / "cases.png"))
    page.click("#d-overdue button[type='submit']")
    page.wait_for_selector("#d-overdue.handled")
    [record] = boss.get(boss.hall_path("/overdue"))["overdue"]
    assert record["reason"] == "入户核查未完成" and record["action"] == "责令两个工作日内办结"
    assert "督办处理" in text(page, "#d-history")

    # A clerk sees the cases but no manager buttons.
    clerk_page = pages(LANDSCAPE)  # a new tab: its own sessionStorage, so a new sign-in
    login(clerk_page, live_server, "clerk1", f"/cases?case={calm}")
    clerk_page.wait_for_selector(f"#detail-body[data-case='{calm}']")
    # (上报/交办 is a clerk's action too: the demo hall has a county above it)
    assert clerk_page.locator("#detail-body form:not([data-action^='refer'])").count() == 0
    assert clerk_page.is_hidden("#to-board")


def test_rating_pad_takes_one_rating_per_service(live_server, pages, artifacts):
    token = live_server.device_token("rating-1")  # 「1号窗口好差评评价器」: window 1 by its name
    page = pages(PAD)
    page.goto(f"{live_server.url}/rate/{live_server.hall}/rating-1#token={token}")
    page.wait_for_selector("body[data-ready='1'][data-screen='idle']", state="attached")
    assert "token" not in page.url  # taken out of the address bar
    assert page.get_attribute("body", "data-window") == "1"
    assert text(page, "#screen-idle h1") == "感谢您的到来"
    assert text(page, "#window-name") == "1号窗口"
    page.screenshot(path=str(artifacts / "rate-idle.png"))

    clerk2 = clerk(live_server, "clerk2", 1)
    clerk1 = clerk(live_server, "clerk1", 3)
    first, other = issue(live_server, "WJ-01", "MZ-04")
    # Another window's request is not for this pad.
    clerk1.window_action(3, "call-next")
    clerk1.window_action(3, "finish")
    clerk1.post(clerk1.hall_path("/windows/3/rating-request"))
    assert clerk2.window_action(1, "call-next")["ticket"]["number"] == first
    clerk2.window_action(1, "finish")
    clerk2.post(clerk2.hall_path("/windows/1/rating-request"))
    page.wait_for_selector("body[data-screen='ask']")
    assert text(page, "#ask-number") == first
    assert page.get_attribute("body", "data-ticket") == first
    assert "生育登记" in text(page, "#screen-ask")
    labels = page.locator("#ratings .rate b").all_inner_texts()
    assert labels == ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    sizes = page.eval_on_selector_all(
        "#ratings .rate", "bs => bs.map(b => [b.offsetWidth, b.offsetHeight])"
    )
    assert all(w >= 180 and h >= 200 for w, h in sizes), sizes  # big enough for any finger
    page.screenshot(path=str(artifacts / "rate-ask.png"))
    assert not overflowing(page, "#ratings .rate b, #ask-title")

    page.click("#ratings .rate[data-rating='satisfied']")
    page.wait_for_selector("body[data-screen='done']")
    assert page.get_attribute("body", "data-rated") == f"{first}:satisfied"
    assert "满意" in text(page, "#done-text")
    page.screenshot(path=str(artifacts / "rate-thanks.png"))
    page.wait_for_selector("body[data-screen='idle']", timeout=15_000)

    # One service, one rating: the same ticket cannot be rated again.
    pad = ApiClient(live_server.url, live_server.hall, token)
    with pytest.raises(ApiError) as again:
        pad.post(pad.hall_path("/evaluations"), {"ticket": first, "rating": "very_satisfied"})
    assert again.value.status == 409 and again.value.code == "already_rated"

    # Rated elsewhere meanwhile (e.g. the QR code on the receipt): the pad says so plainly.
    [second] = issue(live_server, "WJ-01")
    clerk2.window_action(1, "call-next")
    clerk2.window_action(1, "finish")
    clerk2.post(clerk2.hall_path("/windows/1/rating-request"))
    page.wait_for_function(f"document.body.dataset.ticket === '{second}'")
    pad.post(
        pad.hall_path("/evaluations"), {"ticket": second, "rating": "satisfied"}, uuid.uuid4().hex
    )
    page.click("#ratings .rate[data-rating='very_satisfied']")
    page.wait_for_selector("body[data-screen='done']")
    assert text(page, "#done-title") == "这次服务已经评价过了"
    assert page.get_attribute("body", "data-rated") == f"{second}:already"


def test_rating_pad_window_comes_from_the_hall_file_not_the_address(live_server, pages):
    token = live_server.device_token("rating-3")  # attached_to = "3" in the hall file
    page = pages(PAD)
    page.goto(f"{live_server.url}/rate/{live_server.hall}/rating-3?window=1#token={token}")
    page.wait_for_selector("body[data-ready='1']", state="attached")
    assert text(page, "#window-name") == "3号窗口"
    clerk1 = clerk(live_server, "clerk1", 3)
    [number] = issue(live_server, "MZ-04")
    clerk1.window_action(3, "call-next")
    clerk1.window_action(3, "finish")
    clerk1.post(clerk1.hall_path("/windows/3/rating-request"))
    page.wait_for_function(f"document.body.dataset.ticket === '{number}'")
    # A pad reloaded while the resident stands there shows the request again.
    page.reload()
    page.wait_for_selector("body[data-screen='ask']")
    assert text(page, "#ask-number") == number

    bad = pages(PAD)
    bad.goto(f"{live_server.url}/rate/{live_server.hall}/rating-1#token=forged")
    bad.wait_for_selector("body[data-screen='fatal']")
    assert "令牌" in text(bad, "#fatal-text")
