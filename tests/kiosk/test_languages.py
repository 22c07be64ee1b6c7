"""The kiosk's languages come from the catalogues: Uyghur mirrors the window, a new language
directory is offered without code, numbers stay left to right, the voice speaks Uyghur."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt

import i18n
from kiosk.config import ConfigError, parse_config
from kiosk.i18n import LRM, plain, tr
from kiosk.screens import HomeScreen
from kiosk.voice import EspeakSpeaker

from .helpers import choose_language, find, screen_is, tap, text

KK = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n"Language: kk\\n"\n\n'
KK += 'msgctxt "choose_department"\nmsgid "请选择办理部门"\nmsgstr "Бөлімді таңдаңыз"\n'


def test_uyghur_mirrors_the_window_and_chinese_turns_it_back(qtbot, kiosk_factory, kiosk_api):
    kiosk = kiosk_factory(api=kiosk_api, size=(1920, 1080))
    qtbot.waitUntil(lambda: screen_is(kiosk, HomeScreen) and kiosk.presenter.state == "ready")
    window, button = kiosk.window, find(kiosk, "languageButton")
    assert window.layoutDirection() == Qt.LayoutDirection.LeftToRight
    choose_language(qtbot, kiosk, "ug")
    qtbot.wait(50)
    assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert find(kiosk, "homeTitle").isRightToLeft()
    assert text(kiosk, "homeTitle") == "ئىش بېجىرىدىغان تارماقنى تاللاڭ"
    assert button.mapTo(window, button.rect().center()).x() < window.width() / 2  # mirrored
    choose_language(qtbot, kiosk, "zh")
    qtbot.wait(50)
    assert window.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert button.mapTo(window, button.rect().center()).x() > window.width() / 2


def test_a_tap_beside_the_language_row_closes_it(qtbot, kiosk_factory, kiosk_api):
    kiosk = kiosk_factory(api=kiosk_api)
    qtbot.waitUntil(lambda: screen_is(kiosk, HomeScreen) and kiosk.presenter.state == "ready")
    tap(qtbot, kiosk, "languageButton")
    backdrop = find(kiosk, "languageBackdrop")
    assert backdrop.isVisible() and {"language_zh", "language_en", "language_ug"} <= {
        b.objectName() for b in backdrop.findChildren(type(find(kiosk, "language_en")))
    }
    qtbot.mouseClick(backdrop, Qt.MouseButton.LeftButton, pos=backdrop.rect().bottomLeft())
    assert not backdrop.isVisible() and kiosk.presenter.language == "zh"


@pytest.fixture
def with_kazakh(tmp_path, monkeypatch):
    base = tmp_path / "messages"
    shutil.copytree(i18n.MESSAGES, base)
    (base / "kk" / "LC_MESSAGES").mkdir(parents=True)
    (base / "kk" / "LC_MESSAGES" / "kiosk.po").write_text(KK, encoding="utf-8")
    monkeypatch.setattr(i18n, "default", i18n.Catalogues(base))


def test_a_new_language_directory_is_offered_without_code(
    with_kazakh, qtbot, kiosk_factory, kiosk_api
):
    base = {"backend_url": "http://x", "hall": "h", "kiosk": "k", "token": "t"}
    assert parse_config({**base, "language": "kk"}).language == "kk"
    kiosk = kiosk_factory(api=kiosk_api)
    qtbot.waitUntil(lambda: screen_is(kiosk, HomeScreen) and kiosk.presenter.state == "ready")
    assert "қазақ тілі" in [c.name for c in kiosk.presenter.language_choices()]
    choose_language(qtbot, kiosk, "kk")
    assert text(kiosk, "homeTitle") == "Бөлімді таңдаңыз"
    assert find(kiosk, "homeButton").text() == "首页"  # untranslated: the Chinese


def test_the_config_names_the_key_for_a_language_without_catalogue():
    with pytest.raises(ConfigError, match="language: must be one of zh, en, ug, got 'fr'"):
        parse_config(
            {"backend_url": "http://x", "hall": "h", "kiosk": "k", "token": "t", "language": "fr"}
        )


def test_numbers_and_times_stay_left_to_right_in_uyghur():
    said = tr("appointment_on_time", "ug", slot="09:30–10:00")
    assert f"{LRM}09:30–10:00{LRM}" in said and plain(said) == "ئالدىن ئۇچرىشىش · 09:30–10:00"
    assert tr("appointment_on_time", "en", slot="09:30–10:00") == "Appointment · 09:30–10:00"
    assert plain(tr("date", "ug", y=2026, m=3, d=5)) == "2026-يىلى 3-ئاينىڭ 5-كۈنى"
    assert tr("date", "zh", y=2026, m=3, d=5) == "2026年3月5日"
    assert tr("date", "en", y=2026, m=3, d=5) == "2026-3-5"


def test_uyghur_is_spoken_with_the_espeak_ng_uyghur_voice():
    speaker = EspeakSpeaker("espeak-ng")
    assert speaker.command("نومۇرىڭىز A 0 0 1", "ug")[:3] == ["espeak-ng", "-v", "ug"]
