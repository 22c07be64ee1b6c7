"""The [printer] table both terminals share: defaults, and errors naming the file and key."""

from __future__ import annotations

import pytest

from clientlib.printing import PrinterConfig, parse_printer_config


class BadConfig(ValueError):
    pass


def test_defaults_and_options():
    config = parse_printer_config({"type": "network", "host": "10.0.0.5"}, "t.toml")
    assert config == PrinterConfig(type="network", options={"type": "network", "host": "10.0.0.5"})
    assert (config.paper, config.native_qr, config.job_timeout, config.status_timeout) == (
        80,
        True,
        10.0,
        2.0,
    )
    tuned = parse_printer_config(
        {"type": "dummy", "paper": 58, "native_qr": False, "job_timeout": 3, "status_timeout": 1}
    )
    assert (tuned.paper, tuned.native_qr, tuned.job_timeout, tuned.status_timeout) == (
        58,
        False,
        3.0,
        1.0,
    )
    assert tuned.options == {"type": "dummy"}  # only open_printer's keys


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("dummy", "t.toml: printer: must be a table, got 'dummy'"),
        ({"type": "laser"}, "t.toml: printer: printer config key 'type'"),
        ({"type": "network"}, "t.toml: printer: printer config key 'host' is required"),
        ({"type": "dummy", "paper": 76}, "t.toml: printer.paper: must be one of 58, 80, got 76"),
        ({"type": "dummy", "native_qr": "no"}, "t.toml: printer.native_qr: must be true or false"),
        ({"type": "dummy", "job_timeout": 0}, "t.toml: printer.job_timeout: must be a positive"),
        ({"type": "dummy", "status_timeout": True}, "t.toml: printer.status_timeout: must be"),
    ],
)
def test_errors_name_file_and_key_in_the_callers_error_type(data, message):
    with pytest.raises(BadConfig) as caught:
        parse_printer_config(data, "t.toml", BadConfig)
    assert str(caught.value).startswith(message)
