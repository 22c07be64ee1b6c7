"""The reviews and reports page (/reviews) in English: the 中文/English toggle, tabs, labels, the
rectification card (rating, state, deadline, steps, the step form), the server's 409 in English,
the follow-up and report tabs; the choice kept across a reload, and back to Chinese."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.pages.conftest import LANDSCAPE, clerk, overflowing

from .test_cases import login, text
from .test_cases_i18n import HAN, chinese_left
from .test_reviews import bad_rating, move_rect_deadline, record_step

pytestmark = pytest.mark.slow

COMMENT = "等候时间太长，没人引导"


def test_reviews_page_switches_to_english_and_back(live_server, pages, artifacts):
    clerk1 = clerk(live_server, "clerk1", 3)
    ticket, rect_id = bad_rating(live_server, clerk1, "dissatisfied", COMMENT)
    move_rect_deadline(live_server, rect_id, -timedelta(days=1, hours=2))

    page = pages(LANDSCAPE)
    login(page, live_server, "manager", "/reviews")
    page.wait_for_selector("body[data-view='reviews'][data-loaded]", state="attached")
    card = f"#rect-list article[data-rectification='{rect_id}']"
    page.wait_for_selector(card)
    assert "已逾期 1 天" in text(page, f"{card} .rect-due")
    assert text(page, f"{card} .rating") == "不满意"

    page.click("#lang-toggle button[data-lang='en']")
    page.wait_for_selector("body[data-lang='en']", state="attached")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert text(page, "#tab-reviews [data-i18n='r_tab_reviews']") == "Bad-rating rectifications"
    assert text(page, "#panel-reviews [data-i18n='r_f_rstate']") == "State"
    assert page.locator("#f-rstate option[value='open']").inner_text() == "Open"
    # Live values: the rating, the card's state, the deadline and the summary.
    assert text(page, f"{card} .rating") == "Dissatisfied"
    assert text(page, f"{card} .rect-badge") == "Open"
    assert "overdue by 1 d" in text(page, f"{card} .rect-due")
    assert text(page, "#reviews-summary") == "1 open · 1 overdue"
    assert text(page, f"{card} .st-next .st-text") == "Call back"
    assert text(page, f"{card} .step-form button") == "Record"
    assert page.locator(".reviews-app .en").first.is_hidden()
    # Only the resident's comment (data) is left in Chinese on the card.
    left = [t.replace(COMMENT, "") for t in chinese_left(page, card)]
    assert [t for t in left if HAN.search(t)] == []

    # Out of order: the server's 409 is told in English.
    record_step(page, card, "fix", "先整改")
    page.wait_for_selector(f"{card} .step-form .d-msg.error")
    message = text(page, f"{card} .step-form .d-msg")
    assert message.startswith("Steps out of order: the next step is “Call back”, not “Fix”.")
    assert "409" in message and not HAN.search(message)
    assert not overflowing(page, ".tab, .rect-head .badge, .rating, .step-form button")
    page.screenshot(path=str(artifacts / "reviews-en.png"), full_page=True)

    page.click("#tab-reports")
    assert text(page, "#report-daily h2 [data-i18n='r_daily']") == "Daily report"
    assert page.locator("#daily-by option[value='department']").inner_text() == "By department"
    assert [t for t in chinese_left(page, "#panel-reports") if HAN.search(t)] == []
    page.screenshot(path=str(artifacts / "reviews-reports-en.png"))

    page.reload()  # the session and the language choice survive a reload
    page.wait_for_selector("body[data-lang='en'][data-loaded]", state="attached")
    page.wait_for_function(
        "document.querySelector(\"[data-i18n='r_daily']\").textContent === 'Daily report'"
    )
    page.click("#tab-reviews")
    page.wait_for_function(
        f"(document.querySelector(\"{card} .rating\") || {{}}).textContent === 'Dissatisfied'"
    )

    page.click("#lang-toggle button[data-lang='zh']")
    page.wait_for_selector("body[data-lang='zh']", state="attached")
    assert text(page, f"{card} .rating") == "不满意"
    assert "已逾期 1 天" in text(page, f"{card} .rect-due")
    assert "已逾期 1 条" in text(page, "#reviews-summary")
    assert page.locator("#f-rstate option[value='open']").inner_text() == "待整改 · open"
    assert page.locator(".reviews-app .en").first.is_visible()
