"""The case workflow in the presenter (no widgets), on the real app: 受理 with the applicant and the
materials ticked, refusals shown at their field, 一次性告知 that suspends the case, 评价 after
finishing, My cases with supplement / extension / finish / refuse, live case events, the
receipts, and every action sent once even when the network fails (rig.net)."""

from __future__ import annotations

from clientlib.printing import Fault
from counter import casebuild as cb
from counter.builders import Catalog

from .fakes import FakePrinter
from .hall import PASSWORD
from .test_presenter import current, signed_in

ID_NUMBER = "320102198503151230"  # a valid check digit
APPLICANT = {"name": "张小三", "phone": "13812341234", "id_number": ID_NUMBER}


def serving(rig, item: str = "MZ-01", ticks=(0, 1)):
    """Call a ticket for `item` and tick some of its materials."""
    rig.hall.add_ticket(item)
    rig.presenter.call_next()
    rig.settle()
    for index in ticks:
        rig.presenter.toggle_material(index, True)
    return current(rig)


def accept(rig, **values):
    rig.presenter.accept_case()
    kind, form = rig.view.dialogs[-1]
    assert kind == "accept"
    chosen = [m for m, on in zip(form.materials, form.received, strict=True) if on]
    rig.presenter.submit_accept(
        APPLICANT | {"materials": chosen, "decision": "done_now", "unit": form.unit} | values
    )
    rig.settle()
    return form


def test_accepting_a_promised_item_puts_number_and_deadline_on_the_card(make_rig):
    rig = signed_in(make_rig())
    serving(rig)
    assert {"accept_case"} <= rig.view.main.enabled and "notice" not in rig.view.main.enabled
    assert {"accept_case", "notice", "evaluate"} <= rig.view.main.hooks
    form = accept(rig, note="  家属陪同  ")
    assert form.required and "姓名、联系电话必填" in form.hint and form.unit == "MZ"
    assert form.received[:3] == (True, True, False) and "户口簿" in form.materials
    assert [c.value for c in form.decisions] == ["done_now", "proxy", "coordinated"]
    [sent] = rig.net.posts("accept")
    assert sent.path.endswith("/windows/3/accept") and sent.body == {
        "applicant": APPLICANT,
        "materials_received": list(form.materials[:2]),
        "decision": "done_now",
        "handling_unit": "MZ",
        "note": "家属陪同",
    }
    badge = current(rig).case
    assert badge.number == "受理编号 QINGSHAN-20261123-0001"
    assert badge.deadline == "承诺办结时间 2026-12-19 17:30" and badge.state == "办理中"
    assert badge.colour == "green" and rig.view.form is None  # the dialog closed
    assert rig.view.notice == "已受理 QINGSHAN-20261123-0001  Accepted"
    screen = rig.view.main
    assert "accept_case" not in screen.enabled and "notice" in screen.enabled
    assert screen.cases_label == "我的办件 (1) My cases"
    rig.presenter.accept_case()  # once is enough
    assert "已受理" in rig.view.notice and len(rig.view.dialogs) == 1


def test_a_refusal_is_shown_at_its_field_and_the_dialog_stays_open(make_rig):
    rig = signed_in(make_rig())
    serving(rig)
    accept(rig, id_number="320102198503151231")  # wrong check digit
    assert rig.view.form == "accept" and not rig.hall.audited("case.accepted")
    assert rig.view.form_errors[-1] == (
        "accept",
        "applicant.id_number",
        "身份证号码校验不通过  Invalid ID number",
    )
    assert current(rig).case is None and not rig.presenter.busy
    rig.presenter.submit_accept({"name": "", "phone": "13812341234"})
    rig.settle()
    assert rig.view.form_errors[-1] == (
        "accept",
        "applicant.name",
        "请填写申请人姓名  Name is required",
    )
    rig.presenter.submit_accept(APPLICANT | {"id_number": ID_NUMBER.lower()})
    rig.settle()
    assert rig.view.form is None and rig.hall.audited("case.accepted") == 1
    assert len({s.request_id for s in rig.net.posts("accept")}) == 3  # each a new request


def test_an_immediate_item_is_accepted_without_applicant_and_finished_at_once(make_rig):
    rig = signed_in(make_rig(), window=4)
    serving(rig, "RS-01", ticks=())
    rig.presenter.accept_case()
    form = rig.view.dialogs[-1][1]
    assert not form.required and "可不填" in form.hint and form.unit == "RS"
    rig.presenter.submit_accept({"decision": "done_now", "unit": "RS"})
    rig.settle()
    badge = current(rig).case
    assert badge.deadline == "即办件 · 当场办结" and badge.state == "已办结"
    assert rig.view.notice == "已受理并当场办结 QINGSHAN-20261123-0001  Accepted, finished"
    assert "notice" not in rig.view.main.enabled  # nothing can be missing any more


