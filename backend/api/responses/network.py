"""Answers of the county board (督查督办): every hall of a tree side by side, its alerts, and the
county-wide case list."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from .cases import CaseCounts, ListedCase
from .common import Answer
from .referrals import HallBrief


class BoardHall(HallBrief):
    parent: str | None = Field(description="the code of the hall above, null for the root county")


class BoardFigures(Answer):
    waiting: int = Field(description="tickets waiting now")
    longest_wait_minutes: float | None = Field(description="null when nobody waits")
    windows_open: int = Field(description="windows signed in (serving, idle or paused)")
    windows: int
    on_time_rate: float | None = Field(
        description="month to date (the hall's month): promised cases finished on time / "
        "promised cases finished; null before the first"
    )
    cases_open: int = Field(description="open and 补正中 cases")
    red: int
    orange: int
    bad_reviews: int = Field(description="open rectifications (差评整改 not yet done)")
    devices_offline: int
    devices: int = Field(description="kiosks, displays and rating pads watched")
    referrals_waiting: int = Field(
        description="referrals to this hall not yet accepted or returned"
    )
    alerts: int = Field(
        description="referral alerts of this hall plus one per kind of red cases, bad reviews "
        "and offline devices present"
    )


class BoardHallRow(BoardFigures):
    hall: BoardHall


class BoardTotals(BoardFigures):
    """Every hall summed; longest_wait_minutes is the longest of all, on_time_rate over all
    halls' finished cases."""


class BoardAlert(Answer):
    hall: str
    kind: Literal[
        "refer_up_due",
        "referral_late",
        "referral_waiting",
        "cases_red",
        "bad_reviews",
        "devices_offline",
    ] = Field(
        description="refer_up_due: 应当日上报未上报; referral_late: sent after its due time; "
        "referral_waiting: not accepted by the end of the receiving hall's working day; "
        "the others: counts of the hall's red cases, open bad reviews, offline devices"
    )
    text: str = Field(description="Chinese")
    at: datetime
    case: str | None = Field(description="the acceptance number concerned, if one")


class NetworkBoard(Answer):
    at: datetime
    root: HallBrief
    halls: list[BoardHallRow] = Field(
        description="the root first, then the halls below in tree order"
    )
    totals: BoardTotals
    alerts: list[BoardAlert]


class NetworkCase(ListedCase):
    hall: HallBrief


class NetworkCaseList(Answer):
    cases: list[NetworkCase]
    counts: CaseCounts
    halls: list[HallBrief] = Field(description="the halls of the tree (the hall filter's choices)")
