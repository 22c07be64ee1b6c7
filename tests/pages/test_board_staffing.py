"""The board's staffing strip in headless Chromium against a real server on the demo hall."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests

from tests.pages.conftest import LANDSCAPE, issue
from tests.pages.test_board import login

pytestmark = pytest.mark.slow


def hall_today() -> date:
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()  # the demo hall's day


def loads(page) -> int:
    return int(page.get_attribute("#staffing-panel", "data-loads") or 0)


def loaded(page, n: int) -> None:
    """Wait until the strip has drawn at least its n-th answer."""
    page.wait_for_function(
        f"Number(document.getElementById('staffing-panel').dataset.loads) >= {n}"
    )


def manager_token(server) -> str:
    r = requests.post(
        f"{server.url}/api/v1/auth/login",
        json={"hall": server.hall, "username": "manager", "password": server.password("manager")},
        timeout=10,
    )
    r.raise_for_status()
    return r.json()["token"]


def a_coming_workday(server) -> str:
    """The first ordinary working day from the day after tomorrow on (the server's calendar)."""
    headers = {"Authorization": f"Bearer {manager_token(server)}"}
    first = hall_today() + timedelta(days=2)
    for n in range(30):
        day = (first + timedelta(days=n)).isoformat()
        url = f"{server.url}/api/v1/halls/{server.hall}/staffing?day={day}"
        plan = requests.get(url, headers=headers, timeout=30).json()
        if plan["day_kind"] == "workday" and plan["slots"]:
            return day
    raise AssertionError("no working day within a month")


def test_the_strip_shows_the_gap_per_half_hour_and_follows_the_hall(live_server, pages, artifacts):
    day = a_coming_workday(live_server)
    page = pages(LANDSCAPE)
    login(page, live_server, "manager")
    loaded(page, 1)
    assert page.get_attribute("#staffing-panel", "data-scope") == "today"
    assert page.get_attribute("#staffing-today", "aria-pressed") == "true"
    # Today remaining depends on the time of day: half hours to come, or none left.
    assert page.locator("#staffing table.staffing-table, #staffing .staffing-empty").count() == 1

    # A coming working day on the demo profile (no history yet): all 12 windows planned, the
    # morning needs more; short half hours show a positive gap in red or orange.
    page.fill("#staffing-date", day)
    page.wait_for_selector(f"#staffing-panel[data-day='{day}']", state="attached")
    assert "工作日" in page.inner_text("#staffing-note")
    assert page.locator("#staffing .row-planned td").first.inner_text() == "12"
    short = page.locator("#staffing td.s-gap.gap-short2, #staffing td.s-gap.gap-short1")
    assert short.count() > 0
    first = short.first
    assert int(first.get_attribute("data-gap")) > 0 and first.inner_text().startswith("+")
    colour = first.evaluate("td => getComputedStyle(td).backgroundColor")
    assert colour in ("rgb(197, 34, 31)", "rgb(227, 116, 0)")  # --alert / --paused
    assert "需加开窗口" in page.inner_text("#staffing-summary")
    slots = page.locator("#staffing th.s-slot")
    assert slots.first.inner_text() == "08:30" and slots.count() == 20  # 08:30-18:30
    page.screenshot(path="/tmp/board-staffing-1080.png")
    page.screenshot(path=str(artifacts / "board-staffing.png"))

    page.click("#staffing-tomorrow")
    tomorrow = (hall_today() + timedelta(days=1)).isoformat()
    page.wait_for_selector(f"#staffing-panel[data-scope='tomorrow'][data-day='{tomorrow}']",
                           state="attached")  # fmt: skip
    assert page.input_value("#staffing-date") == ""
    assert page.get_attribute("#staffing-tomorrow", "aria-pressed") == "true"

    # Today remaining follows the hall: a live event asks for fresh advice (at most once a
    # minute; the hook lets the test skip the wait for the minute to pass).
    before = loads(page)
    page.click("#staffing-today")
    loaded(page, before + 1)
    page.evaluate("window.onestopBoard.staffing.state.lastAsked = 0")
    before = loads(page)
    issue(live_server, "MZ-01")
    page.wait_for_function("document.getElementById('t-issued').textContent === '1'")
    loaded(page, before + 1)
    assert page.get_attribute("#staffing-panel", "data-scope") == "today"
