"""The managers' live board in headless Chromium against a real server."""

from __future__ import annotations

import pytest

from tests.pages.conftest import clerk, issue

pytestmark = pytest.mark.slow

BOARD = {"width": 1600, "height": 1000}


def login(page, server, username: str) -> None:
    page.goto(f"{server.url}/board")
    page.fill("#login-hall", server.hall)
    page.fill("#login-user", username)
    page.fill("#login-password", server.password(username))
    page.click("#login-submit")


def cell(page, selector: str) -> str:
    return page.locator(selector).inner_text().strip()


def test_board_shows_the_hall_and_updates_live(live_server, pages, artifacts):
    page = pages(BOARD)
    login(page, live_server, "manager")
    page.wait_for_selector("body[data-view='board'][data-snapshots]", state="attached")
    page.evaluate("window.__sameDocument = true")  # proves later updates came without a reload
    assert page.is_hidden("#login")
    assert page.locator("#windows tr[data-window]").count() == 12
    assert cell(page, "#t-issued") == "0" and cell(page, "#t-waiting") == "0"
    assert cell(page, "#who") == "王主任"
    # No kiosk or display has reported in this fresh hall: the devices are flagged offline.
    page.wait_for_selector("#alerts li[data-kind='device_offline']")
    assert page.locator("#alerts-panel.has-alerts").count() == 1
    page.wait_for_selector("#conn.conn-connected")

    issue(live_server, "MZ-01", "MZ-01")
    page.wait_for_function("document.getElementById('t-issued').textContent === '2'")
    assert cell(page, "#t-waiting") == "2"
    page.wait_for_selector("#items tr[data-item='MZ-01'][data-waiting='2']")
    assert page.locator("#items tr[data-department='MZ'] .d-name").inner_text() == "民政办"

    clerk1 = clerk(live_server, "clerk1", 3)
    clerk1.window_action(3, "call-next")
    row = "#windows tr[data-window='3']"
    page.wait_for_selector(f"{row}[data-state='serving']")
    assert "A001" in cell(page, f"{row} .w-current")
    assert cell(page, f"{row} .w-clerk") not in ("", "—")
    assert cell(page, f"{row} .badge") == "服务中"
    page.wait_for_function("document.getElementById('t-waiting').textContent === '1'")
    # The time on the current ticket ticks in the browser.
    first = cell(page, f"{row} .w-timer")
    page.wait_for_function(
        f"document.querySelector(\"{row} .w-timer\").textContent !== '{first}'", timeout=5_000
    )
    clerk1.window_action(3, "finish")
    page.wait_for_selector(f"{row}[data-state='idle']")
    page.wait_for_function(f"document.querySelector(\"{row} .w-served\").textContent === '1'")
    assert cell(page, "#t-served") == "1"
    assert page.locator("#chart svg rect.bar-arrivals").count() >= 2  # legend + at least a bar

    clerk2 = clerk(live_server, "clerk2", 4)
    clerk2.window_action(4, "pause", reason="meeting")
    page.wait_for_selector("#windows tr[data-window='4'][data-state='paused']")
    assert "会议" in cell(page, "#windows tr[data-window='4'] .w-state")

    # The time-based checks are recomputed in the browser: 40 minutes later (clock shifted),
    # the waiting ticket and the paused window are alerts without any new data.
    assert page.locator("#alerts li[data-kind='wait_long']").count() == 0
    page.evaluate("window.onestopBoard.state.offset += 40 * 60000; window.onestopBoard.recheck()")
    page.wait_for_selector("#alerts li[data-kind='wait_long']")
    assert "最低生活保障申请" in cell(page, "#alerts li[data-kind='wait_long']")
    assert "4号窗口" in cell(page, "#alerts li[data-kind='paused_long']")
    assert page.locator("#items tr[data-item='MZ-01'].alerted").count() == 1
    assert page.locator("#windows tr[data-window='4'].alerted").count() == 1
    page.evaluate("window.onestopBoard.state.offset -= 40 * 60000; window.onestopBoard.recheck()")
    page.wait_for_selector("#alerts li[data-kind='wait_long']", state="detached")

    assert page.evaluate("window.__sameDocument") is True
    page.screenshot(path=str(artifacts / "board.png"), full_page=True)

    page.click("#logout")
    page.wait_for_selector("#login", state="visible")
    assert page.evaluate("sessionStorage.getItem('onestop.board')") is None


def test_board_refuses_a_clerk(live_server, pages):
    page = pages(BOARD)
    login(page, live_server, "clerk1")
    page.wait_for_selector("#login-error", state="visible")
    assert "窗口工作人员" in cell(page, "#login-error")
    assert page.is_hidden("#board")
    assert page.evaluate("sessionStorage.getItem('onestop.board')") is None

    page.fill("#login-user", "manager")
    page.fill("#login-password", "wrong password")
    page.click("#login-submit")
    page.wait_for_function("document.getElementById('login-error').textContent.includes('不正确')")
