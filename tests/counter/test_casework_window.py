"""The case workflow in the real counter window, offscreen on the real app (the demo hall): the 受理 dialog
with a refusal shown at its field, 一次性告知, 评价 after finishing, My cases with its actions,
and the acceptance receipt on a (dummy) printer."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QPushButton, QRadioButton

from .test_casework import ID_NUMBER
from .test_window import click, idle, log_in, ticket_shown


def at_counter(counter_factory, qtbot, hall, hall_api, item="MZ-01", **config):
    hall.add_ticket(item)
    api, net = hall_api()
    counter = counter_factory(api, **config)
    w = log_in(counter, qtbot)
    click(qtbot, w.main_page.buttons["call_next"])
    qtbot.waitUntil(lambda: ticket_shown(w) == "A001" and idle(counter))
    return net, counter, w


def fill_accept(qtbot, w, id_number=ID_NUMBER):
    click(qtbot, w.main_page.buttons["accept_case"])
    qtbot.waitUntil(lambda: w.dialog is not None and w.dialog.isVisible())
    dialog = w.dialog
    ok = dialog.findChild(QPushButton, "ok")
    assert not ok.isEnabled()  # a promised item needs name and phone
    dialog.findChild(QLineEdit, "name").insert("张小三")  # keyClicks types ASCII only
    qtbot.keyClicks(dialog.findChild(QLineEdit, "phone"), "13812341234")
    qtbot.keyClicks(dialog.findChild(QLineEdit, "id_number"), id_number)
    return dialog, ok


def test_accept_dialog_shows_a_refusal_at_the_field_and_keeps_what_was_typed(
    counter_factory, qtbot, demo_hall, hall_api
):
    net, counter, w = at_counter(counter_factory, qtbot, demo_hall, hall_api)
    card = w.main_page.ticket
    boxes = card.materials_box.findChildren(QCheckBox)
    boxes[0].click()
    boxes[1].click()
    assert card.hooks["accept_case"].isVisible() and not card.hooks["notice"].isEnabled()
    dialog, ok = fill_accept(qtbot, w, "320102198503151231")
    received = dialog.findChildren(QCheckBox)
    assert [b.isChecked() for b in received[:3]] == [True, True, False]
    assert dialog.findChild(QRadioButton, "decision_done_now").isChecked()
    assert dialog.findChild(QLabel, "formHint").text().startswith("承诺件 20 个工作日")
    click(qtbot, dialog.findChild(QRadioButton, "decision_proxy"))
    click(qtbot, ok)
    error = dialog.findChild(QLabel, "error_applicant_id_number")
    qtbot.waitUntil(error.isVisible)
    assert error.text().startswith("身份证号码校验不通过") and w.dialog is dialog
    assert dialog.findChild(QLineEdit, "name").text() == "张小三" and ok.isEnabled()
    ident = dialog.findChild(QLineEdit, "id_number")
    ident.clear()
    qtbot.keyClicks(ident, ID_NUMBER)
    click(qtbot, ok)
    qtbot.waitUntil(lambda: w.dialog is None and idle(counter))
    [case] = demo_hall.cases("clerk1")
    assert case["decision"] == "proxy" and len(case["materials_received"]) == 2
    qtbot.waitUntil(card.badge.isVisible)
    assert card.case_number.text() == "受理编号 QINGSHAN-20261123-0001"
    assert card.case_deadline.text() == "承诺办结时间 2026-12-19 17:30"
    assert w.notice.text().startswith("已受理 QINGSHAN-20261123-0001")
    assert not card.hooks["accept_case"].isEnabled() and card.hooks["notice"].isEnabled()
    assert not card.hooks["print_receipt"].isVisible()  # no printer configured
    qtbot.waitUntil(lambda: w.cases_button.text() == "我的办件 (1) My cases")  # My cases reloads


def test_one_time_notice_dialog_suspends_the_case(counter_factory, qtbot, demo_hall, hall_api):
    net, counter, w = at_counter(counter_factory, qtbot, demo_hall, hall_api)
    dialog, ok = fill_accept(qtbot, w)
    click(qtbot, ok)
    qtbot.waitUntil(lambda: w.dialog is None and idle(counter))
    click(qtbot, w.main_page.ticket.hooks["notice"])
    qtbot.waitUntil(lambda: w.dialog is not None and w.dialog.isVisible())
    dialog = w.dialog
    boxes = dialog.findChildren(QCheckBox)
    assert len(boxes) == 7 and all(b.isChecked() for b in boxes)  # nothing ticked as received
    for box in boxes[1:]:
        box.setChecked(False)
    first = boxes[0].text()
    dialog.findChild(QLineEdit, "other").insert("村委会证明")
    click(qtbot, dialog.findChild(QPushButton, "addMissing"))
    assert len(dialog.findChildren(QCheckBox)) == 8
    click(qtbot, dialog.findChild(QPushButton, "ok"))
    qtbot.waitUntil(lambda: w.dialog is None and idle(counter))
    [case] = demo_hall.cases("clerk1")
    assert case["state"] == "suspended"
    assert case["missing_materials"] == [first, "村委会证明"]
    card = w.main_page.ticket
    qtbot.waitUntil(lambda: card.case_state.text().startswith("待补正："))
    assert "村委会证明" in card.case_state.text() and not card.hooks["notice"].isEnabled()


def test_evaluation_button_after_finishing(counter_factory, qtbot, demo_hall, hall_api):
    net, counter, w = at_counter(counter_factory, qtbot, demo_hall, hall_api, item="MZ-02")
    hooks = w.main_page.ticket.hooks
    assert hooks["evaluate"].isVisible() and not hooks["evaluate"].isEnabled()
    click(qtbot, w.main_page.buttons["finish"])
    qtbot.waitUntil(lambda: ticket_shown(w) == "" and idle(counter))
    assert not hooks["accept_case"].isVisible() and hooks["evaluate"].isVisible()
    assert "A001 已办结" in w.main_page.ticket.idle.text()
    click(qtbot, hooks["evaluate"])
    qtbot.waitUntil(
        lambda: demo_hall.audited("evaluation.requested", "A001") == 1 and idle(counter)
    )
    assert w.notice.text().startswith("已请 A001 评价")
    demo_hall.rate("A001", window=3)
    click(qtbot, hooks["evaluate"])
    qtbot.waitUntil(lambda: "这次服务已评价" in w.notice.text())


def test_my_cases_page_lists_and_acts(counter_factory, qtbot, demo_hall, hall_api):
    net, counter, w = at_counter(counter_factory, qtbot, demo_hall, hall_api)
    dialog, ok = fill_accept(qtbot, w)
    click(qtbot, ok)
    qtbot.waitUntil(lambda: w.dialog is None and idle(counter))
    click(qtbot, w.cases_button)
    page = w.cases_page
    qtbot.waitUntil(lambda: w.stack.currentWidget() is page and page.table.rowCount() == 1)
    assert page.table.item(0, 0).text() == "绿" and page.table.item(0, 1).text().endswith("0001")
    assert page.counts.text() == "红 0 · 橙 0 · 黄 0 · 绿 1 · 待补正 0"
    assert not page.buttons["finish"].isEnabled()
    counter.presenter.reload()  # a reload of the counter state keeps the page showing
    qtbot.waitUntil(lambda: net.gets("/windows/3") > 2)
    assert w.stack.currentWidget() is page
    page.table.selectRow(0)
    qtbot.waitUntil(lambda: page.buttons["finish"].isEnabled())
    assert not page.buttons["supplement"].isEnabled()
    click(qtbot, page.buttons["extension"])
    qtbot.waitUntil(lambda: w.dialog is not None)
    dialog = w.dialog
    ok = dialog.findChild(QPushButton, "ok")
    click(qtbot, dialog.findChild(QRadioButton, "days2"))
    assert not ok.isEnabled()
    dialog.findChild(QLineEdit, "text").insert("需入户核查")
    click(qtbot, ok)
    qtbot.waitUntil(lambda: w.dialog is None and idle(counter))
    assert net.posts("extension")[0].body == {"days": 2, "reason": "需入户核查"}
    click(qtbot, page.buttons["finish"])
    qtbot.waitUntil(lambda: w.dialog is not None)
    w.dialog.findChild(QLineEdit, "text").insert("已办结")
    click(qtbot, w.dialog.findChild(QPushButton, "ok"))
    qtbot.waitUntil(lambda: page.table.rowCount() == 0 and idle(counter))
    assert page.info.text().startswith("暂无在办的办件")
    click(qtbot, page.back_button)
    assert w.stack.currentWidget() is w.main_page


def test_acceptance_receipt_on_the_configured_printer(counter_factory, qtbot, demo_hall, hall_api):
    net, counter, w = at_counter(
        counter_factory, qtbot, demo_hall, hall_api, printer={"type": "dummy"}
    )
    card = w.main_page.ticket
    assert not card.hooks["print_receipt"].isVisible()
    dialog, ok = fill_accept(qtbot, w)
    click(qtbot, ok)
    qtbot.waitUntil(lambda: w.dialog is None and idle(counter))
    button = card.hooks["print_receipt"]
    qtbot.waitUntil(button.isVisible)
    assert button.text() == "打印受理回执 Print receipt"
    click(qtbot, button)
    qtbot.waitUntil(lambda: w.notice.text().startswith("受理回执已打印"))
    out = counter.presenter.printer.last_output
    assert "受理回执".encode("gb18030") in out and b"QINGSHAN-20261123-0001" in out
    assert ID_NUMBER.encode() not in out and b"13812341234" not in out
