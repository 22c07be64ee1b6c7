"""SQLAlchemy 2.0 typed models. Every row belongs to a hall; nothing is ever deleted."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from ..domain.appointments import AppointmentState
from ..domain.cases import (
    AppealState,
    CaseState,
    ExtensionState,
    FollowUpState,
    RectificationState,
)
from ..domain.network import ReferralState
from ..domain.notifications import NotificationState
from ..domain.tickets import TicketState
from ..domain.windows import WindowState
from .types import EnumString, UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


Base.metadata.naming_convention = NAMING


class Hall(Base):
    __tablename__ = "halls"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_zh: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(120), default="")
    timezone: Mapped[str] = mapped_column(String(64))
    config: Mapped[dict[str, Any]] = mapped_column(default=dict)  # validated HallConfig as JSON
    config_digest: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime]
    # the county network: county → town → village point (the parent is loaded first)
    level: Mapped[str] = mapped_column(String(16), default="town")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("halls.id"), index=True)


class Department(Base):
    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("hall_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name_zh: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(120), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ServiceItem(Base):
    __tablename__ = "service_items"
    __table_args__ = (UniqueConstraint("hall_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    code: Mapped[str] = mapped_column(String(32))
    name_zh: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(120), default="")
    category: Mapped[str] = mapped_column(String(40), default="")
    prefix: Mapped[str] = mapped_column(String(2))
    kind: Mapped[str] = mapped_column(String(16))  # immediate | promised
    promised_days: Mapped[int] = mapped_column(Integer, default=0)
    legal_days: Mapped[int] = mapped_column(Integer, default=0)
    service_minutes: Mapped[float] = mapped_column(Float, default=0)
    pinyin: Mapped[str] = mapped_column(String(40), default="")
    guide: Mapped[dict[str, Any]] = mapped_column(default=dict)  # materials, conditions, ...
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    department: Mapped[Department] = relationship(lazy="joined")


class User(Base):
    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("hall_id", "username"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), index=True)
    username: Mapped[str] = mapped_column(String(40))
    display_name: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(16))  # clerk | manager | admin
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]


class Window(Base):
    __tablename__ = "windows"
    __table_args__ = (UniqueConstraint("hall_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    name_zh: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(120), default="")
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    comprehensive: Mapped[bool] = mapped_column(Boolean, default=False)
    area: Mapped[str] = mapped_column(String(32), default="main")
    item_codes: Mapped[list[Any]] = mapped_column(default=list)  # served items, priority order
    state: Mapped[WindowState] = mapped_column(
        EnumString(WindowState, 16), default=WindowState.CLOSED
    )
    state_since: Mapped[datetime | None]
    pause_reason: Mapped[str | None] = mapped_column(String(120))
    clerk_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    primary_clerk_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    backup_clerk_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    current_ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id", use_alter=True, name="fk_windows_current_ticket_id_tickets")
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Device(Base):
    __tablename__ = "devices"
    __table_args__ = (UniqueConstraint("hall_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(80))
    area: Mapped[str] = mapped_column(String(32), default="main")
    attached_to: Mapped[str | None] = mapped_column(String(32))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    last_seen_at: Mapped[datetime | None]
    status: Mapped[dict[str, Any]] = mapped_column(default=dict)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ApiToken(Base):
    """A staff login token; only its SHA-256 is stored, so a leaked database leaks no token."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    client: Mapped[str] = mapped_column(String(60), default="")
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class Ticket(Base):
    """One service leg of a resident's ticket. A transfer ends a leg and starts the next one,
    which keeps the number, the arrival time and the status token (``root_id`` links them)."""

    __tablename__ = "tickets"
    __table_args__ = (
        Index(
            "uq_tickets_number_per_day",
            "hall_id",
            "day",
            "prefix",
            "seq",
            unique=True,
            sqlite_where=text("parent_id IS NULL"),
            postgresql_where=text("parent_id IS NULL"),
        ),
        Index("ix_tickets_queue", "hall_id", "state", "item_id"),
        Index("ix_tickets_hall_day", "hall_id", "day"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("service_items.id"))
    day: Mapped[date] = mapped_column(Date)
    prefix: Mapped[str] = mapped_column(String(2))
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(12))
    priority: Mapped[str] = mapped_column(String(16), default="normal")
    priority_reason: Mapped[str | None] = mapped_column(String(40))
    state: Mapped[TicketState] = mapped_column(
        EnumString(TicketState, 16), default=TicketState.WAITING
    )
    issued_at: Mapped[datetime]  # the resident's arrival; kept across transfers
    waiting_since: Mapped[datetime]  # for the aging guard; reset by a re-queue
    queue_key: Mapped[int] = mapped_column(BigInteger)
    target_window: Mapped[int | None] = mapped_column(Integer)  # transferred to this window
    window_id: Mapped[int | None] = mapped_column(ForeignKey("windows.id"))
    clerk_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    called_at: Mapped[datetime | None]
    call_count: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    out_of_order_reason: Mapped[str | None] = mapped_column(String(200))
    requeue_count: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str | None] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    root_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    status_token: Mapped[str] = mapped_column(String(40), index=True)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))
    language: Mapped[str] = mapped_column(String(5), default="zh")
    appointment_id: Mapped[int | None] = mapped_column(
        ForeignKey(
            "appointments.id", use_alter=True, name="fk_tickets_appointment_id_appointments"
        ),
        index=True,
    )
    slot_start: Mapped[datetime | None]  # an on-time appointment's slot: ranks from then on
    item: Mapped[ServiceItem] = relationship(lazy="joined")


