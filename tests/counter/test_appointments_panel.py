"""今日预约 at the counter: the panel on fakes (the window's items only, live events debounced,
the timer, signing out), and end to end against a real backend with the real counter window
(offscreen, 1366x768): a booking and a cancellation arrive by push, names masked."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests
from PySide6.QtCore import Qt

from clientlib.plumbing import Jobs
from counter.appointments import AppointmentsPanel, build_screen
from tests.clientlib.fakes import FakeScheduler, ManualRunner

from .test_live import log_in, real_counter

DAY = {
    "day": "2026-12-02",
    "slots": [
        {
            "start": "2026-12-02T09:00:00+08:00",
            "end": "2026-12-02T09:30:00+08:00",
            "item": {"code": "MZ-01", "name": {"zh": "最低生活保障申请", "en": "Dibao"}},
            "capacity": 2,
            "booked": 1,
            "checked_in": 1,
            "no_show": 0,
            "appointments": [
                {"code": "11112222", "name_masked": "王*五", "phone_masked": "138****5678",
                 "state": "booked", "ticket_number": None},
                {"code": "33334444", "name_masked": "李*", "phone_masked": "139****1111",
                 "state": "checked_in", "ticket_number": "A003"},
            ],
        },
        {  # another window's item: not shown
            "start": "2026-12-02T09:00:00+08:00",
            "end": "2026-12-02T09:30:00+08:00",
            "item": {"code": "YB-01", "name": {"zh": "医保", "en": "Medical"}},
            "capacity": 1, "booked": 1, "checked_in": 0, "no_show": 0,
            "appointments": [{"code": "55556666", "name_masked": "赵*", "phone_masked": "137****0000",
                              "state": "booked", "ticket_number": None}],
        },
        {  # no appointments: not shown
            "start": "2026-12-02T10:00:00+08:00",
            "end": "2026-12-02T10:30:00+08:00",
            "item": {"code": "MZ-01", "name": {"zh": "最低生活保障申请", "en": "Dibao"}},
            "capacity": 2, "booked": 0, "checked_in": 0, "no_show": 0, "appointments": [],
        },
    ],
}  # fmt: skip


class Api:
    def __init__(self):
        self.gets: list[str] = []

    def hall_path(self, path: str) -> str:
        return "/api/v1/halls/qingshan" + path

    def get(self, path: str) -> dict:
        self.gets.append(path)
        return DAY


class View:
    def __init__(self):
        self.screens: list = []
        self.label = ""

    def show_appointments(self, screen) -> None:
        self.screens.append(screen)

    def set_appointments_label(self, text: str) -> None:
        self.label = text


def rig():
    view, api, runner, scheduler = View(), Api(), ManualRunner(), FakeScheduler()
    panel = AppointmentsPanel(view, api, Jobs(runner, scheduler), "zh", refresh_seconds=60)
    return panel, view, api, runner, scheduler


def test_the_page_lists_only_the_windows_items_with_appointments():
    screen = build_screen(DAY, frozenset({"MZ-01", "MZ-02"}), "zh")
    assert [(r.slot, r.item, r.booked, r.checked_in) for r in screen.rows] == [
        ("09:00–09:30", "最低生活保障申请", 1, 1)
    ]
    assert screen.rows[0].people == "王*五 138****5678 待签到；李* 139****1111 已签到 A003"
    assert "待签到 1 · 已签到 1 · 未到 0" in screen.summary and screen.info == ""
    empty = build_screen(DAY, frozenset({"GA-01"}), "en")
    assert empty.rows == () and empty.info.startswith("No appointments today")


def test_events_for_the_windows_items_reload_once_and_the_timer_reloads():
    panel, view, api, runner, scheduler = rig()
    panel.start(["MZ-01"])
    runner.settle()
    assert api.gets == ["/api/v1/halls/qingshan/appointments/today"]
    assert view.label == "今日预约 (1) Appointments (1)"
    assert view.screens == []  # nothing drawn until the page is opened
    panel.open()
    runner.settle()
    assert view.screens[-1].rows[0].codes == ("11112222", "33334444")

    for _ in range(3):  # a burst of events: one reload
        panel.on_event({"type": "appointment.booked", "data": {"item": "MZ-01"}})
    panel.on_event({"type": "appointment.booked", "data": {"item": "YB-01"}})  # not ours
    panel.on_event({"type": "ticket.issued", "data": {"item": "MZ-01"}})
    scheduler.advance(1.5, runner)
    runner.settle()
    assert len(api.gets) == 3  # start, open, one debounced reload
    scheduler.advance(60, runner)
    runner.settle()
    assert len(api.gets) == 4  # the timer

    panel.stop()  # signed out: the page goes, timers stop, events are ignored
    assert view.screens[-1] is None
    panel.on_event({"type": "appointment.booked", "data": {"item": "MZ-01"}})
    scheduler.advance(120, runner)
    runner.settle()
    assert len(api.gets) == 4


# -- end to end ---------------------------------------------------------------------------------
def today_slot(server, item: str = "MZ-01") -> str:
    base = f"{server.url}/api/v1/halls/{server.hall}/appointments"
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    slots = requests.get(f"{base}/slots?item={item}&day={today}", timeout=10).json()["slots"]
    free = [s["start"] for s in slots if s["bookable"] and s["left"] > 0]
    if not free:  # late in the day, or a holiday: the counter only shows today
        tomorrow = today + timedelta(days=1)
        pytest.skip(f"no bookable slot left today ({today}); the next is {tomorrow}")
    return free[0]


def table_text(counter) -> list[list[str]]:
    table = counter.window.appointments_page.table
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


@pytest.mark.slow
def test_the_counter_shows_todays_appointments_live(live_server, counter_factory, qtbot):
    start = today_slot(live_server)
    counter = real_counter(counter_factory, live_server)
    w = log_in(counter, qtbot, live_server)  # window 3: 民政, serves MZ-01
    assert counter.presenter.appointments.items >= {"MZ-01"}
    qtbot.mouseClick(w.appointments_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.appointments_page, timeout=10_000)
    panel = counter.presenter.appointments
    qtbot.waitUntil(lambda: panel.loads >= 1, timeout=10_000)
    assert w.appointments_page.info.text().startswith("今日本窗口事项暂无预约")

    url = f"{live_server.url}/api/v1/halls/{live_server.hall}/appointments"
    body = {"request_id": uuid.uuid4().hex, "item_code": "MZ-01", "slot_start": start,
            "name": "王小五", "phone": "13812345678"}  # fmt: skip
    answer = requests.post(url, json=body, timeout=10)
    assert answer.status_code == 201, answer.text
    token = answer.json()["manage_token"]
    loads = panel.loads
    # pushed (appointment.booked); the panel's own timer is a minute away
    qtbot.waitUntil(lambda: panel.loads > loads and w.appointments_page.table.rowCount() == 1)
    row = table_text(counter)[0]
    assert row[0].startswith(start[11:16] + "–") and row[1] == "最低生活保障申请"
    assert row[3] == "1" and "王*五 138****5678 待签到" in row[6]
    assert "王小五" not in " ".join(row) and "13812345678" not in " ".join(row)
    assert w.appointments_button.text().startswith("今日预约 (1)")
    w.grab().save(str(_artifacts() / "counter-appointments-1366.png"))
    assert w.width() <= 1366 and w.height() <= 768

    cancel = f"{live_server.url}/api/v1/appointments/{token}/cancel"
    assert requests.post(cancel, json={"request_id": uuid.uuid4().hex}, timeout=10).ok
    qtbot.waitUntil(lambda: "已取消" in table_text(counter)[0][6], timeout=10_000)
    assert table_text(counter)[0][3] == "0"

    # Back to the window with the same button; My cases from here closes the list.
    qtbot.mouseClick(w.appointments_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.main_page)
    assert not panel.is_open


def _artifacts():
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "artifacts" / "counter"
    path.mkdir(parents=True, exist_ok=True)
    return path
