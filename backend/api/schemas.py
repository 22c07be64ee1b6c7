"""Request bodies. Unknown fields are refused so a typo is an error, not a silent default."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)

import i18n

from ..domain.errors import InvalidInput

RequestId = Field(
    default=None,
    min_length=1,
    max_length=80,
    description="client request id (or header Idempotency-Key)",
)


def _known_language(code: str) -> str:
    if i18n.default.resolve(code) != code:
        raise InvalidInput(
            "unknown_language",
            f"no language {code!r}: " + ", ".join(i18n.default.language_codes()),
            "language",
        )
    return code


# a resident's language: one with catalogues (i18n/messages/<code>/), so a new language needs no code
ResidentLanguage = Annotated[
    str, Field(min_length=2, max_length=3, pattern=r"^[a-z]{2,3}$"), AfterValidator(_known_language)
]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Query(BaseModel):
    """Query parameters: unknown ones are refused like unknown body fields."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Command(Body):
    request_id: str | None = RequestId


class Login(Body):
    hall: str = Field(min_length=1, max_length=32)
    username: str = Field(min_length=1, max_length=40)
    password: str = Field(min_length=1, max_length=200)
    client: str = Field(default="", max_length=60)


class IssueTicket(Command):
    item_code: str = Field(min_length=1, max_length=32)
    priority: Literal["normal", "green", "appointment"] = "normal"
    priority_reason: str | None = Field(
        default=None,
        max_length=40,
        description="green: elderly|disabled|pregnant|serviceman; appointment: its code",
    )
    language: ResidentLanguage = "zh"


class Pause(Command):
    reason: Literal["break", "meeting", "handover", "other"]
    note: str | None = Field(default=None, max_length=100)


class CallSpecific(Command):
    number: str = Field(min_length=2, max_length=12, description="today's ticket number, e.g. A012")
    reason: str = Field(min_length=1, max_length=200)


class Transfer(Command):
    to_item: str | None = Field(default=None, min_length=1, max_length=32)
    to_window: int | None = Field(default=None, ge=1, le=999)
    note: str | None = Field(default=None, max_length=200)


class Staffing(Command):
    primary: str | None = Field(default=None, max_length=40)
    backup: str | None = Field(default=None, max_length=40)


class PrinterReport(Body):
    condition: Literal[
        "ready", "paper_near_end", "paper_out", "cover_open", "error", "offline", "unknown"
    ]
    message: str = Field(default="", max_length=200)


class DeviceStatus(Command):
    """A heartbeat from a kiosk or display, with its printer's condition when it has one."""

    printer: PrinterReport | None = None
    version: str = Field(default="", max_length=40)


class ManagerMessage(Command):
    window: int | None = Field(default=None, ge=1, le=999, description="omit for every window")
    text: str = Field(min_length=1, max_length=200)


# --- cases (受理件) -------------------------------------------------------------------------------

Text = Field(min_length=1, max_length=400)


class ApplicantIn(Body):
    name: str = Field(default="", max_length=40)
    phone: str = Field(default="", max_length=20)
    id_number: str = Field(default="", max_length=18)


class AcceptCase(Command):
    applicant: ApplicantIn = ApplicantIn()
    materials_received: list[str] = Field(default=[], max_length=40)
    decision: Literal["done_now", "proxy", "coordinated"] = "done_now"
    handling_unit: str | None = Field(default=None, max_length=32, description="department code")
    note: str | None = Field(default=None, max_length=400)


class Suspend(Command):
    missing: list[str] = Field(
        min_length=1, max_length=40, description="一次性告知: every missing material"
    )
    note: str | None = Field(default=None, max_length=400)


class Supplement(Command):
    received: list[str] = Field(default=[], max_length=40)


class ExtensionRequest(Command):
    days: int = Field(ge=1, le=30)
    reason: str = Text


class Decision(Command):
    approve: bool
    note: str | None = Field(default=None, max_length=400)


class CaseTransfer(Command):
    to_unit: str | None = Field(
        default=None, min_length=1, max_length=32, description="department code"
    )
    to_window: int | None = Field(default=None, ge=1, le=999, description="window number")
    note: str | None = Field(default=None, max_length=400)