class NumberCounter(Base):
    """Last ticket sequence per hall, prefix and hall-local day; bumped atomically."""

    __tablename__ = "number_counters"
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    prefix: Mapped[str] = mapped_column(String(2), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class EventSequence(Base):
    """Hall-wide, gap-free event counter, bumped in the transaction that emits the events."""

    __tablename__ = "event_sequences"
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class Event(Base):
    """Outbox of what changed, in commit order; pushed to clients after commit."""

    __tablename__ = "events"
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    type: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]


class AuditEntry(Base):
    """Append-only audit trail: database triggers refuse UPDATE and DELETE on this table."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_hall_at", "hall_id", "at"),)
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    hall_id: Mapped[int | None] = mapped_column(ForeignKey("halls.id"))
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(80))  # "user:zhangsan", "device:kiosk-1", "cli"
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(40))
    request_id: Mapped[str | None] = mapped_column(String(80))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


class AuditSeal(Base):
    """One link of a hall's audit hash chain, written by the sealer after the entry committed
    (``services/audit_chain.py``); append-only like ``audit_log``. No foreign key to the entry:
    a deleted entry must show up as a broken link."""

    __tablename__ = "audit_seals"
    hall_key: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)  # 0: none
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    audit_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), unique=True)
    hash: Mapped[str] = mapped_column(String(64))
    sealed_at: Mapped[datetime]


class IdempotentRequest(Base):
    """The first answer to a client request id, replayed for any repeat of that id."""

    __tablename__ = "idempotent_requests"
    __table_args__ = (UniqueConstraint("principal", "request_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int | None] = mapped_column(ForeignKey("halls.id"))
    principal: Mapped[str] = mapped_column(String(80))
    request_id: Mapped[str] = mapped_column(String(80))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    response: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]


# --- cases (受理件) and what hangs off them ------------------------------------------------------


class Case(Base):
    """An accepted matter with a deadline in working days. Personal data is sealed (encrypted)
    with masked copies for display; ``id_digest`` matches repeat visits without decrypting."""

    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("hall_id", "number"),
        Index("ix_cases_open", "hall_id", "state", "colour"),
        Index("ix_cases_applicant", "hall_id", "id_digest", "item_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"))
    number: Mapped[str] = mapped_column(String(40))  # 受理编号
    status_token: Mapped[str] = mapped_column(String(40), unique=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("service_items.id"))
    kind: Mapped[str] = mapped_column(String(16))  # immediate | promised
    state: Mapped[CaseState] = mapped_column(EnumString(CaseState, 16))
    decision: Mapped[str] = mapped_column(String(16), default="done_now")
    handling_unit: Mapped[str] = mapped_column(String(80))  # department code or outside unit
    window_id: Mapped[int | None] = mapped_column(ForeignKey("windows.id"))
    clerk_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    name_sealed: Mapped[str] = mapped_column(String(400), default="")
    name_masked: Mapped[str] = mapped_column(String(40), default="")
    phone_sealed: Mapped[str] = mapped_column(String(400), default="")
    phone_masked: Mapped[str] = mapped_column(String(24), default="")
    phone_last4: Mapped[str] = mapped_column(String(4), default="")
    id_sealed: Mapped[str] = mapped_column(String(400), default="")
    id_masked: Mapped[str] = mapped_column(String(24), default="")
    id_digest: Mapped[str] = mapped_column(String(64), default="")
    materials_received: Mapped[list[Any]] = mapped_column(default=list)
    missing_materials: Mapped[list[Any]] = mapped_column(default=list)  # the latest 一次性告知
    suspensions: Mapped[list[Any]] = mapped_column(default=list)  # [[since, until|null], ...]
    accepted_at: Mapped[datetime]
    working_days: Mapped[int] = mapped_column(Integer, default=0)  # promised days
    extended_days: Mapped[int] = mapped_column(Integer, default=0)
    deadline_at: Mapped[datetime]
    colour: Mapped[str | None] = mapped_column(String(8))
    finished_at: Mapped[datetime | None]
    result: Mapped[str | None] = mapped_column(String(400))
    refuse_reason: Mapped[str | None] = mapped_column(String(400))
    on_time: Mapped[bool | None] = mapped_column(Boolean)
    repeat_of_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    note: Mapped[str | None] = mapped_column(String(400))
    item: Mapped[ServiceItem] = relationship(lazy="joined")
    ticket: Mapped[Ticket | None] = relationship(lazy="joined", foreign_keys=[ticket_id])


class CaseExtension(Base):
    """延期: asked for with a reason, approved or refused by a manager."""

    __tablename__ = "case_extensions"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    days: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(400))
    state: Mapped[ExtensionState] = mapped_column(
        EnumString(ExtensionState, 16), default=ExtensionState.REQUESTED
    )
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime]
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str | None] = mapped_column(String(400))


class CaseEscalation(Base):
    """A matter beyond the hall's remit, reported upward the same day (上报), with the reply."""

    __tablename__ = "case_escalations"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    to_unit: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str] = mapped_column(String(400))
    reported_at: Mapped[datetime]
    reported_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reply: Mapped[str | None] = mapped_column(String(400))
    replied_at: Mapped[datetime | None]


