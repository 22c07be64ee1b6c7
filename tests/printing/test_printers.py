import pytest
from escpos.printer import Dummy, File, Network, Serial, Usb

from clientlib.printing import open_printer, render_bytes, render_ticket

from .test_receipts import SMALL_TICKET


def test_network_defaults_to_port_9100_without_connecting():
    printer = open_printer({"type": "network", "host": "192.0.2.10"})
    assert isinstance(printer, Network)
    assert (printer.host, printer.port, printer.timeout) == ("192.0.2.10", 9100, 10.0)
    assert printer._device is False  # nothing opened yet


def test_network_with_port_timeout_and_profile():
    printer = open_printer(
        {
            "type": "network",
            "host": "kiosk-printer",
            "port": "9101",
            "timeout": 3,
            "profile": "TM-T88III",
        }
    )
    assert (printer.port, printer.timeout) == (9101, 3.0)
    assert printer.profile.profile_data["name"] == "TM-T88III"


def test_file_printer_receives_the_same_bytes(tmp_path):
    path = tmp_path / "lp0"
    printer = open_printer({"type": "file", "path": str(path)})
    assert isinstance(printer, File)
    render_ticket(printer, SMALL_TICKET)
    printer.close()
    assert path.read_bytes() == render_bytes(lambda p: render_ticket(p, SMALL_TICKET))


def test_dummy():
    assert isinstance(open_printer({"type": "dummy"}), Dummy)


@pytest.mark.skipif(not Usb.is_usable(), reason="pyusb not installed")
def test_usb_ids_accept_hex_strings():
    printer = open_printer({"type": "usb", "vendor_id": "0x0416", "product_id": 0x5011})
    assert printer.usb_args == {"idVendor": 0x0416, "idProduct": 0x5011}


@pytest.mark.skipif(Usb.is_usable(), reason="pyusb installed")
def test_usb_without_pyusb_says_what_to_install():
    with pytest.raises(RuntimeError, match="pyusb"):
        open_printer({"type": "usb", "vendor_id": "0x0416", "product_id": "0x5011"})


@pytest.mark.skipif(not Serial.is_usable(), reason="pyserial not installed")
def test_serial():
    printer = open_printer({"type": "serial", "device": "/dev/ttyUSB0", "baudrate": 19200})
    assert (printer.devfile, printer.baudrate) == ("/dev/ttyUSB0", 19200)


@pytest.mark.skipif(Serial.is_usable(), reason="pyserial installed")
def test_serial_without_pyserial_says_what_to_install():
    with pytest.raises(RuntimeError, match="pyserial"):
        open_printer({"type": "serial", "device": "/dev/ttyUSB0"})


@pytest.mark.parametrize(
    ("config", "key"),
    [
        ({}, "type"),
        ({"type": "bluetooth"}, "type"),
        ({"type": "network"}, "host"),
        ({"type": "network", "host": ""}, "host"),
        ({"type": "network", "host": "p", "port": "abc"}, "port"),
        ({"type": "network", "host": "p", "port": 70000}, "port"),
        ({"type": "network", "host": "p", "port": True}, "port"),
        ({"type": "network", "host": "p", "timeout": 0}, "timeout"),
        ({"type": "network", "hots": "p"}, "hots"),
        ({"type": "usb", "product_id": 1}, "vendor_id"),
        ({"type": "usb", "vendor_id": "xyz", "product_id": 1}, "vendor_id"),
        ({"type": "serial", "device": "/dev/ttyS0", "baudrate": "fast"}, "baudrate"),
        ({"type": "file"}, "path"),
        ({"type": "file", "path": "/dev/usb/lp0", "host": "x"}, "host"),
        ({"type": "dummy", "profile": "no-such-printer"}, "profile"),
    ],
)
def test_invalid_config_names_the_key(config, key):
    with pytest.raises(ValueError, match=f"'{key}'"):
        open_printer(config)


def test_config_must_be_a_mapping():
    with pytest.raises(ValueError, match="mapping"):
        open_printer([("type", "dummy")])  # type: ignore[arg-type]
