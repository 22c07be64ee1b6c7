"""The notify job: find tickets with a phone that are now N people from their call or called
(``[notify]`` of the hall), queue their message once, and deliver what is due through the
notifier. Runs in the scheduler thread under the ``notify`` lease, never in a request.

Delivery is at most once per row: a row is claimed (``sending``, attempts + 1) in its own commit
before the notifier is called; a failure puts it back to ``pending`` with exponential backoff
until ``max_attempts``, then ``failed``. A row left ``sending`` by a process that died mid-send
may or may not have gone out, so it is marked ``failed`` (interrupted), never sent again."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, or_, select, update
from sqlalchemy.orm import aliased

from ..db.engine import Database
from ..db.models import Hall, Notification, Ticket, Window
from ..db.protect import Protector
from ..db.uow import UnitOfWork, rowcount
from ..domain.notifications import UNSETTLED, NotificationState
from ..domain.numbering import local_day
from ..domain.tickets import TicketState
from . import halls
from .notify import JOB, Message, Notifier, away_text, called_text, queue_message, ticket_phone
from .queue import estimates

log = logging.getLogger("onestop.notify")

CLAIM = timedelta(minutes=2)  # a send still 'sending' after this was interrupted
BATCH = 50  # messages delivered per tick at most


@dataclass(frozen=True)
class Retry:
    max_attempts: int = 5
    first: timedelta = timedelta(seconds=10)
    cap: timedelta = timedelta(minutes=10)

    def delay(self, attempts: int) -> timedelta:
        return min(self.cap, self.first * (2 ** max(0, attempts - 1)))


DEFAULT_RETRY = Retry()


def _active(kind: str):
    """The ticket of the enclosing query already has a message of this kind."""
    n = aliased(Notification)
    return exists().where(n.ticket_id == Ticket.id, n.kind == kind)


def _has(session, ticket_id: int, kind: str) -> bool:
    stmt = select(Notification.id).where(
        Notification.ticket_id == ticket_id, Notification.kind == kind
    )
    return session.scalar(stmt.limit(1)) is not None


def _candidates(now: datetime):
    """Tickets that may be owed a message: a phone source, waiting or called, recent."""
    return select(Ticket).where(
        Ticket.appointment_id.is_not(None),
        Ticket.state.in_((TicketState.WAITING, TicketState.CALLED)),
        Ticket.day >= (now - timedelta(days=1)).date(),
        ~(_active("called")),
    )


def has_work(db: Database, now: datetime) -> bool:
    """One cheap read: anything to queue or deliver (the job takes no lease when idle)."""
    with db.reader() as session:
        due = exists().where(Notification.state.in_(UNSETTLED), Notification.next_attempt_at <= now)
        return bool(session.scalar(select(or_(due, _candidates(now).exists()))))


def queue_due(db: Database, notifier: Notifier, now: datetime) -> int:
    """Queue the "N away" and "called" messages now owed; returns how many were queued. The
    places of a hall's waiting candidates come from one simulation of each line (the phones'
    batched estimate), not one per ticket."""
    queued = 0
    with UnitOfWork(db, now) as uow:
        session = uow.session
        by_hall: dict[int, list[Ticket]] = {}
        for ticket in session.scalars(_candidates(now).order_by(Ticket.id)).all():
            by_hall.setdefault(ticket.hall_id, []).append(ticket)
        for hall_id, candidates in by_hall.items():
            ctx = halls.context_of(session.get_one(Hall, hall_id))
            today = local_day(now, ctx.timezone)
            rules = ctx.config.notify
            mine = [t for t in candidates if t.day == today]
            told = {
                t.id
                for t in mine
                if t.state == TicketState.WAITING
                and rules.tickets_away
                and _has(session, t.id, "away")
            }
            waiting = [t for t in mine if t.state == TicketState.WAITING and t.id not in told]
            places = estimates(session, ctx, waiting, now) if rules.tickets_away else {}
            for ticket in mine:
                owed = _owed(session, ctx, ticket, places)
                if owed is None:
                    continue
                phone = ticket_phone(session, ticket)
                if phone is None:
                    continue
                kind, text = owed
                sealed, masked = phone
                if queue_message(
                    uow,
                    ctx,
                    channel=notifier.channel,
                    kind=kind,
                    to_sealed=sealed,
                    to_masked=masked,
                    text=text,
                    ticket=ticket,
                ):
                    queued += 1
        uow.commit()
    return queued


def _owed(session, ctx, ticket: Ticket, places: dict[int, dict]) -> tuple[str, str] | None:
    """(kind, text) of the message this ticket is owed now, or None."""
    rules = ctx.config.notify
    if ticket.state == TicketState.CALLED and rules.called and ticket.window_id:
        window = session.get(Window, ticket.window_id)
        return "called", called_text(ctx, ticket, window.number)
    place = places.get(ticket.id)
    if ticket.state == TicketState.WAITING and place is not None:
        ahead = place["people_ahead"]
        if ahead is not None and ahead <= rules.tickets_away:
            return "away", away_text(ctx, ticket, ahead)
    return None


def deliver_due(
    db: Database,
    notifier: Notifier,
    protector: Protector,
    now: datetime,
    retry: Retry = DEFAULT_RETRY,
    limit: int = BATCH,
) -> dict[str, int]:
    """Send the pending messages that are due; returns counts by outcome."""
    counts = {"sent": 0, "retry": 0, "failed": 0, "interrupted": 0}
    with UnitOfWork(db, now) as uow:
        stuck = uow.session.scalars(
            select(Notification).where(
                Notification.state == NotificationState.SENDING,
                Notification.next_attempt_at < now,
            )
        ).all()
        for row in stuck:
            row.state = NotificationState.FAILED
            row.last_error = "interrupted while sending: not sent again"
            _audit_outcome(uow, row, "notify.failed")
            counts["interrupted"] += 1
        due = uow.session.scalars(
            select(Notification.id)
            .where(
                Notification.state == NotificationState.PENDING,
                Notification.next_attempt_at <= now,
            )
            .order_by(Notification.next_attempt_at, Notification.id)
            .limit(limit)
        ).all()
        uow.commit()
    for row_id in due:
        message = _claim(db, protector, row_id, now)
        if message is None:
            continue  # another process got it
        error = None
        try:
            notifier.deliver(message)
        except Exception as exc:  # noqa: BLE001 - any failure of a gateway is a failed attempt
            error = f"{type(exc).__name__}: {exc}"[:400]
        counts[_settle(db, row_id, error, now, retry)] += 1
    return counts


def _claim(db: Database, protector: Protector, row_id: int, now: datetime) -> Message | None:
    with UnitOfWork(db, now) as uow:
        claimed = rowcount(
            uow.session.execute(
                update(Notification)
                .where(Notification.id == row_id, Notification.state == NotificationState.PENDING)
                .values(
                    state=NotificationState.SENDING,
                    attempts=Notification.attempts + 1,
                    next_attempt_at=now + CLAIM,
                )
            )
        )
        if claimed != 1:
            return None
        row = uow.session.get_one(Notification, row_id)
        hall = uow.session.get_one(Hall, row.hall_id)
        ticket = uow.session.get(Ticket, row.ticket_id) if row.ticket_id else None
        message = Message(
            id=row.id,
            kind=row.kind,
            to=protector.open(row.to_sealed) if row.to_sealed else "",
            to_masked=row.to_masked,
            text=row.text,
            hall=hall.code,
            ticket=ticket.number if ticket is not None else None,
        )
        uow.commit()
    return message


def _settle(db: Database, row_id: int, error: str | None, now: datetime, retry: Retry) -> str:
    with UnitOfWork(db, now) as uow:
        row = uow.session.get_one(Notification, row_id)
        if error is None:
            row.state, row.sent_at, row.last_error = NotificationState.SENT, now, None
            outcome = "sent"
            _audit_outcome(uow, row, "notify.sent")
        elif row.attempts >= retry.max_attempts:
            row.state, row.last_error, outcome = NotificationState.FAILED, error, "failed"
            _audit_outcome(uow, row, "notify.failed")
            log.warning("notification %s to %s failed for good: %s", row.id, row.to_masked, error)
        else:
            row.state, row.last_error, outcome = NotificationState.PENDING, error, "retry"
            row.next_attempt_at = now + retry.delay(row.attempts)
            log.info("notification %s to %s: attempt %s failed: %s", row.id, row.to_masked,
                     row.attempts, error)  # fmt: skip
        uow.commit()
    return outcome


def _audit_outcome(uow: UnitOfWork, row: Notification, action: str) -> None:
    details = {"kind": row.kind, "to": row.to_masked, "attempts": row.attempts}
    if row.last_error:
        details["error"] = row.last_error
    uow.audit(row.hall_id, JOB, action, "notification", row.id, details)


def tick(
    db: Database,
    notifier: Notifier,
    protector: Protector,
    now: datetime,
    retry: Retry = DEFAULT_RETRY,
) -> dict[str, int]:
    """One run of the job: queue what is owed, deliver what is due."""
    queued = queue_due(db, notifier, now)
    return {"queued": queued, **deliver_due(db, notifier, protector, now, retry)}


@dataclass
class NotifyJob:
    """What the scheduler runs every few seconds (``jobs.Scheduler.notify_tick``)."""

    db: Database
    notifier: Notifier
    protector: Protector
    retry: Retry = DEFAULT_RETRY

    def has_work(self, now: datetime) -> bool:
        return has_work(self.db, now)

    def run(self, now: datetime) -> dict[str, int]:
        return tick(self.db, self.notifier, self.protector, now, self.retry)
