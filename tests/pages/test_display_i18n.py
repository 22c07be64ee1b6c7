"""The waiting-hall display, issue #13: the called number at least 1/8 of the screen height in
both orientations, a legend for the dashed (missed) recent calls, the hero cleared when its ticket
is finished, and the second language (?lang2=en|ug) from the "display" catalogue, Uyghur right to
left with the Arabic-script font served by this server."""

from __future__ import annotations

import pytest

import i18n
from tests.pages.conftest import LANDSCAPE, PORTRAIT, clerk, issue, overflowing

pytestmark = pytest.mark.slow

# The rendered height of the hero's digits (their ink, measured on a canvas in the page's font)
# and of its line box, both as a share of the viewport height.
HERO_HEIGHT = """async () => {
  await document.fonts.ready;
  const n = document.getElementById('now-number');
  const cs = getComputedStyle(n);
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = cs.fontWeight + ' ' + cs.fontSize + ' ' + cs.fontFamily;
  const m = ctx.measureText(n.textContent);
  const ink = m.actualBoundingBoxAscent + m.actualBoundingBoxDescent;
  return {ink: ink / innerHeight, box: n.getBoundingClientRect().height / innerHeight,
          right: n.getBoundingClientRect().right, width: innerWidth};
}"""


def open_display(new_page, server, viewport, lang2: str | None = None):
    page = new_page(viewport)
    query = f"?lang2={lang2}" if lang2 else ""
    device = "display-east"
    page.goto(
        f"{server.url}/display/{server.hall}/{device}{query}#token={server.device_token(device)}"
    )
    page.wait_for_selector("body[data-ready='1']", state="attached")
    page.evaluate("document.fonts.ready")
    return page


def hero(page) -> str:
    return page.locator("#now-number").inner_text().strip()


def test_hero_is_an_eighth_of_the_screen_has_a_legend_and_clears_on_finish(
    live_server, pages, artifacts
):
    issue(live_server, "MZ-01", "MZ-01")
    clerk1 = clerk(live_server, "clerk1", 3)
    assert clerk1.window_action(3, "call-next")["ticket"]["number"] == "A001"

    for name, viewport in (("landscape", LANDSCAPE), ("portrait", PORTRAIT)):
        page = open_display(pages, live_server, viewport)
        page.wait_for_function("document.getElementById('now-number').textContent === 'A001'")
        size = page.evaluate(HERO_HEIGHT)
        assert size["ink"] >= 0.125, (name, size)  # the digits themselves, not just the box
        assert size["box"] >= 0.125, (name, size)
        assert size["right"] <= size["width"], (name, size)
        # Chinese first, then English (the default second language), left to right.
        assert page.locator(".now-label").inner_text().split()[:2] == ["正在叫号", "Now"]
        assert page.get_attribute(".now-label .l2", "dir") == "ltr"
        assert page.locator("#now-hint").inner_text().split() == [
            *["请", "A001", "号到", "3号窗口", "办理"],
            *["A001,", "please", "go", "to", "Window", "3"],
        ]
        # The legend says what a dashed frame means, drawn like the missed calls' frames.
        legend = page.locator("#legend").inner_text()
        assert "过号" in legend and "Missed" in legend and "已叫号" in legend
        styles = page.evaluate(
            """() => { const li = document.createElement('li');
                 li.className = 'recent-item state-missed';
                 document.getElementById('recent-calls').appendChild(li);
                 const missed = getComputedStyle(li).borderTopStyle;
                 const called = getComputedStyle(document.querySelector('.recent-item')).borderTopStyle;
                 li.remove();
                 return {missed, called,
                   dashed: getComputedStyle(document.querySelector('.swatch.dashed')).borderTopStyle,
                   solid: getComputedStyle(document.querySelector('.legend-called .swatch')).borderTopStyle};
               }"""
        )
        assert styles == {
            "missed": "dashed",
            "called": "solid",
            "dashed": "dashed",
            "solid": "solid",
        }
        assert overflowing(page, ".now, .recent-item, .window-card, .dept, .top, .legend") == []
        page.screenshot(path=str(artifacts / f"display-{name}-zh-en.png"))

    # The ticket is served and finished: the hero clears (no stale "now calling").
    clerk1.window_action(3, "start")
    page.wait_for_function(
        "document.querySelector(\"#windows li[data-window='3'] .w-state\")"
        " && document.querySelector(\"#windows li[data-window='3'] .w-state\").textContent === '办理中'"
    )
    assert hero(page) == "A001"  # still shown while it is being served
    clerk1.window_action(3, "finish")
    page.wait_for_function("document.getElementById('now').classList.contains('empty')")
    assert hero(page) == "—"
    assert page.locator("#now-hint").inner_text().split() == [
        "请留意叫号",
        *["Please", "wait", "for", "your", "number"],
    ]
    assert page.locator("#recent-calls li.recent-item").nth(0).inner_text().split()[0] == "A001"
    # A fresh screen (a reload) agrees: the finished ticket is not the hero.
    again = open_display(pages, live_server, LANDSCAPE)
    assert hero(again) == "—"

    # The next call takes the hero again.
    assert clerk1.window_action(3, "call-next")["ticket"]["number"] == "A002"
    page.wait_for_function("document.getElementById('now-number').textContent === 'A002'")


