"""The kiosk on the real app (the demo hall, in this process) with the fake ESC/POS network
printer: faults, a silent printer, the bytes; the printer's condition as the server stored it.

The shared printer service itself is tested in tests/printing/test_service.py."""

from __future__ import annotations

import pytest

from clientlib.printing import Condition, PrinterConfig, condition_of
from kiosk.printer import KioskPrinter
from kiosk.screens import ConfirmationScreen, HomeScreen
from tests.printing.fake_printer import FakePrinter

from .helpers import choose_language, find, screen_is, tap, text

pytestmark = pytest.mark.timeout(60)
GB = "gb18030"


def network(printer: FakePrinter, **extra) -> dict:
    return {"type": "network", "host": printer.host, "port": printer.port, **extra}


@pytest.fixture
def make_kiosk(kiosk_factory, demo_hall):
    """make_kiosk(printer, ...) -> (kiosk, hall, net): kiosk-1 on the demo hall."""

    def make(printer: FakePrinter, job_timeout=5, status_timeout=1, **config):
        api, net = demo_hall.kiosk_api()
        settings = PrinterConfig(
            type="network",
            paper=58,
            job_timeout=job_timeout,
            status_timeout=status_timeout,
            options=network(printer),
        )
        service = KioskPrinter(settings)
        kiosk = kiosk_factory(api=api, printer=service, **config)
        return kiosk, demo_hall, net

    return make


def take_ticket(qtbot, kiosk, dept="MZ", item="MZ-01"):
    qtbot.waitUntil(lambda: screen_is(kiosk, HomeScreen) and kiosk.presenter.state == "ready")
    tap(qtbot, kiosk, f"dept_{dept}")
    tap(qtbot, kiosk, f"item_{item}")
    tap(qtbot, kiosk, "takeTicket")
    qtbot.waitUntil(lambda: screen_is(kiosk, ConfirmationScreen))


def test_ticket_bytes_reach_the_printer_in_gb18030(qtbot, make_kiosk):
    with FakePrinter() as printer:
        kiosk, hall, net = make_kiosk(printer)
        take_ticket(qtbot, kiosk)
        qtbot.waitUntil(lambda: text(kiosk, "printStatus").startswith("号票已打印"))
        printer.wait_closed()
        job = printer.jobs[-1]
        assert "A001".encode(GB) in job
        assert "最低生活保障申请".encode(GB) in job and "青山镇便民服务中心".encode(GB) in job
        assert hall.printer().get("condition") == "ready"


def test_paper_out_keeps_number_shows_fault_offers_reprint(qtbot, make_kiosk):
    with FakePrinter(state="paper_out") as printer:
        kiosk, hall, net = make_kiosk(printer, retry_seconds=0.2)
        take_ticket(qtbot, kiosk)
        qtbot.waitUntil(lambda: kiosk.presenter.screen.print_state == "fault")
        assert text(kiosk, "ticketNumber") == "A001"  # the number is on screen all the same
        assert text(kiosk, "printStatus") == "号票未能打印：打印机缺纸"
        assert text(kiosk, "saveHint") == "请拍照或扫码保存号码"
        assert find(kiosk, "reprint").isVisible() and find(kiosk, "saveHint").isVisible()
        assert not find(kiosk, "statusQr").pixmap().isNull()
        qtbot.waitUntil(lambda: hall.printer().get("condition") == "paper_out")
        assert "缺纸" in hall.printer()["message"]
        assert printer.jobs == []  # nothing was sent to a printer without paper
        printer.state = "ok"  # staff load a new roll
        qtbot.waitUntil(lambda: "打印机已恢复" in text(kiosk, "printStatus"), timeout=5000)
        qtbot.waitUntil(lambda: hall.printer().get("condition") == "ready")
        tap(qtbot, kiosk, "reprint")
        qtbot.waitUntil(lambda: text(kiosk, "printStatus").startswith("号票已打印"))
        printer.wait_closed()
        assert any("A001".encode(GB) in job for job in printer.jobs)
        assert len(net.posts("tickets")) == 1 and hall.tickets_issued() == 1


def test_silent_printer_never_hangs_the_kiosk(qtbot, make_kiosk):
    with FakePrinter(mode="silent") as printer:
        kiosk, hall, net = make_kiosk(printer, job_timeout=1.5, status_timeout=0.5)
        take_ticket(qtbot, kiosk)
        assert text(kiosk, "ticketNumber") == "A001"  # shown before the printer answers
        choose_language(qtbot, kiosk, "en")  # the GUI keeps working while printing hangs
        choose_language(qtbot, kiosk, "zh")
        qtbot.waitUntil(lambda: kiosk.presenter.screen.print_state == "fault", timeout=8000)
        assert text(kiosk, "printStatus") == "号票未能打印：打印机无应答"
        assert find(kiosk, "reprint").isVisible()
        qtbot.waitUntil(lambda: hall.printer().get("condition") == "unknown")


def test_refused_printer_is_reported_offline(qtbot, make_kiosk):
    printer = FakePrinter(mode="refuse").start()
    try:
        kiosk, hall, net = make_kiosk(printer)
        take_ticket(qtbot, kiosk)
        qtbot.waitUntil(lambda: kiosk.presenter.screen.print_state == "fault")
        assert text(kiosk, "printStatus") == "号票未能打印：无法连接打印机"
        assert hall.printer().get("condition") == "offline"
    finally:
        printer.stop()


def test_dummy_printer_renders_the_ticket():
    from datetime import datetime

    from clientlib.printing import TicketReceipt

    service = KioskPrinter(PrinterConfig())
    result = service.print_ticket(
        TicketReceipt(
            "青山镇便民服务中心",
            "B007",
            "就业失业登记",
            2,
            16,
            datetime(2026, 6, 1, 9),
            "https://x/t/1",
        )
    )
    assert result.ok and condition_of(result) is Condition.READY
    assert (
        "B007".encode(GB) in service.last_output
        and "就业失业登记".encode(GB) in service.last_output
    )
    assert service.status().can_print