class Escalate(Command):
    to_unit: str = Field(min_length=1, max_length=80, description="the higher unit, e.g. 县民政局")
    reason: str = Text


class Reply(Command):
    reply: str = Text


class FinishCase(Command):
    result: str = Text


class RefuseCase(Command):
    reason: str = Text


class OverdueHandling(Command):
    reason: str = Text
    action: str = Text


class LiftLookupLock(Command):
    """Exactly one of the two: the acceptance number, or the kiosk's device code."""

    number: str | None = Field(default=None, min_length=1, max_length=40)
    device: str | None = Field(default=None, min_length=1, max_length=32)


class Rate(Command):
    ticket: str = Field(min_length=2, max_length=12, description="today's ticket number")
    rating: Literal[
        "very_satisfied", "satisfied", "basically_satisfied", "dissatisfied", "very_dissatisfied"
    ]
    comment: str = Field(default="", max_length=400)


class RectificationStepIn(Command):
    step: Literal["callback", "verify", "fix", "inform"]
    note: str = Text


class Appeal(Command):
    reason: str = Text


class AppealDecision(Command):
    upheld: bool
    note: str = Text


class FollowUpIn(Command):
    state: Literal["done", "unreachable"]
    result: (
        Literal[
            "very_satisfied",
            "satisfied",
            "basically_satisfied",
            "dissatisfied",
            "very_dissatisfied",
        ]
        | None
    ) = None
    note: str = Field(default="", max_length=400)


# --- appointments (预约) ---------------------------------------------------------------------------


class BookAppointment(Command):
    item_code: str = Field(min_length=1, max_length=32)
    slot_start: AwareDatetime = Field(description="the slot's start, ISO 8601 with offset")
    name: str = Field(min_length=1, max_length=40)
    phone: str = Field(min_length=5, max_length=24, description="mainland mobile number")
    id_number: str | None = Field(default=None, max_length=24, description="居民身份证号码")


class MoveAppointment(Command):
    slot_start: AwareDatetime = Field(description="the new slot's start, ISO 8601 with offset")


class CheckIn(Command):
    """By the appointment code, or by the phone's last 4 digits and the item."""

    code: str | None = Field(default=None, pattern=r"^[0-9]{8}$", description="appointment code")
    phone_last4: str | None = Field(default=None, pattern=r"^[0-9]{4}$")
    item_code: str | None = Field(default=None, min_length=1, max_length=32)
    language: ResidentLanguage = "zh"

    @model_validator(mode="after")
    def _one_way(self) -> CheckIn:
        if self.code is None and (self.phone_last4 is None or self.item_code is None):
            raise InvalidInput(
                "check_in_needs_code",
                "请输入预约码，或手机号后4位和事项 / give the code, or phone_last4 and item_code",
                "code",
            )
        return self


def _day(value: object) -> object:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise InvalidInput("invalid_date", "day must be YYYY-MM-DD", "day") from None
    return value


class AppointmentItemQuery(Query):
    item: str = Field(min_length=1, max_length=32, description="service item code")


class AppointmentSlotsQuery(AppointmentItemQuery):
    day: Annotated[dt.date, BeforeValidator(_day), Field(description="YYYY-MM-DD")]


class AppointmentDayQuery(Query):
    day: Annotated[
        dt.date | None, BeforeValidator(_day), Field(description="default today (managers: any)")
    ] = None
    window: int | None = Field(default=None, ge=1, le=999, description="only this window's items")


# --- the county network ---------------------------------------------------------------------------


class ReferCase(Command):
    to_hall: str | None = Field(
        default=None,
        min_length=1,
        max_length=32,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$",
        description="the hall above (上报, the default) or a hall directly below (交办)",
    )
    to_unit: str | None = Field(
        default=None,
        min_length=1,
        max_length=32,
        description="a department of the receiving hall (e.g. the county's minzheng)",
    )
    reason: str = Text


class AcceptReferral(Command):
    item: str | None = Field(
        default=None,
        min_length=1,
        max_length=32,
        description="the receiving hall's service item (default: the same code)",
    )
    handling_unit: str | None = Field(default=None, min_length=1, max_length=32)


class ReturnReferral(Command):
    reason: str = Text


class Supervise(Command):
    note: str = Field(min_length=1, max_length=400, description="督办意见: what is ordered")
