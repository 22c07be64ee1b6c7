"""The kiosk window against a real backend process: a ticket end to end, recovery after the
backend stops and starts again, and 办件查询 of a case a clerk really accepted."""

from __future__ import annotations

import pytest

from clientlib.api import ApiClient
from kiosk.screens import (
    CaseQueryScreen,
    CaseResultScreen,
    ConfirmationScreen,
    GuideScreen,
    HomeScreen,
    OfflineScreen,
)

from .helpers import find, plain, screen_is, tap, text

pytestmark = pytest.mark.timeout(90)


def live_kiosk(kiosk_factory, live_server, **config):
    return kiosk_factory(
        backend_url=live_server.url,
        public_url=live_server.url,
        token=live_server.kiosk_token,
        api_timeout=2,
        api_retries=0,
        **config,
    )


def waiting(client: ApiClient, code: str) -> int:
    return next(i["waiting"] for i in client.queue()["items"] if i["code"] == code)


def test_take_a_ticket_end_to_end(qtbot, kiosk_factory, live_server):
    kiosk = live_kiosk(kiosk_factory, live_server)
    qtbot.waitUntil(lambda: screen_is(kiosk, HomeScreen) and kiosk.presenter.state == "ready")
    tap(qtbot, kiosk, "dept_MZ")
    tap(qtbot, kiosk, "item_MZ-01")
    # no window is signed in yet: the demo hall queues residents, without a made-up wait
    qtbot.waitUntil(lambda: text(kiosk, "waitingInfo").startswith("当前无窗口办理"))
    tap(qtbot, kiosk, "takeTicket")
    qtbot.waitUntil(lambda: screen_is(kiosk, ConfirmationScreen))
    assert text(kiosk, "ticketNumber") == "A001"
    assert not find(kiosk, "statusQr").pixmap().isNull()
    client = ApiClient(live_server.url, live_server.hall, live_server.kiosk_token)
    assert waiting(client, "MZ-01") == 1
    url = kiosk.presenter.screen.qr_url
    assert url.startswith(live_server.url + "/t/")
    status = client.status(url.rsplit("/", 1)[1])
    assert status["number"] == "A001" and status["state"] == "waiting"
    receipt = kiosk.printer.tickets[0]
    assert receipt.number == "A001" and receipt.status_url == url
    assert receipt.hall_name == "青山镇便民服务中心"
    qtbot.waitUntil(lambda: text(kiosk, "printStatus").startswith("号票已打印"))


def test_backend_stop_and_start(qtbot, kiosk_factory, live_server):
    kiosk = live_kiosk(kiosk_factory, live_server, retry_seconds=0.3)
    qtbot.waitUntil(lambda: screen_is(kiosk, HomeScreen) and kiosk.presenter.state == "ready")
    tap(qtbot, kiosk, "dept_RS")
    tap(qtbot, kiosk, "item_RS-03")
    live_server.stop()
    tap(qtbot, kiosk, "takeTicket")
    qtbot.waitUntil(lambda: screen_is(kiosk, OfflineScreen), timeout=10_000)
    assert text(kiosk, "offlineTitle") == "暂停取号"
    assert text(kiosk, "offlineMessage") == "系统连接中断，请稍候或到服务台咨询"
    live_server.start()
    qtbot.waitUntil(lambda: screen_is(kiosk, GuideScreen), timeout=15_000)
    tap(qtbot, kiosk, "takeTicket")
    qtbot.waitUntil(lambda: screen_is(kiosk, ConfirmationScreen), timeout=10_000)
    assert text(kiosk, "ticketNumber") == "B001"
    client = ApiClient(live_server.url, live_server.hall, live_server.kiosk_token)
    assert waiting(client, "RS-03") == 1  # the failed try issued nothing; the retry one


def accept_a_case(live_server) -> str:
    """clerk1 at window 3 accepts the kiosk's MZ-01 ticket as a case; its acceptance number."""
    clerk = ApiClient(live_server.url, live_server.hall)
    clerk.login("clerk1", live_server.password("clerk1"), client="test")
    clerk.window_action(3, "sign-in")
    kiosk = ApiClient(live_server.url, live_server.hall, live_server.kiosk_token)
    kiosk.issue_ticket("MZ-01", "live-case-ticket")
    assert clerk.window_action(3, "call-next")["ticket"]["item"] == "MZ-01"
    clerk.window_action(3, "start")
    applicant = {"name": "张三", "phone": "13812341234", "id_number": "320102198503151230"}
    case = clerk.post(clerk.hall_path("/windows/3/accept"), {"applicant": applicant})["case"]
    return case["number"]


def ask(qtbot, kiosk, number: str, last4: str) -> None:
    """Type the number's digits after the pre-filled hall prefix, then the phone digits."""
    prefix, digits = number.split("-", 1)
    assert text(kiosk, "caseDisplay").count(prefix) == 1  # already there
    for d in digits.replace("-", ""):
        tap(qtbot, kiosk, f"caseKey_{d}")
    tap(qtbot, kiosk, "caseProceed")
    for d in last4:
        tap(qtbot, kiosk, f"caseKey_{d}")
    tap(qtbot, kiosk, "caseProceed")


def test_case_query_end_to_end(qtbot, kiosk_factory, live_server):
    number = accept_a_case(live_server)
    assert number.startswith("QINGSHAN-")
    kiosk = live_kiosk(kiosk_factory, live_server)
    qtbot.waitUntil(lambda: screen_is(kiosk, HomeScreen) and kiosk.presenter.state == "ready")
    tap(qtbot, kiosk, "action_case")
    ask(qtbot, kiosk, number, "4321")  # not this applicant's phone
    qtbot.waitUntil(lambda: find(kiosk, "caseNotice").isVisible())
    assert text(kiosk, "caseNotice") == "未找到该办件，请核对受理编号和手机号后4位"
    assert screen_is(kiosk, CaseQueryScreen)
    for d in "1234":
        tap(qtbot, kiosk, f"caseKey_{d}")
    tap(qtbot, kiosk, "caseProceed")
    qtbot.waitUntil(lambda: screen_is(kiosk, CaseResultScreen))
    assert text(kiosk, "caseState") == "办理中"
    assert text(kiosk, "caseWording") == "正在办理中，我们会在承诺时限内办结"
    details = plain(kiosk, "caseDetails")
    assert number in details and "最低生活保障申请" in details and "承诺办结时间" in details
    for personal in ("张", "138", "1234", "320102"):  # name, phone, ID: none of it
        assert personal not in details, personal
    assert kiosk.presenter.case_phone == ""  # the typed digits are gone too
    clerk = ApiClient(live_server.url, live_server.hall)
    clerk.login("clerk1", live_server.password("clerk1"), client="test")
    clerk.post(clerk.hall_path(f"/cases/{number}/suspend"), {"missing": ["户口簿原件"]})
    tap(qtbot, kiosk, "caseAgain")
    ask(qtbot, kiosk, number, "1234")
    qtbot.waitUntil(lambda: screen_is(kiosk, CaseResultScreen))
    assert text(kiosk, "caseState") == "待补正材料"
    assert "1. 户口簿原件" in plain(kiosk, "caseDetails")
    tap(qtbot, kiosk, "casePrint")
    qtbot.waitUntil(lambda: text(kiosk, "casePrintStatus").startswith("已打印"))
    slip = kiosk.printer.case_slips[0]
    assert dict(slip.facts)["受理编号"] == number and slip.missing == ("户口簿原件",)
    tap(qtbot, kiosk, "caseDone")
    assert screen_is(kiosk, HomeScreen)
