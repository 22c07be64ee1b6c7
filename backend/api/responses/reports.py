"""The daily and monthly statistics (JSON form; CSV and XLSX carry the same rows)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from .common import Answer, absent


class Metrics(Answer):
    """The same figures for the hall, each grouping row and each day."""

    tickets_issued: int
    tickets_served: int
    no_shows: int
    avg_wait_minutes: float | None
    avg_service_minutes: float | None
    cases_accepted: int
    cases_finished: int
    cases_on_time: int
    cases_overdue: int
    cases_extended: int
    cases_refused: int
    cases_referred: int = Field(description="上报/交办: sent to another hall of the network")
    on_time_rate: float | None = Field(description="0..1; null when no case was finished")
    very_satisfied: int
    satisfied: int
    basically_satisfied: int
    dissatisfied: int
    very_dissatisfied: int
    evaluations: int
    satisfaction_rate: float | None = Field(description="0..1; null when nothing was rated")


class GroupRow(Metrics):
    key: str | int | None = Field(
        description="department or item code, window number, clerk username; null: 未分配"
    )
    name: str
    department: str = absent(description="item rows: the department's name")


class Groupings(Answer):
    """Only the grouping asked for with ``by``, else all four."""

    department: list[GroupRow] = absent()
    item: list[GroupRow] = absent()
    window: list[GroupRow] = absent()
    clerk: list[GroupRow] = absent()


class ReportHall(Answer):
    code: str
    name: str


class PeriodView(Answer):
    kind: Literal["day", "month"]
    label: str
    first: date
    last: date
    start: datetime
    end: datetime


class DayRow(Metrics):
    key: date
    working_day: bool


class Report(Answer):
    hall: ReportHall
    period: PeriodView
    generated_at: datetime
    totals: Metrics
    groupings: Groupings


class MonthlyReport(Report):
    days: list[DayRow]
