"""Kiosk configuration (TOML): load, validate, and name the file and key of every problem.

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from clientlib.printing.config import PrinterConfig, parse_printer_config

from .i18n import languages


class ConfigError(ValueError):
    """A bad kiosk config; the message reads ``file: key: reason``."""


@dataclass(frozen=True)
class KioskConfig:
    backend_url: str
    hall: str
    kiosk: str
    token: str
    public_url: str = ""  # base of the QR status link; empty = the hall's, else backend_url
    language: str = "zh"  # the home screen's language: any with a catalogue (i18n/messages/)
    idle_seconds: float = 60.0  # untouched this long: back to the home screen
    guide_idle_seconds: float = 120.0  # the same on a guide (一次性告知), which takes reading
    idle_warning_seconds: float = 15.0  # the countdown shown before going home
    confirm_seconds: float = 20.0  # the ticket screen stays this long after printing
    retry_seconds: float = 5.0  # reconnect attempts while the backend is unreachable
    heartbeat_seconds: float = 30.0
    catalog_refresh_seconds: float = 30.0  # also how soon 暂停取号 follows windows opening
    api_timeout: float = 5.0
    api_retries: int = 2
    voice: bool = True  # 语音播报 button, when espeak-ng is installed on the kiosk
    printer: PrinterConfig = field(default_factory=PrinterConfig)
    source: str = "<config>"

    def status_base(self, hall_public_url: str = "") -> str:
        """Base of the receipt's QR link: this kiosk's own public_url, else the hall's (from its
        catalog), else the backend address (reachable from the hall's network only)."""
        return (self.public_url or hall_public_url or self.backend_url).rstrip("/")


_TOP_KEYS = {
    "backend_url",
    "public_url",
    "hall",
    "kiosk",
    "token",
    "token_file",
    "language",
    "idle_seconds",
    "guide_idle_seconds",
    "idle_warning_seconds",
    "confirm_seconds",
    "retry_seconds",
    "heartbeat_seconds",
    "catalog_refresh_seconds",
    "api_timeout",
    "api_retries",
    "voice",
    "printer",
}
_SECONDS = (
    "idle_seconds",
    "guide_idle_seconds",
    "idle_warning_seconds",
    "confirm_seconds",
    "retry_seconds",
    "heartbeat_seconds",
    "catalog_refresh_seconds",
    "api_timeout",
)


class _Reader:
    def __init__(self, source: str, data: dict[str, Any], prefix: str = ""):
        self.source, self.data, self.prefix = source, data, prefix

    def fail(self, key: str, reason: str) -> ConfigError:
        return ConfigError(f"{self.source}: {self.prefix}{key}: {reason}")

    def text(self, key: str, default: str | None = None) -> str:
        value = self.data.get(key, default)
        if value is None:
            raise self.fail(key, "is required")
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"must be a non-empty string, got {value!r}")
        return value.strip()

    def url(self, key: str, default: str | None = None) -> str:
        value = self.text(key, default)
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise self.fail(key, f"must be an http(s) URL, got {value!r}")
        return value.rstrip("/")

    def number(self, key: str, default: float) -> float:
        value = self.data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise self.fail(key, f"must be a positive number, got {value!r}")
        return float(value)

    def choice(self, key: str, default: Any, choices: tuple) -> Any:
        value = self.data.get(key, default)
        if value not in choices:
            raise self.fail(key, f"must be one of {', '.join(map(str, choices))}, got {value!r}")
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, f"must be true or false, got {value!r}")
        return value

    def unknown(self, allowed: set[str]) -> None:
        extra = sorted(set(self.data) - allowed)
        if extra:
            raise self.fail(extra[0], "unknown key")


def load_config(path: str | Path) -> KioskConfig:
    """Read and validate a kiosk config file."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return parse_config(data, str(path))


def parse_config(data: dict[str, Any], source: str = "<config>") -> KioskConfig:
    r = _Reader(source, data)
    r.unknown(_TOP_KEYS)
    kiosk = r.text("kiosk")
    retries = data.get("api_retries", 2)
    if isinstance(retries, bool) or not isinstance(retries, int) or not 0 <= retries <= 10:
        raise r.fail("api_retries", f"must be a whole number 0-10, got {retries!r}")
    backend = r.url("backend_url")
    return KioskConfig(
        backend_url=backend,
        public_url=r.url("public_url") if "public_url" in data else "",
        hall=r.text("hall"),
        kiosk=kiosk,
        token=_token(r, kiosk),
        language=r.choice("language", "zh", tuple(lang["code"] for lang in languages())),
        api_retries=retries,
        voice=r.flag("voice", True),
        printer=parse_printer_config(data.get("printer", {"type": "dummy"}), source, ConfigError),
        source=source,
        **{key: r.number(key, getattr(KioskConfig, key)) for key in _SECONDS},
    )


def _token(r: _Reader, kiosk: str) -> str:
    if ("token" in r.data) == ("token_file" in r.data):
        raise r.fail("token", "give exactly one of token or token_file")
    if "token" in r.data:
        return r.text("token")
    path = Path(r.text("token_file"))
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise r.fail("token_file", f"cannot read {path}: {exc.strerror or exc}") from None
    return _token_from_file(raw, kiosk, lambda reason: r.fail("token_file", f"{path}: {reason}"))


def _token_from_file(raw: str, kiosk: str, fail) -> str:
    """A credentials TOML with a [devices] table (as `onestop demo` writes), or a bare token."""
    try:
        parsed = tomllib.loads(raw)
    except tomllib.TOMLDecodeError:
        parsed = None
    if isinstance(parsed, dict) and "devices" in parsed:
        token = parsed["devices"].get(kiosk)
        if not isinstance(token, str) or not token:
            raise fail(f"[devices] has no token for {kiosk!r}")
        return token
    token = raw.strip()
    if not token or len(token.split()) != 1:
        raise fail("expected a [devices] table or a file holding only the token")
    return token
