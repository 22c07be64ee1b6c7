"""Appointments (预约) as plain rules: the slots of a day, a slot's capacity, the cut-off, the
check-in tolerance and the anti-hoarding limits. No database and no web framework here."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from .hours import DayKind, Period


class AppointmentState(StrEnum):
    BOOKED = "booked"  # also after a move
    CHECKED_IN = "checked_in"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


class SlotReason(StrEnum):
    """Why a slot cannot be booked."""

    PAST = "past"
    CUTOFF = "cutoff"
    FULL = "full"
    CLOSED = "closed"


@dataclass(frozen=True)
class Rules:
    """The hall's ``[appointments]`` settings as the rules read them."""

    slot_minutes: int = 30
    share: float = 0.3
    days_ahead: int = 7
    cutoff_minutes: int = 60
    early_minutes: int = 15
    late_minutes: int = 10
    max_active_per_phone: int = 2
    max_active_per_id: int = 2
    no_show_limit: int = 3
    no_show_days: int = 30


@dataclass(frozen=True)
class Slot:
    start: datetime  # aware, the hall's zone
    end: datetime


def day_slots(day: date, periods: Iterable[Period], tz: ZoneInfo, minutes: int) -> list[Slot]:
    """Whole slots of ``minutes`` inside each opening period of ``day`` (a tail shorter than a
    slot is left out)."""
    step = timedelta(minutes=minutes)
    out: list[Slot] = []
    for opens, closes in sorted(periods):
        start = datetime.combine(day, opens, tzinfo=tz)
        end = datetime.combine(day, closes, tzinfo=tz)
        while start + step <= end:
            out.append(Slot(start, start + step))
            start += step
    return out


def find_slot(start: datetime, slots: Sequence[Slot]) -> Slot | None:
    """The slot beginning exactly at ``start`` (any zone), or None: not on a slot boundary."""
    for slot in slots:
        if slot.start == start:
            return slot
    return None


def slot_capacity(
    item_code: str,
    window_items: Mapping[int, Sequence[str]],
    service_minutes: Callable[[str], float],
    slot_minutes: int,
    share: float,
) -> int:
    """Places for ``item_code`` in one slot: the hall's ``share`` of what the windows serving it
    can do in the slot (a window serving several items gives each an equal part), rounded down,
    at least 1 when any window serves it."""
    serving = [items for items in window_items.values() if item_code in items]
    if not serving:
        return 0
    minutes = max(service_minutes(item_code), 1.0)
    total = sum((slot_minutes / minutes) / len(items) for items in serving)
    return max(1, math.floor(share * total + 1e-9))


def slot_reason(
    slot: Slot, now: datetime, cutoff_minutes: int, capacity: int, taken: int
) -> SlotReason | None:
    """Why ``slot`` cannot be booked now, or None when it can."""
    if capacity <= 0:
        return SlotReason.CLOSED
    if slot.start <= now:
        return SlotReason.PAST
    if slot.start - now < timedelta(minutes=cutoff_minutes):
        return SlotReason.CUTOFF
    if taken >= capacity:
        return SlotReason.FULL
    return None


def check_in_window(slot_start: datetime, rules: Rules) -> tuple[datetime, datetime]:
    """From when until when a check-in counts as on time."""
    return (
        slot_start - timedelta(minutes=rules.early_minutes),
        slot_start + timedelta(minutes=rules.late_minutes),
    )


class Arrival(StrEnum):
    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"


def arrival(now: datetime, slot_start: datetime, rules: Rules) -> Arrival:
    first, last = check_in_window(slot_start, rules)
    if now < first:
        return Arrival.EARLY
    if now > last:
        return Arrival.LATE
    return Arrival.ON_TIME


EXPLANATION = {
    Arrival.EARLY: (
        "您来早了，未到预约时段的签到时间，已为您取普通号。",
        "You are early for your appointment slot, so you get an ordinary ticket.",
    ),
    Arrival.LATE: (
        "您来晚了，已过预约时段的签到时间，已为您取普通号。",
        "You are late for your appointment slot, so you get an ordinary ticket.",
    ),
}


def explanation(kind: Arrival) -> dict[str, str] | None:
    """Plain words for a check-in outside the tolerance (None when on time)."""
    words = EXPLANATION.get(kind)
    return None if words is None else {"zh": words[0], "en": words[1]}


def no_show_at(slot: Slot, rules: Rules) -> datetime:
    """When an appointment nobody checked in for becomes a no-show: at the slot's end, or when
    the check-in tolerance ends if that is later."""
    return max(slot.end, check_in_window(slot.start, rules)[1])


def no_show_blocked_until(
    no_shows: Iterable[datetime], now: datetime, rules: Rules
) -> datetime | None:
    """While a person has ``no_show_limit`` no-shows within ``no_show_days``: when the oldest
    of them ages out; None when they may book."""
    if rules.no_show_limit <= 0:
        return None
    span = timedelta(days=rules.no_show_days)
    recent = sorted(t for t in no_shows if now - t < span)
    if len(recent) < rules.no_show_limit:
        return None
    return recent[len(recent) - rules.no_show_limit] + span


def bookable_days(
    today: date, kind_of: Callable[[date], DayKind], has_hours: Callable[[date], bool], ahead: int
) -> list[date]:
    """Today and the following days up to the ``ahead``-th day with opening hours after today."""
    days = [today]
    day, found = today, 0
    for _ in range(ahead * 7 + 31):  # holidays (a week at most) cannot stall it
        if found >= ahead:
            break
        day += timedelta(days=1)
        days.append(day)
        if kind_of(day) is not DayKind.CLOSED and has_hours(day):
            found += 1
    return days


def day_label(day: date, kind: DayKind, is_holiday: bool) -> str:
    """workday | makeup (调休 working weekend) | weekend | holiday | closed."""
    if kind is DayKind.WORKING:
        return "makeup" if day.weekday() >= 5 else "workday"
    if kind is DayKind.WEEKEND:
        return "weekend"
    return "holiday" if is_holiday else "closed"
