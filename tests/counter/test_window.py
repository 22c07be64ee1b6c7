"""The real counter window offscreen (pytest-qt) on the real app (the demo hall): the login form, the buttons,
the dialogs, the F-key shortcuts, the red connection bar and the message bar."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QLineEdit, QPushButton

from .fakes import FakeLiveFactory
from .hall import PASSWORD


def log_in(counter, qtbot, user: str = "clerk1", window: int = 3):
    w = counter.window
    page = w.login_page
    qtbot.waitUntil(lambda: page.window_choice.count() == 12)
    page.username.clear()
    qtbot.keyClicks(page.username, user)
    qtbot.keyClicks(page.password, PASSWORD)
    page.window_choice.setCurrentIndex(page.window_choice.findData(window))
    qtbot.mouseClick(page.sign_in_button, Qt.MouseButton.LeftButton)
    assert page.password.text() == ""  # not kept in the widget either
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.main_page)
    live = counter.presenter.live
    qtbot.waitUntil(lambda: live.connected)
    live.up()
    return w


def click(qtbot, widget):
    assert widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def ticket_shown(w) -> str:
    card = w.main_page.ticket
    return card.number.text() if card.details.isVisible() else ""


def idle(counter) -> bool:
    return not counter.presenter.busy and counter.presenter.pending is None


def press(qtbot, w, key):
    qtbot.keyClick(w, key)


def activate(qtbot, w):
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)


def test_login_form_signs_in_and_shows_the_window(counter_factory, qtbot, demo_hall, hall_api):
    api, net = hall_api()
    counter = counter_factory(api)
    w = log_in(counter, qtbot)
    assert w.window_title.text() == "3号窗口 民政" and w.clerk.text() == "李敏"
    assert w.state_chip.text().startswith("服务中")
    assert demo_hall.window_view(3)["state"] == "open"
    assert w.main_page.ticket.idle.isVisible() and "F1" in w.main_page.ticket.idle.text()
    assert not w.connection_bar.isVisible()


def test_call_recall_start_and_finish_with_the_buttons(counter_factory, qtbot, demo_hall, hall_api):
    api, net = hall_api()
    demo_hall.add_ticket("MZ-01", "green", "elderly")
    demo_hall.add_ticket("MZ-02")
    counter = counter_factory(api)
    w = log_in(counter, qtbot)
    buttons = w.main_page.buttons
    qtbot.waitUntil(lambda: w.main_page.line.table.rowCount() == 2)
    click(qtbot, buttons["call_next"])
    qtbot.waitUntil(lambda: ticket_shown(w) == "A001" and idle(counter))
    card = w.main_page.ticket
    assert card.item.text() == "最低生活保障申请" and "绿色通道" in card.priority.text()
    boxes = card.materials_box.findChildren(QCheckBox)
    assert len(boxes) == 7 and boxes[1].text() == "户口簿"
    qtbot.mouseClick(boxes[1], Qt.MouseButton.LeftButton, pos=QPoint(12, boxes[1].height() // 2))
    assert counter.presenter.checked == {1} and "已核 1/7" in card.materials_status.text()
    assert w.main_page.line.table.rowCount() == 1
    assert w.main_page.line.table.item(0, 0).text() == "A002"
    click(qtbot, buttons["recall"])
    qtbot.waitUntil(lambda: "第 2 次呼叫" in card.state.text() and idle(counter))
    click(qtbot, buttons["start"])
    qtbot.waitUntil(lambda: "办理中" in card.state.text() and idle(counter))
    assert not buttons["recall"].isEnabled() and not buttons["call_next"].isEnabled()
    click(qtbot, buttons["finish"])
    qtbot.waitUntil(lambda: ticket_shown(w) == "" and idle(counter))
    assert demo_hall.audited("ticket.finished", "A001") == 1
    assert "已办结 A001" in w.notice.text()
    assert w.main_page.today.cells[0][1].text() == "1"


def test_no_show_with_the_button(counter_factory, qtbot, demo_hall, hall_api):
    api, net = hall_api()
    demo_hall.add_ticket("MZ-01")
    counter = counter_factory(api)
    w = log_in(counter, qtbot)
    click(qtbot, w.main_page.buttons["call_next"])
    qtbot.waitUntil(lambda: ticket_shown(w) == "A001" and idle(counter))
    demo_hall.clock.advance(seconds=60)  # the hall's 过号 guard: a minute after the call
    click(qtbot, w.main_page.buttons["no_show"])
    qtbot.waitUntil(lambda: ticket_shown(w) == "" and idle(counter))
    assert demo_hall.audited("ticket.no_show", "A001") == 1
    assert w.main_page.today.cells[0][3].text() == "1"


def test_transfer_through_the_dialog(counter_factory, qtbot, demo_hall, hall_api):
    api, net = hall_api()
    demo_hall.add_ticket("MZ-01")
    counter = counter_factory(api)
    w = log_in(counter, qtbot)
    click(qtbot, w.main_page.buttons["call_next"])
    qtbot.waitUntil(lambda: ticket_shown(w) == "A001" and idle(counter))
    click(qtbot, w.main_page.buttons["transfer"])
    dialog = w.dialog
    assert dialog is not None and dialog.isVisible()
    ok = dialog.findChild(QPushButton, "ok")
    assert not ok.isEnabled()  # nothing chosen yet
    to_window = dialog.findChild(QComboBox, "toWindow")
    to_window.setCurrentIndex(to_window.findData(1))
    dialog.findChild(QLineEdit, "note").insert("需综合窗口")  # keyClicks types ASCII only
    click(qtbot, ok)
    qtbot.waitUntil(lambda: ticket_shown(w) == "" and idle(counter))
    assert net.posts("transfer")[0].body == {"to_window": 1, "note": "需综合窗口"}
    assert w.dialog is None


def test_pause_and_resume(counter_factory, qtbot, demo_hall, hall_api):
    api, net = hall_api()
    counter = counter_factory(api)
    w = log_in(counter, qtbot)
    toggle = w.main_page.buttons["pause_toggle"]
    click(qtbot, toggle)
    dialog = w.dialog
    ok = dialog.findChild(QPushButton, "ok")
    assert not ok.isEnabled()
    click(qtbot, dialog.radios["break"])
    click(qtbot, ok)
    qtbot.waitUntil(lambda: demo_hall.window_view(3)["state"] == "paused" and idle(counter))
    qtbot.waitUntil(lambda: w.state_chip.text().startswith("暂停"))
    assert "休息" in w.state_chip.text() and toggle.title.text() == "恢复"
    assert not w.main_page.buttons["call_next"].isEnabled()
    click(qtbot, toggle)
    qtbot.waitUntil(lambda: demo_hall.window_view(3)["state"] == "open" and idle(counter))
    qtbot.waitUntil(lambda: toggle.title.text() == "暂停")


def test_f_keys_work_the_whole_flow(counter_factory, qtbot, demo_hall, hall_api):
    api, net = hall_api()
    demo_hall.add_ticket("MZ-01")
    demo_hall.add_ticket("MZ-01")
    counter = counter_factory(api)
    w = log_in(counter, qtbot)
    activate(qtbot, w)
    press(qtbot, w, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: ticket_shown(w) == "A001" and idle(counter))
    press(qtbot, w, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: demo_hall.audited("ticket.recalled") == 1 and idle(counter))
    press(qtbot, w, Qt.Key.Key_F3)
    qtbot.waitUntil(lambda: demo_hall.audited("ticket.started") == 1 and idle(counter))
    press(qtbot, w, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: demo_hall.audited("ticket.finished") == 1 and idle(counter))
    press(qtbot, w, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: ticket_shown(w) == "A002" and idle(counter))
    demo_hall.clock.advance(seconds=60)  # the hall's 过号 guard: a minute after the call
    press(qtbot, w, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: demo_hall.audited("ticket.no_show", "A002") == 1 and idle(counter))
    press(qtbot, w, Qt.Key.Key_F4)  # nothing to finish: the disabled button ignores its key
    press(qtbot, w, Qt.Key.Key_F6)
    assert w.dialog is None and len(net.posts("finish")) == 1
    for key, title in (
        (Qt.Key.Key_F7, "指定叫号"),
        (Qt.Key.Key_F8, "过号重排"),
        (Qt.Key.Key_F9, "暂停窗口"),
    ):
        activate(qtbot, w)
        press(qtbot, w, key)
        qtbot.waitUntil(lambda: w.dialog is not None)
        assert w.dialog.windowTitle().startswith(title)
        w.dialog.reject()
        qtbot.waitUntil(lambda: w.dialog is None)
    activate(qtbot, w)
    press(qtbot, w, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: w.dialog is not None)
    qtbot.keyClicks(w.dialog.findChild(QLineEdit, "number"), "a002")
    click(qtbot, w.dialog.findChild(QPushButton, "ok"))
    qtbot.waitUntil(lambda: demo_hall.audited("ticket.requeued", "A002") == 1 and idle(counter))
    activate(qtbot, w)
    press(qtbot, w, Qt.Key.Key_F7)
    qtbot.waitUntil(lambda: w.dialog is not None)
    dialog = w.dialog
    ok = dialog.findChild(QPushButton, "ok")
    dialog.findChild(QComboBox, "number").setCurrentText("A002")
    assert not ok.isEnabled()  # a reason is mandatory
    dialog.findChild(QLineEdit, "reason").insert("群众返回")
    click(qtbot, ok)
    qtbot.waitUntil(lambda: ticket_shown(w) == "A002" and idle(counter))
    assert net.posts("call")[0].body == {"number": "A002", "reason": "群众返回"}
    activate(qtbot, w)
    press(qtbot, w, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: w.dialog is not None)
    assert w.dialog.windowTitle() == "转办 A002  Transfer A002"


def test_no_shortcut_acts_on_the_login_page(counter_factory, qtbot, demo_hall, hall_api):
    api, net = hall_api()
    demo_hall.add_ticket("MZ-01")
    counter = counter_factory(api)
    activate(qtbot, counter.window)
    press(qtbot, counter.window, Qt.Key.Key_F1)
    QApplication.processEvents()
    assert not [s for s in net.sent if s.method == "POST"]


def test_lost_connection_shows_a_red_bar_and_retry_sends_the_same_request(
    counter_factory, qtbot, demo_hall, hall_api
):
    api, net = hall_api()
    demo_hall.add_ticket("MZ-01")
    counter = counter_factory(api, retry_seconds=60)
    w = log_in(counter, qtbot)
    click(qtbot, w.main_page.buttons["call_next"])
    qtbot.waitUntil(lambda: ticket_shown(w) == "A001" and idle(counter))
    net.down = True
    counter.presenter.live.drop()
    qtbot.waitUntil(w.connection_bar.isVisible)
    assert "网络中断…正在重连" in w.connection_text.text()
    click(qtbot, w.main_page.buttons["finish"])
    qtbot.waitUntil(lambda: counter.presenter.pending is not None and w.retry_button.isVisible())
    assert "待重试：办结" in w.connection_text.text()
    net.down = False
    click(qtbot, w.retry_button)
    qtbot.waitUntil(lambda: ticket_shown(w) == "" and idle(counter))
    sent = net.posts("finish")
    assert len(sent) == 2 and sent[0] == sent[1] and demo_hall.audited("ticket.finished") == 1
    counter.presenter.live.up(seq=10)
    qtbot.waitUntil(lambda: not w.connection_bar.isVisible())


def test_manager_message_bar(counter_factory, qtbot, demo_hall, hall_api):
    live = FakeLiveFactory()
    counter = counter_factory(hall_api()[0], live=live)
    w = log_in(counter, qtbot)
    live.latest.event("manager.message", {"window": 3, "text": "请注意排队人数", "from": "王主任"})
    assert w.message_bar.isVisible() and "请注意排队人数" in w.message_text.text()
    click(qtbot, w.dismiss_button)
    assert not w.message_bar.isVisible()
