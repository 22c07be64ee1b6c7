"""Telling residents: that their case is done, that their ticket is N people from being called,
that it is called. Nothing is sent inside the request that caused it: every message is a
``pending`` row of the ``notifications`` outbox (``queue_message``), and the notify job
(``notify_outbox.py``) hands it to the configured notifier. The default ``LogNotifier`` only
records and logs (phone masked); ``notify_webhook.WebhookNotifier`` POSTs to an SMS gateway's
webhook. A hall's gateway plugs in as another notifier with ``deliver``."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db.models import Appointment, Case, Notification, Ticket
from ..db.uow import Actor, UnitOfWork, upsert
from ..domain.cases import CaseState
from ..domain.notifications import NotificationState
from .halls import HallContext

log = logging.getLogger("onestop.notify")
JOB = Actor("job:notify")
KINDS = ("case_finished", "away", "called")


# --- the words (Chinese: an SMS to a resident of the hall) -----------------------------------
def finished_text(ctx: HallContext, case: Case) -> str:
    if case.state == CaseState.REFUSED.value:
        outcome = f"未能办理，原因：{case.refuse_reason}"
    else:
        outcome = f"已办结：{case.result or '办理完毕'}"
    return f"【{ctx.name_zh}】您的{case.item.name_zh}（受理编号 {case.number}）{outcome}"


def away_text(ctx: HallContext, ticket: Ticket, ahead: int) -> str:
    where = f"前面还有 {ahead} 人" if ahead else "前面已没有人"
    return (
        f"【{ctx.name_zh}】您的 {ticket.number} 号（{ticket.item.name_zh}）{where}，"
        "即将叫号，请回到大厅留意叫号屏。"
    )


def called_text(ctx: HallContext, ticket: Ticket, window: int) -> str:
    return (
        f"【{ctx.name_zh}】请 {ticket.number} 号到 {window}号窗口 办理（{ticket.item.name_zh}）。"
    )


# --- what a notifier is ------------------------------------------------------------------------
@dataclass(frozen=True)
class Message:
    """One outbox row as a notifier sees it; ``to`` is the full phone, opened only to send."""

    id: int
    kind: str
    to: str
    to_masked: str
    text: str
    hall: str
    ticket: str | None


class DeliveryError(Exception):
    """The message did not get through this time; the job retries it with backoff."""


class Notifier(Protocol):
    channel: str

    def case_finished(self, uow: UnitOfWork, ctx: HallContext, case: Case) -> None: ...

    def deliver(self, message: Message) -> None:
        """Send now (in the notify job, never in a request); raise DeliveryError on failure."""
        ...


class QueueingNotifier:
    """What every notifier does inside a request: put the message in the outbox."""

    channel = "log"

    def case_finished(self, uow: UnitOfWork, ctx: HallContext, case: Case) -> None:
        if not case.phone_masked:
            return
        queue_message(
            uow,
            ctx,
            channel=self.channel,
            kind="case_finished",
            to_sealed=case.phone_sealed,
            to_masked=case.phone_masked,
            text=finished_text(ctx, case),
            case_id=case.id,
        )


class LogNotifier(QueueingNotifier):
    """Records every message in ``notifications`` and the server log (phone masked); sends
    nothing."""

    channel = "log"

    def deliver(self, message: Message) -> None:
        log.info("notify %s (%s): %s", message.to_masked, message.kind, message.text)


# --- the outbox ---------------------------------------------------------------------------------
def queue_message(
    uow: UnitOfWork,
    ctx: HallContext,
    *,
    channel: str,
    kind: str,
    to_sealed: str,
    to_masked: str,
    text: str,
    case_id: int | None = None,
    ticket: Ticket | None = None,
) -> int | None:
    """Add a pending message; None when this ticket already has one of this kind (another
    process queued it first: a ticket's message goes out at most once). A ticket's message is
    audited here (the job decided to send it); a case's is part of the audited case change."""
    stmt = (
        upsert(uow.session)(Notification)
        .values(
            hall_id=ctx.id,
            case_id=case_id,
            ticket_id=ticket.id if ticket is not None else None,
            kind=kind,
            channel=channel,
            to_masked=to_masked,
            to_sealed=to_sealed,
            text=text[:400],
            at=uow.now,
            state=NotificationState.PENDING,
            attempts=0,
            next_attempt_at=uow.now,
        )
        .on_conflict_do_nothing(index_elements=["ticket_id", "kind"])
        .returning(Notification.id)
    )
    new_id = uow.session.execute(stmt).scalar_one_or_none()
    if new_id is None:
        return None
    if ticket is not None:
        details = {"kind": kind, "to": to_masked, "notification_id": new_id, "ticket_id": ticket.id}
        uow.audit(ctx.id, JOB, "notify.queued", "ticket", ticket.number, details)
    return new_id


def ticket_phone(session: Session, ticket: Ticket) -> tuple[str, str] | None:
    """(sealed, masked) phone to tell about this ticket, or None. Today only a ticket from an
    appointment check-in has one (the Appointment's); other sources can join here."""
    appointment_id = getattr(ticket, "appointment_id", None)
    if appointment_id is None and ticket.root_id is not None:
        appointment_id = session.scalar(
            select(Ticket.appointment_id).where(Ticket.id == ticket.root_id)
        )
    if appointment_id is None:
        return None
    appointment = session.get(Appointment, appointment_id)
    if appointment is None or not appointment.phone_sealed:
        return None
    return appointment.phone_sealed, appointment.phone_masked
