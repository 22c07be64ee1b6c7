"""The counter fits a 1366x768 and a 1280x720 desk monitor (issue #15): on every screen and in every
dialog the buttons a clerk needs are shown whole, inside their window, not cut by a parent or
squeezed below what their text needs. Real window, offscreen, on the real app (the demo hall)
with a printer, and canned rows for a busy day (a long My cases list, a full appointments day);
the screenshots go to tests/artifacts/counter/fits/ for review."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel, QLineEdit, QPushButton, QWidget

from clientlib.api import ApiClient
from counter.appointments import build_screen
from counter.screens import ACTIONS, CASE_ACTIONS
from tests.flaskhttp import FlakySession, FlaskSession

from .hall import HALL
from .test_casework import ID_NUMBER
from .test_window import click, idle, log_in, ticket_shown

SIZES = [(1366, 768), (1280, 720)]
OUT = Path(__file__).resolve().parents[1] / "artifacts" / "counter" / "fits"
F_KEYS = [f"action_{key}" for key in ACTIONS]
HEADER = ["myCases", "appointments", "action_sign_out"]


def _rect_in(widget: QWidget, top: QWidget) -> QRect:
    return QRect(widget.mapTo(top, QPoint(0, 0)), widget.size())


def _needs(widget: QWidget):
    """The size the widget's content asks for at its present width."""
    need = widget.minimumSizeHint()
    if widget.layout() is not None:
        need = need.expandedTo(widget.layout().totalMinimumSize())
    if isinstance(widget, QLabel) and widget.wordWrap() and widget.text():
        need.setWidth(0)
        need.setHeight(max(need.height(), widget.heightForWidth(widget.width())))
    return need


def assert_whole(widget: QWidget, what: str = "") -> None:
    """Shown, wholly inside each parent up to its window, and as big as its text needs."""
    QApplication.processEvents()
    name = what or widget.objectName()
    assert widget.isVisible(), f"{name} is not shown"
    top = widget.window()
    rect = _rect_in(widget, top)
    parent = widget.parentWidget()
    while parent is not None:
        area = top.rect() if parent is top else _rect_in(parent, top)
        assert area.contains(rect), f"{name} {rect} is cut by {parent.objectName() or parent}"
        if parent is top:
            break
        parent = parent.parentWidget()
    need = _needs(widget)
    assert widget.width() >= need.width() and widget.height() >= need.height(), (
        f"{name} is squeezed: {widget.size()} < {need}"
    )


def assert_named(root: QWidget, *names: str) -> None:
    for name in names:
        found = root.findChild(QWidget, name)
        assert found is not None, name
        assert_whole(found, name)


def assert_dialog(w, *names: str) -> QWidget:
    """The open dialog lies within the counter window and shows OK, Cancel and `names` whole."""
    dialog = w.dialog
    assert dialog is not None and dialog.isVisible()
    QApplication.processEvents()
    frame = dialog.frameGeometry()
    assert w.geometry().contains(frame), f"dialog {frame} is outside the window {w.geometry()}"
    assert_named(dialog, "ok", "cancel", *names)
    return dialog


def save(w, name: str, size: tuple[int, int]) -> None:
    """The window, with the open dialog drawn where it is, over a shade."""
    QApplication.processEvents()
    pixmap = w.grab()
    if w.dialog is not None and w.dialog.isVisible():
        painter = QPainter(pixmap)
        painter.fillRect(pixmap.rect(), QColor(0, 0, 0, 90))
        painter.drawPixmap(w.mapFromGlobal(w.dialog.geometry().topLeft()), w.dialog.grab())
        painter.end()
    OUT.mkdir(parents=True, exist_ok=True)
    assert pixmap.save(str(OUT / f"{name}-{size[0]}x{size[1]}.png"))


class BusyDayApi(ApiClient):
    """The real app's API with canned rows only a layout check needs: today's appointments of
    window 3 (many slots, long lists of people) and, once `copies` is set, copies of my one
    case in every colour in My cases."""

    def __init__(self, app):
        super().__init__("http://127.0.0.1:9", HALL, session=FlakySession(FlaskSession(app)))  # type: ignore[arg-type]
        self.copies = 0

    def get(self, path: str) -> dict:
        if path.endswith("/appointments/today"):
            return appointments_day()
        data = super().get(path)
        if self.copies and "/cases?clerk=" in path and "state=" not in path:
            data = with_copies(data, self.copies)
        return data