def test_uyghur_second_language_is_right_to_left_in_its_own_font(live_server, pages, artifacts):
    issue(live_server, "MZ-01")
    clerk1 = clerk(live_server, "clerk1", 3)
    clerk(live_server, "clerk2", 4)
    clerk1.window_action(3, "call-next")
    ug = i18n.texts("display", "ug")

    for name, viewport in (("landscape", LANDSCAPE), ("portrait", PORTRAIT)):
        page = open_display(pages, live_server, viewport, lang2="ug")
        page.wait_for_function("document.getElementById('now-number').textContent === 'A001'")
        assert page.evaluate("document.body.dataset.lang2") == "ug"
        # The page itself stays Chinese, left to right; the Uyghur elements are marked rtl.
        assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [
            "zh-CN",
            "",
        ]
        label = page.locator(".now-label .l2")
        assert label.inner_text() == ug["now_calling"]
        assert (label.get_attribute("dir"), label.get_attribute("lang")) == ("rtl", "ug")
        assert (
            page.evaluate("getComputedStyle(document.querySelector('.now-label .l2')).direction")
            == "rtl"
        )
        hint = page.locator("#now-hint .l2")
        assert hint.get_attribute("dir") == "rtl"
        assert hint.inner_text() == ug["hint_go"].format(number="A001", window="3-كۆزنەك")
        # Numbers stay left to right: the ticket number is an ltr <bdi>, the hero is ltr.
        assert hint.locator("bdi").first.inner_text() == "A001"
        assert hint.locator("bdi").first.get_attribute("dir") == "ltr"
        assert (
            page.evaluate("getComputedStyle(document.getElementById('now-number')).direction")
            == "ltr"
        )
        for key in ("recent_calls", "windows", "waiting", "legend_no_show"):
            node = page.locator(f"[data-t2='{key}']")
            assert (node.inner_text(), node.get_attribute("dir")) == (ug[key], "rtl")
        assert page.locator("#hall-en").get_attribute("dir") == "rtl"
        assert page.locator("#hall-en").inner_text() == ug["hall_generic"]
        assert ug["window_ready"] in page.locator("#windows li[data-window='4']").inner_text()
        # The Arabic-script face is this server's Noto Sans Arabic, and it was really used.
        faces = page.evaluate(
            """async () => { await document.fonts.ready;
                 return [...document.fonts].filter(f => f.family.includes('Onestop Arabic'))
                   .map(f => f.weight + ':' + f.status).sort(); }"""
        )
        assert "700:loaded" in faces and "400:loaded" in faces, faces
        assert overflowing(page, ".now, .recent-item, .window-card, .dept, .top, .legend") == []
        page.screenshot(path=str(artifacts / f"display-{name}-zh-ug.png"))


def test_an_unknown_second_language_falls_back_to_english(live_server, pages):
    page = open_display(pages, live_server, LANDSCAPE, lang2="xx")
    assert page.evaluate("document.body.dataset.lang2") == "en"
    assert page.locator(".now-label .l2").inner_text() == "Now calling"


def test_the_fonts_are_served_locally_and_unknown_ones_are_not(live_server):
    import requests

    ok = requests.get(f"{live_server.url}/fonts/arabic-regular.ttf", timeout=10)
    assert ok.status_code == 200 and ok.headers["Content-Type"] == "font/ttf"
    assert ok.content[:4] == b"\x00\x01\x00\x00"  # a TrueType font
    assert (
        requests.get(f"{live_server.url}/fonts/arabic-regular.ttc", timeout=10).status_code == 404
    )
    assert requests.get(f"{live_server.url}/fonts/nope.ttf", timeout=10).status_code == 404
