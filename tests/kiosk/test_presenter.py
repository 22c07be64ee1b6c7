"""The kiosk presenter with a fake view, backend, printer, runner and clock: no widgets."""

from __future__ import annotations

from dataclasses import replace

import pytest

from clientlib.api import ApiError
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

from .fakes import (
    PAPER_OUT,
    FakeApi,
    FakePrinterService,
    make_config,
    paper_out_result,
)


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
    def __init__(self, printer=None, speaker=None, api=None, **config):
        self.view = FakeView()
        self.api = api or FakeApi()
        self.printer = printer or FakePrinterService()
        self.clock = FakeScheduler()
        self.runner = ManualRunner()
        self.config = make_config(**config)
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
def rig():
    r = Rig()
    r.start()
    return r


def titles(tiles) -> list[str]:
    return [t.title for t in tiles]


def test_start_shows_departments_and_reports_in(rig):
    screen = rig.view.screen
    assert isinstance(screen, HomeScreen) and rig.p.state == "ready"
    assert len(screen.departments) == 11 and screen.actions
    assert screen.departments[0].title == "民政办" and screen.departments[0].subtitle == "5 项服务"
    assert "0731-84561234" in screen.footer
    assert rig.view.chrome.hall_name == "青山镇便民服务中心" and not rig.view.chrome.can_go_home
    assert rig.api.reports[-1]["device"] == "kiosk-1"
    assert rig.api.reports[-1]["printer"]["condition"] == "ready"


def test_starting_screen_before_the_catalog_arrives():
    r = Rig()
    r.p.start()
    assert isinstance(r.view.screen, OfflineScreen) and r.view.screen.connecting


def test_browse_department_then_item_guide(rig):
    rig.p.open_department("MZ")
    screen = rig.settle()
    assert isinstance(screen, ItemListScreen) and screen.title == "民政办"
    assert titles(screen.items)[0] == "最低生活保障申请"
    assert screen.items[0].subtitle == "需 20 个工作日办结 · 无人等候 · 现在可办"
    rig.api.waiting["MZ-01"] = 3
    rig.p.open_item("MZ-01")
    assert rig.view.screen.waiting == "正在查询等候人数…"  # drawn at once from the catalog
    guide = rig.settle()
    assert isinstance(guide, GuideScreen) and guide.title == "最低生活保障申请"
    assert guide.waiting == "当前等候 3 人，预计等待约 24 分钟"
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


def test_receipt_link_uses_the_halls_public_url_when_the_kiosk_has_none():
    api = FakeApi()
    api.catalog_data["hall"]["public_url"] = "https://banshi.example.gov.cn"
    rig = Rig(api=api)
    rig.config = rig.p.config = replace(rig.config, public_url="")  # as when the file has none
    rig.start()
    rig.to_guide()
    assert rig.take().qr_url == "https://banshi.example.gov.cn/t/tokA001"


def test_chinese_substring_search(rig):
    rig.p.search("救助")
    codes = [t.key for t in rig.settle().results]
    assert {"MZ-02", "MZ-03"} <= set(codes)


def test_take_ticket_shows_confirmation_prints_and_returns_home(rig):
    rig.api.waiting["MZ-01"] = 2
    rig.to_guide()
    screen = rig.take()
    assert isinstance(screen, ConfirmationScreen)
    assert screen.number == "A001" and screen.item_name == "最低生活保障申请"
    assert screen.people_ahead == "前面还有 2 人" and screen.wait == "预计等待约 16 分钟"
    assert "3号窗口 民政" in screen.windows and "1号窗口" in screen.windows
    assert screen.qr_url == "https://q.example.cn/t/tokA001"
    assert screen.print_state == "printed" and screen.print_message.startswith("号票已打印")
    assert not screen.can_reprint and not screen.save_hint
    call = rig.api.issue_calls[0]
    assert call["item_code"] == "MZ-01" and call["priority"] == "normal"
    receipt = rig.printer.tickets[0]
    assert receipt.number == "A001" and receipt.hall_name == "青山镇便民服务中心"
    assert receipt.people_ahead == 2 and receipt.status_url == screen.qr_url
    assert receipt.issued_at.hour == 9 and receipt.issued_at.tzinfo is None  # 01:30 UTC, local
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
    assert len(rig.api.issue_calls) == 1
    assert isinstance(rig.view.screen, ConfirmationScreen)


def test_a_retry_after_a_lost_connection_reuses_the_request_id(rig):
    rig.to_guide()
    rig.api.down = True
    screen = rig.take()
    assert isinstance(screen, OfflineScreen) and rig.p.state == "offline"
    rig.api.down = False
    screen = rig.advance(5)
    assert isinstance(screen, GuideScreen) and screen.code == "MZ-01"  # back where they were
    rig.take()
    first, retry = rig.api.issue_calls
    assert first["request_id"] == retry["request_id"]
    assert len(rig.api.issued) == 1
    rig.p.go_home()
    rig.to_guide()
    rig.take()
    assert rig.api.issue_calls[-1]["request_id"] != first["request_id"]  # a new intent


