"""A kiosk the backend no longer accepts (token revoked with `onestop device token`) goes out of
service at its next heartbeat, against a real backend process; it comes back once its config
file holds the new token. And the 办件查询 lock of a number, as the resident reads it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton

from kiosk.app import api_client, connect
from kiosk.config import load_config
from kiosk.presenter import Presenter
from kiosk.screens import (
    CaseQueryScreen,
    ConfirmationScreen,
    GuideScreen,
    HomeScreen,
    OutOfServiceScreen,
)
from kiosk.views.window import KioskWindow
from tests.clientlib.fakes import FakeScheduler, ManualRunner
from tests.live_server import ONESTOP, ROOT

from .fakes import FakePrinterService
from .helpers import find, screen_is, tap, text, visible_buttons
from .test_live import accept_a_case, ask, live_kiosk

pytestmark = pytest.mark.timeout(90)
SHOTS = Path("/tmp/onestop-shots")


def write_config(path: Path, server, token: str) -> None:
    path.write_text(
        f'backend_url = "{server.url}"\nhall = "{server.hall}"\nkiosk = "kiosk-1"\n'
        f'token = "{token}"\nheartbeat_seconds = 30\nretry_seconds = 5\n'
        "api_timeout = 3\napi_retries = 0\n",
        encoding="utf-8",
    )


def revoke(server, device: str = "kiosk-1") -> str:
    """`onestop device token`: a new token; the old one stops working at once."""
    done = subprocess.run(
        [*ONESTOP, "--database", server.database_url, "device", "token", server.hall, device],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


def tappable(window: KioskWindow) -> list[QPushButton]:
    return [b for b in window.findChildren(QPushButton) if b.isVisible() and b.isEnabled()]


@pytest.fixture
def kiosk_on_fake_time(qtbot, live_server, tmp_path):
    """A real kiosk window and presenter on the live backend, its timers on a fake clock."""
    path = tmp_path / "kiosk.toml"
    write_config(path, live_server, live_server.kiosk_token)
    config = load_config(path)
    window = KioskWindow()
    qtbot.addWidget(window)
    window.resize(1080, 1920)
    window.show()
    scheduler, runner = FakeScheduler(), ManualRunner()
    presenter = Presenter(
        window, api_client(config), FakePrinterService(), scheduler, config, runner
    )
    connect(window, presenter)
    presenter.start()
    runner.settle()
    yield path, window, presenter, scheduler, runner
    presenter.stop()
    window.release()


def test_revoked_kiosk_is_out_of_service_within_one_heartbeat(kiosk_on_fake_time, live_server):
    path, window, presenter, scheduler, runner = kiosk_on_fake_time
    assert isinstance(window.shown_screen, HomeScreen) and presenter.state == "ready"
    presenter.open_department("MZ")
    presenter.open_item("MZ-01")
    runner.settle()
    assert isinstance(window.shown_screen, GuideScreen)  # a resident is about to take a ticket

    new_token = revoke(live_server)
    assert isinstance(window.shown_screen, GuideScreen)  # nothing has told the kiosk yet
    scheduler.advance(presenter.config.heartbeat_seconds, runner)  # one heartbeat

    assert isinstance(window.shown_screen, OutOfServiceScreen)
    assert window.findChild(object, "outOfServiceTitle").text() == "暂停服务"
    assert window.findChild(object, "outOfServiceTitleOther").text() == "Out of service"
    assert window.findChild(object, "outOfServiceMessage").text() == "请到服务台咨询"
    assert window.findChild(object, "outOfServiceMessageOther").text() == (
        "Please ask at the help desk"
    )
    names = {b.objectName() for b in tappable(window)}
    assert "takeTicket" not in names and not any(n.startswith("dept_") for n in names)
    assert not window.home_button.isVisible() and not window.back_button.isVisible()
    SHOTS.mkdir(exist_ok=True)
    window.grab().save(str(SHOTS / "kiosk-out-of-service.png"))
    presenter.take_ticket()  # even a tap that got through issues nothing
    runner.settle()
    assert isinstance(window.shown_screen, OutOfServiceScreen) and presenter.issued is None

    scheduler.advance(presenter.config.retry_seconds, runner)  # asks again: still refused
    presenter.check_connection()  # the catalog is public: it loads ...
    runner.settle()
    assert isinstance(window.shown_screen, OutOfServiceScreen)  # ... and does not bring it back

    write_config(path, live_server, new_token)  # the new token written into its config
    scheduler.advance(presenter.config.retry_seconds, runner)
    assert isinstance(window.shown_screen, HomeScreen) and presenter.state == "ready"
    assert presenter.api.token == new_token
    presenter.open_department("MZ")
    presenter.open_item("MZ-01")
    runner.settle()
    presenter.take_ticket()
    runner.settle()
    assert isinstance(window.shown_screen, ConfirmationScreen)
    assert presenter.issued.result["ticket"]["number"] == "A001"


def test_a_tap_with_a_revoked_token_goes_out_of_service_at_once(kiosk_on_fake_time, live_server):
    _path, window, presenter, _scheduler, runner = kiosk_on_fake_time
    presenter.open_department("RS")
    presenter.open_item("RS-01")
    runner.settle()
    revoke(live_server)
    presenter.take_ticket()
    runner.settle()
    assert isinstance(window.shown_screen, OutOfServiceScreen)
    assert presenter.issued is None


def test_a_locked_number_says_so_on_the_kiosk(qtbot, kiosk_factory, live_server):
    number = accept_a_case(live_server)
    kiosk = live_kiosk(kiosk_factory, live_server)
    qtbot.waitUntil(lambda: screen_is(kiosk, HomeScreen) and kiosk.presenter.state == "ready")
    tap(qtbot, kiosk, "action_case")
    ask(qtbot, kiosk, number, "4321")
    for _ in range(4):
        qtbot.waitUntil(lambda: not kiosk.presenter.case_busy)
        for d in "4321":
            tap(qtbot, kiosk, f"caseKey_{d}")
        tap(qtbot, kiosk, "caseProceed")
    qtbot.waitUntil(lambda: text(kiosk, "caseNotice").startswith("该受理编号查询错误次数过多"))
    assert "15 分钟后再试" in text(kiosk, "caseNotice")
    assert "到服务台" in text(kiosk, "caseNotice")
    for d in "1234":  # now the right digits: still refused, nothing shown
        tap(qtbot, kiosk, f"caseKey_{d}")
    tap(qtbot, kiosk, "caseProceed")
    qtbot.waitUntil(lambda: not kiosk.presenter.case_busy)
    assert screen_is(kiosk, CaseQueryScreen)
    assert text(kiosk, "caseNotice").startswith("该受理编号查询错误次数过多")
    assert find(kiosk, "caseNotice").isVisible()
    assert visible_buttons(kiosk)