def test_one_time_notice_lists_what_was_not_received_and_suspends(make_rig):
    printer = FakePrinter()
    rig = signed_in(make_rig(printer=printer))
    serving(rig)
    rig.presenter.one_time_notice()  # not accepted yet
    assert "请先受理承诺件" in rig.view.notice and not rig.view.dialogs
    accept(rig)
    rig.presenter.one_time_notice()
    kind, form = rig.view.dialogs[-1]
    assert kind == "missing" and form.case_number == "QINGSHAN-20261123-0001"
    assert form.missing[:3] == (False, False, True) and len(form.materials) == 7
    rig.presenter.submit_missing([], "")
    assert rig.view.form_errors[-1][:2] == ("missing", "missing") and not rig.net.posts("suspend")
    wanted = [m for m, on in zip(form.materials, form.missing, strict=True) if on][:2]
    rig.presenter.submit_missing([*wanted, " 村委会证明 ", wanted[0]], "一次性告知")
    rig.settle()
    [sent] = rig.net.posts("suspend")
    number = sent.path.split("/")[-2]
    assert number == "QINGSHAN-20261123-0001"
    assert sent.body == {"missing": [*wanted, "村委会证明"], "note": "一次性告知"}
    badge = current(rig).case
    assert badge.state == "待补正：" + "、".join([*wanted, "村委会证明"]) and badge.colour is None
    assert "notice" not in rig.view.main.enabled and rig.view.form is None
    kind, notice = printer.printed[-1]  # printed at once
    assert kind == "notice" and notice.missing_materials == [*wanted, "村委会证明"]
    assert notice.acceptance_number == number and notice.window_name == "3号窗口 民政"
    assert rig.view.notice.startswith("一次性告知书已打印")
    assert rig.view.main.print_label == "补打告知书 Reprint notice"


def test_evaluation_is_requested_after_finishing(make_rig):
    rig = signed_in(make_rig())
    assert "evaluate" not in rig.view.main.enabled  # nothing finished yet
    rig.presenter.request_evaluation()
    rig.settle()
    assert "本窗口还没有办结的号" in rig.view.notice
    serving(rig)
    assert "evaluate" not in rig.view.main.enabled  # still serving
    rig.presenter.finish()
    rig.settle()
    screen = rig.view.main
    assert "evaluate" in screen.enabled and screen.hooks == {"evaluate"}
    assert screen.idle_text.startswith("A001 已办结：按“评价”请群众评价")
    rig.presenter.request_evaluation()
    rig.settle()
    assert rig.hall.audited("evaluation.requested", "A001") == 1
    assert rig.view.notice.startswith("已请 A001 评价")
    rig.hall.rate("A001", window=3)
    rig.presenter.request_evaluation()
    rig.settle()
    assert rig.view.notices[-1] == ("这次服务已评价  This service was already rated", "error")
    rig.hall.add_ticket("MZ-02")
    rig.presenter.call_next()
    rig.settle()
    assert "A001 已办结" not in rig.view.main.idle_text


def test_an_accept_whose_answer_was_lost_is_resent_once_with_the_same_id(make_rig):
    rig = signed_in(make_rig())
    serving(rig)
    rig.net.lose_answers = 1  # the backend accepts; the answer never arrives
    accept(rig)
    assert rig.presenter.pending is not None and rig.hall.audited("case.accepted") == 1
    assert rig.view.form == "accept" and "恢复后自动提交" in rig.view.form_errors[-1][2]
    rig.presenter.submit_accept(APPLICANT)  # pressing OK again sends nothing new
    assert rig.view.form_errors[-1][2].startswith("“受理”尚未完成")
    rig.presenter.retry_pending()
    rig.settle()
    sent = rig.net.posts("accept")
    assert len(sent) == 2 and sent[0] == sent[1] and rig.hall.audited("case.accepted") == 1
    assert rig.view.form is None and current(rig).case.number.endswith("0001")


def test_case_actions_wait_for_the_network_and_go_once(make_rig):
    rig = signed_in(make_rig(retry_seconds=3))
    serving(rig)
    accept(rig)
    rig.presenter.one_time_notice()
    rig.net.down = True
    rig.presenter.submit_missing(["户口簿"], "")
    rig.settle()
    assert rig.presenter.pending is not None and "一次性告知" in rig.view.connection.text
    rig.net.down = False
    rig.advance(3)
    assert len(rig.net.posts("suspend")) == 2 and rig.hall.audited("case.suspended") == 1
    assert rig.presenter.pending is None and current(rig).case.state == "待补正：户口簿"


def my_cases(rig) -> list[str]:
    return [row.number for row in rig.view.cases.rows]


