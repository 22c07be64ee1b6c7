"""Answers of cases (受理件), the kiosk's 办件查询, overdue records, ratings and follow-ups."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field

from ...domain.cases import (
    AppealState,
    CaseState,
    ExtensionState,
    FollowUpState,
    Rating,
    RectificationState,
    RectificationStep,
)
from ...domain.network import ReferralState
from .common import Answer, CodeName, absent
from .referrals import ReferralView, ReferredFrom

Colour = Literal["green", "yellow", "orange", "red"]


class MaskedApplicant(Answer):
    name: str
    phone: str
    id_number: str


class CaseView(Answer):
    """A case as staff see it: personal data masked."""

    number: str = Field(description="受理编号")
    item: str
    item_name: str
    kind: Literal["immediate", "promised"]
    state: CaseState
    state_zh: str
    decision: Literal["done_now", "proxy", "coordinated", "refused"]
    handling_unit: str
    applicant: MaskedApplicant
    materials_received: list[str]
    missing_materials: list[str]
    accepted_at: datetime
    working_days: int
    extended_days: int
    deadline_at: datetime
    colour: Colour | None = Field(description="null once finished, refused or suspended")
    finished_at: datetime | None
    on_time: bool | None
    result: str | None
    refuse_reason: str | None
    repeat_visit: bool
    ticket_number: str | None
    status_token: str


class ListedCase(CaseView):
    clerk: str | None = Field(description="display name of the accepting clerk")


class CaseCounts(Answer):
    red: int
    orange: int
    yellow: int
    green: int
    suspended: int


class CaseList(Answer):
    cases: list[ListedCase]
    counts: CaseCounts


class ExtensionView(Answer):
    id: int
    days: int
    reason: str
    state: ExtensionState
    requested_at: datetime
    decided_at: datetime | None
    note: str | None


class EscalationView(Answer):
    id: int
    to_unit: str
    reason: str
    reported_at: datetime
    reply: str | None
    replied_at: datetime | None


class OverdueView(Answer):
    id: int
    case: str = Field(description="受理编号")
    item_name: str
    handling_unit: str
    deadline_at: datetime
    detected_at: datetime
    reason: str | None
    action: str | None
    handled_at: datetime | None


class CaseEvent(Answer):
    at: datetime
    actor: str
    action: str
    details: dict[str, Any]


class CaseDetail(CaseView):
    extensions: list[ExtensionView]
    escalations: list[EscalationView]
    overdue: OverdueView | None
    history: list[CaseEvent]
    repeat_of: str = absent(description="the earlier case of a repeat visit")
    referred_from: list[ReferredFrom] = Field(
        description="the halls the case came from (上报/交办), nearest first, with their history"
    )
    referrals: list[ReferralView] = Field(description="referrals of this case to other halls")


class CaseDetailAnswer(Answer):
    case: CaseDetail


class CaseAnswer(Answer):
    case: CaseView


class ReferredCase(CaseAnswer):
    referral: ReferralView


class ExtensionAnswer(CaseAnswer):
    extension: ExtensionView


class EscalationAnswer(CaseAnswer):
    escalation: EscalationView


class FullApplicant(Answer):
    """The applicant's data in full (this read is audited)."""

    name: str
    phone: str
    id_number: str


class ApplicantAnswer(Answer):
    applicant: FullApplicant


class OverdueList(Answer):
    overdue: list[OverdueView]


class OverdueAnswer(Answer):
    overdue: OverdueView


class SweepFigures(Answer):
    checked: int
    changed: int
    overdue: int


class SweepAnswer(Answer):
    sweep: SweepFigures


# --- the kiosk's 办件查询 ---------------------------------------------------------------------------


class PublicCaseBase(Answer):
    number: str
    item: CodeName
    state: CaseState
    state_label: str
    wording: str
    accepted_on: date
    deadline: str | None = Field(description="YYYY-MM-DD HH:MM, local; promised items only")
    missing_materials: list[str]
    result: str | None
    refuse_reason: str | None
    finished_on: date | None


class PublicHolder(Answer):
    """Where a referred case is now (上报/交办): the receiving hall and department, and the
    case it was accepted as there; no reason, no staff names."""

    direction: Literal["up", "down"]
    state: Literal[ReferralState.SENT, ReferralState.ACCEPTED] = Field(
        description="sent: not yet accepted there"
    )
    hall: CodeName
    unit: CodeName | None = Field(description="a department of the receiving hall")
    case: PublicCaseBase | None = Field(description="the receiving hall's case, once accepted")


class PublicCase(PublicCaseBase):
    """The resident's view: plain wording, deadline and result; no colour, no personal data."""

    holder: PublicHolder = absent(description="a referred case: where the matter is now")


class LookupAnswer(Answer):
    case: PublicCase


class LookupLock(Answer):
    scope: Literal["number", "device"]
    key: str
    misses: int
    locked: bool
    locked_until: datetime | None


class LookupLocks(Answer):
    locks: list[LookupLock]


class LockLifted(Answer):
    lifted: LookupLock = Field(description="the count and lock as they were")


# --- ratings, rectifications, follow-ups ----------------------------------------------------------


class RatingAsked(Answer):
    window: int
    number: str


class RatingRequested(Answer):
    requested: RatingAsked


class EvaluationView(Answer):
    id: int
    ticket: str
    rating: Rating
    rating_zh: str
    channel: Literal["pad", "qr"]
    at: datetime
    excluded: bool


class StepDone(Answer):
    step: RectificationStep
    at: datetime
    by: str
    note: str


class AppealView(Answer):
    state: AppealState | None
    reason: str | None
    note: str | None


class RectificationView(Answer):
    id: int
    ticket: str
    rating: Rating
    rating_zh: str
    comment: str
    opened_at: datetime
    deadline_at: datetime
    state: RectificationState
    steps: list[StepDone]
    closed_at: datetime | None
    next_step: RectificationStep | None
    appeal: AppealView


class Rated(Answer):
    evaluation: EvaluationView
    rectification: RectificationView = absent(description="opened for a bad rating")


class RectificationAnswer(Answer):
    rectification: RectificationView


class RectificationList(Answer):
    rectifications: list[RectificationView]


class FollowUpView(Answer):
    id: int
    case: str
    item_name: str
    applicant: str = Field(description="masked name")
    phone: str = Field(description="masked phone")
    finished_at: datetime | None
    state: FollowUpState
    result: Rating | None
    note: str | None


class FollowUpList(Answer):
    follow_ups: list[FollowUpView]


class FollowUpAnswer(Answer):
    follow_up: FollowUpView
