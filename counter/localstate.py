"""What the counter remembers between runs: the last username and window. Nothing secret —
never a password or token — so a crash or restart only needs the clerk to log in again."""

from __future__ import annotations

import json
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)


def default_path(hall: str) -> Path:
    """~/.config/onestop/counter-<hall>.json (XDG_CONFIG_HOME, or APPDATA on Windows)."""
    if sys.platform == "win32" and os.environ.get("APPDATA"):
        base = Path(os.environ["APPDATA"])
    else:
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "onestop" / f"counter-{hall}.json"


@dataclass
class LocalState:
    path: Path
    username: str = ""
    window: int | None = None

    @classmethod
    def load(cls, path: Path) -> LocalState:
        """The saved state, or an empty one if the file is missing or unreadable."""
        state = cls(Path(path))
        try:
            data = json.loads(state.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return state
        except (OSError, ValueError) as exc:
            log.warning("ignoring unreadable counter state %s: %s", path, exc)
            return state
        if isinstance(data, dict):
            if isinstance(data.get("username"), str):
                state.username = data["username"][:40]
            window = data.get("window")
            if isinstance(window, int) and not isinstance(window, bool):
                state.window = window
        return state

    def save(self, username: str, window: int | None) -> None:
        """Write atomically (temp file + rename); a failure is logged, never fatal."""
        self.username, self.window = username, window
        data = {"username": username, "window": window}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError as exc:
            log.warning("could not save counter state to %s: %s", self.path, exc)
