"""The county's monthly statistics across halls (JSON form; CSV and XLSX carry the same rows)."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from .common import Answer
from .referrals import HallBrief
from .reports import PeriodView


class TopItem(Answer):
    code: str
    name: str
    department: str
    tickets_issued: int
    tickets_served: int
    cases_accepted: int


class CountyItem(TopItem):
    halls: int = Field(description="how many halls had the item this month")


class HallFigures(Answer):
    """A hall's figures are its own monthly report's totals (its local month); the county's
    are recomputed over every resident, case and rating (not averaged over halls)."""

    tickets_issued: int
    tickets_served: int
    no_shows: int
    avg_wait_minutes: float | None
    cases_accepted: int = Field(
        description="a referred matter counts at the sending and at the receiving hall (each "
        "hall's own report counts it), so the county's total counts it at both"
    )
    cases_finished: int
    cases_on_time: int
    cases_overdue: int
    on_time_rate: float | None = Field(description="0..1; null when no case was finished")
    evaluations: int
    satisfaction_rate: float | None = Field(
        description="满意率 as the hall report has it, 0..1; null when nothing was rated"
    )
    bad_reviews: int = Field(description="不满意 and 非常不满意 (excluded on appeal: not counted)")
    repeat_visits: int = Field(description="重访: cases accepted this month flagged as repeats")
    referrals_up: int = Field(description="上报 sent this month")
    referrals_received: int = Field(description="referrals received this month (either way)")
    referrals_down: int = Field(description="交办 sent this month")


class HallRow(HallBrief, HallFigures):
    parent: str | None = Field(description="the hall above, null for the root of the tree")
    depth: int = Field(description="0: the hall asked for; 1: directly below it; …")
    top_items: list[TopItem] = Field(description="the 5 items with most residents")


class NetworkReport(Answer):
    root: HallBrief
    period: PeriodView = Field(description="the month in the root hall's time zone")
    generated_at: datetime
    halls: list[HallRow] = Field(description="the root, then every hall below it, in tree order")
    totals: HallFigures
    top_items: list[CountyItem] = Field(description="the 10 items with most residents, by code")