class CaseReferral(Base):
    """上报 (up: town → county) or 交办 (down: county → town) of a case between halls of one
    network. The sending hall's case is closed as ``referred``; the receiving hall accepts it
    into a case of its own (``to_case_id``) that keeps the original acceptance time, or returns
    it with a reason (the sending case reopens). ``due_at``: the end of the working day the
    matter was accepted on (a referral sent later is ``late``)."""

    __tablename__ = "case_referrals"
    __table_args__ = (
        Index("ix_case_referrals_to", "to_hall_id", "state"),
        Index("ix_case_referrals_from", "from_hall_id", "state"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    direction: Mapped[str] = mapped_column(String(8))  # up | down
    from_hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"))
    from_case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    to_hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"))
    to_unit: Mapped[str] = mapped_column(String(80), default="")  # a department of to_hall
    reason: Mapped[str] = mapped_column(String(400))
    state: Mapped[ReferralState] = mapped_column(
        EnumString(ReferralState, 16), default=ReferralState.SENT
    )
    sent_at: Mapped[datetime]
    sent_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    due_at: Mapped[datetime]
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    to_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    return_reason: Mapped[str | None] = mapped_column(String(400))


class OverdueRecord(Base):
    """超期督办: created when a case turns red; the duty officer records reason and action."""

    __tablename__ = "overdue_records"
    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    handling_unit: Mapped[str] = mapped_column(String(80))
    deadline_at: Mapped[datetime]
    detected_at: Mapped[datetime]
    reason: Mapped[str | None] = mapped_column(String(400))  # the reason the unit gave
    action: Mapped[str | None] = mapped_column(String(400))  # what the duty officer ordered
    handled_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    handled_at: Mapped[datetime | None]


class Evaluation(Base):
    """好差评: one rating per service (the ticket's first leg), never changed by staff."""

    __tablename__ = "evaluations"
    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), index=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), unique=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("service_items.id"))
    window_id: Mapped[int | None] = mapped_column(ForeignKey("windows.id"))
    clerk_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    rating: Mapped[str] = mapped_column(String(24))
    comment: Mapped[str] = mapped_column(String(400), default="")
    channel: Mapped[str] = mapped_column(String(16))  # counter | qr | pad
    at: Mapped[datetime]
    excluded: Mapped[bool] = mapped_column(Boolean, default=False)  # appeal upheld


class RatingRequest(Base):
    """A window's clerk asked the resident to rate a service on that window's rating pad; the
    pad may rate only while it is open (``services/rating_requests.py`` says when that is)."""

    __tablename__ = "rating_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), index=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)  # first leg
    leg_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))  # the leg finished there
    window_id: Mapped[int] = mapped_column(ForeignKey("windows.id"), index=True)
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(16))  # rated | superseded


class Rectification(Base):
    """差评整改: callback, verify, fix, inform, by a deadline; or an appeal decided by a manager."""

    __tablename__ = "rectifications"
    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), index=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id"), unique=True)
    opened_at: Mapped[datetime]
    deadline_at: Mapped[datetime]
    steps: Mapped[list[Any]] = mapped_column(default=list)  # [{step, at, by, note}]
    state: Mapped[RectificationState] = mapped_column(
        EnumString(RectificationState, 16), default=RectificationState.OPEN
    )
    appeal_state: Mapped[AppealState | None] = mapped_column(EnumString(AppealState, 16))
    appeal_reason: Mapped[str | None] = mapped_column(String(400))
    appeal_decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    appeal_note: Mapped[str | None] = mapped_column(String(400))
    closed_at: Mapped[datetime | None]


