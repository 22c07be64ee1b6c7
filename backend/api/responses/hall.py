"""Answers of login, the catalog, tickets, the queue snapshot, the audit trail and devices."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field

from ...domain.tickets import TicketState
from .common import Answer, CodeName, DeviceView, Name, TicketBrief, WindowRef, WindowView, absent

# --- auth and meta -------------------------------------------------------------------------------


class LoggedInUser(Answer):
    username: str
    display_name: str
    role: Literal["clerk", "manager", "admin", "supervisor"]
    hall: str


class LoginAnswer(Answer):
    token: str = Field(description="bearer token for the Authorization header")
    expires_at: datetime
    user: LoggedInUser


class LogoutAnswer(Answer):
    revoked: bool


class WhoAmI(Answer):
    kind: Literal["user", "device"]
    name: str
    role: str
    hall: str


class OpenApiDocument(Answer):
    openapi: str
    info: dict[str, Any]
    paths: dict[str, Any]
    components: dict[str, Any]


# --- catalog -------------------------------------------------------------------------------------


class Guide(Answer):
    """事项公开: what a resident must bring and know."""

    materials: list[str]
    conditions: list[str]
    legal_basis: str
    fees: str
    procedure: list[str]
    supervision_phone: str


class Words(Answer):
    zh: str
    en: str


class Unavailable(Words):
    code: str


class Availability(Answer):
    available: bool = Field(description="a ticket may be taken now")
    window_open: bool = Field(description="a staffed window serves the item")
    unavailable_reason: Unavailable | None
    service_hours: Words | None = Field(description="when no window is open: when it is served")


class ItemBase(Answer):
    code: str
    name: Name
    department: str
    category: str
    prefix: str
    kind: Literal["immediate", "promised"]
    promised_days: int
    legal_days: int
    pinyin: str
    guide: Guide


class CatalogItem(ItemBase, Availability):
    windows: list[int] = Field(description="numbers of the windows serving it")
    waiting: int = Field(description="people waiting for it now")


class ItemNow(ItemBase, Availability):
    """An item as the kiosk shows it before a ticket is taken."""

    waiting: int
    people_ahead: int | None
    estimated_wait_minutes: int | None
    open_windows: int


class HoursView(Answer):
    working_days: list[tuple[str, str]]
    extended: list[tuple[str, str]]
    weekend_duty: list[tuple[str, str]]


class HallInfo(CodeName):
    timezone: str
    supervision_phone: str
    announcements: list[str]
    hours: HoursView
    public_url: str = Field(
        description="the address residents' phones open (receipt QR codes: <public_url>/t/"
        "<token>); empty when the hall file sets none"
    )


class CatalogWindow(Answer):
    number: int
    name: Name
    area: str
    comprehensive: bool
    items: list[str]


class Catalog(Answer):
    hall: HallInfo
    departments: list[CodeName]
    items: list[CatalogItem]
    frequent: list[str] = Field(
        description="常办事项: codes of the items most issued in the last 30 days, most first "
        "(at most 6; ties in catalog order; read at most once a minute)"
    )
    windows: list[CatalogWindow]


# --- tickets -------------------------------------------------------------------------------------


class Estimate(Answer):
    """People ahead and minutes until called by the calling policy; null for both (and
    ``window_open`` false) when no staffed window may call the ticket."""

    people_ahead: int | None
    estimated_wait_minutes: int | None
    window_open: bool


class IssuedBrief(TicketBrief):
    issued_at: datetime
    day: date


class TicketIssued(Estimate):
    ticket: IssuedBrief
    windows: list[WindowRef] = Field(description="the windows serving the item")
    status_token: str
    status_path: str


class TicketStatus(Answer):
    """The resident's status page: no personal data, plain wording."""

    number: str
    hall: CodeName
    item: CodeName
    state: TicketState
    state_label: str
    state_label_en: str
    issued_at: datetime
    people_ahead: int | None = absent(description="while waiting")
    estimated_wait_minutes: int | None = absent(description="while waiting")
    window_open: bool = absent(description="while waiting")
    window: WindowRef = absent(description="once called: where to go")


class Leg(TicketBrief):
    window_id: int | None
    target_window: int | None
    ended_at: datetime | None
    out_of_order_reason: str | None
    note: str | None


class TicketDetail(TicketStatus):
    legs: list[Leg]


class TicketAnswer(Answer):
    ticket: TicketBrief


class TicketRequeued(Estimate):
    ticket: TicketBrief


# --- the hall snapshot, audit, devices -----------------------------------------------------------


class QueueItem(Answer):
    code: str
    name: Name
    department: str
    prefix: str
    waiting: int
    longest_wait_minutes: int


class QueueSnapshot(Answer):
    seq: int = Field(description="the event sequence this snapshot is consistent with")
    hall: str
    at: datetime
    day: date
    items: list[QueueItem]
    windows: list[WindowView]
    waiting_total: int


class AuditEntryView(Answer):
    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    request_id: str | None
    details: dict[str, Any]


class AuditPage(Answer):
    entries: list[AuditEntryView]


class DeviceAnswer(Answer):
    device: DeviceView
