"""The real kiosk window (offscreen) on the real app (the demo hall, in this process): taps,
keypad, idle, offline, double tap; the network fails on demand."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from PySide6.QtWidgets import QApplication, QLabel

from kiosk.screens import (
    CaseQueryScreen,
    CaseResultScreen,
    ConfirmationScreen,
    GuideScreen,
    HomeScreen,
    ItemListScreen,
    OfflineScreen,
    SearchScreen,
)

from .hall import accept_case, book, case_action
from .helpers import choose_language, find, plain, screen_is, tap, text, visible_buttons

pytestmark = pytest.mark.timeout(60)


def assert_big_targets(kiosk) -> None:
    small = [
        (b.objectName(), b.width(), b.height())
        for b in visible_buttons(kiosk)
        if b.width() < 90 or b.height() < 90
    ]
    assert not small, f"touch targets under 90 px: {small}"


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)], ids=["portrait", "landscape"])
def test_browse_item_guide_take_ticket_confirmation(
    qtbot, kiosk_factory, kiosk_api, demo_hall, size
):
    kiosk = kiosk_factory(api=kiosk_api, size=size)
    qtbot.waitUntil(lambda: screen_is(kiosk, HomeScreen) and kiosk.presenter.state == "ready")
    assert text(kiosk, "hallName") == "青山镇便民服务中心"
    assert_big_targets(kiosk)
    tap(qtbot, kiosk, "dept_MZ")
    assert screen_is(kiosk, ItemListScreen) and text(kiosk, "itemsTitle") == "民政办"
    demo_hall.open_window(3, "clerk1")  # 3号窗口 民政 serves MZ-01 now
    for _ in range(4):
        demo_hall.add_ticket("MZ-01")
    tap(qtbot, kiosk, "item_MZ-01")
    assert text(kiosk, "guideTitle") == "最低生活保障申请"
    qtbot.waitUntil(
        lambda: text(kiosk, "waitingInfo") == "当前等候 4 人，预计等待约 1 小时 20 分钟"
    )
    guide = text(kiosk, "guideText")
    assert "申请材料" in guide and "户口簿" in guide and "0731-84561234" in guide
    assert_big_targets(kiosk)
    tap(qtbot, kiosk, "takeTicket")
    qtbot.waitUntil(lambda: screen_is(kiosk, ConfirmationScreen))
    assert text(kiosk, "ticketNumber") == "A005"
    assert text(kiosk, "peopleAhead") == "前面还有 4 人"
    assert "3号窗口 民政" in text(kiosk, "confirmWindows")
    assert not find(kiosk, "statusQr").pixmap().isNull()
    qtbot.waitUntil(lambda: text(kiosk, "printStatus").startswith("号票已打印"))
    assert not find(kiosk, "reprint").isVisible()
    assert_big_targets(kiosk)
    assert len(kiosk.printer.tickets) == 1 and kiosk.printer.tickets[0].number == "A005"
    tap(qtbot, kiosk, "done")
    assert screen_is(kiosk, HomeScreen)


def test_search_by_pinyin_initials_on_the_keypad(qtbot, kiosk_factory, kiosk_api):
    kiosk = kiosk_factory(api=kiosk_api)
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


def test_english_from_the_language_row(qtbot, kiosk_factory, kiosk_api):
    kiosk = kiosk_factory(api=kiosk_api)
    qtbot.waitUntil(lambda: screen_is(kiosk, HomeScreen) and kiosk.presenter.state == "ready")
    assert find(kiosk, "languageButton").text() == "English · ئۇيغۇرچە"
    choose_language(qtbot, kiosk, "en")
    assert text(kiosk, "homeTitle") == "Choose a department"
    assert find(kiosk, "languageButton").text() == "中文 · ئۇيغۇرچە"
    assert not find(kiosk, "languageBackdrop").isVisible()
    tap(qtbot, kiosk, "dept_YB")
    tap(qtbot, kiosk, "item_YB-02")
    assert find(kiosk, "takeTicket").text() == "Take a ticket"
    assert find(kiosk, "printGuide").text() == "Print the guide"


def test_idle_goes_home_in_the_default_language(qtbot, kiosk_factory, kiosk_api):
    kiosk = kiosk_factory(api=kiosk_api, idle_seconds=1)
    qtbot.waitUntil(lambda: screen_is(kiosk, HomeScreen) and kiosk.presenter.state == "ready")
    choose_language(qtbot, kiosk, "en")
    tap(qtbot, kiosk, "dept_SF")
    assert screen_is(kiosk, ItemListScreen)
    qtbot.waitUntil(lambda: screen_is(kiosk, HomeScreen), timeout=5000)
    assert text(kiosk, "homeTitle") == "请选择办理部门"


def test_backend_down_says_so_and_recovers(qtbot, kiosk_factory, kiosk_api, kiosk_net):
    kiosk = kiosk_factory(api=kiosk_api, heartbeat_seconds=0.3, retry_seconds=0.2)
    qtbot.waitUntil(lambda: screen_is(kiosk, HomeScreen) and kiosk.presenter.state == "ready")
    kiosk_net.down = True
    qtbot.waitUntil(lambda: screen_is(kiosk, OfflineScreen), timeout=5000)
    assert text(kiosk, "offlineTitle") == "暂停取号"
    assert text(kiosk, "offlineMessage") == "系统连接中断，请稍候或到服务台咨询"
    assert find(kiosk, "offlineTitle").isVisible()
    assert not find(kiosk, "homeButton").isVisible()
    kiosk_net.down = False
    qtbot.waitUntil(lambda: screen_is(kiosk, HomeScreen), timeout=5000)
    tap(qtbot, kiosk, "dept_YB")
    tap(qtbot, kiosk, "item_YB-01")
    tap(qtbot, kiosk, "takeTicket")
    qtbot.waitUntil(lambda: screen_is(kiosk, ConfirmationScreen))
    assert text(kiosk, "ticketNumber") == "C001"


def test_take_ticket_while_backend_down_invents_nothing(
    qtbot, kiosk_factory, kiosk_api, kiosk_net, demo_hall
):
    kiosk = kiosk_factory(api=kiosk_api, retry_seconds=0.2)
    qtbot.waitUntil(lambda: screen_is(kiosk, HomeScreen) and kiosk.presenter.state == "ready")
    tap(qtbot, kiosk, "dept_MZ")
    tap(qtbot, kiosk, "item_MZ-02")
    kiosk_net.down = True
    tap(qtbot, kiosk, "takeTicket")
    qtbot.waitUntil(lambda: screen_is(kiosk, OfflineScreen))
    assert demo_hall.tickets_issued() == 0
    kiosk_net.down = False
    qtbot.waitUntil(lambda: screen_is(kiosk, GuideScreen), timeout=5000)  # back where it was
    tap(qtbot, kiosk, "takeTicket")
    qtbot.waitUntil(lambda: screen_is(kiosk, ConfirmationScreen))
    first, retry = kiosk_net.posts("tickets")
    assert first.request_id == retry.request_id and demo_hall.tickets_issued() == 1


def test_double_tap_issues_one_ticket(qtbot, kiosk_factory, kiosk_api, kiosk_net, demo_hall):
    kiosk = kiosk_factory(api=kiosk_api)
    qtbot.waitUntil(lambda: screen_is(kiosk, HomeScreen) and kiosk.presenter.state == "ready")
    tap(qtbot, kiosk, "dept_RS")
    tap(qtbot, kiosk, "item_RS-01")
    kiosk_net.gate = threading.Event()  # hold the request in flight
    take = find(kiosk, "takeTicket")
    tap(qtbot, kiosk, "takeTicket")
    assert not take.isEnabled() and take.text() == "正在取号，请稍候…"
    kiosk.window.take_ticket_requested.emit()  # a second tap that beat the repaint
    kiosk.window.take_ticket_requested.emit()
    kiosk_net.gate.set()
    qtbot.waitUntil(lambda: screen_is(kiosk, ConfirmationScreen))
    assert len(kiosk_net.posts("tickets")) == 1 and demo_hall.tickets_issued() == 1


def test_green_channel_and_appointment_by_touch(
    qtbot, kiosk_factory, kiosk_api, kiosk_net, demo_hall, clock
):
    kiosk = kiosk_factory(api=kiosk_api)
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
    assert kiosk_net.posts("tickets")[-1].body["priority_reason"] == "disabled"
    tap(qtbot, kiosk, "done")
    clock.now = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)  # 08:00: booked for 09:30–10:00
    book(demo_hall, "HJ-02", "2026-11-23T09:30:00+08:00", phone="13800005821")
    clock.now = datetime(2026, 11, 23, 1, 20, tzinfo=UTC)  # 09:20: within the check-in time
    tap(qtbot, kiosk, "action_appointment")
    assert not find(kiosk, "appointmentSubmit").isEnabled()
    for digit in "5821":
        tap(qtbot, kiosk, f"digit_{digit}")
    assert text(kiosk, "appointmentCode") == "5821____"
    tap(qtbot, kiosk, "appointmentSwitch")  # no code at hand: the phone's last 4 digits
    for digit in "5821":
        tap(qtbot, kiosk, f"digit_{digit}")
    assert text(kiosk, "appointmentCode") == "5821"
    tap(qtbot, kiosk, "appointmentSubmit")
    tap(qtbot, kiosk, "dept_HJ")
    tap(qtbot, kiosk, "item_HJ-02")
    assert find(kiosk, "takeTicket").text() == "预约签到取号"
    tap(qtbot, kiosk, "takeTicket")
    qtbot.waitUntil(lambda: screen_is(kiosk, ConfirmationScreen))
    assert text(kiosk, "priorityLabel") == "预约 · 09:30–10:00"
    call = kiosk_net.posts("check-in")[-1].body
    assert call["phone_last4"] == "5821" and call["item_code"] == "HJ-02"


NUMBER = "QINGSHAN-20261123-0001"  # the first case accepted on Monday 23 November
DIGITS = "202611230001"


def type_on_keypad(qtbot, kiosk, digits: str) -> None:
    for d in digits:
        tap(qtbot, kiosk, f"caseKey_{d}")


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)], ids=["portrait", "landscape"])
def test_case_query_by_touch(qtbot, kiosk_factory, kiosk_api, demo_hall, size):
    assert accept_case(demo_hall) == NUMBER
    case_action(demo_hall, NUMBER, "suspend", missing=["户口簿原件", "收入证明"])
    kiosk = kiosk_factory(api=kiosk_api, size=size)
    qtbot.waitUntil(lambda: screen_is(kiosk, HomeScreen) and kiosk.presenter.state == "ready")
    tap(qtbot, kiosk, "action_case")
    assert screen_is(kiosk, CaseQueryScreen)
    assert text(kiosk, "caseStep") == "第 1 步（共 2 步）：输入受理编号"
    display = find(kiosk, "caseDisplay", QLabel)
    assert "QINGSHAN" in display.text() and not find(kiosk, "caseProceed").isEnabled()
    assert_big_targets(kiosk)
    type_on_keypad(qtbot, kiosk, DIGITS[:8])
    assert text(kiosk, "caseProgress") == "现在输入：最后 4 位序号"
    type_on_keypad(qtbot, kiosk, DIGITS[8:])
    assert not find(kiosk, "caseKey_5").isEnabled()  # full: the digits grey out
    assert display.sizeHint().width() <= display.width(), "the number is clipped"
    tap(qtbot, kiosk, "caseProceed")
    assert text(kiosk, "caseStep").startswith("第 2 步")
    assert NUMBER in text(kiosk, "caseNumber") and find(kiosk, "caseEditNumber").isVisible()
    type_on_keypad(qtbot, kiosk, "5678")
    assert_big_targets(kiosk)
    tap(qtbot, kiosk, "caseProceed")
    qtbot.waitUntil(lambda: screen_is(kiosk, CaseResultScreen))
    assert text(kiosk, "caseState") == "待补正材料"
    assert text(kiosk, "caseWording").startswith("材料需要补正")
    details = plain(kiosk, "caseDetails")
    assert NUMBER in details and "最低生活保障申请" in details and "2026年12月19日 17:30" in details
    assert "1. 户口簿原件" in details and "2. 收入证明" in details
    assert "5678" not in details
    assert_big_targets(kiosk)
    for name in ("caseState", "casePrint", "caseAgain", "caseDone"):
        assert_inside(kiosk, name)
    tap(qtbot, kiosk, "casePrint")
    qtbot.waitUntil(lambda: text(kiosk, "casePrintStatus") == "已打印，请在出纸口取走")
    assert kiosk.printer.case_slips[0].state_label == "待补正材料"
    tap(qtbot, kiosk, "caseAgain")
    assert screen_is(kiosk, CaseQueryScreen) and kiosk.window.shown_screen.digits == ""
    tap(qtbot, kiosk, "homeButton")
    assert screen_is(kiosk, HomeScreen)


def assert_inside(kiosk, name: str) -> None:
    """The widget is shown whole within the page's margins: not squeezed into them or cut off."""
    QApplication.processEvents()  # the layout a resident sees, not one still pending
    page, widget = kiosk.window.current_page(), find(kiosk, name)
    corner = widget.mapTo(page, widget.rect().bottomRight())
    area = page.rect().marginsRemoved(page.layout().contentsMargins())
    assert widget.isVisible() and area.contains(corner), (
        f"{name} is clipped in {kiosk.presenter.language}: {corner} {area}"
    )


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)], ids=["portrait", "landscape"])
def test_case_not_found_by_touch(qtbot, kiosk_factory, kiosk_api, kiosk_net, demo_hall, size):
    assert accept_case(demo_hall) == NUMBER
    kiosk = kiosk_factory(api=kiosk_api, size=size)
    qtbot.waitUntil(lambda: screen_is(kiosk, HomeScreen) and kiosk.presenter.state == "ready")
    tap(qtbot, kiosk, "action_case")
    type_on_keypad(qtbot, kiosk, DIGITS)
    tap(qtbot, kiosk, "caseProceed")
    type_on_keypad(qtbot, kiosk, "8765")
    tap(qtbot, kiosk, "caseProceed")
    qtbot.waitUntil(lambda: find(kiosk, "caseNotice").isVisible())
    assert text(kiosk, "caseNotice") == "未找到该办件，请核对受理编号和手机号后4位"
    assert screen_is(kiosk, CaseQueryScreen) and kiosk.window.shown_screen.phone == ""
    for name in ("caseNotice", "caseProceed", "casePhoneDigit3", "caseKey_back"):
        assert_inside(kiosk, name)
    tap(qtbot, kiosk, "caseEditNumber")
    assert (
        text(kiosk, "caseStep").startswith("第 1 步") and not find(kiosk, "caseNotice").isVisible()
    )
    tap(qtbot, kiosk, "caseKey_back")
    tap(qtbot, kiosk, "caseKey_8")
    tap(qtbot, kiosk, "caseProceed")
    type_on_keypad(qtbot, kiosk, "5678")
    tap(qtbot, kiosk, "caseProceed")
    qtbot.waitUntil(lambda: find(kiosk, "caseNotice").isVisible())  # 0008 is unknown too
    asked = [s.path for s in kiosk_net.sent if "/cases/lookup" in s.path]
    assert [NUMBER in asked[0], "QINGSHAN-20261123-0008" in asked[1]] == [True, True]


