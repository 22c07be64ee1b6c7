"""The kiosk presenter on the real app (the demo hall, in this process, on its FakeClock) with
fakes only for the view, the printer, the runner, the scheduler and the network's failures."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from clientlib.printing import Condition
from kiosk.presenter import Presenter
from kiosk.screens import (
    AppointmentScreen,
    ConfirmationScreen,
    GreenScreen,
    GuideScreen,
    HomeScreen,
    ItemListScreen,
    OfflineScreen,
    OutOfServiceScreen,
    SearchScreen,
)
from tests.clientlib.fakes import FakeScheduler, ManualRunner

from .fakes import PAPER_OUT, FakePrinterService, make_config, paper_out_result
from .hall import book, reload_demo_hall


class FakeView:
    def __init__(self):
        self.screens: list = []
        self.chrome = None
        self.countdown = ""
        self.countdowns: list[str] = []

    def set_countdown(self, text: str) -> None:
        self.countdown = text
        self.countdowns.append(text)

    def set_chrome(self, chrome) -> None:
        self.chrome = chrome

    def show_screen(self, screen) -> None:
        self.screens.append(screen)

    @property
    def screen(self):
        return self.screens[-1]


class Rig:
    """A presenter and what drives it. `api`: an ApiClient on the real app; `demo`: the hall
    behind it; `net`: the network under it (fails on demand, records what was sent)."""

    def __init__(
        self, api, printer=None, speaker=None, config=None, net=None, demo=None, **overrides
    ):
        self.view = FakeView()
        self.api, self.net, self.demo = api, net, demo
        self.printer = printer or FakePrinterService()
        self.clock = FakeScheduler()
        self.runner = ManualRunner()
        self.config = config or make_config(**overrides)
        self.speaker = speaker
        self.p = Presenter(
            self.view,
            self.api,
            self.printer,
            self.clock,
            self.config,
            self.runner,
            speaker=speaker,
        )

    def settle(self):
        self.runner.settle()
        return self.view.screen

    def advance(self, seconds: float):
        self.clock.advance(seconds, self.runner)
        return self.view.screen

    def start(self):
        self.p.start()
        return self.settle()

    def to_guide(self, code="MZ-01"):
        self.p.open_item(code)
        return self.settle()

    def take(self):
        self.p.take_ticket()
        return self.settle()


@pytest.fixture
def rig(make_rig):
    return make_rig()


def sent(rig, action: str) -> list[dict]:
    """The bodies of the POSTs ending in `action` the kiosk sent, with their request ids."""
    return [(s.body or {}) | {"request_id": s.request_id} for s in rig.net.posts(action)]


def titles(tiles) -> list[str]:
    return [t.title for t in tiles]


def test_start_shows_departments_and_reports_in(rig):
    screen = rig.view.screen
    assert isinstance(screen, HomeScreen) and rig.p.state == "ready"
    assert len(screen.departments) == 11 and screen.actions
    assert screen.departments[0].title == "民政办" and screen.departments[0].subtitle == "5 项服务"
    assert "0731-84561234" in screen.footer
    assert rig.view.chrome.hall_name == "青山镇便民服务中心" and not rig.view.chrome.can_go_home
    assert rig.net.posts("status")[-1].path.endswith("/devices/kiosk-1/status")
    assert rig.demo.printer()["condition"] == "ready"  # as the server stored it


def test_starting_screen_before_the_catalog_arrives(make_rig):
    r = make_rig(start=False)
    r.p.start()
    assert isinstance(r.view.screen, OfflineScreen) and r.view.screen.connecting


def test_browse_department_then_item_guide(rig):
    rig.p.open_department("MZ")
    screen = rig.settle()
    assert isinstance(screen, ItemListScreen) and screen.title == "民政办"
    assert titles(screen.items)[0] == "最低生活保障申请"
    assert screen.items[0].subtitle == "需 20 个工作日办结 · 无人等候 · 现在可办"
    for _ in range(3):
        rig.demo.add_ticket("MZ-01")
    rig.p.open_item("MZ-01")
    assert rig.view.screen.waiting == "正在查询等候人数…"  # drawn at once from the catalog
    guide = rig.settle()
    assert isinstance(guide, GuideScreen) and guide.title == "最低生活保障申请"
    assert guide.waiting == "当前等候 3 人，预计等待约 1 小时"  # the server's estimate
    sections = {s.title: s.lines for s in guide.sections}
    assert "户口簿" in sections["申请材料"]
    assert any("最低生活保障标准" in c for c in sections["办理条件"])
    assert sections["收费标准"] == ("不收费",)
    assert sections["多久办好"] == ("材料齐全后 20 个工作日内办结",)
    assert sections["办理流程"][0] == "申请受理" and sections["监督电话"] == ("0731-84561234",)
    assert "3号窗口 民政" in sections["办理窗口"]
    assert guide.take_label == "取号" and rig.view.chrome.can_go_back
    rig.p.back()
    assert isinstance(rig.view.screen, ItemListScreen)
    rig.p.back()
    assert isinstance(rig.view.screen, HomeScreen)


def test_immediate_item_says_so(rig):
    guide = rig.to_guide("RS-01")
    assert guide.kind_label == "当场办结"
    assert dict((s.title, s.lines) for s in guide.sections)["多久办好"] == ("材料齐全，当场办结",)


@pytest.mark.parametrize("query", ["dbsq", "zdsh", "DBSQ", "最低", "低保", "生活保障"])
def test_search_finds_dibao(rig, query):
    rig.p.search(query)
    screen = rig.settle()
    assert isinstance(screen, SearchScreen)
    assert screen.results and screen.results[0].key == "MZ-01", titles(screen.results)


def test_search_by_keypad_letters_narrows_and_greys_out_dead_keys(rig):
    rig.p.open_search()
    assert rig.view.screen.status.startswith("请输入")
    for letter in "dbsq":
        rig.p.type_letter(letter)
    screen = rig.view.screen
    assert screen.query == "dbsq" and "MZ-01" in [t.key for t in screen.results]
    assert screen.status.startswith("找到")
    rig.p.erase_letter()
    assert rig.view.screen.query == "dbs"
    rig.p.clear_search()
    assert rig.view.screen.query == "" and not rig.view.screen.results
    rig.p.type_letter("x")
    enabled = rig.view.screen.enabled_letters
    assert enabled and len(enabled) < 26  # only letters that still find something
    assert all(rig.p.catalog.search("x" + c) for c in enabled)
    rig.p.search("qqqq")
    assert rig.view.screen.results == () and "没有找到" in rig.view.screen.status


def test_receipt_link_uses_the_halls_public_url_when_the_kiosk_has_none(make_rig, demo_hall):
    demo_hall.configure(public_url="https://banshi.example.gov.cn")
    config = make_config().model_copy(update={"public_url": ""})  # as when the file has none
    rig = make_rig(config=config)
    rig.to_guide()
    url = rig.take().qr_url
    assert url.startswith("https://banshi.example.gov.cn/t/")
    assert public_status(rig, url)["number"] == "A001"


def public_status(rig, url: str) -> dict:
    """The resident's status page behind a receipt's link (GET /api/v1/status/<token>)."""
    r = rig.demo.client.get(f"/api/v1/status/{url.rsplit('/', 1)[-1]}")
    assert r.status_code == 200, r.json
    return r.json


def test_chinese_substring_search(rig):
    rig.p.search("救助")
    codes = [t.key for t in rig.settle().results]
    assert {"MZ-02", "MZ-03"} <= set(codes)


def test_take_ticket_shows_confirmation_prints_and_returns_home(rig):
    rig.demo.add_ticket("MZ-01")
    rig.demo.add_ticket("MZ-01")
    rig.to_guide()
    screen = rig.take()
    assert isinstance(screen, ConfirmationScreen)
    assert screen.number == "A003" and screen.item_name == "最低生活保障申请"
    assert screen.people_ahead == "前面还有 2 人" and screen.wait == "预计等待约 40 分钟"
    assert "3号窗口 民政" in screen.windows and "1号窗口" in screen.windows
    assert screen.qr_url.startswith("https://q.example.cn/t/")
    assert public_status(rig, screen.qr_url)["number"] == "A003"
    assert screen.print_state == "printed" and screen.print_message.startswith("号票已打印")
    assert not screen.can_reprint and not screen.save_hint
    call = sent(rig, "tickets")[0]
    assert call["item_code"] == "MZ-01" and call["priority"] == "normal"
    receipt = rig.printer.tickets[0]
    assert receipt.number == "A003" and receipt.hall_name == "青山镇便民服务中心"
    assert receipt.people_ahead == 2 and receipt.status_url == screen.qr_url
    assert receipt.issued_at.hour == 9 and receipt.issued_at.tzinfo is None  # 01:00 UTC, local
    assert "3号窗口 民政" in receipt.windows and receipt.priority_label is None
    assert "个人信息" in receipt.privacy_line
    assert isinstance(rig.advance(7.9), ConfirmationScreen)
    assert isinstance(rig.advance(0.2), HomeScreen)


def test_double_tap_issues_one_ticket_with_one_request_id(rig):
    rig.to_guide()
    rig.p.take_ticket()
    assert rig.view.screen.busy and rig.view.screen.take_label == "正在取号，请稍候…"
    rig.p.take_ticket()
    rig.p.take_ticket()
    rig.settle()
    assert len(sent(rig, "tickets")) == 1 and rig.demo.tickets_issued() == 1
    assert isinstance(rig.view.screen, ConfirmationScreen)


def test_a_retry_after_a_lost_connection_reuses_the_request_id(rig):
    rig.to_guide()
    rig.net.down = True
    screen = rig.take()
    assert isinstance(screen, OfflineScreen) and rig.p.state == "offline"
    rig.net.down = False
    screen = rig.advance(5)
    assert isinstance(screen, GuideScreen) and screen.code == "MZ-01"  # back where they were
    rig.take()
    first, retry = sent(rig, "tickets")
    assert first["request_id"] == retry["request_id"]
    assert rig.demo.tickets_issued() == 1
    rig.p.go_home()
    rig.to_guide()
    rig.take()
    assert sent(rig, "tickets")[-1]["request_id"] != first["request_id"]  # a new intent
    assert rig.demo.tickets_issued() == 2


def test_an_answer_lost_after_the_server_issued_gives_the_same_number_on_retry(rig):
    rig.to_guide()
    rig.net.lose_answers = 1
    assert isinstance(rig.take(), OfflineScreen)
    assert rig.demo.tickets_issued() == 1  # the server acted; the kiosk never heard
    rig.advance(5)
    screen = rig.take()
    assert isinstance(screen, ConfirmationScreen) and screen.number == "A001"
    assert rig.demo.tickets_issued() == 1  # the retry replays, it takes no second number


def test_backend_down_then_back(rig):
    rig.net.down = True
    screen = rig.advance(30)  # the heartbeat notices
    assert rig.p.state == "offline" and isinstance(screen, OfflineScreen)
    assert screen.title == "暂停取号"
    assert screen.message == "系统连接中断，请稍候或到服务台咨询"
    assert "0731-84561234" in screen.phone and not rig.view.chrome.can_go_home
    assert isinstance(rig.advance(10), OfflineScreen)  # keeps retrying, never invents numbers
    rig.p.take_ticket()
    assert sent(rig, "tickets") == [] and rig.demo.tickets_issued() == 0
    rig.net.down = False
    before = len(rig.net.posts("status"))
    screen = rig.advance(5)
    assert rig.p.state == "ready" and isinstance(screen, HomeScreen)
    assert len(rig.net.posts("status")) > before  # a heartbeat right after reconnecting


def test_backend_down_at_start(make_rig):
    r = make_rig(start=False)
    r.net.down = True
    screen = r.start()
    assert r.p.state == "offline" and screen.title == "暂停取号" and not screen.connecting
    r.net.down = False
    assert isinstance(r.advance(5), HomeScreen)


def test_idle_returns_home_and_resets_language(make_rig):
    r = make_rig(idle_seconds=20, guide_idle_seconds=20)
    r.p.choose_language("en")
    r.to_guide()
    assert isinstance(r.advance(19), GuideScreen)
    r.p.user_activity()
    assert isinstance(r.advance(19), GuideScreen)
    screen = r.advance(1.5)
    assert isinstance(screen, HomeScreen) and r.p.language == "zh"
    assert screen.title == "请选择办理部门" and r.p.nav == [("home",)]


def test_hall_closed_is_shown_with_its_message(rig, clock):
    rig.to_guide()
    reload_demo_hall(rig.demo, queue={"enforce_opening_hours": True})
    clock.now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # Monday 20:00 in the hall
    screen = rig.take()
    assert isinstance(screen, GuideScreen) and not screen.busy
    assert screen.notice == "大厅已停止取号，下次开放 11-24 08:30"
    assert rig.p.state == "ready" and rig.demo.tickets_issued() == 0
    rig.p.choose_language("en")
    assert rig.view.screen.notice == "the hall is closed; it opens 11-24 08:30"


def test_a_refused_ticket_request_puts_the_kiosk_out_of_service(rig):
    rig.to_guide()
    rig.api.token = "not-a-device-token"  # the server answers 401
    screen = rig.take()
    assert isinstance(screen, OutOfServiceScreen) and rig.p.state == "out_of_service"
    assert (screen.title, screen.message) == ("暂停服务", "请到服务台咨询")
    assert (screen.title_other, screen.message_other) == (
        "Out of service",
        "Please ask at the help desk",
    )


@pytest.mark.parametrize(
    "token",
    ["not-a-device-token", "kiosk-2"],  # 401; 403: another device's token (not_this_device)
)
def test_a_refused_heartbeat_is_out_of_service_until_one_is_accepted(rig, token):
    rig.to_guide()
    own = rig.api.token
    rig.api.token = rig.demo.devices.get(token, token)
    assert isinstance(rig.advance(30), OutOfServiceScreen)  # one heartbeat
    assert rig.p.state == "out_of_service" and rig.p.top == ("home",)
    rig.p.check_connection()  # the public catalog still loads: not enough
    assert isinstance(rig.settle(), OutOfServiceScreen)
    assert isinstance(rig.advance(5), OutOfServiceScreen)  # asked again, still refused
    rig.api.token = own  # the device was re-activated (or its token re-issued)
    assert isinstance(rig.advance(5), HomeScreen) and rig.p.state == "ready"


def test_printer_fault_keeps_the_number_offers_reprint_and_reports(make_rig):
    r = make_rig(printer=FakePrinterService(paper_out_result(), status=PAPER_OUT))
    r.to_guide()
    screen = r.take()
    assert screen.number == "A001" and public_status(r, screen.qr_url)["number"] == "A001"
    assert screen.print_state == "fault" and screen.can_reprint
    assert screen.print_message == "号票未能打印：打印机缺纸"
    assert screen.save_hint == "请拍照或扫码保存号码"
    report = r.demo.printer()
    assert report["condition"] == "paper_out" and "缺纸" in report["message"]
    assert isinstance(r.advance(20), ConfirmationScreen)  # stays past confirm_seconds
    r.printer.status_value = r.printer.default.after  # paper loaded
    screen = r.advance(5)
    assert screen.printer_recovered and "打印机已恢复" in screen.print_message
    assert r.demo.printer()["condition"] == "ready"
    r.p.reprint()
    screen = r.settle()
    assert screen.print_state == "printed" and not screen.can_reprint
    assert [t.number for t in r.printer.tickets] == ["A001", "A001"]
    assert len(sent(r, "tickets")) == 1 and r.demo.tickets_issued() == 1  # no second number


def test_fault_confirmation_leaves_on_idle(make_rig):
    r = make_rig(printer=FakePrinterService(paper_out_result(), status=PAPER_OUT), idle_seconds=30)
    r.to_guide()
    r.take()
    assert isinstance(r.advance(29), ConfirmationScreen)
    assert isinstance(r.advance(2), HomeScreen)


def test_heartbeat_carries_the_last_printer_condition(rig):
    rig.p.printing.note(Condition.PAPER_NEAR_END, "打印纸即将用完")
    before = len(rig.net.posts("status"))
    rig.advance(30)
    assert len(rig.net.posts("status")) > before
    assert rig.demo.printer() == {
        "condition": "paper_near_end",
        "message": "打印纸即将用完",
    }


def test_print_guide(rig):
    rig.to_guide()
    rig.p.print_guide()
    assert rig.view.screen.printing
    screen = rig.settle()
    assert screen.print_message.startswith("办事指南已打印")
    guide = rig.printer.guides[0]
    assert guide.item_name == "最低生活保障申请" and guide.promised_days == 20
    assert "户口簿" in guide.materials and guide.supervision_phone == "0731-84561234"


def test_green_channel(rig):
    rig.p.open_green_channel()
    screen = rig.settle()
    assert isinstance(screen, GreenScreen)
    assert titles(screen.reasons) == ["70岁以上老人", "残疾人", "孕妇", "军人"]
    rig.p.choose_green_reason("elderly")
    screen = rig.view.screen
    assert isinstance(screen, HomeScreen) and not screen.actions
    assert screen.banner.startswith("绿色通道 · 70岁以上老人")
    rig.p.open_department("RS")
    rig.to_guide("RS-02")
    assert rig.view.screen.take_label == "绿色通道取号"
    screen = rig.take()
    assert sent(rig, "tickets")[0]["priority"] == "green"
    assert sent(rig, "tickets")[0]["priority_reason"] == "elderly"
    view = rig.demo.get(f"/tickets/{screen.number}", rig.demo.staff("clerk1")).json
    assert view["legs"][-1]["priority"] == "green"
    assert screen.priority_label == "绿色通道 · 70岁以上老人"
    assert rig.printer.tickets[0].priority_label == "绿色通道 · 70岁以上老人"


MONDAY_8 = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)  # 08:00 in the hall
SLOT = "2026-11-23T09:30:00+08:00"  # the 09:30–10:00 slot
IN_TIME = datetime(2026, 11, 23, 1, 20, tzinfo=UTC)  # 09:20: from 15 min before the slot


def booked(rig, clock, item="MZ-01", phone="13812341234", arrive=IN_TIME) -> str:
    """A resident booked `item` for 09:30–10:00 at 08:00 and comes in at `arrive`; the code."""
    clock.now = MONDAY_8
    code = book(rig.demo, item, SLOT, phone)
    clock.now = arrive
    return code


def test_appointment_check_in_with_the_code(rig, clock):
    code = booked(rig, clock, item="YB-02")
    rig.p.open_appointment()
    screen = rig.view.screen
    assert isinstance(screen, AppointmentScreen) and not screen.can_submit
    assert screen.code == "" and screen.length == 8 and screen.submit_label == "确认签到"
    for d in code[:3]:
        rig.p.appointment_digit(d)
    rig.p.submit_appointment()
    assert rig.view.screen.notice == "预约码是 8 位数字" and not rig.net.posts("check-in")
    for d in code[3:] + "x9":  # x is no digit; the ninth digit does not fit
        rig.p.appointment_digit(d)
    assert rig.view.screen.code == code and rig.view.screen.can_submit
    rig.p.submit_appointment()
    assert rig.view.screen.busy and rig.view.screen.submit_label == "正在签到，请稍候…"
    screen = rig.settle()
    assert isinstance(screen, ConfirmationScreen) and screen.number == "C001"
    call = sent(rig, "check-in")[0]
    assert call["code"] == code and call["request_id"] and "item_code" not in call
    assert "priority_reason" not in call  # no code as a free-text reason
    view = rig.demo.get(f"/tickets/{screen.number}", rig.demo.staff("clerk1")).json
    assert view["legs"][-1]["priority"] == "appointment"
    assert screen.priority_label == "预约 · 09:30–10:00" and screen.appointment_note == ""
    assert rig.printer.tickets[0].priority_label == "预约 09:30–10:00"
    assert rig.printer.tickets[0].item_name == "异地就医备案"


def test_appointment_outside_its_slot_explains_the_normal_ticket(rig, clock):
    code = booked(rig, clock, arrive=datetime(2026, 11, 23, 1, 0, tzinfo=UTC))  # 09:00: early
    rig.p.open_appointment()
    for d in code:
        rig.p.appointment_digit(d)
    rig.p.submit_appointment()
    screen = rig.settle()
    assert isinstance(screen, ConfirmationScreen) and screen.priority_label == ""
    assert screen.appointment_note == (
        "您来早了，还没到预约时段的签到时间，已为您取普通号（您预约的时段 09:30–10:00）"
    )
    assert rig.printer.tickets[0].priority_label == "预约时段 09:30–10:00 · 普通号"
    rig.p.choose_language("en")
    assert rig.view.screen.appointment_note == (
        "You are early for your booked time, so you have a normal ticket "
        "(your booked time 09:30–10:00)"
    )
    rig.p.choose_language("ug")  # the kiosk's own words, not the server's zh/en pair
    assert rig.view.screen.appointment_note.startswith("سىز بالدۇر كەلدىڭىز")


@pytest.mark.parametrize(
    ("checked_in", "notice"),
    [
        (None, "没有找到您今天的预约，请核对预约码，或到服务台咨询"),
        (True, "这个预约已经签到过了，请留意叫号；号票丢失请到服务台"),
    ],
)
def test_appointment_refusals_are_plain_words_and_a_retry_keeps_the_request_id(
    rig, clock, checked_in, notice
):
    code = "12345678"
    if checked_in:
        code = booked(rig, clock)
        r = rig.demo.post("/appointments/check-in", {"code": code}, rig.demo.device("kiosk-2"))
        assert r.status_code == 201, r.json  # at the other kiosk
    rig.p.open_appointment()
    for d in code:
        rig.p.appointment_digit(d)
    rig.p.submit_appointment()
    screen = rig.settle()
    assert isinstance(screen, AppointmentScreen) and screen.notice == notice
    assert screen.code == code and not screen.busy
    rig.p.submit_appointment()
    rig.settle()
    first, again = sent(rig, "check-in")
    assert first["request_id"] == again["request_id"]


def test_appointment_check_in_with_the_phone_digits_and_the_item(rig, clock):
    booked(rig, clock, item="YB-02", phone="13800005821")
    rig.p.open_appointment()
    rig.p.switch_appointment_way()
    screen = rig.view.screen
    assert screen.length == 4 and screen.submit_label == "下一步：选择事项"
    assert screen.switch_label == "用预约码签到"
    for d in "5821":
        rig.p.appointment_digit(d)
    rig.p.submit_appointment()
    assert "手机尾号 5821" in rig.view.screen.banner
    rig.p.search("ydjy")
    rig.to_guide("MZ-01")  # not the booked item
    guide = rig.take()
    assert guide.notice == "没有找到您今天的预约，请核对预约码，或到服务台咨询"
    rig.p.back()
    rig.p.back()
    guide = rig.to_guide("YB-02")
    assert guide.take_label == "预约签到取号"
    screen = rig.take()
    assert isinstance(screen, ConfirmationScreen) and screen.priority_label == "预约 · 09:30–10:00"
    call = sent(rig, "check-in")[-1]
    assert (call["phone_last4"], call["item_code"], call.get("code")) == ("5821", "YB-02", None)
    assert "priority_reason" not in call
    assert rig.demo.tickets_issued() == 1  # the refused item took no number


def test_appointment_check_in_offline_goes_offline_and_comes_back(rig, clock):
    code = booked(rig, clock)
    rig.p.open_appointment()
    for d in code:
        rig.p.appointment_digit(d)
    rig.net.down = True
    rig.p.submit_appointment()
    assert isinstance(rig.settle(), OfflineScreen)
    rig.net.down = False
    screen = rig.advance(5)
    assert isinstance(screen, AppointmentScreen) and screen.code == code
    assert not screen.busy and screen.can_submit


def test_english(rig):
    rig.p.choose_language("en")
    screen = rig.view.screen
    assert screen.title == "Choose a department"
    assert screen.departments[0].title == "Civil Affairs Office"
    guide = rig.to_guide()
    assert (
        guide.title.startswith("Minimum living allowance") and guide.take_label == "Take a ticket"
    )
    assert rig.view.chrome.hall_name == "Qingshan Town Citizen Service Centre"
    screen = rig.take()
    assert screen.people_ahead == "No one ahead: watch for your number"
    assert sent(rig, "tickets")[0]["language"] == "en"


def test_stop_ignores_late_answers(rig):
    rig.to_guide()
    rig.p.take_ticket()
    rig.p.stop()
    count = len(rig.view.screens)
    rig.settle()
    assert len(rig.view.screens) == count