def appointments_day() -> dict:
    people = [
        {"code": f"{n:08d}", "name_masked": name, "phone_masked": "138****5678", "state": state,
         "ticket_number": "A00" + str(n) if state == "checked_in" else None}
        for n, (name, state) in enumerate(
            [("王*五", "booked"), ("李*", "checked_in"), ("欧阳*明", "booked"),
             ("陈*英", "no_show"), ("张*三", "booked")]
        )
    ]  # fmt: skip
    slots = []
    for hour in range(9, 17):
        for item, name in (("MZ-01", "最低生活保障申请"), ("MZ-04", "高龄津贴申领")):
            slots.append(
                {
                    "start": f"2026-12-02T{hour:02d}:00:00+08:00",
                    "end": f"2026-12-02T{hour:02d}:30:00+08:00",
                    "item": {"code": item, "name": {"zh": name, "en": name}},
                    "capacity": 6,
                    "booked": 5,
                    "checked_in": 1,
                    "no_show": 1,
                    "appointments": people,
                }
            )
    return {"day": "2026-12-02", "slots": slots}


def with_copies(data: dict, copies: int) -> dict:
    """My cases with copies of its one case, in every colour, so the list is long."""
    [case] = data["cases"]
    colours = ("red", "orange", "yellow", "green", None)
    rows = [case]
    for n in range(copies):
        colour = colours[n % len(colours)]
        rows.append(
            case
            | {
                "number": f"{case['number'][:-4]}{n + 10:04d}",
                "colour": colour,
                "state": "suspended" if colour is None else "open",
                "missing_materials": ["不动产权证书复印件", "委托书"],
            }
        )
    counts = {c: sum(1 for r in rows if r["colour"] == c) for c in colours if c}
    counts["suspended"] = sum(1 for r in rows if r["state"] == "suspended")
    return data | {"cases": rows, "counts": counts}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_screen_and_dialog_fits(counter_factory, qtbot, size, app, demo_hall):
    api = BusyDayApi(app)
    demo_hall.add_ticket("MZ-01", priority="green", reason="elderly")
    for item in ("MZ-02", "MZ-03", "MZ-04", "MZ-01", "MZ-05"):
        demo_hall.add_ticket(item)
    counter = counter_factory(api, size=size, printer={"type": "dummy"})
    w = counter.window
    assert (w.width(), w.height()) == size
    qtbot.waitUntil(lambda: w.login_page.window_choice.count() == 12)
    assert_named(w, "signIn", "username", "password", "windowChoice")
    save(w, "login", size)

    log_in(counter, qtbot)
    assert_named(w, *F_KEYS, *HEADER)
    save(w, "idle", size)

    click(qtbot, w.main_page.buttons["call_next"])
    qtbot.waitUntil(lambda: ticket_shown(w) == "A001" and idle(counter))
    click(qtbot, w.main_page.buttons["start"])
    qtbot.waitUntil(lambda: "办理中" in w.main_page.ticket.state.text() and idle(counter))
    card = w.main_page.ticket
    for box in card.checkboxes[:3]:
        box.click()
    assert_named(w, *F_KEYS, "action_accept_case", "action_notice", "action_evaluate")

    click(qtbot, card.hooks["accept_case"])  # 受理, with a refusal at the ID number
    qtbot.waitUntil(lambda: w.dialog is not None and w.dialog.isVisible())
    dialog = w.dialog
    dialog.findChild(QLineEdit, "name").insert("欧阳小明")
    dialog.findChild(QLineEdit, "phone").insert("13812341234")
    dialog.findChild(QLineEdit, "id_number").insert("320102198503151231")
    click(qtbot, dialog.findChild(QPushButton, "ok"))
    qtbot.waitUntil(dialog.findChild(QLabel, "error_applicant_id_number").isVisible)
    qtbot.waitUntil(lambda: idle(counter))
    assert_dialog(w, "name", "phone", "id_number", "error_applicant_id_number", "unit", "note")
    save(w, "accept-dialog", size)
    assert_named(dialog, "receivedList")
    for box in dialog.findChildren(QCheckBox):  # 7 materials: room for them all
        assert_whole(box, box.text())
    ident = dialog.findChild(QLineEdit, "id_number")
    ident.clear()
    ident.insert(ID_NUMBER)
    click(qtbot, dialog.findChild(QPushButton, "ok"))
    qtbot.waitUntil(lambda: w.dialog is None and idle(counter) and card.badge.isVisible())

    print_receipt = card.hooks["print_receipt"]
    qtbot.waitUntil(print_receipt.isVisible)
    assert w.notice.isVisible() and w.notice.text().startswith("已受理")
    save(w, "case-accepted", size)
    assert_whole(w.notice, "the header's notice")
    assert_named(w, *F_KEYS, *HEADER, "action_print_receipt", "action_notice", "caseNumber")
    assert_named(w, "caseDeadline", "caseState")
    save(w, "case-accepted", size)

    click(qtbot, card.hooks["notice"])  # 一次性告知, with more typed in
    qtbot.waitUntil(lambda: w.dialog is not None and w.dialog.isVisible())
    for text in (
        "村（居）委会出具的家庭情况证明",
        "近六个月银行流水",
        "房产情况说明",
        "车辆情况说明",
    ):
        w.dialog.findChild(QLineEdit, "other").insert(text)
        click(qtbot, w.dialog.findChild(QPushButton, "addMissing"))
    assert_dialog(w, "addMissing", "other", "note")
    save(w, "notice-dialog", size)
    click(qtbot, w.dialog.findChild(QPushButton, "ok"))
    qtbot.waitUntil(lambda: w.dialog is None and idle(counter))
    qtbot.waitUntil(lambda: card.case_state.text().startswith("待补正"))
    assert "告知书" in print_receipt.text()  # printed at once; offered again
    save(w, "case-suspended", size)
    assert_named(w, *F_KEYS, *HEADER, "action_print_receipt", "caseState")
    assert_whole(card.case_state, "the missing materials")
    save(w, "case-suspended", size)

    message = {
        "window": None,
        "text": "15:00 大厅例会，请各窗口做好交接，未办结的办件登记在册",
        "from": "王主任",
    }
    counter.presenter.on_event({"seq": 0, "type": "manager.message", "data": message})
    counter.presenter.on_connection(False)  # both bars over a case: the least room there is
    qtbot.waitUntil(w.connection_bar.isVisible)
    save(w, "offline-with-message", size)
    assert_named(w, *F_KEYS, "action_print_receipt", "dismiss", "connectionText")
    counter.presenter.on_connection(True)
    click(qtbot, w.dismiss_button)
    qtbot.waitUntil(lambda: not w.message_bar.isVisible() and not w.connection_bar.isVisible())

    click(qtbot, w.main_page.buttons["transfer"])
    qtbot.waitUntil(lambda: w.dialog is not None and w.dialog.isVisible())
    assert_dialog(w, "toItem", "toWindow", "note")
    save(w, "transfer-dialog", size)
    w.dialog.reject()
    qtbot.waitUntil(lambda: w.dialog is None)

    api.copies = 14
    click(qtbot, w.cases_button)
    page = w.cases_page
    qtbot.waitUntil(lambda: page.table.rowCount() == 15 and idle(counter))
    page.table.selectRow(1)
    qtbot.waitUntil(lambda: page.buttons["extension"].isEnabled())
    keys = [f"case_{key}" for key in CASE_ACTIONS]
    assert_named(w, *keys, "backToWindow", "refreshCases", "unlockLookup", "caseDetails", *HEADER)
    save(w, "my-cases", size)
    click(qtbot, page.buttons["extension"])
    qtbot.waitUntil(lambda: w.dialog is not None and w.dialog.isVisible())
    assert_dialog(w, "text", "days2")
    save(w, "extension-dialog", size)
    w.dialog.reject()
    qtbot.waitUntil(lambda: w.dialog is None)
    click(qtbot, page.back_button)

    click(qtbot, w.appointments_button)
    qtbot.waitUntil(lambda: w.appointments_page.table.rowCount() == 16)
    assert_named(w, "appointmentsBack", "refreshAppointments", "appointmentsSummary", *HEADER)
    save(w, "appointments", size)
    click(qtbot, w.appointments_page.back_button)

    click(qtbot, w.main_page.buttons["pause_toggle"])
    qtbot.waitUntil(lambda: w.dialog is not None and w.dialog.isVisible())
    assert_dialog(w, "reason_break", "reason_other", "note")
    save(w, "pause-dialog", size)
    w.dialog.reject()