def test_case_result_goes_home_when_idle(qtbot, kiosk_factory, kiosk_api, demo_hall):
    assert accept_case(demo_hall) == NUMBER
    case_action(demo_hall, NUMBER, "finish", result="已批准")
    kiosk = kiosk_factory(api=kiosk_api, idle_seconds=1)
    qtbot.waitUntil(lambda: screen_is(kiosk, HomeScreen) and kiosk.presenter.state == "ready")
    tap(qtbot, kiosk, "action_case")
    type_on_keypad(qtbot, kiosk, DIGITS)
    tap(qtbot, kiosk, "caseProceed")
    type_on_keypad(qtbot, kiosk, "5678")
    tap(qtbot, kiosk, "caseProceed")
    qtbot.waitUntil(lambda: screen_is(kiosk, CaseResultScreen))
    assert text(kiosk, "caseState") == "已办结" and "已批准" in plain(kiosk, "caseDetails")
    qtbot.waitUntil(lambda: screen_is(kiosk, HomeScreen), timeout=5000)
    assert kiosk.presenter.case_found is None


def test_case_query_while_backend_down(qtbot, kiosk_factory, kiosk_api, kiosk_net, demo_hall):
    assert accept_case(demo_hall) == NUMBER
    kiosk = kiosk_factory(api=kiosk_api, retry_seconds=0.2)
    qtbot.waitUntil(lambda: screen_is(kiosk, HomeScreen) and kiosk.presenter.state == "ready")
    tap(qtbot, kiosk, "action_case")
    type_on_keypad(qtbot, kiosk, DIGITS)
    tap(qtbot, kiosk, "caseProceed")
    type_on_keypad(qtbot, kiosk, "5678")
    kiosk_net.down = True
    tap(qtbot, kiosk, "caseProceed")
    qtbot.waitUntil(lambda: screen_is(kiosk, OfflineScreen))
    assert text(kiosk, "offlineTitle") == "暂停取号"
    kiosk_net.down = False
    qtbot.waitUntil(lambda: screen_is(kiosk, CaseQueryScreen), timeout=5000)
    assert (
        kiosk.window.shown_screen.phone == "5678"
    )  # back on the same step, one tap from trying again
    tap(qtbot, kiosk, "caseProceed")
    qtbot.waitUntil(lambda: screen_is(kiosk, CaseResultScreen))


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)], ids=["portrait", "landscape"])
def test_case_screens_fit_in_every_language(qtbot, kiosk_factory, kiosk_api, demo_hall, size):
    """The longest texts (English, Uyghur, with a notice) leave every part of the query screens
    whole."""
    assert accept_case(demo_hall) == NUMBER
    case_action(demo_hall, NUMBER, "suspend", missing=["户口簿原件", "收入证明", "身份证复印件"])
    kiosk = kiosk_factory(api=kiosk_api, size=size)
    qtbot.waitUntil(lambda: screen_is(kiosk, HomeScreen) and kiosk.presenter.state == "ready")
    p = kiosk.presenter
    for lang in ("zh", "en", "ug"):
        if p.language != lang:
            choose_language(qtbot, kiosk, lang)
        if p.nav != [("home",)]:
            tap(qtbot, kiosk, "homeButton")
        tap(qtbot, kiosk, "action_case")
        type_on_keypad(qtbot, kiosk, "202613230001")  # no 13th month
        tap(qtbot, kiosk, "caseProceed")
        assert find(kiosk, "caseNotice").isVisible()
        for name in ("caseDisplay", "caseNotice", "caseProceed", "caseKey_back"):
            assert_inside(kiosk, name)
        tap(qtbot, kiosk, "caseKey_clear")
        type_on_keypad(qtbot, kiosk, DIGITS)
        tap(qtbot, kiosk, "caseProceed")
        type_on_keypad(qtbot, kiosk, "8765")
        tap(qtbot, kiosk, "caseProceed")
        qtbot.waitUntil(lambda: find(kiosk, "caseNotice").isVisible())
        for name in (
            "caseNumber",
            "caseEditNumber",
            "casePhoneDigit3",
            "caseNotice",
            "caseProceed",
        ):
            assert_inside(kiosk, name)
        type_on_keypad(qtbot, kiosk, "5678")
        tap(qtbot, kiosk, "caseProceed")
        qtbot.waitUntil(lambda: screen_is(kiosk, CaseResultScreen))
        for name in ("caseState", "caseWording", "casePrint", "caseAgain", "caseDone", "caseHelp"):
            assert_inside(kiosk, name)
        assert_big_targets(kiosk)
