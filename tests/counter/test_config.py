"""Counter config: every problem names the file, the key and what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from counter.config import ConfigError, load_config, parse_config

GOOD = {"backend_url": "http://127.0.0.1:5000/", "hall": "qingshan"}


def test_the_demo_config_loads():
    root = Path(__file__).resolve().parents[2]
    config = load_config(root / "config" / "counter-demo.toml")
    assert (config.backend_url, config.hall, config.language) == (
        "http://127.0.0.1:5000",
        "qingshan",
        "zh",
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"backend_url": "127.0.0.1:5000"}, "c.toml: backend_url: must be an http(s) URL"),
        ({"hall": ""}, "c.toml: hall: must be a non-empty string"),
        ({"window": 0}, "c.toml: window: must be a window number 1-999, got 0"),
        ({"window": True}, "c.toml: window: must be a window number"),
        ({"language": "fr"}, "c.toml: language: must be one of zh, en, got 'fr'"),
        ({"api_retries": -1}, "c.toml: api_retries: must be a whole number 0-10"),
        ({"retry_seconds": 0}, "c.toml: retry_seconds: must be a positive number, got 0"),
        ({"password": "x"}, "c.toml: password: unknown key"),
    ],
)
def test_bad_values_name_file_and_key(change, message):
    with pytest.raises(ConfigError) as caught:
        parse_config(GOOD | change, "c.toml")
    assert str(caught.value).startswith(message)


def test_missing_required_key_and_bad_toml(tmp_path):
    with pytest.raises(ConfigError, match=r"^c.toml: hall: is required$"):
        parse_config({"backend_url": "http://x"}, "c.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text('hall = "qingshan\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"^{broken}: \(file\): not valid TOML"):
        load_config(broken)


def test_printer_is_optional_and_checked_like_the_kiosks():
    assert parse_config(GOOD, "c.toml").printer is None
    printer = parse_config(GOOD | {"printer": {"type": "network", "host": "10.0.0.5"}}).printer
    assert (printer.type, printer.paper, printer.native_qr) == ("network", 80, True)
    assert printer.options == {"type": "network", "host": "10.0.0.5"}
    for change, message in (
        ({"type": "network"}, "c.toml: printer: printer config key 'host' is required"),
        ({"type": "dummy", "paper": 76}, "c.toml: printer.paper: must be one of 58, 80"),
        ({"type": "dummy", "native_qr": "no"}, "c.toml: printer.native_qr: must be true"),
        ({"type": "dummy", "job_timeout": 0}, "c.toml: printer.job_timeout: must be a positive"),
        ({"type": "laser"}, "c.toml: printer: printer config key 'type'"),
    ):
        with pytest.raises(ConfigError) as caught:
            parse_config(GOOD | {"printer": change}, "c.toml")
        assert str(caught.value).startswith(message)
    with pytest.raises(ConfigError, match=r"^c.toml: printer: must be a table"):
        parse_config(GOOD | {"printer": "dummy"}, "c.toml")
