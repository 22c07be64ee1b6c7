"""The kiosk window against a real backend process: a ticket end to end, and recovery after
the backend stops and starts again."""

from __future__ import annotations

import pytest

from clientlib.api import ApiClient
from kiosk.screens import ConfirmationScreen, GuideScreen, HomeScreen, OfflineScreen

from .helpers import find, screen_is, tap, text

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
    qtbot.waitUntil(lambda: text(kiosk, "waitingInfo").startswith("当前无人等候"))
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
