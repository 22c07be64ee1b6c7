"""The waiting-hall display in headless Chromium against a real server: calls, voice queue,
area isolation, layout in both orientations, fonts, server restart and sequence gaps."""

from __future__ import annotations

import pytest

from tests.pages.conftest import PORTRAIT, clerk, issue, open_display, overflowing

pytestmark = pytest.mark.slow

CHIME = "/voice/chime.wav"


def clip(number: str, window: int) -> str:
    return f"/voice/qingshan/call/{number}/{window}.wav"


def text(page, selector: str) -> str:
    return page.locator(selector).inner_text().strip()


def waiting(page, department: str) -> int:
    return int(page.get_attribute(f"#waiting li[data-department='{department}']", "data-waiting"))


def wait_waiting(page, department: str, count: int) -> None:
    page.wait_for_selector(
        f"#waiting li[data-department='{department}'][data-waiting='{count}']", state="attached"
    )


def test_display_shows_and_speaks_calls_of_its_own_area(live_server, pages, artifacts):
    east = open_display(pages, live_server, "display-east")
    west = open_display(pages, live_server, "display-west")

    # The CJK faces really come from /fonts/*.ttc (Chromium accepts TrueType collections).
    faces = east.evaluate(
        """async () => { await document.fonts.ready;
             return [...document.fonts].filter(f => f.family.includes('Onestop CJK'))
               .map(f => f.weight + ':' + f.status).sort(); }"""
    )
    assert faces == ["400:loaded", "700:loaded"]
    # Face 0 of the collection is the JP one: lang zh-CN makes its locl feature draw SC forms.
    assert east.evaluate("document.documentElement.lang") == "zh-CN"
    assert text(east, "#hall-zh") == "青山镇便民服务中心"
    assert "星期" in text(east, "#clock-date")
    assert "绿色通道" in east.locator("#notice-text").text_content()

    issue(live_server, "MZ-01", "MZ-02", "RS-01")
    wait_waiting(east, "MZ", 2)
    wait_waiting(east, "RS", 1)
    # Department names come from the public catalog.
    assert east.locator("#waiting li[data-department='MZ'] .d-name").inner_text() == "民政办"

    clerk1 = clerk(live_server, "clerk1", 3)  # 3号窗口 民政, east wing
    clerk2 = clerk(live_server, "clerk2", 4)  # 4号窗口 人社社保, east wing
    east.wait_for_selector("#windows li[data-window='4']")
    assert clerk1.window_action(3, "call-next")["ticket"]["number"] == "A001"
    # Wait until the first announcement is being spoken, then call again at another window.
    east.wait_for_function("window.onestopVoiceLog.length >= 1")
    assert clerk2.window_action(4, "call-next")["ticket"]["number"] == "B001"

    east.wait_for_function("document.getElementById('now-number').textContent === 'B001'")
    assert text(east, "#now-window") == "4号窗口"
    # The second call waits behind the first: the clip being spoken is not cut off.
    playing = east.evaluate(
        """() => { const v = window.onestopDisplay.voice;
             return {current: v.current && v.current.src, paused: v.current && v.current.paused,
                     queue: v.queue.slice()}; }"""
    )
    assert playing["current"] is not None and not playing["paused"]
    assert "B001" not in playing["current"]
    assert playing["queue"][-3:] == [CHIME, clip("B001", 4), clip("B001", 4)]

    recent = east.locator("#recent-calls li.recent-item")
    assert recent.nth(0).inner_text().split() == ["B001", "4号窗口"]
    assert recent.nth(1).inner_text().split() == ["A001", "3号窗口"]
    assert "A001" in text(east, "#windows li[data-window='3']")
    assert "B001" in text(east, "#windows li[data-window='4']")
    wait_waiting(east, "MZ", 1)
    wait_waiting(east, "RS", 0)

    # A paused window stays on the screen, marked 暂停服务.
    clerk3 = clerk(live_server, "clerk3", 5)
    east.wait_for_selector("#windows li[data-window='5'][data-state='open']")
    clerk3.window_action(5, "pause", reason="break")
    east.wait_for_selector("#windows li[data-window='5'][data-state='paused']")
    assert "暂停服务" in text(east, "#windows li[data-window='5']")

    # Both announcements, in order: chime, then the clip twice (voice.repeat = 2), each whole.
    east.wait_for_function("window.onestopVoiceLog.length >= 6", timeout=40_000)
    assert east.evaluate("window.onestopVoiceLog") == [
        CHIME,
        clip("A001", 3),
        clip("A001", 3),
        CHIME,
        clip("B001", 4),
        clip("B001", 4),
    ]

    # The west wing's screen heard none of it, shows none of it, and stayed in sequence.
    seq = east.evaluate("window.onestopDisplay.live.lastSeq")
    west.wait_for_function(f"window.onestopDisplay.live.lastSeq === {seq}")
    assert west.evaluate("window.onestopVoiceLog") == []
    assert text(west, "#now-number") == "—"
    assert "A001" not in text(west, "#recent-calls") and "B001" not in text(west, "#recent-calls")
    assert west.locator("#windows li[data-window='3']").count() == 0
    assert west.evaluate("window.onestopDisplay.live.state.gaps") == 0
    clerk(live_server, "clerk4", 8)  # 8号窗口 公安户籍 opens in the west wing
    west.wait_for_selector("#windows li[data-window='8']")
    assert east.locator("#windows li[data-window='8']").count() == 0

    # Nothing on the screen is clipped; the landscape screenshot is kept for review.
    east.wait_for_function("!document.getElementById('now').classList.contains('flash')")
    assert overflowing(east, ".now, .recent-item, .window-card, .dept, .top") == []
    assert east.evaluate("document.documentElement.scrollWidth") <= 1920
    east.screenshot(path=str(artifacts / "display-landscape.png"))

    # The same screen in portrait (1080x1920).
    portrait = open_display(pages, live_server, "display-east", PORTRAIT)
    portrait.evaluate("document.fonts.ready")
    assert text(portrait, "#now-number") == "B001"
    assert portrait.evaluate("document.documentElement.scrollWidth") <= 1080
    assert overflowing(portrait, ".now, .recent-item, .window-card, .dept, .top") == []
    boxes = portrait.evaluate(
        """() => ['now', 'recent-calls', 'windows', 'waiting'].map(id => {
             const r = document.getElementById(id).getBoundingClientRect();
             return [r.left >= 0, r.right <= innerWidth + 1, r.bottom <= innerHeight + 1]; })"""
    )
    assert all(all(b) for b in boxes), boxes
    portrait.screenshot(path=str(artifacts / "display-portrait.png"))


