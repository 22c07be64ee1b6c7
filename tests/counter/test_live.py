"""End to end against a real backend process: a kiosk issues, the counter (real presenter, real
ApiClient, real LiveClient, window offscreen) calls, serves and finishes; the queue snapshot and
the audit log agree. Then the backend restarts mid-service and the counter app itself restarts."""

from __future__ import annotations

from collections import Counter as Tally

import pytest
from PySide6.QtCore import Qt

from clientlib.api import ApiClient

pytestmark = pytest.mark.slow
WINDOW = 3  # 3号窗口 民政: serves MZ-01 .. MZ-05


def real_counter(counter_factory, server, **config):
    config = {
        "backend_url": server.url,
        "api_timeout": 2,
        "api_retries": 1,
        "retry_seconds": 0.5,
        "refresh_seconds": 600,  # so anything that changes on screen came by a live event
    } | config
    return counter_factory(**config)


def log_in(counter, qtbot, server, user: str = "clerk1"):
    w, page = counter.window, counter.window.login_page
    qtbot.waitUntil(lambda: page.window_choice.count() == 12, timeout=10_000)
    if page.username.text() != user:
        page.username.clear()
        qtbot.keyClicks(page.username, user)
    qtbot.keyClicks(page.password, server.password(user))
    page.window_choice.setCurrentIndex(page.window_choice.findData(WINDOW))
    qtbot.mouseClick(page.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.main_page, timeout=10_000)
    qtbot.waitUntil(lambda: counter.presenter.live_ok is True, timeout=10_000)
    return w


def press(qtbot, counter, key, done, timeout=10_000):
    """An F-key, then wait for `done` and for the counter to be ready for the next action."""
    w = counter.window
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    qtbot.keyClick(w, key)
    qtbot.waitUntil(lambda: done() and not counter.presenter.busy, timeout=timeout)


def shown(counter) -> str:
    card = counter.window.main_page.ticket
    return card.number.text() if card.details.isVisible() else ""


def line_numbers(counter) -> list[str]:
    table = counter.window.main_page.line.table
    return [table.item(r, 0).text() for r in range(table.rowCount())]


def audit_for(server, number: str) -> Tally:
    manager = ApiClient(server.url, server.hall)
    manager.login("manager", server.password("manager"))
    entries = manager.get(manager.hall_path("/audit?limit=500"))["entries"]
    return Tally(e["action"] for e in entries if e["entity_id"] == number)


def test_kiosk_ticket_called_served_and_finished_once(live_server, counter_factory, qtbot):
    kiosk = ApiClient(live_server.url, live_server.hall, live_server.kiosk_token)
    first = kiosk.issue_ticket("MZ-01", request_id="e2e-first")["ticket"]["number"]
    counter = real_counter(counter_factory, live_server)
    log_in(counter, qtbot, live_server)
    qtbot.waitUntil(lambda: line_numbers(counter) == [first])
    later = kiosk.issue_ticket("MZ-02", request_id="e2e-later")["ticket"]["number"]
    qtbot.waitUntil(lambda: line_numbers(counter) == [first, later])  # pushed, not polled

    press(qtbot, counter, Qt.Key.Key_F1, lambda: shown(counter) == first)
    card = counter.window.main_page.ticket
    assert card.item.text() == "最低生活保障申请" and len(card.checkboxes) == 7
    press(qtbot, counter, Qt.Key.Key_F3, lambda: "办理中" in card.state.text())
    press(qtbot, counter, Qt.Key.Key_F4, lambda: shown(counter) == "")
    qtbot.waitUntil(lambda: counter.window.main_page.today.cells[0][1].text() == "1")

    snapshot = kiosk.queue()
    waiting = {i["code"]: i["waiting"] for i in snapshot["items"]}
    assert waiting["MZ-01"] == 0 and waiting["MZ-02"] == 1 and snapshot["waiting_total"] == 1
    window = next(w for w in snapshot["windows"] if w["number"] == WINDOW)
    assert window["state"] == "open" and window["current"] is None and window["clerk"] == "李敏"
    audit = audit_for(live_server, first)
    assert audit["ticket.called"] == 1 and audit["ticket.finished"] == 1
    assert audit["ticket.started"] == 1 and sum(audit.values()) == 4  # with ticket.issued


