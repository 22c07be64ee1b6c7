"""The staffing advice of one day (``services.staffing.plan_to_json``): windows planned and
needed per half hour, with the gap and the expected p90 wait as planned and as advised."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from .common import Answer


class GroupAdviceView(Answer):
    """One item group (items linked through the windows serving them) in one half hour."""

    group: str = Field(description="its departments, e.g. HJ or MZ+RS+YB")
    planned: int
    needed: int
    available: int = Field(description="windows in the hall file serving the group")


class SlotAdviceView(Answer):
    start: str = Field(description="local time HH:MM the half hour starts")
    end: str = Field(description="local time HH:MM it ends")
    planned: int = Field(description="windows open as planned (today: open now; past: opened)")
    needed: int = Field(description="windows needed to meet the target")
    gap: int = Field(description="needed - planned: positive means open more windows")
    p90_planned: float | None = Field(description="expected p90 wait (minutes) as planned")
    p90_advised: float | None = Field(description="expected p90 wait (minutes) as advised")
    past: bool = Field(description="the half hour is over: planned and p90 are what happened")
    recorded_p90: float | None = Field(description="p90 wait recorded (half hours over)")
    expected_arrivals: float = Field(description="residents expected (past: arrived)")
    groups: list[GroupAdviceView] = Field(description="the same per item group")


class StaffingAnswer(Answer):
    hall: str
    day: date
    scope: Literal["today", "tomorrow", "day"] = Field(
        description="today: only the half hours not over yet (today remaining)"
    )
    at: datetime = Field(description="when the advice was computed")
    target: str = Field(description="the service target, e.g. 90% called within 15 min")
    target_minutes: float
    target_share: float = Field(description="0..1")
    day_kind: Literal["workday", "after_holiday", "makeup_workday", "weekend", "holiday"]
    mode: Literal["forecast", "today", "recorded"] = Field(
        description="forecast: a day to come; today: the rest simulated from now; recorded: "
        "a past day's own arrivals and windows"
    )
    source: str = Field(description="where the expected arrivals come from")
    slots: list[SlotAdviceView]
