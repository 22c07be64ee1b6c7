"""The real window (offscreen, fake backend): 常办事项 tiles, the idle countdown over the page,
the scroll hint that goes at the bottom, and the 语音播报 button (hidden without a voice)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

from kiosk.screens import GuideScreen, HomeScreen
from kiosk.views.widgets import TouchScroll

from .fakes import RecordingSpeaker
from .helpers import find, screen_is, tap, text

pytestmark = pytest.mark.timeout(60)


def ready(qtbot, kiosk) -> None:
    qtbot.waitUntil(lambda: screen_is(kiosk, HomeScreen) and kiosk.presenter.state == "ready")


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)], ids=["portrait", "landscape"])
def test_frequent_tiles_open_the_guide(qtbot, kiosk_factory, kiosk_api, demo_hall, size):
    for item in ["MZ-01", "MZ-01", "HJ-01", "YB-02", "RS-01", "SF-01", "CL-01"]:
        demo_hall.add_ticket(item)  # the items most taken lately are 常办事项
    kiosk = kiosk_factory(api=kiosk_api, size=size)
    ready(qtbot, kiosk)
    assert text(kiosk, "frequentTitle") == "常办事项"
    tile = find(kiosk, "frequent_MZ-01")
    assert tile.isVisible() and tile.height() >= 96 and tile.width() >= 96
    assert "2 人等候" in tile.accessibleName()
    tap(qtbot, kiosk, "frequent_MZ-01")
    assert screen_is(kiosk, GuideScreen) and text(kiosk, "guideTitle") == "最低生活保障申请"


def test_the_countdown_shows_over_the_page_and_a_touch_hides_it(qtbot, kiosk_factory, kiosk_api):
    kiosk = kiosk_factory(api=kiosk_api, idle_seconds=3, idle_warning_seconds=2)
    ready(qtbot, kiosk)
    tap(qtbot, kiosk, "dept_MZ")
    countdown = find(kiosk, "idleCountdown", QLabel)
    qtbot.waitUntil(lambda: countdown.isVisible(), timeout=3000)
    assert countdown.text().startswith("即将返回首页") and "点击屏幕继续" in countdown.text()
    assert countdown.width() > kiosk.window.width() // 2
    tap(qtbot, kiosk, "item_MZ-01")  # any touch
    assert not countdown.isVisible() and screen_is(kiosk, GuideScreen)


def test_the_scroll_hint_goes_at_the_bottom(qtbot, kiosk_factory, kiosk_api):
    kiosk = kiosk_factory(api=kiosk_api, size=(1080, 1920))
    ready(qtbot, kiosk)
    tap(qtbot, kiosk, "dept_MZ")
    tap(qtbot, kiosk, "item_MZ-01")  # a long guide in portrait: below the fold
    page = kiosk.window.current_page()
    scroll = page.findChild(TouchScroll)
    qtbot.waitUntil(lambda: scroll.more_below())
    assert scroll.hint.isVisible() and scroll.hint.text() == "向下滑动查看更多 ▼"
    bar = scroll.verticalScrollBar()
    bar.setValue(bar.maximum())
    assert not scroll.hint.isVisible()
    bar.setValue(0)
    assert scroll.hint.isVisible()


def test_the_scroll_hint_is_absent_when_everything_fits(qtbot, kiosk_factory, kiosk_api):
    kiosk = kiosk_factory(api=kiosk_api, size=(1080, 1920))
    ready(qtbot, kiosk)
    tap(qtbot, kiosk, "dept_SF")  # three items
    scroll = kiosk.window.current_page().findChild(TouchScroll)
    assert not scroll.more_below() and not scroll.hint.isVisible()


def test_the_voice_button_speaks_off_the_gui_thread(qtbot, kiosk_factory, kiosk_api):
    from kiosk.app import create_kiosk

    from .fakes import FakePrinterService, make_config

    speaker = RecordingSpeaker()
    kiosk = create_kiosk(
        make_config(), api=kiosk_api, printer=FakePrinterService(), speaker=speaker
    )
    qtbot.addWidget(kiosk.window)
    kiosk.window.resize(1080, 1920)
    kiosk.window.show()
    kiosk.presenter.start()
    try:
        ready(qtbot, kiosk)
        tap(qtbot, kiosk, "speakButton")
        qtbot.waitUntil(lambda: speaker.said == [("请选择办理部门", "zh")])
        assert speaker.main_thread_calls == 0
    finally:
        kiosk.close()


def test_no_voice_no_button(qtbot, kiosk_factory, kiosk_api):
    kiosk = kiosk_factory(api=kiosk_api, voice=False)
    ready(qtbot, kiosk)
    assert not find(kiosk, "speakButton").isVisible()
