"""The real counter window against a real backend process: 过号 refused by the backend's no-show
guard shows the backend's reason; 解除查询锁定 lifts the kiosk's 办件查询 lock of a number."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QPushButton

from clientlib.api import ApiClient, ApiError

from .test_live import log_in, press, real_counter, shown

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]


def click(qtbot, widget) -> None:
    qtbot.waitUntil(lambda: widget.isVisible() and widget.isEnabled())
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_no_show_too_soon_shows_the_backends_reason(live_server, counter_factory, qtbot):
    kiosk = ApiClient(live_server.url, live_server.hall, live_server.kiosk_token)
    number = kiosk.issue_ticket("MZ-01", request_id="guard-1")["ticket"]["number"]
    counter = real_counter(counter_factory, live_server)
    w = log_in(counter, qtbot, live_server)
    press(qtbot, counter, Qt.Key.Key_F1, lambda: shown(counter) == number)
    click(qtbot, w.main_page.buttons["no_show"])  # at once: neither a recall nor a minute
    qtbot.waitUntil(lambda: w.notice.isVisible() and "还不能过号" in w.notice.text())
    assert "重呼 1 次" in w.notice.text() and w.notice.property("level") == "error"
    qtbot.waitUntil(lambda: not counter.presenter.busy)
    assert shown(counter) == number  # still the current ticket
    click(qtbot, w.main_page.buttons["recall"])
    qtbot.waitUntil(lambda: not counter.presenter.busy and "已重呼" in w.notice.text())
    click(qtbot, w.main_page.buttons["no_show"])
    qtbot.waitUntil(lambda: shown(counter) == "" and "已过号" in w.notice.text())


def lookup(client: ApiClient, number: str, last4: str):
    query = urlencode({"number": number, "phone_last4": last4})
    return client.get(client.hall_path(f"/cases/lookup?{query}"))


def test_the_clerk_lifts_a_locked_number_from_my_cases(live_server, counter_factory, qtbot):
    kiosk = ApiClient(live_server.url, live_server.hall, live_server.kiosk_token)
    number = "QINGSHAN-20261123-0007"  # a number someone guessed at
    for _ in range(5):
        with pytest.raises(ApiError) as refused:
            lookup(kiosk, number, "0000")
    assert refused.value.status == 429 and refused.value.retry_after == 15 * 60

    counter = real_counter(counter_factory, live_server)
    w = log_in(counter, qtbot, live_server)
    click(qtbot, w.cases_button)
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.cases_page)
    click(qtbot, w.cases_page.unlock_button)
    qtbot.waitUntil(lambda: w.dialog is not None and w.dialog.isVisible())
    target = w.dialog.findChild(QComboBox, "lockTarget")
    assert target.count() == 1 and target.itemText(0).startswith(f"受理编号 {number}")
    target.setCurrentIndex(0)
    click(qtbot, w.dialog.findChild(QPushButton, "ok"))
    qtbot.waitUntil(lambda: "已解除" in w.notice.text() and not counter.presenter.busy)
    assert number in w.notice.text()
    with pytest.raises(ApiError) as after:
        lookup(kiosk, number, "0000")
    assert after.value.status == 404  # counting again from zero

    click(qtbot, w.cases_page.unlock_button)  # nothing locked now: the dialog says so
    qtbot.waitUntil(lambda: w.dialog is not None and w.dialog.isVisible())
    assert w.dialog.findChild(QComboBox, "lockTarget").count() == 0
    assert w.dialog.info.text() == "目前没有被锁定的查询  No case lookup is locked now"
    w.dialog.target.setCurrentText("QINGSHAN-20990101-0001")
    click(qtbot, w.dialog.findChild(QPushButton, "ok"))
    qtbot.waitUntil(lambda: "没有被锁定" in w.notice.text() and not counter.presenter.busy)