def test_display_comes_back_after_a_server_restart_and_resyncs_on_a_gap(live_server, pages):
    forged = pages()
    forged.goto(f"{live_server.url}/display/{live_server.hall}/display-east#token=forged")
    forged.wait_for_selector("#fatal", state="visible")
    assert "令牌" in text(forged, "#fatal")

    page = open_display(pages, live_server, "display-east")
    issue(live_server, "MZ-01", "MZ-01")
    clerk1 = clerk(live_server, "clerk1", 3)
    page.wait_for_selector("#windows li[data-window='3']")
    wait_waiting(page, "MZ", 2)
    assert page.is_hidden("#conn")

    live_server.stop()
    page.wait_for_selector("#conn", state="visible")
    assert "reconnecting" in text(page, "#conn").lower()
    live_server.start()
    # A change right after the restart, while the page may still be backing off.
    assert clerk1.window_action(3, "call-next")["ticket"]["number"] == "A001"

    page.wait_for_selector("#conn", state="hidden", timeout=25_000)
    page.wait_for_function("document.getElementById('now-number').textContent === 'A001'")
    assert text(page, "#now-window") == "3号窗口"
    wait_waiting(page, "MZ", 1)
    # The call made during the outage is still announced.
    page.wait_for_function(f"window.onestopVoiceLog.includes('{clip('A001', 3)}')")

    # Gap 1: the page "missed" events (lastSeq pushed back); the next event triggers a resync.
    live = "window.onestopDisplay.live"
    before = page.evaluate(f"({{gaps: {live}.state.gaps, snaps: {live}.state.snapshots}})")
    page.evaluate(f"{live}.lastSeq = {live}.lastSeq - 2")
    issue(live_server, "RS-01")
    page.wait_for_function(
        f"{live}.state.gaps === {before['gaps'] + 1} && {live}.state.snapshots > {before['snaps']}"
    )
    wait_waiting(page, "RS", 1)  # counted once, from the fresh snapshot

    # Gap 2: an event that skips a number is never applied; the snapshot decides.
    seq = page.evaluate(f"{live}.lastSeq")
    page.evaluate(
        f"""{live}.handleEvent({{seq: {seq} + 3, type: 'ticket.issued', at: '',
                                 data: {{item: 'MZ-01', state: 'waiting'}}}})"""
    )
    page.wait_for_function(f"{live}.state.gaps === {before['gaps'] + 2} && !{live}.state.awaiting")
    assert page.evaluate(f"{live}.lastSeq") == seq
    assert waiting(page, "MZ") == 1
    assert waiting(page, "RS") == 1


BLOCK_AUTOPLAY = """
(() => {
  // A browser without the kiosk flag: play() is refused until the first click on the page.
  window.__autoplayBlocked = true;
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function () {
    if (window.__autoplayBlocked) {
      return Promise.reject(new DOMException("play() needs a user gesture", "NotAllowedError"));
    }
    return play.call(this);
  };
  document.addEventListener("click", () => { window.__autoplayBlocked = false; }, true);
})();
"""


def test_refused_autoplay_shows_a_tap_to_enable_button_and_a_recall_repeats(live_server, pages):
    page = pages()
    page.add_init_script(BLOCK_AUTOPLAY)
    device = "display-east"
    page.goto(
        f"{live_server.url}/display/{live_server.hall}/{device}"
        f"#token={live_server.device_token(device)}"
    )
    page.wait_for_selector("body[data-ready='1']", state="attached")
    # The token left the address bar and lives in sessionStorage (it survives a reload).
    assert "token" not in page.evaluate("location.hash")
    page.reload()
    page.wait_for_selector("body[data-ready='1']", state="attached")

    issue(live_server, "MZ-01")
    clerk1 = clerk(live_server, "clerk1", 3)
    clerk1.window_action(3, "call-next")
    page.wait_for_selector("#sound-unlock", state="visible")
    assert "点击启用语音" in text(page, "#sound-unlock")
    assert page.evaluate("window.onestopVoiceLog") == []
    assert text(page, "#now-number") == "A001"  # the screen does not wait for the sound

    page.click("#sound-unlock")
    page.wait_for_selector("#sound-unlock", state="hidden")
    page.wait_for_function("window.onestopVoiceLog.length >= 1")
    clerk1.window_action(3, "recall")  # 重呼: queued behind, spoken again in full
    page.wait_for_function("window.onestopVoiceLog.length >= 4", timeout=30_000)
    assert page.evaluate("window.onestopVoiceLog.slice(0, 4)") == [
        CHIME,
        clip("A001", 3),
        clip("A001", 3),
        CHIME,
    ]
    rest = page.evaluate(
        "window.onestopVoiceLog.slice(4).concat(window.onestopDisplay.voice.queue)"
    )
    assert rest == [clip("A001", 3), clip("A001", 3)]
