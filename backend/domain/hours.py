"""Opening hours of a hall: weekday hours, extended hours (延时服务) and weekend duty (双休日值班)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

Period = tuple[time, time]


class DayKind(StrEnum):
    WORKING = "working"  # a working day, including a make-up working weekend (调休)
    WEEKEND = "weekend"  # an ordinary rest weekend: weekend duty hours apply
    CLOSED = "closed"  # a public holiday or a hall closure


DayKindOf = Callable[[date], DayKind]


@dataclass(frozen=True)
class OpeningHours:
    working_days: tuple[Period, ...]
    extended: tuple[Period, ...] = ()
    weekend_duty: tuple[Period, ...] = ()

    def periods_on(self, day: date, kind_of: DayKindOf) -> tuple[Period, ...]:
        kind = kind_of(day)
        if kind is DayKind.WORKING:
            return tuple(sorted(self.working_days + self.extended))
        if kind is DayKind.WEEKEND:
            return self.weekend_duty
        return ()

    def is_open(self, local: datetime, kind_of: DayKindOf) -> bool:
        now = local.time()
        return any(start <= now < end for start, end in self.periods_on(local.date(), kind_of))

    def next_opening(
        self, local: datetime, kind_of: DayKindOf, horizon_days: int = 21
    ) -> datetime | None:
        """The next moment the hall opens after ``local`` (same tzinfo), or None within horizon."""
        for offset in range(horizon_days + 1):
            day = local.date() + timedelta(days=offset)
            for start, _end in self.periods_on(day, kind_of):
                candidate = datetime.combine(day, start, tzinfo=local.tzinfo)
                if candidate > local:
                    return candidate
        return None


def simple_day_kinds(
    extra_closed: frozenset[date] = frozenset(), extra_working: frozenset[date] = frozenset()
) -> DayKindOf:
    """Monday-Friday working, weekends rest, adjusted by hall overrides (no national holidays)."""

    def kind_of(day: date) -> DayKind:
        if day in extra_working:
            return DayKind.WORKING
        if day in extra_closed:
            return DayKind.CLOSED
        return DayKind.WORKING if day.weekday() < 5 else DayKind.WEEKEND

    return kind_of
