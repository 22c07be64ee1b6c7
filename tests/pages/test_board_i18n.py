"""The managers' board in English: the 中文/English toggle, strings from the "staff" catalogue,
the choice kept across a reload (localStorage), and back to Chinese."""

from __future__ import annotations

import pytest

import i18n
from tests.pages.conftest import clerk

from .test_board import BOARD, cell, login

pytestmark = pytest.mark.slow


def test_board_switches_to_english_and_back(live_server, pages, artifacts):
    en = i18n.texts("staff", "en")
    page = pages(BOARD)
    login(page, live_server, "manager")
    page.wait_for_selector("body[data-view='board'][data-snapshots]", state="attached")
    clerk(live_server, "clerk1", 3).window_action(3, "pause", reason="meeting")
    row = "#windows tr[data-window='3']"
    page.wait_for_selector(f"{row}[data-state='paused']")
    assert cell(page, f"{row} .badge") == "暂停"
    assert page.locator("#lang-toggle button").all_inner_texts() == ["中文", "English"]
    assert page.get_attribute("#lang-toggle button[data-lang='zh']", "aria-pressed") == "true"
    assert page.locator("[data-i18n='total_issued']").inner_text() == "今日取号"

    page.click("#lang-toggle button[data-lang='en']")
    page.wait_for_selector("body[data-lang='en']", state="attached")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("[data-i18n='total_issued']").inner_text() == en["total_issued"]
    assert page.locator("#windows th[data-i18n='th_clerk']").inner_text() == "Clerk"
    assert cell(page, f"{row} .badge") == "Paused"
    assert "Meeting" in cell(page, f"{row} .w-state")
    assert page.locator("#alerts li .a-kind").first.inner_text() in {
        en[k] for k in en if k.startswith("alert_")
    }
    # The small English hints are hidden: English is the label itself now.
    assert page.locator(".totals .en").first.is_hidden()
    page.screenshot(path=str(artifacts / "board-en.png"))

    page.reload()  # the session and the language choice survive a reload
    page.wait_for_selector("body[data-lang='en'][data-snapshots]", state="attached")
    page.wait_for_function(
        "document.querySelector(\"#windows tr[data-window='3'] .badge\").textContent === 'Paused'"
    )

    page.click("#lang-toggle button[data-lang='zh']")
    page.wait_for_selector("body[data-lang='zh']", state="attached")
    assert cell(page, f"{row} .badge") == "暂停"
    assert page.locator("[data-i18n='total_issued']").inner_text() == "今日取号"
    assert page.locator(".totals .en").first.is_visible()