def test_backend_down_then_back(rig):
    rig.api.down = True
    screen = rig.advance(30)  # the heartbeat notices
    assert rig.p.state == "offline" and isinstance(screen, OfflineScreen)
    assert screen.title == "暂停取号"
    assert screen.message == "系统连接中断，请稍候或到服务台咨询"
    assert "0731-84561234" in screen.phone and not rig.view.chrome.can_go_home
    assert isinstance(rig.advance(10), OfflineScreen)  # keeps retrying, never invents numbers
    rig.p.take_ticket()
    assert rig.api.issue_calls == []
    rig.api.down = False
    screen = rig.advance(5)
    assert rig.p.state == "ready" and isinstance(screen, HomeScreen)
    assert rig.api.reports  # a heartbeat right after reconnecting


def test_backend_down_at_start():
    r = Rig()
    r.api.down = True
    screen = r.start()
    assert r.p.state == "offline" and screen.title == "暂停取号" and not screen.connecting
    r.api.down = False
    assert isinstance(r.advance(5), HomeScreen)


def test_idle_returns_home_and_resets_language():
    r = Rig(idle_seconds=20, guide_idle_seconds=20)
    r.start()
    r.p.choose_language("en")
    r.to_guide()
    assert isinstance(r.advance(19), GuideScreen)
    r.p.user_activity()
    assert isinstance(r.advance(19), GuideScreen)
    screen = r.advance(1.5)
    assert isinstance(screen, HomeScreen) and r.p.language == "zh"
    assert screen.title == "请选择办理部门" and r.p.nav == [("home",)]


def test_hall_closed_is_shown_with_its_message(rig):
    rig.to_guide()
    rig.api.refuse = ApiError(
        409,
        "hall_closed",
        "大厅已停止取号，下次开放 06-02 08:30 / the hall is closed; it opens 06-02 08:30",
    )
    screen = rig.take()
    assert isinstance(screen, GuideScreen) and not screen.busy
    assert screen.notice == "大厅已停止取号，下次开放 06-02 08:30"
    assert rig.p.state == "ready"
    rig.p.choose_language("en")
    assert rig.view.screen.notice == "the hall is closed; it opens 06-02 08:30"


def test_a_refused_ticket_request_puts_the_kiosk_out_of_service(rig):
    rig.to_guide()
    rig.api.refuse = ApiError(401, "unauthenticated", "bad token")
    screen = rig.take()
    assert isinstance(screen, OutOfServiceScreen) and rig.p.state == "out_of_service"
    assert (screen.title, screen.message) == ("暂停服务", "请到服务台咨询")
    assert (screen.title_other, screen.message_other) == (
        "Out of service",
        "Please ask at the help desk",
    )


@pytest.mark.parametrize("status", [401, 403])
def test_a_refused_heartbeat_is_out_of_service_until_one_is_accepted(rig, status):
    rig.to_guide()
    rig.api.report_error = ApiError(status, "unauthenticated", "revoked")
    assert isinstance(rig.advance(30), OutOfServiceScreen)  # one heartbeat
    assert rig.p.state == "out_of_service" and rig.p.top == ("home",)
    rig.p.check_connection()  # the public catalog still loads: not enough
    assert isinstance(rig.settle(), OutOfServiceScreen)
    assert isinstance(rig.advance(5), OutOfServiceScreen)  # asked again, still refused
    rig.api.report_error = None  # the device was re-activated (or its token re-issued)
    assert isinstance(rig.advance(5), HomeScreen) and rig.p.state == "ready"


def test_printer_fault_keeps_the_number_offers_reprint_and_reports():
    r = Rig(printer=FakePrinterService(paper_out_result(), status=PAPER_OUT))
    r.start()
    r.to_guide()
    screen = r.take()
    assert screen.number == "A001" and screen.qr_url.endswith("/t/tokA001")
    assert screen.print_state == "fault" and screen.can_reprint
    assert screen.print_message == "号票未能打印：打印机缺纸"
    assert screen.save_hint == "请拍照或扫码保存号码"
    report = r.api.reports[-1]["printer"]
    assert report["condition"] == "paper_out" and "缺纸" in report["message"]
    assert isinstance(r.advance(20), ConfirmationScreen)  # stays past confirm_seconds
    r.printer.status_value = r.printer.default.after  # paper loaded
    screen = r.advance(5)
    assert screen.printer_recovered and "打印机已恢复" in screen.print_message
    assert r.api.reports[-1]["printer"]["condition"] == "ready"
    r.p.reprint()
    screen = r.settle()
    assert screen.print_state == "printed" and not screen.can_reprint
    assert [t.number for t in r.printer.tickets] == ["A001", "A001"]
    assert len(r.api.issue_calls) == 1  # reprinting never takes a second number


