"""上报县级 from the counter, against a real backend process on the test county: the real
counter window (offscreen) of a town clerk refers an open case from My cases to the county,
with the reason and a county department; the list then shows it as 已移交 with no action left;
the county's inbox has it; the county's acceptance reaches the counter over the live channel."""

from __future__ import annotations

import uuid

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton

from clientlib.api import ApiClient
from tests.network_server import NetworkServer

from .test_live import real_counter

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]

APPLICANT = {"name": "张小三", "phone": "13812341234", "id_number": "320102198503151230"}
WINDOW = 2


@pytest.fixture
def county_server(tmp_path):
    with NetworkServer(tmp_path) as server:
        yield server


def click(qtbot, widget) -> None:
    qtbot.waitUntil(lambda: widget.isVisible() and widget.isEnabled())
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def accepted_case(server) -> str:
    """A case accepted at the town's window 2 by clerk1 through the API (then signed out)."""
    kiosk = ApiClient(server.url, "town", server.device_token("kiosk-1"))
    clerk = ApiClient(server.url, "town")
    clerk.login("clerk1", server.password("clerk1"))
    number = kiosk.issue_ticket("MZ-01", uuid.uuid4().hex)["ticket"]["number"]
    clerk.window_action(WINDOW, "sign-in")
    assert clerk.window_action(WINDOW, "call-next")["ticket"]["number"] == number
    clerk.window_action(WINDOW, "start")
    body = {"applicant": APPLICANT, "materials_received": ["居民身份证"]}
    case = clerk.post(clerk.hall_path(f"/windows/{WINDOW}/accept"), body)["case"]
    clerk.window_action(WINDOW, "finish")
    clerk.window_action(WINDOW, "sign-out")
    return case["number"]


def log_in(counter, qtbot, server):
    w, page = counter.window, counter.window.login_page
    qtbot.waitUntil(lambda: page.window_choice.findData(WINDOW) >= 0, timeout=10_000)
    page.username.clear()
    qtbot.keyClicks(page.username, "clerk1")
    qtbot.keyClicks(page.password, server.password("clerk1"))
    page.window_choice.setCurrentIndex(page.window_choice.findData(WINDOW))
    qtbot.mouseClick(page.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.main_page, timeout=10_000)
    qtbot.waitUntil(lambda: counter.presenter.live_ok is True, timeout=10_000)
    return w


def test_refer_to_the_county_from_my_cases(county_server, counter_factory, qtbot):
    server = county_server
    number = accepted_case(server)
    counter = real_counter(counter_factory, server, hall="town")
    w = log_in(counter, qtbot, server)

    click(qtbot, w.cases_button)
    page = w.cases_page
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=10_000)
    assert page.table.item(0, 1).text() == number and page.table.item(0, 3).text() == "办理中"
    refer = page.buttons["refer"]
    assert refer.text() == "上报县级 Refer to county" and not refer.isEnabled()
    page.table.selectRow(0)
    click(qtbot, refer)
    qtbot.waitUntil(lambda: w.dialog is not None and w.dialog.isVisible())
    dialog = w.dialog
    target = dialog.findChild(QLabel, "referTarget").text()
    assert target == "上报至：测试县政务服务中心  To: county (county)"
    unit = dialog.findChild(QComboBox, "unit")
    units = [unit.itemData(i) for i in range(unit.count())]
    assert units[0] == "" and "GA" in units  # the county's departments, none by default
    ok = dialog.findChild(QPushButton, "ok")
    assert not ok.isEnabled()  # the reason is required
    unit.setCurrentIndex(unit.findData("GA"))
    dialog.findChild(QLineEdit, "text").insert("户口迁移须县公安户籍审批")
    click(qtbot, ok)
    qtbot.waitUntil(lambda: w.dialog is None and not counter.presenter.busy, timeout=10_000)
    assert w.notice.text().startswith(f"{number} 已上报")

    # My cases: the case is listed as 已移交, with no action left on it.
    qtbot.waitUntil(
        lambda: page.table.rowCount() == 1 and page.table.item(0, 3).text() == "已移交",
        timeout=10_000,
    )
    assert page.table.item(0, 4).text() == "—"  # the town's deadline no longer applies
    page.table.selectRow(0)
    qtbot.waitUntil(lambda: "已移交" in page.details.text())
    assert not any(b.isEnabled() for b in page.buttons.values())

    # The county's inbox has it with the reason and the department.
    county = ApiClient(server.url, "county")
    county.login("clerk2", server.password("clerk2"))
    (waiting,) = county.get(county.hall_path("/referrals?box=in&state=sent"))["referrals"]
    assert (waiting["case"], waiting["to_unit"]) == (number, "GA")
    assert waiting["reason"] == "户口迁移须县公安户籍审批" and waiting["direction"] == "up"

    # The county accepts it: referral.accepted reaches the town's counter, which reloads.
    desk, loads = counter.presenter.desk, []
    loaded = desk._cases_loaded
    desk._cases_loaded = lambda data: (loads.append(data), loaded(data))[-1]
    county.post(county.hall_path(f"/referrals/{waiting['id']}/accept"), {"item": "GA-01"})
    qtbot.waitUntil(lambda: bool(loads), timeout=10_000)
    assert [c["number"] for c in loads[-1]["referred"]] == [number]
    assert page.table.item(0, 1).text() == number and page.table.item(0, 3).text() == "已移交"
