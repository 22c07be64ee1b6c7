"""Alerts of the county network's referrals (上报/交办), as plain rules over plain facts.

- ``refer_up_due``: an open case of an item beyond its hall's remit (``refer_up``) that was not
  reported upward by the end of the working day it was accepted on (「应当日上报未上报」); the
  hall holding the case is told.
- ``referral_late``: a referral sent after its due time (not the same working day the matter
  was accepted), sent this week (the sending hall's week, Monday first); the sending hall's.
- ``referral_waiting``: a referral neither accepted nor returned by the end of the receiving
  hall's working day it arrived on (arrived after closing or on a closed day: the next working
  day's); the receiving hall's.

``at`` is when the alert arose (the moment it became due, or the late sending).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Any

from . import network
from .workcalendar import WorkCalendar


class Kind(StrEnum):
    REFER_UP_DUE = "refer_up_due"
    REFERRAL_LATE = "referral_late"
    REFERRAL_WAITING = "referral_waiting"


KIND_ZH = {
    Kind.REFER_UP_DUE: "应当日上报未上报",
    Kind.REFERRAL_LATE: "移交超时",
    Kind.REFERRAL_WAITING: "移交待接收",
}
ORDER = (Kind.REFER_UP_DUE, Kind.REFERRAL_LATE, Kind.REFERRAL_WAITING)


@dataclass(frozen=True)
class Office:
    """What the rules need of a hall's working time."""

    tz: tzinfo
    calendar: WorkCalendar
    close: time  # the office close of a working day
    _ends: dict[tuple[date, bool], datetime] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )

    def day_end(self, moment: datetime) -> datetime:
        """``network.referral_due`` here: the close of the working day ``moment`` falls on (after
        closing or on a closed day: the next working day's). It depends only on the local date
        and the side of the close, so it is worked out once for each (a board of many cases)."""
        local = moment.astimezone(self.tz)
        key = (local.date(), local.time() > self.close)
        end = self._ends.get(key)
        if end is None:
            end = self._ends[key] = network.referral_due(self.calendar, local, self.close)
        return end


@dataclass(frozen=True)
class Referral:
    case: str  # the sending hall's acceptance number
    item_name: str
    direction: str  # up | down
    state: network.ReferralState
    from_hall: str
    from_name: str
    to_hall: str
    to_name: str
    sent_at: datetime
    due_at: datetime
    late: bool


@dataclass(frozen=True)
class OpenCase:
    hall: str
    number: str
    item_name: str
    accepted_at: datetime
    refer_up: bool  # the item is beyond this hall's remit (its config says so)
    referred: bool  # the case has a referral (sent, or it came by one): nothing to report


@dataclass(frozen=True)
class Alert:
    hall: str  # the hall that should act
    kind: Kind
    text: str
    at: datetime
    case: str | None

    def view(self) -> dict[str, Any]:
        return {
            "hall": self.hall,
            "kind": self.kind.value,
            "text": self.text,
            "at": self.at.isoformat(),
            "case": self.case,
        }


def _when(moment: datetime, tz: tzinfo) -> str:
    local = moment.astimezone(tz)
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def _direction_zh(direction: str) -> str:
    return network.DIRECTION_ZH[network.Direction(direction)]


def week_start(now: datetime, tz: tzinfo) -> datetime:
    """Monday 00:00 of ``now``'s week in ``tz``."""
    local = now.astimezone(tz)
    monday = local.date() - timedelta(days=local.weekday())
    return datetime.combine(monday, time(), tzinfo=tz)


def refer_up_due(case: OpenCase, office: Office, now: datetime) -> Alert | None:
    if not case.refer_up or case.referred:
        return None
    due = office.day_end(case.accepted_at)
    if now <= due:
        return None
    return Alert(
        case.hall,
        Kind.REFER_UP_DUE,
        f"{case.number} {case.item_name} 应当日上报未上报（应于 {_when(due, office.tz)} 前上报）",
        due,
        case.number,
    )


def referral_late(referral: Referral, sender: Office, now: datetime) -> Alert | None:
    if not referral.late or referral.sent_at < week_start(now, sender.tz):
        return None
    what = _direction_zh(referral.direction)
    return Alert(
        referral.from_hall,
        Kind.REFERRAL_LATE,
        f"{referral.case} {referral.item_name} {what}{referral.to_name}超时"
        f"（应于 {_when(referral.due_at, sender.tz)} 前，{_when(referral.sent_at, sender.tz)}"
        f" 才{what}）",
        referral.sent_at,
        referral.case,
    )


def referral_waiting(referral: Referral, receiver: Office, now: datetime) -> Alert | None:
    if referral.state is not network.ReferralState.SENT:
        return None
    end = receiver.day_end(referral.sent_at)
    if now <= end:
        return None
    return Alert(
        referral.to_hall,
        Kind.REFERRAL_WAITING,
        f"{referral.from_name}{_direction_zh(referral.direction)}的 {referral.case}"
        f" {referral.item_name} 当日未接收（{_when(referral.sent_at, receiver.tz)} 送达）",
        end,
        referral.case,
    )


def ordered(alerts: list[Alert]) -> list[Alert]:
    """Most urgent kinds first, then the oldest first."""
    return sorted(alerts, key=lambda a: (ORDER.index(a.kind), a.at))
