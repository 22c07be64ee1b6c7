"""Estimated wait for a ticket: people ahead times a typical service time, shared by windows."""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import median

MIN_SAMPLES = 3


def typical_service_seconds(recent: Sequence[float], default_minutes: float) -> float:
    """Median of recent service durations; the item's default until there are enough of them."""
    samples = [s for s in recent if s > 0]
    if len(samples) < MIN_SAMPLES:
        return default_minutes * 60.0
    return float(median(samples))


def estimate_wait_minutes(
    people_ahead: int,
    recent_service_seconds: Sequence[float],
    windows_serving: int,
    default_minutes: float,
) -> int:
    """Whole minutes until called. ``windows_serving`` counts open windows for the item; when
    none is open yet the estimate assumes one, so a morning queue still gets a figure."""
    if people_ahead <= 0:
        return 0
    per_person = typical_service_seconds(recent_service_seconds, default_minutes)
    return math.ceil(people_ahead * per_person / max(1, windows_serving) / 60.0)
