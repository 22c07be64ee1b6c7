"""Elderly-first kiosk: 常办事项 on the home screen, plain words for how long an item takes, each
item's queue now, the countdown before the idle reset (longer on a guide), and 语音播报 through
an injected speaker (presenter on the real demo hall; one real espeak-ng render when it is installed)."""

from __future__ import annotations

import shutil
import wave

import pytest

import i18n
from kiosk import builders as b
from kiosk.catalog import Catalog
from kiosk.screens import ConfirmationScreen, GuideScreen, HomeScreen
from kiosk.voice import EspeakSpeaker, NullSpeaker, speaker_for, spell_number

from .fakes import RecordingSpeaker
from .hall import reload_demo_hall, serve


def test_home_shows_the_frequent_items_with_their_queue_now(make_rig, demo_hall):
    for item in ["HJ-01"] * 4 + ["SF-03"] + ["MZ-01"] * 3:
        demo_hall.add_ticket(item)
    demo_hall.open_window(8, "clerk2")  # 8号窗口 公安户籍 serves HJ-01 now
    serve(demo_hall, 8, "clerk2", 4)  # the 4 HJ-01 residents were served: none waits
    r = make_rig(start=False)
    screen = r.start()
    assert isinstance(screen, HomeScreen) and screen.frequent_title == "常办事项"
    tiles = {t.key: t for t in screen.frequent}
    assert list(tiles) == ["HJ-01", "MZ-01", "SF-03"]  # the most taken lately first
    assert tiles["MZ-01"].title == "最低生活保障申请"
    assert tiles["MZ-01"].subtitle == "3 人等候 · 现在可办"
    assert tiles["HJ-01"].subtitle == "无人等候 · 现在可办"
    r.p.open_item("MZ-01")  # a frequent tile opens the guide
    assert isinstance(r.settle(), GuideScreen) and r.p.top == ("guide", "MZ-01")
    reload_demo_hall(demo_hall, retire=("SF-03",))  # the hall retires 法律咨询 today
    later = make_rig(start=False).start()  # the server's minute-long list still names it
    assert isinstance(later, HomeScreen)
    assert [t.key for t in later.frequent] == ["HJ-01", "MZ-01"]  # a retired item is left out


def test_no_history_no_frequent_row(make_rig):
    screen = make_rig(start=False).start()
    assert screen.frequent == () and screen.frequent_title == ""


def test_an_item_no_window_serves_says_so_on_its_tile(demo_catalog):
    data = demo_catalog
    for item in data["items"]:
        if item["code"] == "SF-03":
            item |= {"window_open": False, "available": True, "waiting": 2}
    catalog = Catalog.from_api(data | {"frequent": ["SF-03"]})
    tile = b.home_screen(catalog, "zh", None).frequent[0]
    assert tile.subtitle == "2 人等候 · 当前无窗口办理"
    english = b.item_tile(catalog.item("SF-03"), "en")
    assert english.subtitle.endswith("2 waiting · No window open now")


def test_resident_screens_use_plain_words_never_the_office_terms(demo_catalog):
    catalog = Catalog.from_api(demo_catalog)
    for item in catalog.items:
        for lang in ("zh", "en", "ug"):
            words = [b.kind_label(item, lang), b.item_tile(item, lang).subtitle]
            words += [line for s in b.guide_sections(catalog, item, lang) for line in s.lines]
            words += [s.title for s in b.guide_sections(catalog, item, lang)]
            assert not any("承诺件" in w or "即办件" in w for w in words), words
        assert b.guide_receipt(catalog, item).kind_label in (
            "当场办结",
            f"需 {item.promised_days} 个工作日办结",
        )
    assert not any("承诺件" in zh or "即办件" in zh for zh in i18n.texts("kiosk", "zh").values())