def test_my_cases_lists_open_cases_and_acts_on_the_selected_one(make_rig):
    printer = FakePrinter()
    rig = signed_in(make_rig(printer=printer))
    serving(rig)
    accept(rig)
    rig.presenter.one_time_notice()
    rig.presenter.submit_missing(["户口簿", "收入证明"], "")
    rig.settle()
    rig.presenter.finish()
    rig.settle()
    serving(rig, "MZ-02")
    accept(rig)
    first, second = "QINGSHAN-20261123-0001", "QINGSHAN-20261123-0002"
    rig.presenter.open_cases()
    rig.settle()
    screen = rig.view.cases
    assert my_cases(rig) == [second, first]  # green before suspended
    assert screen.counts == "红 0 · 橙 0 · 黄 0 · 绿 1 · 待补正 1"
    assert [(r.colour, r.colour_text) for r in screen.rows] == [("green", "绿"), (None, "停")]
    assert screen.rows[1].state == "待补正 2 项" and screen.rows[0].applicant == "张*三"
    assert screen.selected is None and not screen.enabled and "选择一件" in screen.details

    rig.presenter.select_case(first)
    assert rig.view.cases.enabled == {"supplement", "refuse"}
    assert "待补正：户口簿、收入证明" in rig.view.cases.details
    rig.presenter.case_dialog("supplement")
    kind, form = rig.view.dialogs[-1]
    assert kind == "case_action" and form.materials == ("户口簿", "收入证明")
    rig.presenter.case_action("supplement", first, {"received": ["户口簿", "收入证明"]})
    rig.settle()
    assert rig.hall.case(first)["state"] == "open" and "已补正到件" in rig.view.notice
    assert rig.view.cases.enabled == {"extension", "finish", "refuse"}

    rig.presenter.case_dialog("extension")
    assert rig.view.dialogs[-1][1].days == (1, 2, 3)
    rig.presenter.case_action("extension", first, {"days": 2, "text": "需入户核查"})
    rig.settle()
    assert rig.net.posts("extension")[0].body == {"days": 2, "reason": "需入户核查"}
    assert "待负责人批准" in rig.view.notice
    rig.presenter.case_dialog("extension")
    rig.presenter.case_action("extension", first, {"days": 1, "text": "再次延期"})
    rig.settle()
    assert rig.view.form_errors[-1] == (
        "case_action",
        "days",
        "已有延期申请待负责人批准  An extension request is waiting",
    )
    rig.presenter.case_action("refuse", first, {"text": "  "})  # a reason is required
    assert rig.view.form_errors[-1][2].startswith("请填写必填项") and not rig.net.posts("refuse")
    rig.presenter.case_action("finish", first, {"text": "经审核符合条件，已纳入低保"})
    rig.settle()
    assert rig.hall.case(first)["state"] == "finished" and my_cases(rig) == [second]
    rig.presenter.select_case(second)
    rig.presenter.case_action("refuse", second, {"text": "不符合低保条件"})
    rig.settle()
    assert my_cases(rig) == [] and rig.view.cases.info.startswith("暂无在办的办件")
    kind, refusal = printer.printed[-1]  # the reason, printed for the resident
    assert kind == "refusal" and refusal.reason == "不符合低保条件"
    assert refusal.acceptance_number == second and rig.view.notice.startswith(
        "不予办理告知书已打印"
    )
    assert current(rig).case.state == "不予办理"  # the card follows the case
    rig.presenter.close_cases()
    assert rig.view.cases is None


def test_case_events_about_my_cases_reload_the_list(make_rig):
    rig = signed_in(make_rig(debounce_seconds=0.3))
    serving(rig)
    accept(rig)
    loads = rig.net.gets("state=referred")  # one per load of My cases
    live = rig.live.latest
    live.event("case.colour", {"case": {"number": "QINGSHAN-20261123-0001", "colour": "yellow"}})
    live.event("case.colour", {"case": {"number": "QINGSHAN-20261123-0001", "colour": "yellow"}})
    live.event("case.accepted", {"case": {"number": "QINGSHAN-20261123-0099"}})  # not mine
    rig.settle()
    assert rig.net.gets("state=referred") == loads
    rig.hall.sweep_deadlines(days_before_deadline=2)  # the deadline sweep turns it yellow
    rig.advance(0.3)
    assert rig.net.gets("state=referred") == loads + 1 and current(rig).case.colour == "yellow"
    live.event("case.accepted", {"case": {"number": "QINGSHAN-20261123-0099"}})
    rig.advance(1)
    assert rig.net.gets("state=referred") == loads + 1


def test_a_restarted_terminal_finds_the_case_of_the_ticket_at_the_counter(make_rig):
    before = signed_in(make_rig())
    serving(before)
    accept(before)
    before.presenter.stop()
    after = make_rig()
    signed_in(after)
    assert current(after).case.number == "受理编号 QINGSHAN-20261123-0001"
    assert "accept_case" not in after.view.main.enabled and "notice" in after.view.main.enabled


