"""The real kiosk window (offscreen) on a fake backend: taps, keypad, idle, offline, double tap."""

from __future__ import annotations

import threading

import pytest

from kiosk.screens import (
    ConfirmationScreen,
    GuideScreen,
    HomeScreen,
    ItemListScreen,
    OfflineScreen,
    SearchScreen,
)

from .helpers import find, screen_is, tap, text, visible_buttons

pytestmark = pytest.mark.timeout(60)


def assert_big_targets(kiosk) -> None:
    small = [
        (b.objectName(), b.width(), b.height())
        for b in visible_buttons(kiosk)
        if b.width() < 90 or b.height() < 90
    ]
    assert not small, f"touch targets under 90 px: {small}"


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)], ids=["portrait", "landscape"])
def test_browse_item_guide_take_ticket_confirmation(qtbot, kiosk_factory, fake_api, size):
    kiosk = kiosk_factory(api=fake_api, size=size)
    qtbot.waitUntil(lambda: screen_is(kiosk, HomeScreen) and kiosk.presenter.state == "ready")
    assert text(kiosk, "hallName") == "青山镇便民服务中心"
    assert_big_targets(kiosk)
    tap(qtbot, kiosk, "dept_MZ")
    assert screen_is(kiosk, ItemListScreen) and text(kiosk, "itemsTitle") == "民政办"
    fake_api.waiting["MZ-01"] = 4
    tap(qtbot, kiosk, "item_MZ-01")
    assert text(kiosk, "guideTitle") == "最低生活保障申请"
    qtbot.waitUntil(lambda: text(kiosk, "waitingInfo") == "当前等候 4 人，预计等待约 32 分钟")
    guide = text(kiosk, "guideText")
    assert "申请材料" in guide and "户口簿" in guide and "0731-84561234" in guide
    assert_big_targets(kiosk)
    tap(qtbot, kiosk, "takeTicket")
    qtbot.waitUntil(lambda: screen_is(kiosk, ConfirmationScreen))
    assert text(kiosk, "ticketNumber") == "A001"
    assert text(kiosk, "peopleAhead") == "前面还有 4 人"
    assert "3号窗口 民政" in text(kiosk, "confirmWindows")
    assert not find(kiosk, "statusQr").pixmap().isNull()
    qtbot.waitUntil(lambda: text(kiosk, "printStatus").startswith("号票已打印"))
    assert not find(kiosk, "reprint").isVisible()
    assert_big_targets(kiosk)
    assert len(kiosk.printer.tickets) == 1 and kiosk.printer.tickets[0].number == "A001"
    tap(qtbot, kiosk, "done")
    assert screen_is(kiosk, HomeScreen)


def test_search_by_pinyin_initials_on_the_keypad(qtbot, kiosk_factory, fake_api):
    kiosk = kiosk_factory(api=fake_api)
    qtbot.waitUntil(lambda: screen_is(kiosk, HomeScreen) and kiosk.presenter.state == "ready")
    tap(qtbot, kiosk, "action_search")
    assert screen_is(kiosk, SearchScreen)
    for letter in "dbsq":
        tap(qtbot, kiosk, f"key_{letter}")
    assert text(kiosk, "queryDisplay") == "DBSQ"
    assert not find(kiosk, "key_x").isEnabled()  # no item continues with x
    assert_big_targets(kiosk)
    tap(qtbot, kiosk, "result_MZ-01")
    assert screen_is(kiosk, GuideScreen) and text(kiosk, "guideTitle") == "最低生活保障申请"
    tap(qtbot, kiosk, "backButton")
    tap(qtbot, kiosk, "key_back")
    assert text(kiosk, "queryDisplay") == "DBS"


def test_english_toggle(qtbot, kiosk_factory, fake_api):
    kiosk = kiosk_factory(api=fake_api)
    qtbot.waitUntil(lambda: screen_is(kiosk, HomeScreen) and kiosk.presenter.state == "ready")
    tap(qtbot, kiosk, "languageToggle")
    assert text(kiosk, "homeTitle") == "Choose a department"
    assert find(kiosk, "languageToggle").text() == "中文"
    tap(qtbot, kiosk, "dept_YB")
    tap(qtbot, kiosk, "item_YB-02")
    assert find(kiosk, "takeTicket").text() == "Take a ticket"
    assert find(kiosk, "printGuide").text() == "Print the guide"


def test_idle_goes_home_in_the_default_language(qtbot, kiosk_factory, fake_api):
    kiosk = kiosk_factory(api=fake_api, idle_seconds=1)
    qtbot.waitUntil(lambda: screen_is(kiosk, HomeScreen) and kiosk.presenter.state == "ready")
    tap(qtbot, kiosk, "languageToggle")
    tap(qtbot, kiosk, "dept_SF")
    assert screen_is(kiosk, ItemListScreen)
    qtbot.waitUntil(lambda: screen_is(kiosk, HomeScreen), timeout=5000)
    assert text(kiosk, "homeTitle") == "请选择办理部门"


