"""Whether a service item can be taken now: a staffed window serves it, or the hall lets
residents queue while none does. Words for the kiosk when it cannot, with the hours it is
served."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .hours import DayKindOf, OpeningHours

STAFFED = frozenset({"open", "paused"})  # a clerk is signed in (a pause ends by itself)

NO_WINDOW = {
    "code": "no_window_open",
    "zh": "当前无窗口办理",
    "en": "No window open now",
}


@dataclass(frozen=True)
class Availability:
    window_open: bool  # a staffed window serves the item
    issuable: bool  # a ticket may be taken now

    def view(self, hours: dict[str, str] | None) -> dict[str, Any]:
        return {
            "available": self.issuable,
            "window_open": self.window_open,
            "unavailable_reason": None if self.window_open else dict(NO_WINDOW),
            "service_hours": None if self.window_open else hours,
        }


def availability(
    item: str,
    window_items: Mapping[int, Sequence[str]],
    window_states: Mapping[int, str],
    issue_when_no_window: bool,
) -> Availability:
    staffed = any(
        item in items and window_states.get(number) in STAFFED
        for number, items in window_items.items()
    )
    return Availability(staffed, staffed or issue_when_no_window)


def _periods(periods) -> str:
    return "、".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in periods)


def service_hours(hours: OpeningHours, local: datetime, kind_of: DayKindOf) -> dict[str, str]:
    """Today's service hours, or the next opening when the hall is done for the day."""
    today = hours.periods_on(local.date(), kind_of)
    if today and local.time() < today[-1][1]:
        text = _periods(today)
        return {"zh": f"今日服务时间 {text}", "en": f"Served today {text.replace('、', ', ')}"}
    nxt = hours.next_opening(local, kind_of)
    if nxt is None:
        return {"zh": "近期暂无服务时间", "en": "No service hours soon"}
    return {"zh": f"下次服务 {nxt:%m-%d %H:%M}", "en": f"Next served {nxt:%m-%d %H:%M}"}
