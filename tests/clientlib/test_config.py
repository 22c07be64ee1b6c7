"""The terminals' shared config loader: every problem at once, in the hall file's shape, and
--backend-url / $ONESTOP_BACKEND_URL over the file's backend_url."""

from __future__ import annotations

import argparse

import pytest

from clientlib import cli
from clientlib.config import ConfigError, Problem, load
from counter.config import CounterConfig
from kiosk.config import KioskConfig


def test_every_problem_is_listed_as_file_key_reason(tmp_path):
    path = tmp_path / "k.toml"
    path.write_text(
        'backend_url = "ftp://x"\nhall = ""\nkiosk = "k1"\ntoken = "t"\nidle_seconds = -1\n'
        'colour = "red"\n[printer]\ntype = "dummy"\npaper = 76\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load(KioskConfig, path)
    assert {(p.key, p.reason) for p in caught.value.problems} == {
        ("backend_url", "must be an http(s) URL, got 'ftp://x'"),
        ("hall", "must be a non-empty string, got ''"),
        ("idle_seconds", "must be a positive number, got -1"),
        ("printer.paper", "must be one of 58, 80, got 76"),
        ("colour", "unknown key"),
    }
    assert all(p.file == str(path) for p in caught.value.problems)
    assert str(caught.value).count("\n") == 4  # one line each, like the hall file's


def test_a_missing_file_names_the_file():
    with pytest.raises(ConfigError) as caught:
        load(CounterConfig, "/nonexistent/c.toml")
    assert caught.value.problems == [Problem("/nonexistent/c.toml", "(file)", "file not found")]


def _args(path, url=None) -> argparse.Namespace:
    return cli.parser("t", "test terminal", "counter").parse_args(
        ["--config", str(path)] + (["--backend-url", url] if url else [])
    )


def test_backend_url_from_the_command_line_then_the_environment(tmp_path, monkeypatch, capsys):
    path = tmp_path / "c.toml"
    path.write_text('backend_url = "http://127.0.0.1:5000"\nhall = "q"\n', encoding="utf-8")
    load_counter = lambda p: load(CounterConfig, p)  # noqa: E731
    monkeypatch.delenv(cli.BACKEND_ENV, raising=False)
    assert cli.configure(_args(path), load_counter, "t").backend_url == "http://127.0.0.1:5000"
    monkeypatch.setenv(cli.BACKEND_ENV, "http://10.0.0.2:8080/")
    config = cli.configure(_args(path), load_counter, "t")
    assert (config.backend_url, config.hall, config.source) == (
        "http://10.0.0.2:8080",
        "q",
        str(path),
    )
    config = cli.configure(_args(path, "http://10.0.0.3:9000"), load_counter, "t")
    assert config.backend_url == "http://10.0.0.3:9000"  # the command line wins
    monkeypatch.setenv(cli.BACKEND_ENV, "10.0.0.2:8080")
    assert cli.configure(_args(path), load_counter, "t") is None
    assert "t: $ONESTOP_BACKEND_URL: must be an http(s) URL" in capsys.readouterr().err


def test_a_bad_backend_url_argument_is_refused(tmp_path, capsys):
    with pytest.raises(SystemExit):
        _args(tmp_path / "c.toml", "127.0.0.1:5000")
    assert "must be an http(s) URL, got '127.0.0.1:5000'" in capsys.readouterr().err