def test_backend_down_says_so_and_recovers(qtbot, kiosk_factory, fake_api):
    kiosk = kiosk_factory(api=fake_api, heartbeat_seconds=0.3, retry_seconds=0.2)
    qtbot.waitUntil(lambda: screen_is(kiosk, HomeScreen) and kiosk.presenter.state == "ready")
    fake_api.down = True
    qtbot.waitUntil(lambda: screen_is(kiosk, OfflineScreen), timeout=5000)
    assert text(kiosk, "offlineTitle") == "暂停取号"
    assert text(kiosk, "offlineMessage") == "系统连接中断，请稍候或到服务台咨询"
    assert find(kiosk, "offlineTitle").isVisible()
    assert not find(kiosk, "homeButton").isVisible()
    fake_api.down = False
    qtbot.waitUntil(lambda: screen_is(kiosk, HomeScreen), timeout=5000)
    tap(qtbot, kiosk, "dept_YB")
    tap(qtbot, kiosk, "item_YB-01")
    tap(qtbot, kiosk, "takeTicket")
    qtbot.waitUntil(lambda: screen_is(kiosk, ConfirmationScreen))
    assert text(kiosk, "ticketNumber") == "C001"


def test_take_ticket_while_backend_down_invents_nothing(qtbot, kiosk_factory, fake_api):
    kiosk = kiosk_factory(api=fake_api, retry_seconds=0.2)
    qtbot.waitUntil(lambda: screen_is(kiosk, HomeScreen) and kiosk.presenter.state == "ready")
    tap(qtbot, kiosk, "dept_MZ")
    tap(qtbot, kiosk, "item_MZ-02")
    fake_api.down = True
    tap(qtbot, kiosk, "takeTicket")
    qtbot.waitUntil(lambda: screen_is(kiosk, OfflineScreen))
    assert fake_api.issued == []
    fake_api.down = False
    qtbot.waitUntil(lambda: screen_is(kiosk, GuideScreen), timeout=5000)  # back where it was
    tap(qtbot, kiosk, "takeTicket")
    qtbot.waitUntil(lambda: screen_is(kiosk, ConfirmationScreen))
    first, retry = fake_api.issue_calls
    assert first["request_id"] == retry["request_id"]


def test_double_tap_issues_one_ticket(qtbot, kiosk_factory, fake_api):
    kiosk = kiosk_factory(api=fake_api)
    qtbot.waitUntil(lambda: screen_is(kiosk, HomeScreen) and kiosk.presenter.state == "ready")
    tap(qtbot, kiosk, "dept_RS")
    tap(qtbot, kiosk, "item_RS-01")
    fake_api.gate = threading.Event()  # hold the request in flight
    take = find(kiosk, "takeTicket")
    tap(qtbot, kiosk, "takeTicket")
    assert not take.isEnabled() and take.text() == "正在取号，请稍候…"
    kiosk.window.take_ticket_requested.emit()  # a second tap that beat the repaint
    kiosk.window.take_ticket_requested.emit()
    fake_api.gate.set()
    qtbot.waitUntil(lambda: screen_is(kiosk, ConfirmationScreen))
    assert len(fake_api.issue_calls) == 1 and len(fake_api.issued) == 1


def test_green_channel_and_appointment_by_touch(qtbot, kiosk_factory, fake_api):
    kiosk = kiosk_factory(api=fake_api)
    qtbot.waitUntil(lambda: screen_is(kiosk, HomeScreen) and kiosk.presenter.state == "ready")
    tap(qtbot, kiosk, "action_green")
    tap(qtbot, kiosk, "reason_disabled")
    assert "绿色通道 · 残疾人" in text(kiosk, "modeBanner")
    tap(qtbot, kiosk, "dept_CL")
    tap(qtbot, kiosk, "item_CL-01")
    assert find(kiosk, "takeTicket").text() == "绿色通道取号"
    tap(qtbot, kiosk, "takeTicket")
    qtbot.waitUntil(lambda: screen_is(kiosk, ConfirmationScreen))
    assert text(kiosk, "priorityLabel") == "绿色通道 · 残疾人"
    assert fake_api.issue_calls[-1]["priority_reason"] == "disabled"
    tap(qtbot, kiosk, "done")
    tap(qtbot, kiosk, "action_appointment")
    assert not find(kiosk, "appointmentSubmit").isEnabled()
    for digit in "5821":
        tap(qtbot, kiosk, f"digit_{digit}")
    assert text(kiosk, "appointmentCode") == "5821"
    tap(qtbot, kiosk, "appointmentSubmit")
    tap(qtbot, kiosk, "dept_HJ")
    tap(qtbot, kiosk, "item_HJ-02")
    tap(qtbot, kiosk, "takeTicket")
    qtbot.waitUntil(lambda: screen_is(kiosk, ConfirmationScreen))
    assert fake_api.issue_calls[-1]["priority"] == "appointment"
    assert fake_api.issue_calls[-1]["priority_reason"] == "5821"


def test_case_query_not_yet_available(qtbot, kiosk_factory, fake_api):
    kiosk = kiosk_factory(api=fake_api)
    qtbot.waitUntil(lambda: screen_is(kiosk, HomeScreen) and kiosk.presenter.state == "ready")
    tap(qtbot, kiosk, "action_case")
    assert text(kiosk, "caseMessage") == "本服务暂未开通"
    assert "0731-84561234" in text(kiosk, "caseDetail")
