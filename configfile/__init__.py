"""What is wrong in a config file, one line per problem: ``file: key: reason``.

The one wording for the hall files (backend.hallconfig) and the terminals' files
(clientlib.config): an operator reads the same kind of line from ``onestop check-config`` as from
a kiosk that will not start. Each side turns its own validation errors into `Problem`s (the hall
file names list entries, ``items[3] (MZ-01).prefix``; a terminal's keys are dotted,
``printer.paper``). Importable by the backend and the Qt clients alike (no Flask, no Qt).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["ConfigError", "Problem", "read_toml"]

WHOLE_FILE = "(file)"  # the key of a problem with the file itself


@dataclass(frozen=True)
class Problem:
    file: str
    key: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.key}: {self.reason}"


class ConfigError(ValueError):
    """A bad config file; each line of the message reads ``file: key: reason``."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def read_toml(path: str | Path) -> dict[str, Any]:
    """A config file's table; ConfigError when the file is missing or not TOML."""
    path = Path(path)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError([Problem(str(path), WHOLE_FILE, "file not found")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([Problem(str(path), WHOLE_FILE, f"not valid TOML: {exc}")]) from None