def test_backend_restart_mid_service_and_counter_restart(live_server, counter_factory, qtbot):
    kiosk = ApiClient(live_server.url, live_server.hall, live_server.kiosk_token)
    first = kiosk.issue_ticket("MZ-01", request_id="r-first")["ticket"]["number"]
    second = kiosk.issue_ticket("MZ-01", request_id="r-second")["ticket"]["number"]
    counter = real_counter(counter_factory, live_server)
    w = log_in(counter, qtbot, live_server)
    press(qtbot, counter, Qt.Key.Key_F1, lambda: shown(counter) == first)
    press(qtbot, counter, Qt.Key.Key_F3, lambda: "办理中" in w.main_page.ticket.state.text())

    live_server.stop()
    qtbot.waitUntil(w.connection_bar.isVisible, timeout=10_000)
    assert "网络中断…正在重连" in w.connection_text.text()
    press(qtbot, counter, Qt.Key.Key_F4, lambda: counter.presenter.pending is not None)
    assert "待重试：办结" in w.connection_text.text() and w.connection_bar.isVisible()
    request_id = counter.presenter.pending.request_id

    live_server.start()
    qtbot.waitUntil(
        lambda: shown(counter) == "" and counter.presenter.pending is None, timeout=20_000
    )
    qtbot.waitUntil(lambda: not w.connection_bar.isVisible(), timeout=30_000)  # socket is back
    audit = audit_for(live_server, first)
    assert audit["ticket.finished"] == 1 and audit["ticket.called"] == 1
    manager = ApiClient(live_server.url, live_server.hall)
    manager.login("manager", live_server.password("manager"))
    finished = [
        e
        for e in manager.get(manager.hall_path("/audit?limit=500"))["entries"]
        if e["action"] == "ticket.finished"
    ]
    assert [e["request_id"] for e in finished] == [request_id]

    # The counter app itself restarts while serving: it comes back to the same ticket.
    press(qtbot, counter, Qt.Key.Key_F1, lambda: shown(counter) == second)
    counter.close()  # no sign-out, as after a crash
    again = real_counter(counter_factory, live_server)
    assert again.window.login_page.username.text() == "clerk1"
    qtbot.waitUntil(lambda: again.window.login_page.window_choice.currentData() == WINDOW)
    log_in(again, qtbot, live_server)
    qtbot.waitUntil(lambda: shown(again) == second)
    assert "已叫号" in again.window.main_page.ticket.state.text()
    press(qtbot, again, Qt.Key.Key_F4, lambda: shown(again) == "")
    audit = audit_for(live_server, second)
    assert audit["ticket.called"] == 1 and audit["ticket.finished"] == 1


ID_NUMBER = "320102198503151230"  # a valid check digit


def staff(server, user: str = "manager") -> ApiClient:
    client = ApiClient(server.url, server.hall)
    client.login(user, server.password(user))
    return client


