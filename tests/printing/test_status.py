import socket
import threading

import pytest
from escpos.printer import Dummy, Network

from clientlib.printing.status import (
    Condition,
    EscposChannel,
    decode,
    is_status_byte,
    read_status,
)

from .fake_printer import FakePrinter

# Status bytes built from the spec: fixed bits 1 and 4 on (0x12), bits 0 and 7 off.
FIXED = 0x12


@pytest.mark.parametrize("value", [0x12, 0x1A, 0x16, 0x7E, 0x72, 0x52, 0x5E])
def test_valid_status_bytes(value):
    assert is_status_byte(value)


@pytest.mark.parametrize("value", [0x00, 0xFF, 0x10, 0x02, 0x13, 0x92, 0x3F, ord("?")])
def test_bytes_without_the_fixed_pattern_are_not_status(value):
    assert not is_status_byte(value)


@pytest.mark.parametrize(
    ("replies", "condition", "fields"),
    [
        ({1: FIXED, 2: FIXED, 4: FIXED}, Condition.READY, {"online": True, "paper_out": False}),
        (  # n=4 bits 2-3: roll paper near end
            {1: FIXED, 2: FIXED, 4: FIXED | 0x0C},
            Condition.PAPER_NEAR_END,
            {"paper_near_end": True, "paper_out": False},
        ),
        (  # n=4 bits 5-6: roll paper end; n=1 bit 3 offline; n=2 bit 5 stopped at paper end
            {1: FIXED | 0x08, 2: FIXED | 0x20, 4: FIXED | 0x6C},
            Condition.PAPER_OUT,
            {"online": False, "paper_out": True, "cover_open": False},
        ),
        (  # n=2 bit 2: cover open
            {1: FIXED | 0x08, 2: FIXED | 0x04, 4: FIXED},
            Condition.COVER_OPEN,
            {"cover_open": True, "paper_out": False},
        ),
        (  # n=2 bit 6 error; n=3 bit 3 autocutter error
            {1: FIXED | 0x08, 2: FIXED | 0x40, 3: FIXED | 0x08, 4: FIXED},
            Condition.ERROR,
            {"error": True, "errors": ("cutter",)},
        ),
        (  # n=3 bit 5 unrecoverable, bit 6 auto-recoverable (e.g. head too hot)
            {1: FIXED | 0x08, 2: FIXED | 0x40, 3: FIXED | 0x60, 4: FIXED},
            Condition.ERROR,
            {"errors": ("unrecoverable", "auto_recoverable")},
        ),
        (  # n=2 bit 3: paper being fed by the FEED button is not an error
            {1: FIXED | 0x08, 2: FIXED | 0x08, 4: FIXED},
            Condition.OFFLINE,
            {"online": False, "error": False, "cover_open": False},
        ),
    ],
)
def test_decode(replies, condition, fields):
    status = decode(replies)
    assert status.condition is condition
    for name, value in fields.items():
        assert getattr(status, name) == value


@pytest.mark.parametrize(
    "replies", [{}, {1: None}, {1: None, 4: None}, {1: 0x00, 4: 0x00}, {1: 0xFF}]
)
def test_missing_or_invalid_printer_status_is_unknown_never_paper_out(replies):
    status = decode(replies)
    assert status.unknown
    assert status.condition is Condition.UNKNOWN
    assert status.paper_out is None
    assert not status.can_print
    assert status.reason


def test_invalid_paper_byte_leaves_paper_fields_unknown():
    status = decode({1: FIXED, 2: FIXED, 4: 0x00})
    assert status.paper_near_end is None
    assert status.paper_out is False  # n=2 answered: not stopped at paper end
    status = decode({1: FIXED, 2: None, 4: 0x00})
    assert status.paper_out is None
    assert status.condition is Condition.READY


def test_messages_in_chinese_and_english():
    status = decode({1: FIXED | 0x08, 2: FIXED | 0x20, 4: FIXED | 0x6C})
    assert "缺纸" in status.message_zh
    assert "paper" in status.message_en


@pytest.mark.timeout(10)
@pytest.mark.parametrize(
    ("state", "condition"),
    [
        ("ok", Condition.READY),
        ("paper_near_end", Condition.PAPER_NEAR_END),
        ("paper_out", Condition.PAPER_OUT),
        ("cover_open", Condition.COVER_OPEN),
        ("cutter_error", Condition.ERROR),
    ],
)
def test_read_status_over_a_socket(fake_printer, state, condition):
    fake_printer.state = state
    with socket.create_connection((fake_printer.host, fake_printer.port), timeout=2) as sock:
        status = read_status(sock, timeout=2)
    assert status.condition is condition
    fake_printer.wait_closed()
    expected = [1, 2, 4, 3] if state == "cutter_error" else [1, 2, 4]
    assert fake_printer.connections[0].queries == expected


@pytest.mark.timeout(10)
def test_read_status_through_a_python_escpos_network_printer(fake_printer):
    fake_printer.state = "paper_near_end"
    printer = Network(fake_printer.host, fake_printer.port, timeout=2)
    try:
        assert read_status(printer, timeout=2).condition is Condition.PAPER_NEAR_END
    finally:
        printer.close()


@pytest.mark.timeout(10)
def test_silent_printer_gives_unknown_status_within_the_timeout():
    with (
        FakePrinter(mode="silent") as fake,
        socket.create_connection((fake.host, fake.port), timeout=2) as sock,
    ):
        sock.settimeout(None)  # even a blocking socket must not hang the caller
        status = read_status(sock, timeout=0.3)
    assert status.unknown
    assert status.reason == "no reply"


@pytest.mark.timeout(10)
def test_invalid_reply_from_printer_is_unknown(fake_printer):
    fake_printer.status_override = {1: 0x00}
    with socket.create_connection((fake_printer.host, fake_printer.port), timeout=2) as sock:
        status = read_status(sock, timeout=1)
    assert status.unknown and "invalid" in status.reason


def test_printer_without_read_support_is_unknown_not_an_exception():
    assert read_status(Dummy(), timeout=0.2).unknown
    assert read_status(object(), timeout=0.2).unknown


@pytest.mark.timeout(10)
def test_escpos_printer_whose_read_hangs_does_not_hang_the_caller():
    release = threading.Event()

    class HangingPrinter(Dummy):
        def _read(self):
            release.wait(5)
            return b""

    try:
        status = read_status(HangingPrinter(), timeout=0.3)
    finally:
        release.set()
    assert status.unknown


def test_escpos_channel_reads_status_bytes_from_the_driver():
    class UsbLikePrinter(Dummy):
        replies = iter([bytes([FIXED]), bytes([FIXED]), bytes([FIXED | 0x6C])])

        def _read(self):
            return next(self.replies)

    printer = UsbLikePrinter()
    status = read_status(EscposChannel(printer), timeout=1)
    assert status.condition is Condition.PAPER_OUT
    assert printer.output == b"\x10\x04\x01\x10\x04\x02\x10\x04\x04"
