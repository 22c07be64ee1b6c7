"""Who may rate a service (好差评) and for how long a rating request stays open."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

# A rating request the resident has not answered closes this long after the clerk asked.
REQUEST_MINUTES = 5
WINDOW_IN_NAME = re.compile(r"^\s*(\d+)\s*号窗口")


def pad_window(attached_to: str | None, name: str | None) -> int | None:
    """The window a rating pad stands at: its ``attached_to`` (the window number, e.g. "3") in
    the hall file, else the number at the start of its name (「1号窗口好差评评价器」 -> 1)."""
    spec = (attached_to or "").strip()
    if spec.isascii() and spec.isdigit():
        return int(spec)
    match = WINDOW_IN_NAME.match(name or "")
    return int(match.group(1)) if match else None


def request_expiry(requested_at: datetime) -> datetime:
    return requested_at + timedelta(minutes=REQUEST_MINUTES)