class FollowUp(Base):
    """回访 of a finished case."""

    __tablename__ = "follow_ups"
    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    created_at: Mapped[datetime]
    state: Mapped[FollowUpState] = mapped_column(
        EnumString(FollowUpState, 16), default=FollowUpState.PENDING
    )
    result: Mapped[str | None] = mapped_column(String(24))  # a rating level
    note: Mapped[str | None] = mapped_column(String(400))
    done_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    done_at: Mapped[datetime | None]


class Notification(Base):
    """A message to a resident, and its outbox row: written ``pending`` (never sent inside the
    request that caused it), delivered by the notify job through the configured notifier
    (``services/notify*.py``), retried with backoff, then ``sent`` or ``failed``. One row per
    (ticket, kind): a ticket's "N away" and "called" messages go out at most once."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("ticket_id", "kind"),
        Index("ix_notifications_due", "state", "next_attempt_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    kind: Mapped[str] = mapped_column(String(16), default="case_finished")  # | away | called
    channel: Mapped[str] = mapped_column(String(16))
    to_masked: Mapped[str] = mapped_column(String(24))
    to_sealed: Mapped[str] = mapped_column(String(400), default="")  # opened only to send
    text: Mapped[str] = mapped_column(String(400))
    at: Mapped[datetime]  # queued
    state: Mapped[NotificationState] = mapped_column(
        EnumString(NotificationState, 16), default=NotificationState.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(400))
    sent_at: Mapped[datetime | None]


class JobLease(Base):
    """Which server process runs a periodic job: the holder renews its lease, others wait."""

    __tablename__ = "job_leases"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    owner: Mapped[str] = mapped_column(String(80))
    until: Mapped[datetime]
    runs: Mapped[int] = mapped_column(Integer, default=0)


class LookupGuard(Base):
    """Wrong tries of the kiosk's 办件查询 per acceptance number and per device, counted by an
    atomic upsert (so every server process shares them); ``services/lookup_guard.py``."""

    __tablename__ = "lookup_guards"
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), primary_key=True)
    scope: Mapped[str] = mapped_column(String(8), primary_key=True)  # number | device
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    misses: Mapped[int] = mapped_column(Integer, default=0)
    since: Mapped[datetime]  # the first miss now counted
    locked_until: Mapped[datetime | None]


# --- appointments (预约) --------------------------------------------------------------------------


class Appointment(Base):
    """A booked slot for one item. Name and phone are sealed with masked copies for display;
    digests of phone and ID count the per-person limits without decrypting. Only the SHA-256 of
    the manage token is stored."""

    __tablename__ = "appointments"
    __table_args__ = (
        UniqueConstraint("hall_id", "code"),
        Index("ix_appointments_day", "hall_id", "day", "state"),
        Index("ix_appointments_phone", "hall_id", "phone_digest", "state"),
        Index("ix_appointments_id_digest", "hall_id", "id_digest", "state"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"))
    code: Mapped[str] = mapped_column(String(8))  # what the kiosk takes
    manage_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("service_items.id"))
    day: Mapped[date] = mapped_column(Date)  # hall-local day of the slot
    slot_start: Mapped[datetime]
    slot_end: Mapped[datetime]
    state: Mapped[AppointmentState] = mapped_column(
        EnumString(AppointmentState, 16), default=AppointmentState.BOOKED
    )
    name_sealed: Mapped[str] = mapped_column(String(400), default="")
    name_masked: Mapped[str] = mapped_column(String(40), default="")
    phone_sealed: Mapped[str] = mapped_column(String(400), default="")
    phone_masked: Mapped[str] = mapped_column(String(24), default="")
    phone_last4: Mapped[str] = mapped_column(String(4), default="")
    phone_digest: Mapped[str] = mapped_column(String(64), default="")
    id_sealed: Mapped[str] = mapped_column(String(400), default="")
    id_masked: Mapped[str] = mapped_column(String(24), default="")
    id_digest: Mapped[str] = mapped_column(String(64), default="")
    booked_at: Mapped[datetime]
    moves: Mapped[int] = mapped_column(Integer, default=0)
    checked_in_at: Mapped[datetime | None]
    on_time: Mapped[bool | None] = mapped_column(Boolean)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    cancelled_at: Mapped[datetime | None]
    no_show_at: Mapped[datetime | None]
    item: Mapped[ServiceItem] = relationship(lazy="joined")


class AppointmentSlotCount(Base):
    """Places taken per hall, item and slot; claimed by an atomic conditional upsert, so
    concurrent bookings never exceed the slot's capacity (``services/appointments.py``)."""

    __tablename__ = "appointment_slot_counts"
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("service_items.id"), primary_key=True)
    slot_start: Mapped[datetime] = mapped_column(primary_key=True)
    taken: Mapped[int] = mapped_column(Integer, default=0)
