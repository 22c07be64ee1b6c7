"""办件查询 in the presenter on the real app (the demo hall; fakes for the view, printer, runner,
clock and the network's failures) and its slip."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import pytest

from clientlib.printing import PaperWidth
from kiosk.cases import CaseReceipt, case_number, render_case, valid_date
from kiosk.screens import (
    CaseQueryScreen,
    CaseResultScreen,
    HomeScreen,
    OfflineScreen,
    OutOfServiceScreen,
)

from .fakes import FakePrinterService, paper_out_result
from .hall import accept_case, case_action

NUMBER = "QINGSHAN-20261123-0001"  # the first case accepted on Monday 23 November
DIGITS = "202611230001"
PHONE = "13912345678"  # the applicant's; only its last 4 digits ever reach the kiosk


@pytest.fixture
def rig(make_rig):
    r = make_rig()
    assert accept_case(r.demo, phone=PHONE) == NUMBER  # an open 最低生活保障申请
    return r


def miss(rig, number: str, times: int) -> None:
    """Wrong lookups from this kiosk, as a resident (or someone guessing) makes them."""
    for _ in range(times):
        path = f"/cases/lookup?number={number}&phone_last4=0000"
        assert rig.demo.get(path, rig.demo.device("kiosk-1")).status_code in (404, 429)


def type_digits(rig, digits: str):
    for d in digits:
        rig.p.case_digit(d)
    return rig.view.screen


def query(rig, digits=DIGITS, last4="5678"):
    rig.p.open_case_query()
    type_digits(rig, digits)
    rig.p.case_continue()
    type_digits(rig, last4)
    rig.p.case_continue()
    return rig.settle()


def shown_text(screen) -> str:
    """Every string a screen carries, to look for what must never be there."""
    return repr(dataclasses.astuple(screen))


def test_two_steps_then_the_answer(rig):
    rig.p.open_case_query()
    screen = rig.view.screen
    assert isinstance(screen, CaseQueryScreen) and screen.step == "number"
    assert screen.prefix == "QINGSHAN" and "QINGSHAN 已填好" in screen.hint
    assert screen.step_label.startswith("第 1 步") and not screen.can_continue
    assert screen.progress.startswith("现在输入：受理日期")
    assert rig.view.chrome.can_go_back and rig.view.chrome.can_go_home
    screen = type_digits(rig, DIGITS[:8])
    assert screen.digits == DIGITS[:8] and screen.progress == "现在输入：最后 4 位序号"
    screen = type_digits(rig, DIGITS[8:] + "9")  # the 13th digit does not fit
    assert screen.digits == DIGITS and not screen.can_type and screen.can_continue
    assert screen.continue_label == "下一步" and "请核对" in screen.progress
    rig.p.case_continue()
    screen = rig.view.screen
    assert screen.step == "phone" and screen.number == NUMBER
    assert screen.step_label.startswith("第 2 步") and not screen.can_continue
    screen = type_digits(rig, "56781")
    assert screen.phone == "5678" and screen.can_continue and screen.continue_label == "查询"
    rig.p.case_continue()
    screen = rig.view.screen
    assert screen.busy and screen.continue_label == "正在查询，请稍候…" and not screen.can_type
    rig.p.case_continue()  # a second tap while the answer is on its way
    rig.p.case_digit("5")
    screen = rig.settle()
    asked = [s.path for s in rig.net.sent if "/cases/lookup" in s.path]
    assert asked == [f"/api/v1/halls/qingshan/cases/lookup?number={NUMBER}&phone_last4=5678"]
    assert isinstance(screen, CaseResultScreen)
    assert screen.state == "open" and screen.state_label == "办理中"
    assert screen.wording == "正在办理中，我们会在承诺时限内办结"
    assert dict(screen.facts) == {
        "受理编号": NUMBER,
        "办理事项": "最低生活保障申请",
        "受理日期": "2026年11月23日",
        "承诺办结时间": "2026年12月19日 17:30",
    }
    assert not screen.missing and not screen.outcome
    assert "0731-84561234" in screen.help
    assert rig.p.case_phone == "" and rig.p.case_digits == ""  # forgotten once answered
    assert "5678" not in shown_text(screen)
    rig.p.back()  # a fresh query, not the last resident's digits
    screen = rig.view.screen
    assert isinstance(screen, CaseQueryScreen) and screen.step == "number" and screen.digits == ""


def test_erase_clear_and_only_digits(rig):
    rig.p.open_case_query()
    type_digits(rig, "2026x1a1")
    assert rig.view.screen.digits == "202611"
    rig.p.case_erase()
    assert rig.view.screen.digits == "20261"
    rig.p.case_clear()
    assert rig.view.screen.digits == ""
    type_digits(rig, DIGITS)
    rig.p.case_continue()
    type_digits(rig, "98")
    rig.p.case_erase()
    assert rig.view.screen.phone == "9" and rig.p.case_digits == DIGITS


def test_number_must_be_whole_and_its_date_real(rig):
    rig.p.open_case_query()
    type_digits(rig, "2026112900")
    rig.p.case_next()
    screen = rig.view.screen
    assert screen.step == "number" and screen.notice == "受理编号还没有输完：共 12 位数字"
    rig.p.case_clear()
    assert rig.view.screen.notice == ""
    type_digits(rig, "202613230001")  # month 13
    rig.p.case_continue()
    assert rig.view.screen.notice == "编号中的日期不对，请对照受理回执核对"
    assert valid_date("20240229") and not valid_date("20250229") and not valid_date("19991231")
    assert case_number("qingshan", DIGITS) == NUMBER


def test_not_found_says_so_and_keeps_the_number(rig):
    screen = query(rig, last4="8765")
    assert isinstance(screen, CaseQueryScreen) and screen.step == "phone"
    assert screen.notice == "未找到该办件，请核对受理编号和手机号后4位"
    assert screen.phone == "" and not screen.busy  # typed again, whichever was wrong
    rig.p.back()  # 修改编号
    screen = rig.view.screen
    assert screen.step == "number" and screen.digits == DIGITS and screen.notice == ""
    rig.p.case_erase()
    rig.p.case_digit("1")
    rig.p.case_continue()
    type_digits(rig, "5678")
    rig.p.case_continue()
    assert isinstance(rig.settle(), CaseResultScreen)


def test_unknown_number_answers_the_same(rig):
    screen = query(rig, digits="202611230008")
    assert screen.notice == "未找到该办件，请核对受理编号和手机号后4位"
    rig.p.choose_language("en")
    assert rig.view.screen.notice.startswith("No case found")


def test_a_broken_server_is_said_plainly(rig):
    rig.net.answer_next = (500, {"error": {"code": "internal", "message": "boom"}})
    screen = query(rig)
    assert isinstance(screen, CaseQueryScreen)
    assert screen.notice.startswith("系统繁忙，请稍后再试或到服务台咨询") and rig.p.state == "ready"


def test_the_servers_refusal_of_the_phone_digits_is_plain(rig):
    path = f"/cases/lookup?number={NUMBER}&phone_last4=56a8"  # the kiosk never sends such
    real = rig.demo.get(path, rig.demo.device("kiosk-1"))
    assert real.status_code == 400 and real.json["error"]["field"] == "phone_last4", real.json
    rig.net.answer_next = (400, real.json)  # the server's own answer, to the kiosk
    screen = query(rig)
    assert isinstance(screen, CaseQueryScreen) and screen.notice.startswith("手机号后4位")
    assert rig.p.state == "ready"


def test_a_number_locked_after_wrong_tries_says_when_to_come_back(rig, clock):
    miss(rig, NUMBER, 5)  # the server locks the number for 15 minutes
    clock.now += timedelta(minutes=1)
    screen = query(rig)
    assert isinstance(screen, CaseQueryScreen) and rig.p.state == "ready"
    assert screen.notice.startswith(
        "该受理编号查询错误次数过多，已暂停查询。请 14 分钟后再试，或到服务台请工作人员解除"
    )


def test_a_kiosk_locked_after_many_wrong_tries_says_so(rig):
    for n in range(20):  # guessing numbers: the server locks this kiosk's lookups
        miss(rig, f"QINGSHAN-20261123-{n + 100:04d}", 1)
    screen = query(rig)
    assert isinstance(screen, CaseQueryScreen) and rig.p.state == "ready"
    assert screen.notice.startswith("本机办件查询错误次数过多，已暂停查询 15 分钟。请到服务台咨询")


def test_a_refused_kiosk_token_is_the_out_of_service_screen(rig):
    rig.api.token = "not-a-device-token"  # the server answers 401
    screen = query(rig)
    assert isinstance(screen, OutOfServiceScreen) and rig.p.state == "out_of_service"


def test_backend_down_is_the_offline_screen_then_back_to_the_step(rig):
    rig.net.down = True
    screen = query(rig)
    assert isinstance(screen, OfflineScreen) and rig.p.state == "offline"
    assert screen.message == "系统连接中断，请稍候或到服务台咨询"
    rig.net.down = False
    screen = rig.advance(5)
    assert isinstance(screen, CaseQueryScreen) and screen.step == "phone" and not screen.busy
    type_digits(rig, "5678")
    rig.p.case_continue()
    assert isinstance(rig.settle(), CaseResultScreen)


def test_suspended_case_lists_what_to_bring(rig):
    missing = ["户口簿原件", "近三个月收入证明（联系人 " + PHONE + "）"]
    case_action(rig.demo, NUMBER, "suspend", missing=missing)
    screen = query(rig)
    assert screen.state == "suspended" and screen.state_label == "待补正材料"
    assert screen.missing_title == "需要补正的材料"
    assert screen.missing[0] == "户口簿原件"
    assert "139****5678" in screen.missing[1] and PHONE not in shown_text(screen)
    assert dict(screen.facts)["承诺办结时间"].startswith("2026年12月19日 17:30（补正期间暂停计时")


def test_finished_and_refused(rig):
    case_action(rig.demo, NUMBER, "finish", result="已批准，低保金自2027年1月起按月发放")
    screen = query(rig)
    assert screen.state_label == "已办结" and screen.wording == ""  # said once, not twice
    assert screen.outcome_title == "办理结果" and screen.outcome.startswith("已批准")
    facts = dict(screen.facts)
    assert facts["办结日期"] == "2026年11月23日" and "承诺办结时间" not in facts
    refused = accept_case(rig.demo, phone=PHONE)  # another case of the same resident
    case_action(rig.demo, refused, "refuse", reason="家庭人均收入高于当地低保标准")
    rig.p.new_case_query()
    screen = query(rig, digits=refused.split("-", 1)[1].replace("-", ""))
    assert screen.state == "refused" and screen.wording == "未能办理"
    assert (
        screen.outcome_title == "不予办理的原因"
        and screen.outcome == "家庭人均收入高于当地低保标准"
    )
    assert dict(screen.facts)["答复日期"] == "2026年11月23日"


def test_english(rig):
    rig.p.choose_language("en")
    rig.p.open_case_query()
    assert rig.view.screen.step_label == "Step 1 of 2: enter the acceptance number"
    case_action(rig.demo, NUMBER, "suspend", missing=["户口簿原件"])
    screen = query(rig)
    assert screen.state_label == "Materials needed" and screen.wording.startswith("Some materials")
    facts = dict(screen.facts)
    assert facts["Service"] == "Minimum living allowance (dibao) application"
    assert facts["Accepted on"] == "2026-11-23"
    assert screen.missing == ("户口簿原件",)  # staff's words as written
    rig.p.choose_language("zh")
    assert rig.view.screen.state_label == "待补正材料"


def test_idle_goes_home_and_forgets_everything(make_rig):
    r = make_rig(idle_seconds=20)
    assert accept_case(r.demo, phone=PHONE) == NUMBER
    assert isinstance(query(r), CaseResultScreen)
    assert isinstance(r.advance(19), CaseResultScreen)
    screen = r.advance(2)
    assert isinstance(screen, HomeScreen) and r.p.case_found is None
    r.p.open_case_query()
    type_digits(r, DIGITS)
    r.p.case_continue()
    r.p.case_digit("1")
    screen = r.advance(21)  # half-typed digits go too
    assert isinstance(screen, HomeScreen) and r.p.case_digits == "" and r.p.case_phone == ""


def test_an_answer_after_leaving_is_dropped(rig):
    rig.p.open_case_query()
    type_digits(rig, DIGITS)
    rig.p.case_continue()
    type_digits(rig, "5678")
    rig.p.case_continue()
    rig.p.go_home()
    screen = rig.settle()
    assert isinstance(screen, HomeScreen) and rig.p.case_found is None


def test_print_the_result(rig):
    case_action(rig.demo, NUMBER, "suspend", missing=["户口簿原件"])
    query(rig)
    rig.p.print_case_result()
    assert rig.view.screen.printing and rig.view.screen.print_message == "正在打印…"
    screen = rig.settle()
    assert screen.print_message == "已打印，请在出纸口取走" and not screen.print_failed
    slip = rig.printer.case_slips[0]
    assert slip.hall_name == "青山镇便民服务中心" and slip.state_label == "待补正材料"
    assert dict(slip.facts)["受理编号"] == NUMBER and slip.missing == ("户口簿原件",)
    assert slip.supervision_phone == "0731-84561234"
    assert "5678" not in repr(dataclasses.astuple(slip)).replace(NUMBER, "")


def test_print_fault_is_said_and_reported(make_rig):
    r = make_rig(printer=FakePrinterService(paper_out_result()))
    assert accept_case(r.demo, phone=PHONE) == NUMBER
    query(r)
    r.p.print_case_result()
    screen = r.settle()
    assert screen.print_failed and screen.print_message == "未能打印：打印机缺纸"
    assert r.demo.printer()["condition"] == "paper_out"  # as the server stored it


def test_the_slip_in_gb18030():
    class Sink:
        data = b""

        def _raw(self, msg: bytes) -> None:
            self.data += msg

    sink = Sink()
    slip = CaseReceipt(
        hall_name="青山镇便民服务中心",
        facts=(("受理编号", NUMBER), ("办理事项", "最低生活保障申请")),
        state_label="待补正材料",
        wording="材料需要补正",
        missing=("户口簿原件",),
        outcome_title="",
        outcome="",
        queried_at=datetime(2026, 11, 30, 9, 5),
        supervision_phone="0731-84561234",
    )
    render_case(sink, slip, PaperWidth.MM80)
    text = sink.data.decode("gb18030", errors="replace")
    for part in (
        "办件查询结果",
        NUMBER,
        "待补正材料",
        "1. 户口簿原件",
        "2026-11-30 09:05",
        "不含个人信息",
    ):
        assert part in text
    assert sink.data.endswith(b"\x1dV\x01")  # cut
