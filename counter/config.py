"""Counter configuration (TOML), validated by pydantic; every problem names the file and key.

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
Without a [printer] section the counter prints nothing and offers no printing (python-escpos is
imported only when a [printer] is configured).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from clientlib.config import (
    ClientConfig,
    ConfigError,
    OptionalText,
    PrinterConfig,
    Seconds,
    load,
    one_of,
    parse,
    rule,
)

__all__ = ["LANGUAGES", "ConfigError", "CounterConfig", "load_config", "parse_config"]

LANGUAGES = ("zh", "en")

WindowNumber = Annotated[
    int,
    rule(lambda v: isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 999,
         "must be a window number 1-999"),
]  # fmt: skip


class CounterConfig(ClientConfig):
    """backend_url, hall, api_timeout, api_retries: see ClientConfig."""

    window: WindowNumber | None = None
    language: Annotated[str, one_of(LANGUAGES)] = "zh"
    retry_seconds: Seconds = 3.0  # how often to probe the backend while it is unreachable
    refresh_seconds: Seconds = 30.0  # periodic reload so waiting minutes stay current
    debounce_seconds: Seconds = 0.3  # live events closer together than this cause one reload
    state_file: OptionalText = ""  # empty: the per-user config dir (see counter.localstate)
    printer: PrinterConfig | None = None  # None: no printer at this window


def load_config(path: str | Path) -> CounterConfig:
    """Read and validate a counter config file."""
    return load(CounterConfig, path)


def parse_config(data: dict[str, Any], source: str = "<config>") -> CounterConfig:
    return parse(CounterConfig, data, source)
