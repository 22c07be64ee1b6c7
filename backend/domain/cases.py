"""Cases (受理件) and their rules: states, decisions, the stopped clock, extensions, ratings.

A case is opened when a clerk accepts a resident's matter (受理). Its deadline is the end of
office hours of the Nth working day (``WorkCalendar.deadline_for``), N being the item's promised
working days plus approved extensions. While the case waits for missing materials (补正) its
clock is stopped: the dates it spent suspended do not count, or, when the hall chooses
``restart``, counting starts again from the day the supplements arrived.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from i18n import labels

from .errors import Conflict, InvalidInput
from .workcalendar import WorkCalendar


class CaseState(StrEnum):
    OPEN = "open"  # 办理中 (accepted, being handled here or in a back office)
    SUSPENDED = "suspended"  # 补正中: waiting for missing materials, clock stopped
    FINISHED = "finished"  # 办结
    REFUSED = "refused"  # 不予受理/明确拒办, with the reason given to the resident
    REFERRED = "referred"  # 已移交: 上报 to the county or 交办 to a town, which holds it now


class Decision(StrEnum):
    """The seed rule for handling a request (即接即办、全程代办、协调促办、明确拒办)."""

    DONE_NOW = "done_now"
    PROXY = "proxy"
    COORDINATED = "coordinated"
    REFUSED = "refused"


class CaseAction(StrEnum):
    SUSPEND = "suspend"
    SUPPLEMENT = "supplement"
    EXTEND = "extend"
    TRANSFER = "transfer"
    ESCALATE = "escalate"
    FINISH = "finish"
    REFUSE = "refuse"
    REFER = "refer"


_ALLOWED: dict[CaseAction, frozenset[CaseState]] = {
    CaseAction.SUSPEND: frozenset({CaseState.OPEN}),
    CaseAction.SUPPLEMENT: frozenset({CaseState.SUSPENDED}),
    CaseAction.EXTEND: frozenset({CaseState.OPEN}),
    CaseAction.TRANSFER: frozenset({CaseState.OPEN, CaseState.SUSPENDED}),
    CaseAction.ESCALATE: frozenset({CaseState.OPEN, CaseState.SUSPENDED}),
    CaseAction.FINISH: frozenset({CaseState.OPEN}),
    CaseAction.REFUSE: frozenset({CaseState.OPEN, CaseState.SUSPENDED}),
    CaseAction.REFER: frozenset({CaseState.OPEN}),
}

STATE_ZH = labels.zh("case_state", CaseState)  # i18n/labels.toml, the one table of names


def check_action(state: str, action: CaseAction) -> None:
    """Refuse an action the case's state does not allow (a 409 naming both)."""
    if CaseState(state) not in _ALLOWED[action]:
        raise Conflict(
            "invalid_case_transition",
            f"a case that is {state} cannot {action.value} "
            f"(allowed when {', '.join(sorted(s.value for s in _ALLOWED[action]))})",
            "state",
        )


# --- the stopped clock -------------------------------------------------------------------------


@dataclass(frozen=True)
class Suspension:
    """One 补正 period, as hall-local dates; ``until`` is None while still suspended."""

    since: date
    until: date | None


def stopped_days(suspensions: list[Suspension], today: date) -> frozenset[date]:
    """Dates that do not count: from the suspension date up to the day before the supplements
    arrived (the day they arrive counts again). An open suspension stops every day to today."""
    days: set[date] = set()
    for s in suspensions:
        end = s.until if s.until is not None else today + timedelta(days=1)
        day = s.since
        while day < end:
            days.add(day)
            day += timedelta(days=1)
    return frozenset(days)


@dataclass(frozen=True)
class DeadlineRule:
    office_open: time
    office_close: time
    accepted_day_counts: bool = False
    restart_on_supplement: bool = False
    yellow_within_days: float = 3
    orange_within_days: float = 1


