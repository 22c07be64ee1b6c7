"""Counter configuration (TOML): load, validate, and name the file and key of every problem.

    backend_url = "http://127.0.0.1:5000"
    hall = "qingshan"
    window = 3            # optional: the window offered first at login
    language = "zh"       # zh: Chinese first, English second; en: the other way round

    [printer]             # optional: a receipt printer at the window (受理回执, 一次性告知书)
    type = "network"      # network | usb | serial | file | dummy (see clientlib.printing)
    host = "192.168.1.51"
    paper = 80            # 58 | 80 mm roll

Optional tuning: api_timeout, api_retries, retry_seconds, refresh_seconds, debounce_seconds,
state_file (where the last username and window are kept; never a password or token).
Without a [printer] section the counter prints nothing and offers no printing.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:  # python-escpos is imported only when a [printer] is configured
    from clientlib.printing import PrinterConfig

LANGUAGES = ("zh", "en")


class ConfigError(ValueError):
    """A bad counter config; the message reads ``file: key: reason``."""


@dataclass(frozen=True)
class CounterConfig:
    backend_url: str
    hall: str
    window: int | None = None
    language: str = "zh"
    api_timeout: float = 5.0
    api_retries: int = 2
    retry_seconds: float = 3.0  # how often to probe the backend while it is unreachable
    refresh_seconds: float = 30.0  # periodic reload so waiting minutes stay current
    debounce_seconds: float = 0.3  # live events closer together than this cause one reload
    state_file: str = ""  # empty: the per-user config dir (see counter.localstate)
    printer: PrinterConfig | None = None  # None: no printer at this window
    source: str = "<config>"


_SECONDS = ("api_timeout", "retry_seconds", "refresh_seconds", "debounce_seconds")
_KEYS = {
    "backend_url",
    "hall",
    "window",
    "language",
    "api_retries",
    "state_file",
    "printer",
    *_SECONDS,
}


def load_config(path: str | Path) -> CounterConfig:
    """Read and validate a counter config file."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return parse_config(data, str(path))


def parse_config(data: dict[str, Any], source: str = "<config>") -> CounterConfig:
    def fail(key: str, reason: str) -> ConfigError:
        return ConfigError(f"{source}: {key}: {reason}")

    extra = sorted(set(data) - _KEYS)
    if extra:
        raise fail(extra[0], "unknown key")

    def text(key: str, required: bool = True, default: str = "") -> str:
        value = data.get(key, None if required else default)
        if value is None:
            raise fail(key, "is required")
        if not isinstance(value, str) or (required and not value.strip()):
            raise fail(key, f"must be a non-empty string, got {value!r}")
        return value.strip()

    url = text("backend_url")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise fail("backend_url", f"must be an http(s) URL, got {url!r}")
    window = data.get("window")
    if window is not None and (
        isinstance(window, bool) or not isinstance(window, int) or not 1 <= window <= 999
    ):
        raise fail("window", f"must be a window number 1-999, got {window!r}")
    language = data.get("language", "zh")
    if language not in LANGUAGES:
        raise fail("language", f"must be one of {', '.join(LANGUAGES)}, got {language!r}")
    retries = data.get("api_retries", 2)
    if isinstance(retries, bool) or not isinstance(retries, int) or not 0 <= retries <= 10:
        raise fail("api_retries", f"must be a whole number 0-10, got {retries!r}")
    seconds = {}
    for key in _SECONDS:
        value = data.get(key, getattr(CounterConfig, key))
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise fail(key, f"must be a positive number, got {value!r}")
        seconds[key] = float(value)
    return CounterConfig(
        backend_url=url.rstrip("/"),
        hall=text("hall"),
        window=window,
        language=language,
        api_retries=retries,
        state_file=text("state_file", required=False),
        printer=_printer(source, data["printer"]) if "printer" in data else None,
        source=source,
        **seconds,
    )


def _printer(source: str, data: Any) -> PrinterConfig:
    """The [printer] table: the same keys as the kiosk's (clientlib.printing.config)."""
    from clientlib.printing import parse_printer_config  # python-escpos only when a printer is set

    return parse_printer_config(data, source, ConfigError)
