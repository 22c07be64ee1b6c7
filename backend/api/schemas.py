"""Request bodies. Unknown fields are refused so a typo is an error, not a silent default."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

RequestId = Field(
    default=None,
    min_length=1,
    max_length=80,
    description="client request id (or header Idempotency-Key)",
)


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
    language: Literal["zh", "en"] = "zh"


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
