"""Answers of the county network: referrals (上报/交办) between halls."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from ...domain.network import ReferralState
from .common import Answer, CodeName, Name


class HallBrief(Answer):
    code: str
    name: Name
    level: Literal["county", "town", "village"]
    level_zh: str


class ReferralApplicant(Answer):
    name: str
    phone: str


class ReferralView(Answer):
    id: int
    direction: Literal["up", "down"] = Field(description="up: 上报 to the hall above; down: 交办")
    direction_zh: str
    from_hall: HallBrief
    to_hall: HallBrief
    case: str = Field(description="the sending hall's acceptance number")
    item: str
    item_name: str
    applicant: ReferralApplicant
    to_unit: str = Field(description="a department of the receiving hall, or empty")
    reason: str
    state: ReferralState
    sent_at: datetime
    due_at: datetime = Field(description="end of the working day the matter was accepted on")
    late: bool = Field(description="sent after due_at (not the same working day)")
    decided_at: datetime | None
    received_as: str | None = Field(description="the receiving hall's acceptance number")
    return_reason: str | None


class ReferralList(Answer):
    referrals: list[ReferralView]


class ReferralAnswer(Answer):
    referral: ReferralView


class ReferredFrom(Answer):
    """Where a referred case came from: the sending hall's case and its history."""

    hall: dict[str, Any]
    number: str
    item: str
    item_name: str
    accepted_at: datetime
    referral: ReferralView
    history: list[dict[str, Any]]


class ReferralTarget(HallBrief):
    departments: list[CodeName] = Field(description="its active departments (to_unit)")


class ReferralTargets(Answer):
    """Where this hall may refer a case (GET /network/targets)."""

    up: ReferralTarget | None = Field(description="the hall above (上报); none for a county")
    down: list[ReferralTarget] = Field(description="the halls directly below (交办)")
    refer_up: list[str] = Field(
        description="this hall's items beyond its remit (上报 the same day)"
    )
