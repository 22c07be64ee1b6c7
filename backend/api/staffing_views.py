"""Staffing advice for managers: windows needed per half hour for today (the half hours still
to come) or another day, against the windows planned or open (the board's staffing strip)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from flask import Blueprint, jsonify
from pydantic import BeforeValidator, Field

from ..domain.errors import InvalidInput
from .framework import OVERSEERS, endpoint, hall_ctx, read
from .queries import FIRST_YEAR, LAST_YEAR
from .responses.staffing import StaffingAnswer
from .schemas import Query

bp = Blueprint("staffing", __name__, url_prefix="/api/v1/halls/<hall>")

DAY_WORDS = ("today", "tomorrow")


def _day(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    value = value.strip() or "today"
    if value in DAY_WORDS:
        return value
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError
        day = dt.date.fromisoformat(value)
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ValueError
        return day
    except ValueError:
        raise InvalidInput(
            "invalid_day",
            "day 应为 today、tomorrow 或 YYYY-MM-DD / day must be today, tomorrow or YYYY-MM-DD",
            "day",
        ) from None


class StaffingQuery(Query):
    day: Annotated[
        Literal["today", "tomorrow"] | dt.date,
        Field(description="today (default: the half hours still to come), tomorrow or YYYY-MM-DD"),
        BeforeValidator(_day),
    ] = "today"


@endpoint(
    bp,
    "/staffing",
    summary="Staffing advice per half hour: windows planned vs needed for the target (e.g. 90% "
    "called within 15 min), the gap and the expected p90 wait as planned and as advised "
    "(?day=today|tomorrow|YYYY-MM-DD)",
    roles=OVERSEERS,
    query=StaffingQuery,
    response=StaffingAnswer,
    tag="reports",
)
def staffing_advice(hall: str, query: StaffingQuery):
    from ..services import staffing  # the simulator loads on the first advice, not at start-up

    ctx = hall_ctx(hall)

    def advise(uow):
        today = ctx.local(uow.now).date()
        if query.day == "today":
            day, scope = today, "today"
        elif query.day == "tomorrow":
            day, scope = today + dt.timedelta(days=1), "tomorrow"
        else:
            day = query.day
            scope = (
                "today" if day == today else "tomorrow" if day == today + dt.timedelta(1) else "day"
            )
        plan = staffing.staffing_plan(uow.session, ctx, day, uow.now)
        answer = staffing.plan_to_json(plan)
        if scope == "today":  # today remaining: the half hours not over yet
            answer["slots"] = [s for s in answer["slots"] if not s["past"]]
        return answer | {"scope": scope, "at": uow.now.isoformat()}

    return jsonify(read(advise))