def test_fault_confirmation_leaves_on_idle():
    r = Rig(printer=FakePrinterService(paper_out_result(), status=PAPER_OUT), idle_seconds=30)
    r.start()
    r.to_guide()
    r.take()
    assert isinstance(r.advance(29), ConfirmationScreen)
    assert isinstance(r.advance(2), HomeScreen)


def test_heartbeat_carries_the_last_printer_condition(rig):
    rig.p._note_printer(Condition.PAPER_NEAR_END, "打印纸即将用完")
    before = len(rig.api.reports)
    rig.advance(30)
    assert len(rig.api.reports) > before
    assert rig.api.reports[-1]["printer"] == {
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
    assert rig.api.issue_calls[0]["priority"] == "green"
    assert rig.api.issue_calls[0]["priority_reason"] == "elderly"
    assert screen.priority_label == "绿色通道 · 70岁以上老人"
    assert rig.printer.tickets[0].priority_label == "绿色通道 · 70岁以上老人"


def test_appointment_check_in_with_the_code(rig):
    rig.api.add_appointment("20790531", item="YB-02")
    rig.p.open_appointment()
    screen = rig.view.screen
    assert isinstance(screen, AppointmentScreen) and not screen.can_submit
    assert screen.code == "" and screen.length == 8 and screen.submit_label == "确认签到"
    for d in "207":
        rig.p.appointment_digit(d)
    rig.p.submit_appointment()
    assert rig.view.screen.notice == "预约码是 8 位数字" and not rig.api.check_ins
    for d in "90531x9":  # x is no digit; the ninth digit does not fit
        rig.p.appointment_digit(d)
    assert rig.view.screen.code == "20790531" and rig.view.screen.can_submit
    rig.p.submit_appointment()
    assert rig.view.screen.busy and rig.view.screen.submit_label == "正在签到，请稍候…"
    screen = rig.settle()
    assert isinstance(screen, ConfirmationScreen) and screen.number == "C001"
    assert rig.api.check_ins[0]["code"] == "20790531"
    assert rig.api.check_ins[0]["request_id"] and not rig.api.check_ins[0]["item_code"]
    assert not rig.api.issue_calls[0]["priority_reason"]  # no code as a free-text reason
    assert screen.priority_label == "预约 · 09:30–10:00" and screen.appointment_note == ""
    assert rig.printer.tickets[0].priority_label == "预约 09:30–10:00"
    assert rig.printer.tickets[0].item_name == "异地就医备案"


def test_appointment_outside_its_slot_explains_the_normal_ticket(rig):
    rig.api.add_appointment("11112222", on_time=False)
    rig.p.open_appointment()
    for d in "11112222":
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
    ("setup", "notice"),
    [
        ({}, "没有找到您今天的预约，请核对预约码，或到服务台咨询"),
        ({"state": "checked_in"}, "这个预约已经签到过了，请留意叫号；号票丢失请到服务台"),
    ],
)
def test_appointment_refusals_are_plain_words_and_a_retry_keeps_the_request_id(rig, setup, notice):
    if setup:
        rig.api.add_appointment("12345678", **setup)
    rig.p.open_appointment()
    for d in "12345678":
        rig.p.appointment_digit(d)
    rig.p.submit_appointment()
    screen = rig.settle()
    assert isinstance(screen, AppointmentScreen) and screen.notice == notice
    assert screen.code == "12345678" and not screen.busy
    rig.p.submit_appointment()
    rig.settle()
    first, again = rig.api.check_ins
    assert first["request_id"] == again["request_id"]


def test_appointment_check_in_with_the_phone_digits_and_the_item(rig):
    rig.api.add_appointment("55550001", item="YB-02", phone_last4="5821")
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
    call = rig.api.check_ins[-1]
    assert (call["phone_last4"], call["item_code"], call["code"]) == ("5821", "YB-02", None)
    assert not rig.api.issue_calls[-1]["priority_reason"]


def test_appointment_check_in_offline_goes_offline_and_comes_back(rig):
    rig.api.add_appointment("12345678")
    rig.p.open_appointment()
    for d in "12345678":
        rig.p.appointment_digit(d)
    rig.api.down = True
    rig.p.submit_appointment()
    assert isinstance(rig.settle(), OfflineScreen)
    rig.api.down = False
    screen = rig.advance(5)
    assert isinstance(screen, AppointmentScreen) and screen.code == "12345678"
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
    assert rig.api.issue_calls[0]["language"] == "en"


def test_stop_ignores_late_answers(rig):
    rig.to_guide()
    rig.p.take_ticket()
    rig.p.stop()
    count = len(rig.view.screens)
    rig.settle()
    assert len(rig.view.screens) == count