def test_a_countdown_shows_before_the_idle_reset_and_a_touch_hides_it(make_rig):
    r = make_rig(idle_seconds=60, idle_warning_seconds=15)
    r.p.open_department("MZ")
    r.advance(44)
    assert r.view.countdown == ""
    r.advance(1)
    assert r.view.countdown == "即将返回首页 15 秒，点击屏幕继续"
    r.advance(3)
    assert r.view.countdown == "即将返回首页 12 秒，点击屏幕继续"
    r.p.user_activity()  # a touch anywhere
    assert r.view.countdown == "" and r.p.top == ("items", "MZ")
    r.p.choose_language("en")
    r.advance(45)
    assert r.view.countdown == "Back to the home screen in 15 s: touch the screen to continue"
    screen = r.advance(15)
    assert isinstance(screen, HomeScreen) and r.view.countdown == "" and r.p.language == "zh"
    r.advance(120)  # the home screen as the next resident finds it: no countdown
    assert r.view.countdown == ""


def test_the_guide_waits_longer_and_the_ticket_screen_stays_to_be_read(make_rig):
    r = make_rig(idle_seconds=60, guide_idle_seconds=120, confirm_seconds=20)
    r.to_guide()
    r.advance(100)
    assert isinstance(r.view.screen, GuideScreen) and r.view.countdown == ""
    r.advance(6)
    assert r.view.countdown.startswith("即将返回首页 14 秒")
    r.p.take_ticket()
    screen = r.settle()
    assert isinstance(screen, ConfirmationScreen) and r.view.countdown == ""
    assert isinstance(r.advance(19), ConfirmationScreen)
    assert isinstance(r.advance(1.5), HomeScreen)


def test_voice_reads_the_title_and_the_items_key_facts(make_rig):
    speaker = RecordingSpeaker()
    r = make_rig(speaker=speaker)
    assert r.view.chrome.can_speak
    r.p.speak()
    r.settle()
    assert speaker.said[-1] == ("请选择办理部门", "zh")
    for _ in range(3):
        r.demo.add_ticket("MZ-01")
    r.to_guide("MZ-01")
    r.p.speak()
    r.settle()
    text, lang = speaker.said[-1]
    assert lang == "zh"
    assert text.startswith("最低生活保障申请。办理地点：")
    assert "3号窗口 民政" in text and "需要准备 7 份材料" in text and "现在有 3 人等候" in text
    r.p.choose_language("en")
    r.p.speak()
    r.settle()
    text, lang = speaker.said[-1]
    assert lang == "en" and text.startswith("Minimum living allowance")
    assert "Bring 7 documents" in text and "3 people are waiting now" in text
    r.p.choose_language("zh")
    r.take()
    r.p.speak()
    r.settle()
    assert speaker.said[-1][0].startswith("您的号码是 A 零零四。前面还有 3 人")


def test_without_espeak_ng_there_is_no_voice_button(monkeypatch, make_rig):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert isinstance(speaker_for(True), NullSpeaker)
    r = make_rig()  # no speaker given: the null speaker
    assert not r.view.chrome.can_speak
    r.p.speak()  # does nothing, raises nothing
    assert not r.runner.jobs


def test_voice_off_in_the_config_is_off():
    assert isinstance(speaker_for(False), NullSpeaker)


def test_ticket_numbers_are_spelled_digit_by_digit():
    assert spell_number("A012", "zh") == "A 零一二"
    assert spell_number("A012", "en") == "A 0 1 2"


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_espeak_ng_renders_the_guide_sentence(tmp_path, lang, demo_catalog):
    catalog = Catalog.from_api(demo_catalog)
    from kiosk.speech import guide_text

    text = guide_text(catalog, catalog.item("MZ-01"), {"waiting": 2}, lang)
    speaker = speaker_for(True)
    assert isinstance(speaker, EspeakSpeaker)
    wav = speaker.render(text, lang, tmp_path / "guide.wav")
    with wave.open(str(wav)) as clip:
        seconds = clip.getnframes() / clip.getframerate()
    assert seconds > 2.0  # a whole sentence, not an empty clip