def accept_through_the_dialog(counter, qtbot, id_number: str):
    from PySide6.QtWidgets import QLineEdit, QPushButton

    w = counter.window
    qtbot.mouseClick(w.main_page.buttons["accept_case"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.dialog is not None and w.dialog.isVisible())
    dialog = w.dialog
    dialog.findChild(QLineEdit, "name").insert("张小三")
    dialog.findChild(QLineEdit, "phone").insert("13812341234")
    ident = dialog.findChild(QLineEdit, "id_number")
    ident.clear()
    ident.insert(id_number)
    qtbot.mouseClick(dialog.findChild(QPushButton, "ok"), Qt.MouseButton.LeftButton)
    return dialog


def test_case_accepted_suspended_supplemented_end_to_end(live_server, counter_factory, qtbot):
    """受理 with a refused ID number then a good one, 一次性告知 with one missing material, the
    case as the API shows it, My cases updated by a pushed case event, and 评价."""
    from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QPushButton

    kiosk = ApiClient(live_server.url, live_server.hall, live_server.kiosk_token)
    ticket = kiosk.issue_ticket("MZ-01", request_id="case-e2e")["ticket"]["number"]
    counter = real_counter(counter_factory, live_server)
    w = log_in(counter, qtbot, live_server)
    press(qtbot, counter, Qt.Key.Key_F1, lambda: shown(counter) == ticket)
    press(qtbot, counter, Qt.Key.Key_F3, lambda: "办理中" in w.main_page.ticket.state.text())
    card = w.main_page.ticket
    materials = [box.text() for box in card.checkboxes]
    card.checkboxes[0].click()
    card.checkboxes[2].click()

    dialog = accept_through_the_dialog(counter, qtbot, "320102198503151231")
    error = dialog.findChild(QLabel, "error_applicant_id_number")
    qtbot.waitUntil(error.isVisible, timeout=10_000)
    assert error.text().startswith("身份证号码校验不通过") and w.dialog is dialog
    ident = dialog.findChild(QLineEdit, "id_number")  # corrected in the same dialog
    ident.clear()
    ident.insert(ID_NUMBER)
    qtbot.mouseClick(dialog.findChild(QPushButton, "ok"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.dialog is None and not counter.presenter.busy, timeout=10_000)
    qtbot.waitUntil(card.badge.isVisible)
    number = counter.presenter.case["number"]
    assert card.case_number.text() == f"受理编号 {number}"
    assert card.case_deadline.text().startswith("承诺办结时间 20")

    qtbot.mouseClick(card.hooks["notice"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.dialog is not None and w.dialog.isVisible())
    for box in w.dialog.findChildren(QCheckBox):
        box.setChecked(box.text() == "户口簿")
    qtbot.mouseClick(w.dialog.findChild(QPushButton, "ok"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: card.case_state.text() == "待补正：户口簿", timeout=10_000)

    manager = staff(live_server)
    case = manager.get(manager.hall_path(f"/cases/{number}"))["case"]
    assert case["state"] == "suspended" and case["missing_materials"] == ["户口簿"]
    assert case["materials_received"] == [materials[0], materials[2]]
    assert case["applicant"] == {
        "name": "张*三",
        "phone": "138****1234",
        "id_number": "3201**********1230",
    }
    assert case["ticket_number"] == ticket and case["kind"] == "promised"
    assert [h["action"] for h in case["history"]] == ["case.accepted", "case.suspended"]

    qtbot.mouseClick(w.cases_button, Qt.MouseButton.LeftButton)
    table = w.cases_page.table
    qtbot.waitUntil(lambda: table.rowCount() == 1 and table.item(0, 0).text() == "停")
    assert table.item(0, 1).text() == number and table.item(0, 3).text() == "待补正 1 项"
    # Supplements handed in elsewhere: the pushed case event refreshes My cases.
    manager.post(manager.hall_path(f"/cases/{number}/supplement"), {"received": ["户口簿"]})
    qtbot.waitUntil(lambda: table.item(0, 0).text() == "绿", timeout=10_000)
    assert table.item(0, 3).text() == "办理中"
    qtbot.mouseClick(w.cases_page.back_button, Qt.MouseButton.LeftButton)

    press(qtbot, counter, Qt.Key.Key_F4, lambda: shown(counter) == "")
    qtbot.mouseClick(card.hooks["evaluate"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.notice.text().startswith(f"已请 {ticket} 评价"), timeout=10_000)
    audit = audit_for(live_server, ticket)
    assert audit["evaluation.requested"] == 1 and audit["ticket.finished"] == 1
