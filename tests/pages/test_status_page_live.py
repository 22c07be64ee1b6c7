"""The status page on a phone, live: headless Chromium against a real server process. The
ticket part follows the push channel (no reload), the call shows 「请到 N号窗口」 at once with a
vibration and the chime, a phone back from sleep catches up on wake, and with no script the
server-rendered page still says everything and reloads itself."""

from __future__ import annotations

import re
import time
import uuid

import pytest
import requests

from tests.pages.conftest import clerk, kiosk

pytestmark = pytest.mark.slow

PHONE = {"width": 400, "height": 860}

# Record what the page asks of the phone: vibrations and sounds played.
SPY = """
window.__rings = {vibrate: [], play: []};
navigator.vibrate = function (p) { window.__rings.vibrate.push(p); return true; };
HTMLMediaElement.prototype.play = function () {
  window.__rings.play.push(this.src);
  return Promise.resolve();
};
"""


def take(server, item: str) -> dict:
    return kiosk(server).issue_ticket(item, uuid.uuid4().hex)


def open_live(new_page, server, ticket: dict):
    page = new_page(PHONE)
    page.add_init_script(SPY)
    page.goto(f"{server.url}{ticket['status_path']}")
    page.wait_for_selector("body[data-live='1']", state="attached")
    return page


def test_the_page_follows_the_line_and_rings_on_the_call(live_server, pages, artifacts):
    server = live_server
    at3 = clerk(server, "clerk1", 3)  # 3号窗口 民政
    take(server, "MZ-01")
    mine = take(server, "MZ-01")
    html = requests.get(f"{server.url}{mine['status_path']}", timeout=5).text
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts == [
        '<script type="module" src="/assets/status.js">',
    ]
    assert not re.search(r"<script[^>]*>[^<]+</script>", html), "inline script"
    assert '<noscript><meta http-equiv="refresh" content="15"></noscript>' in html

    page = open_live(pages, server, mine)
    assert "前面还有 1 人" in page.inner_text("#wait")
    assert page.is_visible("#alerts")
    page.click("#alerts")
    assert page.get_attribute("body", "data-alerts") == "on"
    page.evaluate("() => { window.__marker = 'no reload'; }")

    at3.window_action(3, "call-next")  # A001: mine moves up
    page.wait_for_function("document.querySelector('#wait').textContent.includes('前面没有人')")
    at3.window_action(3, "start")
    at3.window_action(3, "finish")
    began = time.monotonic()
    at3.window_action(3, "call-next")  # mine
    page.wait_for_selector("#callout")
    assert time.monotonic() - began < 2.0
    callout = page.inner_text("#callout")
    assert callout.startswith("请到 3号窗口") and "Please go to window 3" in callout
    assert page.inner_text("#ticket-state").startswith("已叫号")
    assert "ticket-called" in page.get_attribute("#ticket", "class")
    assert page.title().startswith("请到 3号窗口")
    rings = page.evaluate("() => window.__rings")
    assert rings["vibrate"][-1] == [400, 200, 400, 200, 400]
    assert rings["play"] and rings["play"][-1].endswith("/voice/chime.wav")
    assert requests.get(rings["play"][-1], timeout=5).headers["Content-Type"] == "audio/wav"
    assert page.evaluate("() => window.__marker") == "no reload"  # redrawn, not reloaded
    page.screenshot(path=str(artifacts / "status-live-called.png"), full_page=True)

    rang = int(page.get_attribute("body", "data-rang"))
    at3.window_action(3, "recall")
    page.wait_for_function(f"document.body.dataset.rang === '{rang + 1}'")  # rings again
    at3.window_action(3, "start")
    page.wait_for_function("document.body.dataset.state === 'serving'")
    assert page.query_selector("#callout") is None
    at3.window_action(3, "finish")  # the server draws the rating form: the page reloads
    page.wait_for_selector("button.rate")
    assert page.evaluate("() => window.__marker") is None


