"""Kiosk config: the demo file loads; every mistake names the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.__main__ import main
from kiosk.config import ConfigError, load_config, parse_config

ROOT = Path(__file__).resolve().parents[2]
BASE = {
    "backend_url": "http://127.0.0.1:5000",
    "hall": "qingshan",
    "kiosk": "kiosk-1",
    "token": "t",
}


def test_demo_config_reads_the_token_from_the_demo_credentials(tmp_path, monkeypatch):
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "demo-credentials.toml").write_text(
        'hall = "qingshan"\n[users]\nclerk1 = "pw"\n[devices]\n"kiosk-1" = "secret-1"\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)  # relative paths are taken from where the kiosk starts
    config = load_config(ROOT / "config" / "kiosk-demo.toml")
    assert config.token == "secret-1" and config.kiosk == "kiosk-1" and config.hall == "qingshan"
    assert config.backend_url == "http://127.0.0.1:5000"
    # no public_url of its own: the hall's (from the catalog), else the backend address
    assert config.status_base() == "http://127.0.0.1:5000"
    assert config.status_base("https://hall.example.cn/") == "https://hall.example.cn"
    assert config.printer.type == "dummy" and config.printer.paper == 80
    assert (config.idle_seconds, config.confirm_seconds, config.language) == (60, 20, "zh")
    assert (config.guide_idle_seconds, config.idle_warning_seconds, config.voice) == (120, 15, True)


def test_example_config_is_valid_apart_from_its_token_file(tmp_path):
    text = (ROOT / "config" / "kiosk-example.toml").read_text(encoding="utf-8")
    token = tmp_path / "kiosk-2.token"
    token.write_text("abc123\n", encoding="utf-8")
    path = tmp_path / "kiosk.toml"
    path.write_text(text.replace("/etc/onestop/kiosk-2.token", str(token)), encoding="utf-8")
    config = load_config(path)
    assert config.token == "abc123" and config.public_url == "https://banshi.example.gov.cn"
    assert config.printer.type == "network" and config.printer.options["host"] == "192.168.10.51"
    assert config.printer.job_timeout == 10 and config.api_retries == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"hall": None}, "k.toml: hall: is required"),
        ({"backend_url": "127.0.0.1:5000"}, "k.toml: backend_url: must be an http(s) URL"),
        ({"language": "fr"}, "k.toml: language: must be one of zh, en, ug, got 'fr'"),
        ({"idle_seconds": 0}, "k.toml: idle_seconds: must be a positive number"),
        ({"confirm_seconds": "8"}, "k.toml: confirm_seconds: must be a positive number"),
        ({"api_retries": -1}, "k.toml: api_retries: must be a whole number"),
        ({"colour": "red"}, "k.toml: colour: unknown key"),
        ({"token": None}, "k.toml: token: give exactly one of token or token_file"),
        ({"token_file": "x"}, "k.toml: token: give exactly one of token or token_file"),
        ({"printer": {"type": "laser"}}, "k.toml: printer: printer config key 'type'"),
        (
            {"printer": {"type": "network"}},
            "k.toml: printer: printer config key 'host' is required",
        ),
        (
            {"printer": {"type": "dummy", "paper": 70}},
            "k.toml: printer.paper: must be one of 58, 80",
        ),
        ({"printer": {"type": "dummy", "job_timeout": 0}}, "k.toml: printer.job_timeout"),
        ({"printer": {"type": "dummy", "native_qr": "no"}}, "k.toml: printer.native_qr"),
    ],
)
def test_errors_name_file_and_key(change, message):
    data = {k: v for k, v in (BASE | change).items() if v is not None}
    with pytest.raises(ConfigError) as err:
        parse_config(data, "k.toml")
    assert str(err.value).startswith(message)


def test_token_file_problems(tmp_path):
    missing = BASE.copy()
    del missing["token"]
    with pytest.raises(ConfigError, match=r"k.toml: token_file: cannot read .*nope"):
        parse_config(missing | {"token_file": str(tmp_path / "nope")}, "k.toml")
    creds = tmp_path / "c.toml"
    creds.write_text('[devices]\n"kiosk-2" = "x"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"token_file: .*no token for 'kiosk-1'"):
        parse_config(missing | {"token_file": str(creds)}, "k.toml")


def test_bad_files(tmp_path):
    with pytest.raises(ConfigError, match=r"none.toml: \(file\): file not found"):
        load_config(tmp_path / "none.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("hall = \n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"broken.toml: \(file\): not valid TOML"):
        load_config(broken)


def test_entry_point_refuses_a_bad_config(tmp_path, capsys):
    path = tmp_path / "k.toml"
    path.write_text('backend_url = "http://x"\nhall = "h"\n', encoding="utf-8")
    assert main(["--config", str(path)]) == 2
    assert f"kiosk: {path}: kiosk: is required" in capsys.readouterr().err