def test_acceptance_receipt_is_offered_only_with_a_printer(make_rig):
    plain = signed_in(make_rig())
    serving(plain)
    accept(plain)
    assert "print_receipt" not in plain.view.main.hooks
    plain.presenter.print_case()
    assert not plain.view.notice.startswith("正在打印")
    plain.presenter.finish()  # the window is free again for the terminal with a printer
    plain.settle()
    plain.presenter.sign_out()
    plain.settle()

    printer = FakePrinter()
    rig = signed_in(make_rig(printer=printer))
    assert "print_receipt" not in rig.view.main.hooks  # no case yet
    serving(rig)
    accept(rig)
    screen = rig.view.main
    assert "print_receipt" in screen.hooks and "print_receipt" in screen.enabled
    assert screen.print_label == "打印受理回执 Print receipt"
    rig.presenter.print_case()
    rig.settle()
    [(kind, receipt)] = printer.printed
    assert kind == "acceptance" and receipt.acceptance_number == "QINGSHAN-20261123-0002"
    assert receipt.applicant_name == "张*三" and receipt.applicant_phone == "138****1234"
    assert receipt.deadline.isoformat() == "2026-12-19T17:30:00+08:00"
    assert receipt.window_name == "3号窗口 民政" and receipt.supervision_phone == "0731-84561234"
    token = rig.hall.counter_state(3)["current"]["status_token"]
    assert receipt.status_url == f"http://127.0.0.1:5000/t/{token}"  # the hall's public_url
    assert rig.view.notice.startswith("受理回执已打印")


def test_a_printer_fault_is_reported_and_never_blocks_the_clerk(make_rig):
    rig = signed_in(make_rig(printer=FakePrinter(fault=Fault.PAPER_OUT)))
    serving(rig)
    accept(rig)
    rig.presenter.print_case()
    assert rig.presenter.printing and "print_receipt" not in rig.view.main.enabled
    assert "finish" in rig.view.main.enabled  # the clerk carries on meanwhile
    rig.settle()
    assert rig.view.notices[-1] == (
        "未能打印：打印机缺纸，可稍后补打  Not printed: the printer is out of paper",
        "error",
    )
    assert not rig.presenter.printing and "print_receipt" in rig.view.main.enabled


def test_signing_out_forgets_the_cases(make_rig):
    rig = signed_in(make_rig())
    serving(rig)
    accept(rig)
    rig.presenter.open_cases()
    rig.settle()
    rig.presenter.finish()
    rig.settle()
    rig.presenter.sign_out()
    rig.settle()
    assert rig.view.page == "login" and rig.view.cases is None
    assert rig.presenter.cases is None and rig.presenter.case is None
    rig.presenter.sign_in("clerk2", PASSWORD, 3)
    rig.settle()
    assert rig.view.main.cases_label == "我的办件 My cases"  # clerk2 has none


def test_receipt_builders_without_a_backend(demo_hall):
    catalog = Catalog.from_api(demo_hall.get("/catalog", demo_hall.device()).json)
    case = {
        "number": "QINGSHAN-20240506-0003",
        "item_name": "户籍证明",
        "kind": "immediate",
        "state_zh": "已办结",
        "accepted_at": "2024-05-06T01:40:00+00:00",
        "deadline_at": "2024-05-06T09:40:00+08:00",
        "applicant": {"name": "", "phone": "", "id_number": ""},
    }
    receipt = cb.acceptance_receipt(case, catalog, 8)
    assert receipt.deadline is None and receipt.status_url == "" and receipt.applicant_name == ""
    assert receipt.hall_name == catalog.hall["name"]["zh"]
    assert cb.when("2026-12-19T17:30:00+08:00") == "2026-12-19 17:30" and cb.when(None) == ""
    ticket = {"number": "A001", "issued_at": "2024-05-06T01:30:00+00:00"}
    same = {"ticket_number": "A001", "accepted_at": "2024-05-06T01:40:00+00:00"}
    assert cb.same_visit(same, ticket)
    assert not cb.same_visit(same | {"accepted_at": "2024-05-07T02:00:00+00:00"}, ticket)
    assert not cb.same_visit(same | {"ticket_number": "A002"}, ticket)


def test_english_terminal_puts_english_first_in_the_case_texts(make_rig):
    rig = signed_in(make_rig(language="en"))
    serving(rig)
    form = accept(rig)
    assert form.title.startswith("Accept A001 as a case")
    assert current(rig).case.deadline == "Due 2026-12-19 17:30"
    assert rig.view.notice == "Accepted QINGSHAN-20261123-0001  已受理"
