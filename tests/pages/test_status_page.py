"""The resident's status page (/t/<token>) in headless Chromium against a real server: the case
leads, the ticket says its counter service is done (not 已办结 above a case still waiting for
materials), each state has its own words and colour, and the page runs under the CSP with no
inline script, no inline handler and no inline style."""

from __future__ import annotations

import re
import uuid

import pytest
import requests

from tests.pages.conftest import PORTRAIT, clerk, kiosk

pytestmark = pytest.mark.slow

PHONE = {"width": 420, "height": 900}
APPLICANT = {"name": "张三", "phone": "13812341234", "id_number": "320102198503151230"}


def take(server, item: str) -> dict:
    return kiosk(server).issue_ticket(item, uuid.uuid4().hex)


def colour(page, selector: str) -> tuple[str, str]:
    fg, bg = page.eval_on_selector(
        selector,
        "e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]",
    )
    return fg, bg


def test_the_case_leads_and_every_state_has_its_own_colour(live_server, pages, artifacts):
    server = live_server
    at3 = clerk(server, "clerk1", 3)  # 3号窗口 民政
    served = take(server, "MZ-01")  # A001: accepted, then missing materials asked for
    missed = take(server, "MZ-01")  # A002: called, not there
    waiting = take(server, "MZ-01")  # A003: still in line
    at3.window_action(3, "call-next")
    at3.window_action(3, "start")
    case = at3.post(at3.hall_path("/windows/3/accept"), {"applicant": APPLICANT})["case"]
    at3.post(at3.hall_path(f"/cases/{case['number']}/suspend"), {"missing": ["户口簿原件"]})
    at3.window_action(3, "finish")
    at3.window_action(3, "call-next")
    at3.window_action(3, "recall")  # the no-show guard wants a recall first
    assert at3.window_action(3, "no-show")["ticket"]["state"] == "no_show"

    url = f"{server.url}{served['status_path']}"
    html = requests.get(url, timeout=5).text
    assert not re.search(r"<script[^>]*>[^<]+</script>", html), "inline script"
    assert re.findall(r"<script[^>]*>", html) == [  # only our own files (CSP script-src 'self')
        '<script type="module" src="/assets/status.js">',
    ]
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"
    assert not re.search(r"\sstyle\s*=", html), "inline style attribute"
    assert "<style" not in html.lower()

    page = pages(PHONE)
    page.goto(url)
    sections = page.eval_on_selector_all("main > section", "s => s.map(e => e.id)")
    assert sections[:2] == ["case", "ticket"]  # the case's state comes first
    assert page.inner_text("#case-state").startswith("待补正材料")
    ticket_state = page.inner_text("#ticket-state")
    assert ticket_state.startswith("窗口服务已完成") and "Counter service completed" in ticket_state
    assert "已办结" not in page.inner_text("main")
    assert "户口簿原件" in page.inner_text("#case")
    page.screenshot(path=str(artifacts / "status-case-suspended.png"), full_page=True)
    page.screenshot(path="/tmp/status.png", full_page=True)
    done, suspended = colour(page, "#ticket-state"), colour(page, "#case-state")

    page.goto(f"{server.url}{missed['status_path']}")
    assert page.inner_text("#ticket-state").startswith("已过号")
    no_show = colour(page, "#ticket-state")
    page.screenshot(path="/tmp/status-no-show.png", full_page=True)

    page.goto(f"{server.url}{waiting['status_path']}")
    assert page.inner_text("#ticket-state").startswith("等候中")
    assert "前面没有人" in page.inner_text("#wait")  # window 3 is free again
    in_line = colour(page, "#ticket-state")
    page.screenshot(path="/tmp/status-waiting.png", full_page=True)

    at3.window_action(3, "call-next")
    page.goto(f"{server.url}{waiting['status_path']}")
    assert page.inner_text("#ticket-state").startswith("已叫号")
    called = colour(page, "#ticket-state")

    states = {"done": done, "no_show": no_show, "waiting": in_line, "called": called}
    assert len(set(states.values())) == 4, states  # four states, four looks
    assert suspended != done
    red, green, blue = (int(x) for x in re.findall(r"\d+", no_show[0])[:3])
    assert red > 120 and red > 2 * blue, f"过号 is not red-ish: {no_show}"
    page.set_viewport_size(PORTRAIT)  # still fine on a large phone or tablet


def test_a_ticket_queued_while_no_window_is_open_says_so(live_server, pages):
    """The demo hall takes tickets while no window serves the item: no figure is made up."""
    ticket = take(live_server, "SF-03")  # 法律咨询, window 9 closed
    assert ticket["people_ahead"] is None and ticket["estimated_wait_minutes"] is None
    page = pages(PHONE)
    page.goto(f"{live_server.url}{ticket['status_path']}")
    assert page.inner_text("#wait").startswith("当前无窗口办理")
    assert "分钟" not in page.inner_text("main")
    page.screenshot(path="/tmp/status-no-window.png", full_page=True)