def case_deadline(
    calendar: WorkCalendar,
    rule: DeadlineRule,
    accepted_at: datetime,
    working_days: int,
    suspensions: list[Suspension],
) -> datetime:
    """When the case is due (hall-local). ``accepted_at`` must be in the hall's zone."""
    today = accepted_at.date()
    closed = [s.until for s in suspensions if s.until is not None]
    if rule.restart_on_supplement and closed:
        last = max(closed)
        restarted = datetime.combine(last, rule.office_open, tzinfo=accepted_at.tzinfo)
        return calendar.deadline_for(
            restarted, working_days, rule.office_close, accepted_day_counts=True
        )
    skip = stopped_days(suspensions, max([today, *(s.since for s in suspensions)]))
    return calendar.deadline_for(
        accepted_at,
        working_days,
        rule.office_close,
        suspended_days=skip,
        accepted_day_counts=rule.accepted_day_counts,
    )


def case_colour(
    calendar: WorkCalendar, rule: DeadlineRule, now: datetime, deadline: datetime, state: str
) -> str | None:
    """红橙黄绿 for an open case; None for a suspended or closed one (its clock is not running)."""
    if state != CaseState.OPEN:
        return None
    return calendar.deadline_colour(
        now.astimezone(deadline.tzinfo),
        deadline,
        rule.office_open,
        rule.office_close,
        yellow_within_days=rule.yellow_within_days,
        orange_within_days=rule.orange_within_days,
    )


COLOUR_ZH = labels.zh("colour")


class ExtensionState(StrEnum):
    """延期 asked for by the handling unit, decided by a manager."""

    REQUESTED = "requested"  # 待审批
    APPROVED = "approved"  # its days count towards the deadline
    REFUSED = "refused"


def check_extension(days: int, granted_before: int, min_days: int, max_days: int, most: int):
    """An extension of ``days`` working days, given how many were granted before."""
    if not min_days <= days <= max_days:
        raise InvalidInput(
            "invalid_extension", f"an extension is {min_days} to {max_days} working days", "days"
        )
    if granted_before >= most:
        raise Conflict(
            "extension_limit",
            f"this case was already extended {granted_before} time(s) (limit {most})",
            "days",
        )


# --- numbers and identities -------------------------------------------------------------------


def acceptance_number(hall_code: str, day: date, seq: int) -> str:
    """受理编号: hall, local date and a daily sequence, e.g. QINGSHAN-20261129-0007."""
    return f"{hall_code.upper()}-{day:%Y%m%d}-{seq:04d}"


class FollowUpState(StrEnum):
    """跟踪回访 of a finished case in the sample (a done one records a ``Rating``)."""

    PENDING = "pending"  # 待回访
    DONE = "done"
    UNREACHABLE = "unreachable"  # 联系不上


def in_sample(case_key: str, share: float) -> bool:
    """Whether a finished case is in the callback (回访) sample: a stable hash, so the same
    case always gets the same answer and the share holds over many cases."""
    if share >= 1:
        return True
    if share <= 0:
        return False
    digest = hashlib.sha256(case_key.encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 < share


# --- ratings (好差评) ---------------------------------------------------------------------------


class Rating(StrEnum):
    VERY_SATISFIED = "very_satisfied"
    SATISFIED = "satisfied"
    BASIC = "basically_satisfied"
    DISSATISFIED = "dissatisfied"
    VERY_DISSATISFIED = "very_dissatisfied"


RATING_ZH = labels.zh("rating", Rating)
SATISFIED = frozenset({Rating.VERY_SATISFIED, Rating.SATISFIED, Rating.BASIC})


def is_bad(rating: str) -> bool:
    """不满意 or worse opens a rectification (差评整改)."""
    return Rating(rating) not in SATISFIED


class RectificationStep(StrEnum):
    """A bad rating's rectification, in order: call the resident back, verify, fix, tell them."""

    CALLBACK = "callback"
    VERIFY = "verify"
    FIX = "fix"
    INFORM = "inform"


RECTIFICATION_ORDER = tuple(RectificationStep)


class RectificationState(StrEnum):
    OPEN = "open"  # 整改中: steps still to record
    DONE = "done"  # the last step (inform) recorded
    VOID = "void"  # an appeal was upheld: the rating no longer counts


class AppealState(StrEnum):
    """申诉 of a bad rating (mistaken or malicious), decided by a manager."""

    PENDING = "pending"
    UPHELD = "upheld"  # the rectification becomes void
    REJECTED = "rejected"  # the rectification goes on


def next_rectification_step(done: list[str]) -> RectificationStep | None:
    for step in RECTIFICATION_ORDER:
        if step.value not in done:
            return step
    return None
