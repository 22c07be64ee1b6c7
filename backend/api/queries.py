"""Query parameters of the read endpoints. Each model describes its parameters for the OpenAPI
document (types, bounds, choices); a bad value is refused with the endpoint's own error code
(``bad_paging``, ``invalid_date``, ``invalid_filter`` ...) naming the parameter."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator

from ..domain.cases import CaseState, FollowUpState, RectificationState
from ..domain.errors import InvalidInput
from ..domain.network import ReferralState
from ..services import lookup_guard
from ..services.reports import GROUPINGS
from .schemas import Query

FIRST_YEAR, LAST_YEAR = 2000, 2100
COLOURS = ("red", "orange", "yellow", "green")
CASE_STATES = (*(s.value for s in CaseState), "all")
RECTIFICATION_STATES = tuple(s.value for s in RectificationState)
FOLLOW_UP_STATES = tuple(s.value for s in FollowUpState)
FORMATS = ("json", "csv", "xlsx")
YES_NO = ("1", "true", "0", "false")


def _checked(check: Callable[[str], Any], default: Any = None) -> BeforeValidator:
    """Run ``check`` on the raw text (stripped); an empty value means ``default``."""

    def validate(value: Any) -> Any:
        value = value.strip() if isinstance(value, str) else value
        return check(value) if value not in ("", None) else default

    return BeforeValidator(validate)


def choice(
    name: str, allowed: tuple[str, ...], code: str, message: str = "", default: Any = None
) -> BeforeValidator:
    """One of ``allowed``; 400 ``code`` naming the parameter otherwise (``message`` may name
    the ``{value}``)."""
    message = message or f"{name} must be one of {', '.join(allowed)}"

    def check(value: str) -> str:
        if value not in allowed:
            raise InvalidInput(code, message.format(value=value), name)
        return value

    return _checked(check, default)


def whole(name: str, low: int, high: int) -> BeforeValidator:
    """A whole number in [low, high]; 400 bad_paging naming it otherwise."""

    def check(raw: Any) -> Any:
        if not isinstance(raw, str):
            return raw
        if not raw.isdigit() or len(raw) > 19 or not low <= int(raw) <= high:
            raise InvalidInput(
                "bad_paging", f"{name} must be a whole number from {low} to {high}", name
            )
        return int(raw)

    return BeforeValidator(check)


def _text(check: Callable[[str], str]) -> BeforeValidator:
    return BeforeValidator(lambda value: check(value) if isinstance(value, str) else value)


# --- the audit trail ------------------------------------------------------------------------------


class AuditQuery(Query):
    limit: Annotated[int, Field(ge=1, le=500), whole("limit", 1, 500)] = 100
    before: Annotated[
        int | None,
        Field(ge=1, le=2**63 - 1, description="entries older than this id (the next page)"),
        whole("before", 1, 2**63 - 1),
    ] = None


# --- cases and ratings ----------------------------------------------------------------------------


class CaseFilters(Query):
    state: Annotated[
        Literal[CASE_STATES] | None,  # type: ignore[valid-type]  # a runtime tuple: the OpenAPI enum follows the domain constant
        Field(description="default: open and suspended"),
        choice("state", CASE_STATES, "invalid_filter", "no case state {value!r}"),
    ] = None
    colour: Annotated[Literal[COLOURS] | None, choice("colour", COLOURS, "invalid_filter")] = None  # type: ignore[valid-type]  # a runtime tuple: the OpenAPI enum follows the domain constant
    unit: str | None = Field(default=None, description="handling unit (department code)")
    clerk: str | None = Field(default=None, description="the accepting clerk's username")
    item: str | None = Field(default=None, description="service item code")

    @model_validator(mode="before")
    @classmethod
    def _known(cls, data: Any) -> Any:
        unknown = sorted(set(data) - set(cls.model_fields)) if isinstance(data, dict) else []
        if unknown:
            raise InvalidInput("unknown_filter", f"unknown filter {unknown[0]!r}", unknown[0])
        return data


def _last4(value: str) -> str:
    if not (len(value) == 4 and value.isascii() and value.isdigit()):
        raise InvalidInput("invalid_phone_last4", "手机号后4位应为4位数字", "phone_last4")
    return value


class CaseLookupQuery(Query):
    number: Annotated[
        str,
        Field(min_length=1, max_length=lookup_guard.KEY_LENGTH, description="受理编号"),
        _text(lookup_guard.normalise_number),
    ]
    phone_last4: Annotated[
        str,
        Field(pattern=r"^[0-9]{4}$", description="the last 4 digits of the applicant's phone"),
        _text(_last4),
    ]


class OverdueQuery(Query):
    pending: Annotated[
        Literal[YES_NO] | None,  # type: ignore[valid-type]  # a runtime tuple: the OpenAPI enum follows the domain constant
        Field(description="1 or true: only those not yet handled"),
        choice("pending", YES_NO, "invalid_filter"),
    ] = None


def _state_filter(allowed: tuple[str, ...]) -> BeforeValidator:
    return choice("state", allowed, "invalid_filter", f"state is one of {', '.join(allowed)}")


class RectificationQuery(Query):
    state: Annotated[Literal[RECTIFICATION_STATES] | None, _state_filter(RECTIFICATION_STATES)] = (  # type: ignore[valid-type]  # a runtime tuple: the OpenAPI enum follows the domain constant
        None
    )


class FollowUpQuery(Query):
    state: Annotated[Literal[FOLLOW_UP_STATES] | None, _state_filter(FOLLOW_UP_STATES)] = None  # type: ignore[valid-type]  # a runtime tuple: the OpenAPI enum follows the domain constant


# --- reports --------------------------------------------------------------------------------------


def _day(value: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(value) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else None
        if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ValueError
        return day
    except ValueError:
        raise InvalidInput("invalid_date", "date must be a day as YYYY-MM-DD", "date") from None


def _month(value: str) -> str:
    match = re.fullmatch(r"(\d{4})-(\d{2})", value)
    if not match or not 1 <= int(match[2]) <= 12 or not FIRST_YEAR <= int(match[1]) <= LAST_YEAR:
        raise InvalidInput("invalid_month", "month must be given as YYYY-MM", "month")
    return value


Format = Annotated[
    Literal[FORMATS],  # type: ignore[valid-type]  # a runtime tuple: the OpenAPI enum follows the domain constant
    Field(description="json (default), csv (one grouping: by, default department) or xlsx"),
    choice("format", FORMATS, "invalid_format", default="json"),
]
Grouping = Annotated[
    Literal[GROUPINGS] | None,  # type: ignore[valid-type]  # a runtime tuple: the OpenAPI enum follows the domain constant
    Field(description="only this grouping (default: all four)"),
    choice("by", GROUPINGS, "invalid_by"),
]
Month = Annotated[
    str | None,
    Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM (default: this month)"),
    _checked(_month),
]


class DailyQuery(Query):
    date: Annotated[
        dt.date | None,
        Field(description="YYYY-MM-DD (default: today in the hall)"),
        _checked(_day),
    ] = None
    format: Format = "json"
    by: Grouping = None


class MonthlyPdfQuery(Query):
    month: Month = None

    def year_month(self) -> tuple[int, int] | None:
        """(year, month) when one was given."""
        return (int(self.month[:4]), int(self.month[5:])) if self.month else None


class MonthlyQuery(MonthlyPdfQuery):
    format: Format = "json"
    by: Grouping = None


# --- the county network ---------------------------------------------------------------------------

REFERRAL_BOXES = ("in", "out", "all")
REFERRAL_STATES = tuple(s.value for s in ReferralState)


class ReferralFilters(Query):
    box: Annotated[
        Literal[REFERRAL_BOXES],  # type: ignore[valid-type]  # a runtime tuple: the OpenAPI enum follows the constant
        Field(description="in: referred to this hall; out: sent by it"),
        choice("box", REFERRAL_BOXES, "invalid_filter", default="in"),
    ] = "in"
    state: Annotated[
        Literal[REFERRAL_STATES] | None,  # type: ignore[valid-type]  # a runtime tuple: the OpenAPI enum follows the constant
        choice("state", REFERRAL_STATES, "invalid_filter"),
    ] = None


NETWORK_FORMATS = ("json", "csv", "xlsx", "pdf")


class NetworkReportQuery(MonthlyPdfQuery):
    """The county's month across its halls (GET /halls/<hall>/network/report)."""

    format: Annotated[
        Literal[NETWORK_FORMATS],  # type: ignore[valid-type]  # a runtime tuple: the OpenAPI enum follows the constant
        Field(description="json (default), csv or xlsx (one row per hall), pdf (分析报告)"),
        choice("format", NETWORK_FORMATS, "invalid_format", default="json"),
    ] = "json"


class NetworkCaseFilters(CaseFilters):
    hall: str | None = Field(default=None, description="one hall of the tree (its code)")
