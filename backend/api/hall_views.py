"""Catalog, tickets, queue snapshot and the audit trail of one hall."""

from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify

from ..services import devices, hall_reads, halls, queue, tickets
from .framework import (
    ANY_PRINCIPAL,
    MANAGERS,
    PUBLIC,
    STAFF,
    command,
    endpoint,
    hall_ctx,
    now,
    read,
)
from .queries import AuditQuery
from .responses import hall as r
from .schemas import Command, DeviceStatus, IssueTicket

bp = Blueprint("hall", __name__, url_prefix="/api/v1/halls/<hall>")

ISSUERS = frozenset({"kiosk", "clerk", "manager", "admin"})


@endpoint(
    bp,
    "/catalog",
    summary="Departments, service items with their published guide (事项公开), windows",
    roles=PUBLIC,
    response=r.Catalog,
    tag="catalog",
)
def catalog(hall: str):
    ctx = hall_ctx(hall)
    cache = current_app.extensions.setdefault("onestop.frequent_items", {})
    return jsonify(read(lambda uow: halls.catalog(uow.session, ctx, now(), cache)))


@endpoint(
    bp,
    "/items/<code>",
    summary="One service item with its guide, whether it can be taken now and the wait a ticket "
    "taken now would have (null when no window is open)",
    roles=PUBLIC,
    response=r.ItemNow,
    tag="catalog",
)
def item(hall: str, code: str):
    ctx = hall_ctx(hall)
    return jsonify(read(lambda uow: hall_reads.item_now(uow.session, ctx, code, now())))


@endpoint(
    bp,
    "/tickets",
    methods=("POST",),
    summary="Issue a ticket (取号); a repeated request id returns the same ticket",
    roles=ISSUERS,
    body=IssueTicket,
    response=r.TicketIssued,
    tag="tickets",
)
def issue(hall: str, body: IssueTicket):
    ctx = hall_ctx(hall)
    return command(
        ctx,
        lambda uow, rid: tickets.issue_ticket(
            uow,
            ctx,
            g.principal.actor(),
            item_code=body.item_code,
            priority=body.priority,
            priority_reason=body.priority_reason,
            language=body.language,
            request_id=rid,
        ),
        body,
    )


@endpoint(
    bp,
    "/tickets/<number>",
    summary="Today's ticket with every leg (transfers) for staff",
    roles=STAFF,
    response=r.TicketDetail,
    tag="tickets",
)
def ticket_detail(hall: str, number: str):
    ctx = hall_ctx(hall)
    return jsonify(read(lambda uow: hall_reads.ticket_detail(uow.session, ctx, number, now())))


def _ticket_action(hall: str, number: str, body: Command, fn):
    ctx = hall_ctx(hall)

    def action(uow, rid):
        ticket = tickets.find_today(uow.session, ctx, number, uow.now)
        return fn(uow, ctx, g.principal.actor(), ticket, rid)

    return command(ctx, action, body)


@endpoint(
    bp,
    "/tickets/<number>/cancel",
    methods=("POST",),
    summary="Cancel a waiting ticket (resident left)",
    roles=STAFF,
    body=Command,
    response=r.TicketAnswer,
    tag="tickets",
)
def cancel(hall: str, number: str, body: Command):
    return _ticket_action(hall, number, body, tickets.cancel_ticket)


@endpoint(
    bp,
    "/tickets/<number>/requeue",
    methods=("POST",),
    summary="Re-queue a returning no-show behind the configured number of people",
    roles=STAFF,
    body=Command,
    response=r.TicketRequeued,
    tag="tickets",
)
def requeue(hall: str, number: str, body: Command):
    return _ticket_action(hall, number, body, tickets.requeue_ticket)


@endpoint(
    bp,
    "/queue",
    summary="Snapshot of the hall: waiting per item, windows, current calls, event sequence",
    roles=ANY_PRINCIPAL,
    response=r.QueueSnapshot,
    tag="queue",
)
def snapshot(hall: str):
    ctx = hall_ctx(hall)
    return jsonify(read(lambda uow: queue.snapshot(uow.session, ctx, now())))


@endpoint(
    bp,
    "/audit",
    summary="Audit trail, newest first (page with ?before=<id>&limit=)",
    roles=MANAGERS,
    query=AuditQuery,
    response=r.AuditPage,
    tag="audit",
)
def audit(hall: str, query: AuditQuery):
    ctx = hall_ctx(hall)
    return jsonify(
        read(lambda uow: hall_reads.audit_page(uow.session, ctx, query.limit, query.before))
    )


status_bp = Blueprint("status", __name__, url_prefix="/api/v1/status")


@endpoint(
    status_bp,
    "/<token>",
    summary="A resident's ticket status by the unguessable token on the receipt",
    roles=PUBLIC,
    response=r.TicketStatus,
    tag="tickets",
)
def public_status(token: str):
    return jsonify(read(lambda uow: hall_reads.status_by_token(uow.session, token, now())))


DEVICES = frozenset({"kiosk", "display", "printer", "rating_pad"})


@endpoint(
    bp,
    "/devices/<code>/status",
    methods=("POST",),
    summary="Heartbeat of a kiosk/display with its printer's condition (shown on the managers' board)",
    roles=DEVICES,
    body=DeviceStatus,
    response=r.DeviceAnswer,
    tag="devices",
)
def device_status(hall: str, code: str, body: DeviceStatus):
    ctx = hall_ctx(hall)
    status = body.model_dump(mode="json", exclude={"request_id"})
    return command(
        ctx, lambda uow, rid: devices.report_status(uow, ctx, g.principal, code, status, rid), body
    )
