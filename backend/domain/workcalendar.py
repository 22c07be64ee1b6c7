"""Working-day calendar for time-limited completion (限时办结).

National rest days and weekend make-up working days (调休) come from a ``HolidaySource``; the
default one reads the ``chinese-calendar`` package, which holds the State Council arrangement
year by year. A hall adds its own closures and extra duty days on top.

Coverage: a year is covered when the source holds that year's official arrangement. For
``chinese-calendar`` that is its own data range (first to last year of its holiday table, the
same range the package enforces). For an uncovered year ``is_working_day`` still answers with
weekends-only (Mon-Fri working) but records the year in ``fallback_years_used``; the server
should call ``uncovered_years`` at startup and warn, and upgrade the package yearly.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Protocol

import chinese_calendar

from .hours import DayKind

_ONE_DAY = timedelta(days=1)
_MAX_GAP_DAYS = 366  # a calendar with no working day for a whole year is misconfigured

COLOURS = ("green", "yellow", "orange", "red")


class HolidaySource(Protocol):
    """Where national rest days come from. Only asked about dates in covered years."""

    def covers(self, year: int) -> bool: ...

    def is_working_day(self, day: date) -> bool: ...

    def is_holiday(self, day: date) -> bool:
        """True for every day of a public-holiday arrangement, weekends inside it included."""
        ...


class ChineseCalendarSource:
    """Mainland China public holidays and make-up working days from ``chinese-calendar``."""

    def __init__(self) -> None:
        years = [d.year for d in chinese_calendar.holidays]
        self.first_year = min(years)
        self.last_year = max(years)

    def covers(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year

    def is_working_day(self, day: date) -> bool:
        return chinese_calendar.is_workday(day)

    def is_holiday(self, day: date) -> bool:
        return day in chinese_calendar.holidays


def national_source() -> HolidaySource:
    """The default source: the official mainland China calendar."""
    return ChineseCalendarSource()


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (the hall's local zone)")


class WorkCalendar:
    """Working days of one hall: national calendar plus hall overrides.

    ``extra_closed`` dates are never working days; ``extra_working`` dates (weekend or holiday
    duty) always are. Overrides are authoritative, so they never count as a fallback answer.
    """

    def __init__(
        self,
        extra_closed: Iterable[date] = (),
        extra_working: Iterable[date] = (),
        source: HolidaySource | None = None,
    ) -> None:
        self.extra_closed = frozenset(extra_closed)
        self.extra_working = frozenset(extra_working)
        both = self.extra_closed & self.extra_working
        if both:
            raise ValueError(f"dates both closed and working: {sorted(both)}")
        self.source = source if source is not None else national_source()
        self.fallback_years_used: set[int] = set()

    # --- coverage ---------------------------------------------------------------------------

    def covers(self, year: int) -> bool:
        return self.source.covers(year)

    def uncovered_years(self, years: Iterable[int]) -> list[int]:
        return sorted({y for y in years if not self.source.covers(y)})

    # --- single days ------------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        """Hall overrides first, then the national calendar (weekends-only if uncovered)."""
        if day in self.extra_closed:
            return False
        if day in self.extra_working:
            return True
        if not self.source.covers(day.year):
            self.fallback_years_used.add(day.year)
            return day.weekday() < 5
        return self.source.is_working_day(day)

    def day_kind(self, day: date) -> DayKind:
        """Classify ``day`` for ``hours.OpeningHours`` (holiday weekends are CLOSED, not WEEKEND)."""
        if self.is_working_day(day):
            return DayKind.WORKING
        if day in self.extra_closed:
            return DayKind.CLOSED
        if self.source.covers(day.year) and self.source.is_holiday(day):
            return DayKind.CLOSED
        return DayKind.WEEKEND if day.weekday() >= 5 else DayKind.CLOSED

    def _counts(self, day: date, stopped: frozenset[date]) -> bool:
        return day not in stopped and self.is_working_day(day)

    # --- counting ---------------------------------------------------------------------------

    def add_working_days(self, start: date, n: int, skip: Iterable[date] = ()) -> date:
        """The Nth working day after ``start`` (start never counts); n=0 returns start.

        Dates in ``skip`` (e.g. suspension days) are not counted.
        """
        if n < 0:
            raise ValueError("n must be >= 0")
        stopped = frozenset(skip)
        day, gap = start, 0
        while n > 0:
            day += _ONE_DAY
            if self._counts(day, stopped):
                n, gap = n - 1, 0
            else:
                gap += 1
                if gap > _MAX_GAP_DAYS:
                    raise ValueError(f"no working day within {_MAX_GAP_DAYS} days after {day}")
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative (minus those in (end, start]) if end < start."""
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += _ONE_DAY
            count += self.is_working_day(day)
        return count

    # --- deadlines (限时办结) ---------------------------------------------------------------

    def deadline_for(
        self,
        accepted_at: datetime,
        working_days: int,
        office_close: time,
        suspended_days: Iterable[date] = (),
        accepted_day_counts: bool = False,
    ) -> datetime:
        """Deadline of a promised case: ``office_close`` on its Nth counting working day.

        Default rule: the acceptance day does not count, whatever the hour of acceptance, so a
        case accepted on Friday evening or on a holiday starts counting on the next working day.
        With ``accepted_day_counts`` the acceptance date is day 1 if it is itself a working day.
        ``suspended_days`` (补正, clock stopped) never count. ``working_days=0`` (即办件) gives
        ``office_close`` on the acceptance date. The result keeps ``accepted_at``'s tzinfo, which
        must be the hall's local zone.
        """
        _require_aware(accepted_at, "accepted_at")
        if working_days < 0:
            raise ValueError("working_days must be >= 0")
        accepted = accepted_at.date()
        if working_days == 0:
            due = accepted
        else:
            start = accepted - _ONE_DAY if accepted_day_counts else accepted
            due = self.add_working_days(start, working_days, skip=suspended_days)
        return datetime.combine(due, office_close, tzinfo=accepted_at.tzinfo)

    def _office_seconds(
        self,
        start: datetime,
        end: datetime,
        office_open: time,
        office_close: time,
        stopped: frozenset[date],
    ) -> int:
        """Seconds of office time within [start, end] on counting working days (start <= end)."""
        total, day = 0, start.date()
        while day <= end.date():
            if self._counts(day, stopped):
                opens = datetime.combine(day, office_open, tzinfo=start.tzinfo)
                closes = datetime.combine(day, office_close, tzinfo=start.tzinfo)
                lo, hi = max(start, opens), min(end, closes)
                if hi > lo:
                    total += round(hi.timestamp() - lo.timestamp())
            day += _ONE_DAY
        return total

    def remaining_working_days(
        self,
        now: datetime,
        deadline: datetime,
        office_open: time,
        office_close: time,
        suspended_days: Iterable[date] = (),
    ) -> float:
        """Office time left until ``deadline``, in working days (1.0 = one full office day).

        Negative when overdue (minus the office time elapsed since the deadline); this is 0.0
        just after a deadline at closing time, so test overdue with ``now > deadline`` or use
        ``deadline_colour``. ``now`` is converted to the deadline's zone.
        """
        _require_aware(now, "now")
        _require_aware(deadline, "deadline")
        day_seconds = (
            datetime.combine(date.min, office_close) - datetime.combine(date.min, office_open)
        ).total_seconds()
        if day_seconds <= 0:
            raise ValueError("office_close must be after office_open")
        now = now.astimezone(deadline.tzinfo)
        stopped = frozenset(suspended_days)
        if now <= deadline:
            seconds = self._office_seconds(now, deadline, office_open, office_close, stopped)
        else:
            seconds = -self._office_seconds(deadline, now, office_open, office_close, stopped)
        return seconds / day_seconds

    def deadline_colour(
        self,
        now: datetime,
        deadline: datetime,
        office_open: time,
        office_close: time,
        yellow_within_days: float = 3,
        orange_within_days: float = 1,
        suspended_days: Iterable[date] = (),
    ) -> str:
        """红橙黄绿 warning: red past the deadline, orange when at most ``orange_within_days``
        working days remain, yellow at most ``yellow_within_days``, else green (bounds inclusive).
        """
        if orange_within_days > yellow_within_days:
            raise ValueError("orange_within_days must not exceed yellow_within_days")
        left = self.remaining_working_days(now, deadline, office_open, office_close, suspended_days)
        if now > deadline:
            return "red"
        if left <= orange_within_days:
            return "orange"
        if left <= yellow_within_days:
            return "yellow"
        return "green"
