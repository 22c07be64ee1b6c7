"""The reviews and reports page (/reviews) in headless Chromium against a real server on the demo
hall: rectifications of bad ratings (steps in order, appeals), follow-up calls and report
downloads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from backend.db.models import Rectification
from clientlib.api import ApiClient
from tests.pages.conftest import LANDSCAPE, clerk, issue, overflowing
from tests.pages.test_cases import accept_case, login, manager, text

pytestmark = pytest.mark.slow

HALL_NAME = "青山镇便民服务中心"
STEP_NOTES = [
    ("callback", "电话回访群众，了解到等候时间过长"),
    ("verify", "调取叫号记录，核实属实"),
    ("fix", "高峰时段加开 2 号窗口"),
    ("inform", "已电话告知群众整改结果，群众表示认可"),
]


def bad_rating(server, api: ApiClient, rating: str, comment: str) -> tuple[str, int]:
    """A service at 3号窗口 rated badly on its rating pad: (ticket number, rectification id)."""
    [number] = issue(server, "MZ-04")
    assert api.window_action(3, "call-next")["ticket"]["number"] == number
    api.window_action(3, "finish")
    api.post(api.hall_path("/windows/3/rating-request"))
    pad = ApiClient(server.url, server.hall, server.device_token("rating-3"))
    answer = pad.post(
        pad.hall_path("/evaluations"), {"ticket": number, "rating": rating, "comment": comment}
    )
    return number, answer["rectification"]["id"]


def move_rect_deadline(server, rect_id: int, delta: timedelta) -> None:
    """Put the rectification's deadline ``delta`` from now (negative: already past), the way a
    week going by would (the server runs on the real clock)."""
    engine = sa.create_engine(server.database_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.update(Rectification)
                .where(Rectification.id == rect_id)
                .values(deadline_at=datetime.now(UTC) + delta)
            )
    finally:
        engine.dispose()


def record_step(page, card: str, step: str, note: str) -> None:
    page.select_option(f"{card} select[name='step']", step)
    page.fill(f"{card} textarea[name='note']", note)
    page.click(f"{card} .step-form button[type='submit']")


def hall_today() -> datetime:
    return datetime.now(ZoneInfo("Asia/Shanghai"))


def test_rectification_steps_in_order_and_an_upheld_appeal(live_server, pages, artifacts):
    clerk1 = clerk(live_server, "clerk1", 3)
    first, first_id = bad_rating(live_server, clerk1, "dissatisfied", "等候时间太长，没人引导")
    move_rect_deadline(live_server, first_id, -timedelta(days=1, hours=2))

    page = pages(LANDSCAPE)
    login(page, live_server, "manager", "/reviews")
    page.wait_for_selector("body[data-view='reviews'][data-loaded]", state="attached")
    page.evaluate("window.__sameDocument = true")
    card = f"#rect-list article[data-rectification='{first_id}']"
    page.wait_for_selector(card)
    assert text(page, f"{card} .rect-ticket") == first
    assert "不满意" in text(page, f"{card} .rating")
    assert "等候时间太长，没人引导" in text(page, card)
    assert "已逾期 1 天" in text(page, f"{card} .rect-due")  # past its deadline, said in words
    assert page.get_attribute(card, "data-overdue") == "1"
    assert "已逾期 1 条" in text(page, "#reviews-summary")
    assert page.get_attribute(card, "data-next") == "callback"
    assert page.input_value(f"{card} select[name='step']") == "callback"
    assert text(page, "#count-reviews") == "1"

    # A second bad rating arrives while the page is open: it appears without a reload.
    second, second_id = bad_rating(live_server, clerk1, "very_dissatisfied", "态度差")
    other = f"#rect-list article[data-rectification='{second_id}']"
    page.wait_for_selector(other)
    assert "非常不满意" in text(page, f"{other} .rating")
    assert "剩" in text(page, f"{other} .rect-due")  # due in 5 working days
    assert page.get_attribute(other, "data-overdue") == "0"
    page.wait_for_function("document.getElementById('count-reviews').textContent === '2'")

    # Out of order: the server answers 409 and the page says so plainly.
    record_step(page, card, "fix", "先整改")
    page.wait_for_selector(f"{card} .step-form .d-msg.error")
    message = text(page, f"{card} .step-form .d-msg")
    assert "下一步应为「回访群众」" in message and "409" in message
    assert "the next step is callback, not fix" in message
    assert page.get_attribute(card, "data-next") == "callback"
    page.screenshot(path=str(artifacts / "reviews-step-409.png"))

    # The first two steps in order.
    for (step, note), nxt in zip(STEP_NOTES[:2], ["verify", "fix"], strict=True):
        record_step(page, card, step, note)
        page.wait_for_selector(f"{card}[data-next='{nxt}']")
    assert page.locator(f"{card} .step-log li").count() == 2
    assert "王主任" in text(page, f"{card} .step-log li[data-step='callback']")
    assert page.locator(f"{card} .stepper .st-done").count() == 2
    assert page.get_attribute(f"{card} .stepper .st-next", "data-step") == "fix"

    # Any staff member may appeal a mistaken or malicious rating; a manager decides.
    page.click(f"{other} .appeal-open summary")
    page.fill(f"{other} textarea[name='reason']", "群众误触评价器，已电话确认本意为满意")
    page.click(f"{other} .appeal-open button[type='submit']")
    page.wait_for_selector(f"{other}[data-appeal='pending'] .decision-form")
    assert "申诉待决定" in text(page, f"{other} .rect-head")
    page.fill(f"{other} .decision-form textarea[name='note']", "调取监控核实为误触")
    assert not overflowing(page, ".rect-ticket, .rating, .badge, .st-text, .tab, .summary")
    page.screenshot(path=str(artifacts / "reviews-rectifications.png"))

    # The last two steps: the rectification is done and leaves the open list.
    record_step(page, card, *STEP_NOTES[2])
    page.wait_for_selector(f"{card}[data-next='inform']")
    record_step(page, card, *STEP_NOTES[3])
    page.wait_for_selector(card, state="detached")
    # The note typed into the other card's decision form survived the redraws.
    assert page.input_value(f"{other} .decision-form textarea[name='note']") == "调取监控核实为误触"
    page.click(f"{other} .decision-form button[value='uphold']")
    page.wait_for_selector(other, state="detached")
    page.wait_for_function("document.getElementById('count-reviews').textContent === '0'")
    assert "没有待整改的差评" in text(page, "#rect-list")

    page.select_option("#f-rstate", "done")
    page.wait_for_selector(f"{card}[data-state='done']")
    assert "state=done" in page.url
    assert page.locator(f"{card} .step-log li").count() == 4
    assert "逾期整改" in text(page, f"{card} .rect-due")
    assert page.locator(f"{card} form").count() == 0
    page.select_option("#f-rstate", "void")
    page.wait_for_selector(f"{other}[data-state='void'][data-appeal='upheld']")
    assert "已作废" in text(page, f"{other} .rect-head")
    assert "调取监控核实为误触" in text(page, f"{other} .appeal")
    page.select_option("#f-rstate", "")
    page.wait_for_selector(f"{card}[data-state='done']")
    assert page.locator("#rect-list article.rect").count() == 2
    page.screenshot(path=str(artifacts / "reviews-closed.png"))
    assert page.evaluate("window.__sameDocument") is True

    boss = manager(live_server)
    done = boss.get(boss.hall_path("/rectifications?state=done"))["rectifications"]
    assert [r["id"] for r in done] == [first_id]
    assert [(s["step"], s["note"]) for s in done[0]["steps"]] == STEP_NOTES
    void = boss.get(boss.hall_path("/rectifications?state=void"))["rectifications"]
    assert [(r["id"], r["appeal"]["state"]) for r in void] == [(second_id, "upheld")]


def test_follow_up_calls_recorded_by_a_clerk(live_server, pages, artifacts):
    clerk1 = clerk(live_server, "clerk1", 3)
    follow_ups: list[dict] = []
    for _ in range(60):  # 30 % of finished cases are sampled (a stable hash of the number)
        number = accept_case(live_server, clerk1, 3, "MZ-02")
        clerk1.post(clerk1.hall_path(f"/cases/{number}/finish"), {"result": "准予临时救助"})
        follow_ups = clerk1.get(clerk1.hall_path("/follow-ups?state=pending"))["follow_ups"]
        if len(follow_ups) >= 2:
            break
    assert len(follow_ups) >= 2
    reached, missed = follow_ups[:2]

    page = pages(LANDSCAPE)
    login(page, live_server, "clerk1", "/reviews")
    page.wait_for_selector("body[data-view='reviews'][data-loaded]", state="attached")
    assert page.get_attribute("body", "data-tab") == "follow-ups"  # a clerk starts here
    assert page.is_hidden("#to-board")  # the board is for managers
    row = f"#follow-list tr[data-follow-up='{reached['id']}']"
    page.wait_for_selector(row)
    assert text(page, f"{row} .r-number") == reached["case"]
    assert text(page, f"{row} .f-item") == "临时救助申请"
    assert (
        text(page, f"{row} .f-name") == "张*三" and text(page, f"{row} .f-phone") == "138****1234"
    )
    assert "张小三" not in text(page, "#follow-list") and "13812341234" not in text(page, "body")
    assert text(page, "#count-follow-ups") == str(len(follow_ups))
    assert not overflowing(page, ".tab, .f-state, .r-number")
    page.screenshot(path=str(artifacts / "reviews-follow-ups.png"))

    # Done needs the resident's verdict.
    page.click(f"{row} button[value='done']")
    assert "请选择群众对办理结果的评价" in text(page, f"{row} .d-msg")
    page.select_option(f"{row} select[name='result']", "satisfied")
    page.fill(f"{row} input[name='note']", "群众对救助金额满意")
    page.click(f"{row} button[value='done']")
    page.wait_for_selector(row, state="detached")
    gone = f"#follow-list tr[data-follow-up='{missed['id']}']"
    page.click(f"{gone} button[value='unreachable']")
    page.wait_for_selector(gone, state="detached")

    page.select_option("#f-fstate", "")
    page.wait_for_selector(f"{row}[data-state='done']")
    assert "满意" in text(page, f"{row} .f-record") and "群众对救助金额满意" in text(page, row)
    assert text(page, f"{gone}[data-state='unreachable'] .f-state") == "联系不上"
    assert "fstate=all" in page.url

    recorded = {
        f["id"]: (f["state"], f["result"], f["note"])
        for f in clerk1.get(clerk1.hall_path("/follow-ups"))["follow_ups"]
    }
    assert recorded[reached["id"]] == ("done", "satisfied", "群众对救助金额满意")
    assert recorded[missed["id"]] == ("unreachable", None, "")

    # A clerk sees only the bad ratings of their own services (none here), with a note on appeals.
    page.click("#tab-reviews")
    assert page.is_visible("#managers-only") and page.is_hidden("#reports")


def saved(download) -> bytes:
    assert download.failure() is None
    return Path(download.path()).read_bytes()


def test_report_downloads_from_the_board_link(live_server, pages, artifacts):
    clerk1 = clerk(live_server, "clerk1", 3)
    bad_rating(live_server, clerk1, "dissatisfied", "材料清单没说清楚")  # something to report

    page = pages(LANDSCAPE)
    login(page, live_server, "manager", "/board")
    page.wait_for_selector("body[data-view='board'][data-snapshots]", state="attached")
    page.click("#to-reports")  # the board header, next to 办件管理
    page.wait_for_selector("body[data-view='reviews'][data-tab='reports']", state="attached")
    page.wait_for_selector("body[data-loaded]", state="attached")
    today = hall_today()
    day, month = today.strftime("%Y-%m-%d"), today.strftime("%Y-%m")
    assert page.input_value("#daily-date") == day
    assert page.input_value("#monthly-month") == month

    with page.expect_download() as info:
        page.click("#report-monthly button[value='xlsx']")
    xlsx = info.value
    assert xlsx.suggested_filename == f"{HALL_NAME}-{month}-月报.xlsx"
    assert saved(xlsx)[:2] == b"PK"
    page.wait_for_selector("#monthly-msg.ok")
    assert f"{HALL_NAME}-{month}-月报.xlsx" in text(page, "#monthly-msg")

    with page.expect_download(timeout=90_000) as info:
        page.click("#report-monthly button[value='pdf']")
    pdf = info.value
    assert pdf.suggested_filename == f"{HALL_NAME}-{month}-民生服务和民情诉求分析报告.pdf"
    assert saved(pdf)[:4] == b"%PDF"

    page.select_option("#daily-by", "item")
    with page.expect_download() as info:
        page.click("#report-daily button[value='csv']")
    csv = info.value
    assert csv.suggested_filename == f"{HALL_NAME}-{day}-日报-按事项.csv"
    body = saved(csv).decode("utf-8")
    assert body.startswith("\ufeff") and "高龄津贴申领" in body and "合计" in body

    # A refused request: the field the server names is shown plainly, nothing is saved.
    downloads = page.get_attribute("body", "data-downloads")
    page.fill("#daily-date", "1999-12-31")
    page.click("#report-daily button[value='xlsx']")
    page.wait_for_selector("#daily-msg.error")
    message = text(page, "#daily-msg")
    assert "日期" in message and "400" in message and "date must be a day" in message
    assert page.get_attribute("body", "data-downloads") == downloads
    assert not overflowing(page, ".tab, .report-card h2, .report-card button")
    page.screenshot(path=str(artifacts / "reviews-reports.png"))


def test_a_clerk_appeals_a_bad_rating_of_their_own_service(live_server, pages):
    clerk1 = clerk(live_server, "clerk1", 3)
    _, rect_id = bad_rating(live_server, clerk1, "very_dissatisfied", "点错了")
    page = pages(LANDSCAPE)
    login(page, live_server, "clerk1", "/reviews?tab=reviews")
    card = f"#rect-list article[data-rectification='{rect_id}']"
    page.wait_for_selector(card)
    assert page.locator(f"{card} .step-form").count() == 0  # the steps are the managers'
    page.click(f"{card} .appeal-open summary")
    page.fill(f"{card} textarea[name='reason']", "群众误触评价器，已电话确认本意为满意")
    page.click(f"{card} .appeal-open button[type='submit']")
    page.wait_for_selector(f"{card}[data-appeal='pending']")
    assert "等待大厅管理员决定" in text(page, f"{card} .appeal")
    [rect] = clerk1.get(clerk1.hall_path("/rectifications"))["rectifications"]
    assert rect["appeal"] == {
        "state": "pending",
        "reason": "群众误触评价器，已电话确认本意为满意",
        "note": None,
    }
