"""Open rating requests (评价邀请), kept as rows so that every server process agrees which rating
pad may rate which service.

The clerk's 评价 at window N opens a request for the service just finished there. It is open
until the first of:

- the rating arrives, on the pad or by the receipt's QR code (outcome ``rated``);
- the clerk asks again at that window, for this or another service (``superseded``);
- the window calls its next ticket: the resident has left the counter (nothing is written:
  while the window has a current ticket, or another ticket ended there last, it is closed);
- ``REQUEST_MINUTES`` (5) after it was made (``expires_at``).

Only the pad of window N may rate while the request is open; the QR code needs no request
(the resident holds the receipt and may rate later, once)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..db.models import Device, RatingRequest, Ticket, Window
from ..db.uow import UnitOfWork
from ..domain.errors import Forbidden
from ..domain.ratings import pad_window, request_expiry


def root_id(ticket: Ticket) -> int:
    return ticket.root_id or ticket.id


def _open(now: datetime):
    return select(RatingRequest).where(
        RatingRequest.closed_at.is_(None), RatingRequest.expires_at > now
    )


def last_ended(session: Session, window: Window, day: date) -> Ticket | None:
    """The ticket whose service ended last at the window on ``day`` (finished, no-show or
    transferred)."""
    return session.scalar(
        select(Ticket)
        .where(
            Ticket.hall_id == window.hall_id,
            Ticket.day == day,
            Ticket.window_id == window.id,
            Ticket.ended_at.is_not(None),
        )
        .order_by(Ticket.ended_at.desc(), Ticket.id.desc())
        .limit(1)
    )


def moved_on(session: Session, window: Window, leg: Ticket) -> bool:
    """Whether the window has called someone since ``leg`` ended there: its resident left."""
    if window.current_ticket_id is not None:
        return True
    last = last_ended(session, window, leg.day)
    return last is None or last.id != leg.id


def open_at_window(session: Session, window: Window, now: datetime) -> RatingRequest | None:
    """The window's open request (at most one: a new one supersedes the last)."""
    stmt = _open(now).where(RatingRequest.window_id == window.id)
    request = session.scalar(stmt.order_by(RatingRequest.id.desc()).limit(1))
    if request is None or moved_on(session, window, session.get_one(Ticket, request.leg_id)):
        return None
    return request


def ask(uow: UnitOfWork, hall_id: int, window: Window, leg: Ticket, user_id: int | None):
    """Open a request for the service ``leg`` just finished at ``window``."""
    uow.session.execute(
        update(RatingRequest)
        .where(RatingRequest.window_id == window.id, RatingRequest.closed_at.is_(None))
        .values(closed_at=uow.now, outcome="superseded")
    )
    request = RatingRequest(
        hall_id=hall_id,
        ticket_id=root_id(leg),
        leg_id=leg.id,
        window_id=window.id,
        requested_by=user_id,
        requested_at=uow.now,
        expires_at=request_expiry(uow.now),
    )
    uow.session.add(request)
    return request


def claim_for_pad(uow: UnitOfWork, device: Device, ticket: Ticket) -> RatingRequest:
    """The open request that lets this pad rate ``ticket`` (closed as rated), or Forbidden
    naming why not: the pad has no window, the service was at another window, or the window
    has not asked (or its request closed)."""
    number = pad_window(device.attached_to, device.name)
    if number is None:
        raise Forbidden(
            "pad_without_window",
            f"评价器 {device.code} 未指定所在窗口 / rating pad {device.code} is attached to no "
            "window (set attached_to to its window number in the hall file)",
            "Authorization",
        )
    served = uow.session.get(Window, ticket.window_id) if ticket.window_id else None
    if served is None or served.number != number:
        where = f"window {served.number}" if served else "no window"
        raise Forbidden(
            "wrong_window",
            f"本评价器属于 {number} 号窗口，{ticket.number} 不在此窗口办理 / this pad belongs to "
            f"window {number}; {ticket.number} was served at {where}",
            "ticket",
        )
    stmt = _open(uow.now).where(
        RatingRequest.window_id == served.id, RatingRequest.ticket_id == root_id(ticket)
    )
    request = uow.session.scalar(stmt.limit(1).with_for_update())
    if request is None or moved_on(
        uow.session, served, uow.session.get_one(Ticket, request.leg_id)
    ):
        raise Forbidden(
            "no_rating_request",
            f"{number} 号窗口没有邀请 {ticket.number} 评价，或邀请已结束 / window {number} has no "
            f"open rating request for {ticket.number}",
            "ticket",
        )
    request.closed_at, request.outcome = uow.now, "rated"
    return request


def close_for_service(uow: UnitOfWork, ticket: Ticket) -> None:
    """The service was rated (by QR code): its pad request, if any, is no longer open."""
    uow.session.execute(
        update(RatingRequest)
        .where(RatingRequest.ticket_id == root_id(ticket), RatingRequest.closed_at.is_(None))
        .values(closed_at=uow.now, outcome="rated")
    )
