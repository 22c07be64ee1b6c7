"""The shared printer service (clientlib.printing.service): status, faults, time limits,
one job at a time, dummy output. The terminals' receipts are tested with each terminal."""

from __future__ import annotations

import threading

import pytest

from clientlib.printing import (
    CAUSES,
    READY,
    Condition,
    Fault,
    PrinterConfig,
    PrinterService,
    cause_of,
    condition_of,
    fault_result,
)
from clientlib.printing.service import bounded

from .fake_printer import FakePrinter

pytestmark = pytest.mark.timeout(30)


def network(printer: FakePrinter, **settings) -> PrinterConfig:
    options = {"type": "network", "host": printer.host, "port": printer.port}
    return PrinterConfig(type="network", options=options, **settings)


def hello(p) -> None:
    p.text("hello\n")


def test_status_and_conditions():
    with FakePrinter(state="cover_open") as printer:
        service = PrinterService(network(printer, status_timeout=1))
        assert service.status().condition is Condition.COVER_OPEN
    refused = FakePrinter(mode="refuse").start()
    service = PrinterService(network(refused))
    assert service.status().condition is Condition.OFFLINE
    refused.stop()
    assert condition_of(fault_result(Fault.NO_RESPONSE)) is Condition.UNKNOWN
    assert condition_of(fault_result(Fault.REFUSED)) is Condition.OFFLINE


def test_a_job_reaches_a_network_printer():
    with FakePrinter() as printer:
        service = PrinterService(network(printer, job_timeout=5, status_timeout=1))
        result = service._print(hello)
        assert result.ok and condition_of(result) is Condition.READY
        assert cause_of(result) == ("", "")
        printer.wait_closed()
        assert b"hello" in printer.jobs[-1]


def test_paper_out_is_a_fault_and_nothing_is_sent():
    with FakePrinter(state="paper_out") as printer:
        service = PrinterService(network(printer, job_timeout=5, status_timeout=1))
        result = service._print(hello)
        assert not result.ok and result.fault is Fault.PAPER_OUT
        assert condition_of(result) is Condition.PAPER_OUT
        assert cause_of(result) == ("打印机缺纸", "the printer is out of paper")
        assert printer.jobs == []


def test_dummy_printer_keeps_what_it_printed():
    service = PrinterService(PrinterConfig())
    result = service._print(hello)
    assert result.ok and result.before == READY and result.after == READY
    assert b"hello" in service.last_output and result.bytes_sent == len(service.last_output)
    assert service.status().can_print


def test_a_failing_render_is_a_result_not_an_exception():
    def broken(p) -> None:
        raise RuntimeError("no ink in the code")

    result = PrinterService(PrinterConfig())._print(broken)
    assert not result.ok and result.fault is Fault.UNEXPECTED
    assert "no ink in the code" in result.message_en
    assert condition_of(result) is Condition.ERROR


def test_a_busy_printer_times_out_instead_of_queueing_forever():
    service = PrinterService(PrinterConfig(job_timeout=0.2))
    with service._lock:  # another job holds the device
        result = service._print(hello)
    assert result.fault is Fault.TIMEOUT and "printer busy" in result.message_en
    assert condition_of(result) is Condition.OFFLINE


def test_a_file_printer_gets_the_bytes(tmp_path):
    path = tmp_path / "lp0"
    path.touch()
    service = PrinterService(
        PrinterConfig(type="file", status_timeout=0.2, options={"type": "file", "path": str(path)})
    )
    result = service._print(hello)
    assert result.ok and result.bytes_sent > 0
    assert b"hello" in path.read_bytes()


def test_every_fault_has_a_short_cause_and_a_condition():
    for fault in Fault:
        zh, en = CAUSES[fault]
        assert zh and en
        assert isinstance(condition_of(fault_result(fault)), Condition)
    result = fault_result(Fault.CONNECTION_LOST, "reset by peer")
    assert result.message_en.endswith("(reset by peer)") and not result.delivered


def test_bounded_gives_up_on_a_stuck_call():
    never = threading.Event()
    result = bounded(lambda: never.wait(5), 0.2, lambda: "gave up")
    never.set()
    assert result == "gave up"
    assert bounded(lambda: 42, 1, lambda: None) == 42
    with pytest.raises(ValueError):
        bounded(lambda: int("x"), 1, lambda: None)
