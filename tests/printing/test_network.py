import socket
import threading

import pytest

from clientlib.printing import (
    Condition,
    Fault,
    PaperWidth,
    open_printer,
    print_job,
    render_bytes,
    render_ticket,
)

from .fake_printer import FakePrinter
from .test_receipts import SMALL_TICKET

pytestmark = pytest.mark.timeout(10)


def ticket(printer):
    render_ticket(printer, SMALL_TICKET, PaperWidth.MM58)


def test_job_is_delivered_byte_for_byte(fake_printer):
    result = print_job(fake_printer.host, fake_printer.port, ticket, timeout=5)
    assert result.ok and result.delivered and result.fault is None
    assert result.before.condition is Condition.READY
    assert result.after.condition is Condition.READY
    assert result.message_zh == "打印完成"
    fake_printer.wait_closed()
    assert fake_printer.jobs == [render_bytes(ticket)]
    assert result.bytes_sent == len(render_bytes(ticket))
    assert fake_printer.connections[0].queries == [1, 2, 4, 1, 2, 4]


def test_paper_near_end_prints_and_warns(fake_printer):
    fake_printer.state = "paper_near_end"
    result = print_job(fake_printer.host, fake_printer.port, ticket, timeout=5)
    assert result.ok
    assert result.paper_near_end


@pytest.mark.parametrize(
    ("state", "fault", "zh"),
    [
        ("paper_out", Fault.PAPER_OUT, "缺纸"),
        ("cover_open", Fault.COVER_OPEN, "打印机盖"),
        ("cutter_error", Fault.PRINTER_ERROR, "故障"),
    ],
)
def test_printer_not_ready_gets_no_job(fake_printer, state, fault, zh):
    fake_printer.state = state
    result = print_job(fake_printer.host, fake_printer.port, ticket, timeout=5)
    assert not result.delivered and result.fault is fault
    assert zh in result.message_zh and "未打印" in result.message_zh
    assert "nothing was printed" in result.message_en
    fake_printer.wait_closed()
    assert fake_printer.jobs == []


def test_paper_running_out_during_the_job_is_reported(fake_printer):
    fake_printer.switch_after = (100, "paper_out")
    result = print_job(fake_printer.host, fake_printer.port, ticket, timeout=5)
    assert result.before.condition is Condition.READY
    assert result.after.condition is Condition.PAPER_OUT
    assert result.delivered and result.fault is Fault.PAPER_OUT and not result.ok
    assert "确认" in result.message_zh


def test_silent_printer_returns_no_response_within_timeout():
    with FakePrinter(mode="silent") as fake:
        result = print_job(fake.host, fake.port, ticket, timeout=3, status_timeout=0.5)
    assert result.fault is Fault.NO_RESPONSE and not result.delivered
    assert result.before.unknown and result.before.paper_out is None
    assert "无应答" in result.message_zh and "did not answer" in result.message_en


def test_silent_printer_with_a_huge_job_times_out_instead_of_hanging():
    with FakePrinter(mode="silent") as fake:
        result = print_job(
            fake.host,
            fake.port,
            lambda p: p._raw(b"\x00" * 64_000_000),  # far more than the socket buffers hold
            timeout=2,
            status_timeout=0.2,
            require_status=False,
        )
    assert result.fault is Fault.TIMEOUT and not result.delivered
    assert "超时" in result.message_zh


def test_dropped_connection_mid_job_is_reported():
    with FakePrinter(mode="drop") as fake:
        fake.drop_after = 64
        result = print_job(fake.host, fake.port, ticket, timeout=5)
        fake.wait_closed()
        received = fake.connections[0].job
    assert result.fault is Fault.CONNECTION_LOST and not result.delivered
    assert result.before.condition is Condition.READY
    assert "连接中断" in result.message_zh and "请确认" in result.message_zh
    assert len(received) == 64


def test_refused_connection_is_reported():
    with FakePrinter(mode="refuse") as fake:
        result = print_job(fake.host, fake.port, ticket, timeout=3)
    assert result.fault is Fault.REFUSED and not result.delivered
    assert "拒绝连接" in result.message_zh and "refused" in result.message_en
    assert f"{fake.host}:{fake.port}" in result.message_en


def test_printer_that_starts_refusing_is_reported(fake_printer):
    assert print_job(fake_printer.host, fake_printer.port, ticket, timeout=3).ok
    fake_printer.refuse()
    assert print_job(fake_printer.host, fake_printer.port, ticket, timeout=3).fault is Fault.REFUSED


def test_render_failure_is_a_result_not_an_exception(fake_printer):
    def broken(printer):
        raise KeyError("number")

    result = print_job(fake_printer.host, fake_printer.port, broken, timeout=3)
    assert result.fault is Fault.RENDER_FAILED and not result.delivered
    assert fake_printer.connections == []


def test_production_path_renders_straight_onto_a_network_printer(fake_printer):
    printer = open_printer(
        {"type": "network", "host": fake_printer.host, "port": fake_printer.port}
    )
    ticket(printer)
    printer.close()
    fake_printer.wait_closed()
    assert fake_printer.jobs == [render_bytes(ticket)]


def test_slow_name_lookup_times_out(monkeypatch):
    release = threading.Event()

    def slow_lookup(*args, **kwargs):
        release.wait(5)
        raise socket.gaierror("too late")

    monkeypatch.setattr(socket, "getaddrinfo", slow_lookup)
    try:
        result = print_job("printer.hall.example", 9100, ticket, timeout=0.5)
    finally:
        release.set()
    assert result.fault is Fault.TIMEOUT and not result.delivered


def test_unknown_host_is_unreachable(monkeypatch):
    def no_such_host(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    result = print_job("no-such-printer", 9100, ticket, timeout=2)
    assert result.fault is Fault.UNREACHABLE
    assert "无法连接" in result.message_zh and "no-such-printer:9100" in result.message_en