def test_the_check_fails_on_a_clipped_button(counter_factory, qtbot, demo_hall, hall_api):
    """The check itself: a button pushed past the window's edge, or squeezed, is caught."""
    counter = counter_factory(hall_api()[0], size=SIZES[1])
    w = counter.window
    qtbot.waitUntil(lambda: w.login_page.window_choice.count() == 12)
    sign_in = w.login_page.sign_in_button
    assert_whole(sign_in)
    # A late resize or re-render would let the layouts put the button back: keep them still.
    parent = sign_in.parentWidget()
    while parent is not None:
        if parent.layout() is not None:
            parent.layout().setEnabled(False)
        parent = parent.parentWidget()
    sign_in.move(sign_in.x(), w.height())  # below the bottom edge
    with pytest.raises(AssertionError, match="is cut by"):
        assert_whole(sign_in)
    sign_in.resize(20, sign_in.height())
    sign_in.move(0, 0)
    with pytest.raises(AssertionError, match="is squeezed"):
        assert_whole(sign_in)


def test_appointments_page_fits_with_an_empty_day(counter_factory, qtbot, app, demo_hall):
    counter = counter_factory(BusyDayApi(app), size=SIZES[1])
    w = log_in(counter, qtbot)
    w.show_appointments(
        build_screen({"day": "2026-12-02", "slots": []}, frozenset({"MZ-01"}), "zh")
    )
    assert_named(w, "appointmentsBack", "refreshAppointments", "appointmentsInfo")
