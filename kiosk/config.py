"""Kiosk configuration (TOML), validated by pydantic; every problem names the file and key.

    backend_url = "http://127.0.0.1:5000"
    hall = "qingshan"
    kiosk = "kiosk-1"
    token_file = "var/demo-credentials.toml"   # or: token = "..."

    [printer]
    type = "network"
    host = "192.168.1.50"
    paper = 80

Relative paths (token_file) are taken from the directory the kiosk is started in.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, model_validator

from clientlib.config import (
    ClientConfig,
    ConfigError,
    Flag,
    KeyProblem,
    PrinterConfig,
    Seconds,
    Text,
    Url,
    load,
    one_of,
    parse,
)

from .i18n import languages

__all__ = ["ConfigError", "KioskConfig", "load_config", "parse_config"]


def _languages() -> list[str]:
    """Any language with a catalogue (i18n/messages/), looked up when the file is read."""
    return [lang["code"] for lang in languages()]


class KioskConfig(ClientConfig):
    """backend_url, hall, api_timeout, api_retries: see ClientConfig."""

    kiosk: Text
    token: Text = ""  # exactly one of token and token_file
    token_file: Text = ""  # a [devices] credentials file (as onestop demo writes) or the token
    public_url: Url = ""  # base of the QR status link; empty = the hall's, else backend_url
    language: Annotated[str, one_of(_languages)] = "zh"  # the home screen's language
    idle_seconds: Seconds = 60.0  # untouched this long: back to the home screen
    guide_idle_seconds: Seconds = 120.0  # the same on a guide (一次性告知), which takes reading
    idle_warning_seconds: Seconds = 15.0  # the countdown shown before going home
    confirm_seconds: Seconds = 20.0  # the ticket screen stays this long after printing
    retry_seconds: Seconds = 5.0  # reconnect attempts while the backend is unreachable
    heartbeat_seconds: Seconds = 30.0
    catalog_refresh_seconds: Seconds = 30.0  # also how soon 暂停取号 follows windows opening
    voice: Flag = True  # 语音播报 button, when espeak-ng is installed on the kiosk
    printer: PrinterConfig = Field(default_factory=PrinterConfig)

    @model_validator(mode="after")
    def _read_token(self) -> KioskConfig:
        given = self.model_fields_set
        if ("token" in given) == ("token_file" in given):
            raise KeyProblem("token", "give exactly one of token or token_file")
        if self.token_file:
            object.__setattr__(self, "token", _token_from_file(Path(self.token_file), self.kiosk))
        return self

    def status_base(self, hall_public_url: str = "") -> str:
        """Base of the receipt's QR link: this kiosk's own public_url, else the hall's (from its
        catalog), else the backend address (reachable from the hall's network only)."""
        return (self.public_url or hall_public_url or self.backend_url).rstrip("/")


def _token_from_file(path: Path, kiosk: str) -> str:
    """A credentials TOML with a [devices] table (as `onestop demo` writes), or a bare token."""
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise KeyProblem("token_file", f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        parsed = tomllib.loads(raw)
    except tomllib.TOMLDecodeError:
        parsed = None
    if isinstance(parsed, dict) and "devices" in parsed:
        token = parsed["devices"].get(kiosk)
        if not isinstance(token, str) or not token:
            raise KeyProblem("token_file", f"{path}: [devices] has no token for {kiosk!r}")
        return token
    token = raw.strip()
    if not token or len(token.split()) != 1:
        raise KeyProblem(
            "token_file", f"{path}: expected a [devices] table or a file holding only the token"
        )
    return token


def load_config(path: str | Path) -> KioskConfig:
    """Read and validate a kiosk config file."""
    return load(KioskConfig, path)


def parse_config(data: dict[str, Any], source: str = "<config>") -> KioskConfig:
    return parse(KioskConfig, data, source)
