"""What one simulated period drives: the arrivals and window shifts inside it, and the clock that
maps simulated hall time onto real time at ``speed`` (60: a simulated minute per real second)."""

from __future__ import annotations

import time as _time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..hallconfig import HallConfig
from ..sim.model import Arrival, Shift, arrivals, default_roster, named_profile


@dataclass(frozen=True)
class Span:
    """A window open from ``start`` to ``end`` (simulated, timezone-aware)."""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class Plan:
    cfg: HallConfig
    profile: str
    start: datetime  # simulated period, hall-local
    end: datetime
    arrivals: tuple[Arrival, ...]  # inside [start, end), sorted
    shifts: Mapping[int, tuple[Span, ...]]  # window -> its open spans inside [start, end)

    @property
    def minutes(self) -> float:
        return (self.end - self.start).total_seconds() / 60


def parse_hhmm(text: str) -> time:
    try:
        hours, minutes = text.split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise ValueError(f"expected HH:MM, got {text!r}") from None


def parse_windows(text: str) -> set[int]:
    """``"1-2,4,6-12"`` -> {1, 2, 4, 6, ..., 12}."""
    out: set[int] = set()
    for part in filter(None, (p.strip() for p in text.split(","))):
        low, _, high = part.partition("-")
        try:
            out.update(range(int(low), int(high or low) + 1))
        except ValueError:
            raise ValueError(f"expected window numbers like 1-3,5, got {text!r}") from None
    return out


def merged_spans(roster: Iterable[Shift], day: date, tz: ZoneInfo) -> dict[int, list[Span]]:
    """Each window's shifts on ``day`` as spans, touching or overlapping shifts merged."""
    out: dict[int, list[Span]] = {}
    for shift in sorted(roster, key=lambda s: (s.window, s.start)):
        span = Span(
            datetime.combine(day, shift.start, tzinfo=tz),
            datetime.combine(day, shift.end, tzinfo=tz),
        )
        if span.end <= span.start:
            continue
        spans = out.setdefault(shift.window, [])
        if spans and span.start <= spans[-1].end:
            spans[-1] = Span(spans[-1].start, max(spans[-1].end, span.end))
        else:
            spans.append(span)
    return out


def clip(
    cfg: HallConfig,
    profile: str,
    day: date,
    day_arrivals: Sequence[Arrival],
    roster: Iterable[Shift],
    start: time | None = None,
    duration_minutes: float | None = None,
    windows: set[int] | None = None,
) -> Plan:
    """The part of a day from ``start`` (default: the first shift, else the first arrival) for
    ``duration_minutes`` (default: to the last shift's end, else just past the last arrival)."""
    tz = ZoneInfo(cfg.hall.timezone)
    spans = merged_spans((s for s in roster if windows is None or s.window in windows), day, tz)
    opens = [s.start for ss in spans.values() for s in ss]
    closes = [s.end for ss in spans.values() for s in ss]
    times = sorted(a.at for a in day_arrivals)
    if start is not None:
        begin = datetime.combine(day, start, tzinfo=tz)
    else:
        begin = min(opens or times or [datetime.combine(day, time(8, 30), tzinfo=tz)])
    if duration_minutes is not None:
        end = begin + timedelta(minutes=duration_minutes)
    else:
        end = max(closes or [t + timedelta(minutes=1) for t in times[-1:]] or [begin])
    if end <= begin:
        raise ValueError("the simulated period is empty (check --start and --duration)")
    inside = tuple(a for a in sorted(day_arrivals, key=lambda a: a.at) if begin <= a.at < end)
    clipped = {}
    for window, ss in spans.items():
        kept = tuple(
            Span(max(s.start, begin), min(s.end, end))
            for s in ss
            if s.end > begin and s.start < end
        )
        if kept:
            clipped[window] = kept
    return Plan(cfg, profile, begin, end, inside, clipped)


def build_plan(
    cfg: HallConfig,
    profile: str,
    day: date,
    seed: int,
    *,
    start: time | None = None,
    duration_minutes: float | None = None,
    no_show_rate: float = 0.03,
    patience_minutes: float | None = None,
    windows: set[int] | None = None,
) -> Plan:
    """A named profile's seeded arrivals for ``day`` and the hall's default roster, clipped."""
    day_arrivals = arrivals(
        cfg,
        named_profile(profile, cfg),
        day,
        seed,
        no_show_rate=no_show_rate,
        patience_minutes=patience_minutes,
    )
    return clip(
        cfg, profile, day, day_arrivals, default_roster(cfg), start, duration_minutes, windows
    )


class SimClock:
    """Simulated hall time running ``speed`` times faster than real (monotonic) time, from
    ``start`` at real instant ``origin``."""

    def __init__(self, start: datetime, speed: float, origin: float | None = None):
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.start, self.speed = start, speed
        self.origin = _time.monotonic() if origin is None else origin

    def sim(self, real: float | None = None) -> datetime:
        real = _time.monotonic() if real is None else real
        return self.start + timedelta(seconds=(real - self.origin) * self.speed)

    def real(self, at: datetime) -> float:
        return self.origin + (at - self.start).total_seconds() / self.speed

    def real_seconds(self, sim_seconds: float) -> float:
        return sim_seconds / self.speed

    def sim_seconds(self, real_seconds: float) -> float:
        return real_seconds * self.speed
