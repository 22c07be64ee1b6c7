"""Ticket numbers: prefix + zero-padded sequence, counted per prefix per hall-local day."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

PREFIX_PATTERN = re.compile(r"^[A-Z]{1,2}$")


def local_day(now: datetime, timezone: str) -> date:
    """The hall-local calendar day of an aware instant; numbering restarts at local midnight."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(ZoneInfo(timezone)).date()


def format_number(prefix: str, seq: int, width: int = 3) -> str:
    """``A`` + 7 -> ``A007``; the sequence grows past the width rather than wrapping."""
    if not PREFIX_PATTERN.match(prefix):
        raise ValueError(f"ticket prefix must be 1-2 capital letters, got {prefix!r}")
    if seq < 1:
        raise ValueError("sequence starts at 1")
    return f"{prefix}{seq:0{width}d}"


def parse_number(number: str) -> tuple[str, int]:
    """``A007`` -> (``A``, 7); raises ValueError for anything else."""
    match = re.fullmatch(r"([A-Z]{1,2})(\d{1,6})", number.strip().upper())
    if not match:
        raise ValueError(f"not a ticket number: {number!r}")
    return match.group(1), int(match.group(2))


def spoken_number(number: str) -> str:
    """Digits spelled one by one for the voice call-out: ``A012`` -> ``A 0 1 2``."""
    return " ".join(number)