def test_a_phone_back_from_sleep_catches_up(live_server, pages):
    server = live_server
    at3 = clerk(server, "clerk1", 3)
    mine = take(server, "MZ-01")
    page = open_live(pages, server, mine)
    # The phone sleeps: its socket is gone and nothing reaches it.
    page.evaluate("() => window.OnestopStatus.socket.disconnect()")
    page.wait_for_selector("body[data-live='0']", state="attached")
    at3.window_action(3, "call-next")  # called while asleep
    time.sleep(1.0)
    assert page.query_selector("#callout") is None
    page.evaluate("() => document.dispatchEvent(new Event('visibilitychange'))")  # wakes up
    page.wait_for_selector("#callout")
    assert page.inner_text("#callout").startswith("请到 3号窗口")
    page.wait_for_selector("body[data-live='1']", state="attached")  # and is live again


def test_with_no_script_the_page_still_says_everything(live_server, browser):
    server = live_server
    clerk(server, "clerk1", 3)
    mine = take(server, "MZ-01")
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    try:
        page = context.new_page()
        page.set_viewport_size(PHONE)
        page.goto(f"{server.url}{mine['status_path']}")
        assert page.inner_text("#ticket-state").startswith("等候中")
        assert "前面没有人" in page.inner_text("#wait")
        assert not page.is_visible("#alerts")  # a button that needs the script stays hidden
        assert "每15秒自动刷新" in page.inner_text("#live-note")
    finally:
        context.close()


def test_the_page_speaks_uyghur_right_to_left_and_english_live(live_server, pages, browser):
    server = live_server
    at3 = clerk(server, "clerk1", 3)
    mine = take(server, "MZ-01")
    page = pages(PHONE)
    page.goto(f"{server.url}{mine['status_path']}?lang=ug")
    page.wait_for_selector("body[data-live='1']", state="attached")
    assert page.get_attribute("html", "dir") == "rtl" and page.get_attribute("html", "lang") == "ug"
    state = page.inner_text("#ticket-state")
    assert state.startswith("ساقلاۋاتىدۇ") and "等候中" in state  # Chinese under it for staff
    assert page.eval_on_selector("#ticket", "e => getComputedStyle(e).borderRightWidth") != "0px"
    langs = page.inner_text("nav.langs")
    assert "中文" in langs and "English" in langs and "ئۇيغۇرچە" in langs
    at3.window_action(3, "call-next")
    page.wait_for_selector("#callout")
    callout = page.inner_text("#callout")
    assert callout.startswith("3-كۆزنەككە بېرىڭ") and "请到 3号窗口" in callout
    assert page.inner_text("#ticket-state").startswith("چاقىرىلدى")
    page.screenshot(path="/tmp/status-ug-called.png", full_page=True)

    english = browser.new_context(locale="en-US", extra_http_headers={"Accept-Language": "en-US"})
    try:
        other = english.new_page()
        other.goto(f"{server.url}{take(server, 'MZ-01')['status_path']}")
        assert other.get_attribute("html", "lang") == "en"
        assert other.inner_text("#ticket-state").startswith("Waiting")
        other.click("nav.langs a[lang='zh']")
        other.wait_for_url(re.compile(r"\?lang=zh$"))
        assert other.inner_text("#ticket-state").startswith("等候中")
    finally:
        english.close()


def test_without_its_words_the_page_reloads_on_a_change_instead(live_server, pages):
    """The catalogue cannot be read: the page cannot redraw, so it reloads the server's page."""
    server = live_server
    at3 = clerk(server, "clerk1", 3)
    mine = take(server, "MZ-01")
    page = pages(PHONE)
    page.route("**/i18n/**", lambda route: route.abort())
    page.goto(f"{server.url}{mine['status_path']}")
    page.wait_for_function("window.OnestopStatus && window.OnestopStatus.socket.connected")
    page.evaluate("() => { window.__marker = 'first load'; }")
    at3.window_action(3, "call-next")
    page.wait_for_function("!window.__marker && !!document.querySelector('#callout')")
    assert page.inner_text("#callout").startswith("请到 3号窗口")  # drawn by the server
