"""PNGs of the counter for review, from a real backend: login, idle, serving (materials checklist,
transfer history, a line of waiting tickets), the transfer dialog and the red connection bar, at
1366x768, 1280x720 and 1920x1080. Saved to tests/artifacts/counter/ (not committed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit

from clientlib.api import ApiClient

from .test_live import WINDOW, line_numbers, log_in, press, real_counter, shown

pytestmark = pytest.mark.slow
OUT = Path(__file__).resolve().parents[1] / "artifacts" / "counter"
SIZES = ((1366, 768), (1280, 720), (1920, 1080))


def save(window, name: str, size: tuple[int, int], dialog=None) -> Path:
    """The window, with `dialog` (a separate top-level window) drawn where and as big as it is
    (it fits itself to the window when the window is resized)."""
    QApplication.processEvents()
    if dialog is not None:
        dialog.fit()
        QApplication.processEvents()
    pixmap = window.grab()
    if dialog is not None:
        painter = QPainter(pixmap)
        painter.fillRect(pixmap.rect(), QColor(0, 0, 0, 90))  # the modal shade
        painter.drawPixmap(window.mapFromGlobal(dialog.geometry().topLeft()), dialog.grab())
        painter.end()
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}-{size[0]}x{size[1]}.png"
    pixmap.save(str(path))
    return path


def test_screenshots(live_server, counter_factory, qtbot):
    kiosk = ApiClient(live_server.url, live_server.hall, live_server.kiosk_token)
    # A ticket that window 1 transfers to window 3 with a note, and a line behind it.
    moved = kiosk.issue_ticket(
        "MZ-01", request_id="s-moved", priority="green", priority_reason="elderly"
    )["ticket"]["number"]
    for n, item in enumerate(("MZ-02", "MZ-01", "MZ-04", "MZ-03", "MZ-01", "MZ-05")):
        kiosk.issue_ticket(item, request_id=f"s-{n}")
    other = ApiClient(live_server.url, live_server.hall)
    other.login("clerk2", live_server.password("clerk2"))
    other.window_action(1, "sign-in")
    other.window_action(1, "call", number=moved, reason="绿色通道优先")
    other.window_action(1, "transfer", to_window=WINDOW, note="低保申请由民政窗口受理")

    saved: list[Path] = []
    counter = real_counter(counter_factory, live_server, size=SIZES[0])
    w = counter.window

    def each_size(name: str, dialog=None) -> None:
        for size in SIZES:
            w.resize(*size)
            qtbot.waitUntil(lambda s=size: (w.width(), w.height()) == s)
            saved.append(save(w, name, size, dialog))

    qtbot.waitUntil(lambda: w.login_page.window_choice.count() == 12)
    each_size("login")
    w.resize(*SIZES[0])
    log_in(counter, qtbot, live_server)
    qtbot.waitUntil(lambda: len(line_numbers(counter)) == 7)
    each_size("idle")
    press(qtbot, counter, Qt.Key.Key_F1, lambda: shown(counter) == moved)
    press(qtbot, counter, Qt.Key.Key_F3, lambda: "办理中" in w.main_page.ticket.state.text())
    for box in w.main_page.ticket.checkboxes[:2]:
        box.click()
    message = {"window": None, "text": "15:00 大厅例会，请各窗口做好交接", "from": "王主任"}
    counter.presenter.on_event({"seq": 0, "type": "manager.message", "data": message})
    each_size("serving")
    w.main_page.buttons["transfer"].click()
    qtbot.waitUntil(lambda: w.dialog is not None and w.dialog.isVisible())
    to_window = w.dialog.findChild(QComboBox, "toWindow")
    to_window.setCurrentIndex(to_window.findData(1))
    w.dialog.findChild(QLineEdit, "note").insert("需综合窗口一并办理高龄津贴")
    each_size("transfer-dialog", w.dialog)
    w.dialog.reject()
    qtbot.waitUntil(lambda: w.dialog is None)
    counter.presenter.on_connection(False)  # as when the socket drops
    qtbot.waitUntil(w.connection_bar.isVisible)
    each_size("offline")
    assert len(saved) == 5 * len(SIZES)
    for path in saved:
        assert path.stat().st_size > 10_000, path


def prepare_cases(server, kiosk) -> None:
    """Cases clerk1 accepted earlier at window 7: a 1-day and a 3-day item (orange or yellow,
    depending on the day), and one waiting for supplements."""
    clerk = ApiClient(server.url, server.hall)
    clerk.login("clerk1", server.password("clerk1"))
    clerk.window_action(7, "sign-in")
    cases = (
        ("SJ-01", {"name": "王建国", "phone": "13905710001"}, []),
        ("NJ-03", {"name": "陈秀英", "phone": "13905710002"}, []),
        ("ZJ-02", {"name": "欧阳明", "phone": "13905710003"}, ["不动产权证书复印件", "委托书"]),
    )
    for n, (item, applicant, missing) in enumerate(cases):
        kiosk.issue_ticket(item, request_id=f"case-shot-{n}")
        clerk.window_action(7, "call-next")
        clerk.window_action(7, "start")
        case = clerk.window_action(7, "accept", applicant=applicant, decision="proxy")["case"]
        if missing:
            clerk.post(clerk.hall_path(f"/cases/{case['number']}/suspend"), {"missing": missing})
        clerk.window_action(7, "finish")
    clerk.window_action(7, "sign-out")


def test_case_screenshots(live_server, counter_factory, qtbot):
    """受理 dialog (with a refused ID number), the ticket card with its case and print button,
    一次性告知, My cases and 今日预约, at every size."""
    from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton

    kiosk = ApiClient(live_server.url, live_server.hall, live_server.kiosk_token)
    prepare_cases(live_server, kiosk)
    number = kiosk.issue_ticket(
        "MZ-01", request_id="case-shot", priority="green", priority_reason="elderly"
    )["ticket"]["number"]
    kiosk.issue_ticket("MZ-02", request_id="case-shot-line")
    saved: list[Path] = []
    counter = real_counter(counter_factory, live_server, size=SIZES[0], printer={"type": "dummy"})
    w = counter.window

    def each_size(name: str, dialog=None) -> None:
        for size in SIZES:
            w.resize(*size)
            qtbot.waitUntil(lambda s=size: (w.width(), w.height()) == s)
            saved.append(save(w, name, size, dialog))

    log_in(counter, qtbot, live_server)
    press(qtbot, counter, Qt.Key.Key_F1, lambda: shown(counter) == number)
    press(qtbot, counter, Qt.Key.Key_F3, lambda: "办理中" in w.main_page.ticket.state.text())
    card = w.main_page.ticket
    for box in card.checkboxes[:3]:
        box.click()
    card.hooks["accept_case"].click()
    qtbot.waitUntil(lambda: w.dialog is not None and w.dialog.isVisible())
    dialog = w.dialog
    dialog.findChild(QLineEdit, "name").insert("张小三")
    dialog.findChild(QLineEdit, "phone").insert("13812341234")
    ident = dialog.findChild(QLineEdit, "id_number")
    ident.insert("320102198503151231")  # a wrong check digit: refused at the field
    dialog.findChild(QPushButton, "ok").click()
    qtbot.waitUntil(dialog.findChild(QLabel, "error_applicant_id_number").isVisible)
    each_size("accept-dialog", dialog)
    ident.clear()
    ident.insert("320102198503151230")
    dialog.findChild(QPushButton, "ok").click()
    qtbot.waitUntil(lambda: w.dialog is None and card.badge.isVisible(), timeout=10_000)
    each_size("case-accepted")

    card.hooks["notice"].click()
    qtbot.waitUntil(lambda: w.dialog is not None and w.dialog.isVisible())
    for box in w.dialog.findChildren(QCheckBox)[5:]:  # 授权书 and 收入证明 are missing
        box.setChecked(False)
    w.dialog.findChild(QLineEdit, "other").insert("村（居）委会出具的家庭情况证明")
    w.dialog.findChild(QPushButton, "addMissing").click()
    each_size("notice-dialog", w.dialog)
    w.dialog.findChild(QPushButton, "ok").click()
    qtbot.waitUntil(lambda: card.case_state.text().startswith("待补正"), timeout=10_000)

    w.cases_button.click()
    table = w.cases_page.table
    qtbot.waitUntil(lambda: table.rowCount() == 4, timeout=10_000)
    table.selectRow(0)
    qtbot.waitUntil(lambda: w.cases_page.buttons["extension"].isEnabled())
    each_size("my-cases")
    w.appointments_button.click()
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.appointments_page)
    qtbot.waitUntil(
        lambda: w.appointments_page.info.isVisible() or w.appointments_page.table.isVisible()
    )
    each_size("appointments")
    assert len(saved) == 5 * len(SIZES)
    for path in saved:
        assert path.stat().st_size > 10_000, path
