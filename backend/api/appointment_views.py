"""Appointments (预约): public booking and the resident's manage page (no token), the kiosk's
check-in, and today's appointments per slot for staff."""

from __future__ import annotations

from flask import Blueprint, g, jsonify

from ..db.uow import Actor
from ..domain.errors import Forbidden, NotFound
from ..domain.numbering import local_day
from ..services import appointments
from .framework import (
    MANAGERS,
    PUBLIC,
    STAFF,
    SUPERVISOR,
    command,
    endpoint,
    hall_ctx,
    now,
    protector,
    read,
)
from .responses import appointments as r
from .schemas import (
    AppointmentDayQuery,
    AppointmentItemQuery,
    AppointmentSlotsQuery,
    BookAppointment,
    CheckIn,
    Command,
    MoveAppointment,
)

bp = Blueprint("appointments", __name__, url_prefix="/api/v1/halls/<hall>/appointments")
manage_bp = Blueprint("appointment_manage", __name__, url_prefix="/api/v1/appointments")


@endpoint(
    bp,
    "/items",
    summary="Service items and whether each can be booked (预约)",
    roles=PUBLIC,
    response=r.AppointmentItems,
    tag="appointments",
)
def items(hall: str):
    ctx = hall_ctx(hall)
    return jsonify(read(lambda uow: appointments.items(uow.session, ctx)))


@endpoint(
    bp,
    "/days",
    summary="Bookable days of an item (holidays and make-up working days from the calendar)",
    roles=PUBLIC,
    query=AppointmentItemQuery,
    response=r.AppointmentDays,
    tag="appointments",
)
def days(hall: str, query: AppointmentItemQuery):
    ctx = hall_ctx(hall)
    return jsonify(read(lambda uow: appointments.days(uow.session, ctx, query.item, now())))


@endpoint(
    bp,
    "/slots",
    summary="An item's slots on a day: capacity, places left, and why one cannot be booked",
    roles=PUBLIC,
    query=AppointmentSlotsQuery,
    response=r.AppointmentSlots,
    tag="appointments",
)
def slots(hall: str, query: AppointmentSlotsQuery):
    ctx = hall_ctx(hall)
    return jsonify(
        read(lambda uow: appointments.slots(uow.session, ctx, query.item, query.day, now()))
    )


@endpoint(
    bp,
    "",
    methods=("POST",),
    summary="Book a slot (201); the same request id again returns the first answer",
    roles=PUBLIC,
    body=BookAppointment,
    response=r.AppointmentBooked,
    tag="appointments",
)
def book(hall: str, body: BookAppointment):
    ctx = hall_ctx(hall)
    guard = protector()

    def action(uow, rid):
        return appointments.book(
            uow,
            ctx,
            Actor("resident"),
            guard,
            item_code=body.item_code,
            slot_start=body.slot_start,
            name=body.name,
            phone=body.phone,
            id_number=body.id_number,
            request_id=rid,
        )

    return _created(command(ctx, action, body))


def _created(response):
    response.status_code = 201
    return response


@endpoint(
    manage_bp,
    "/<token>",
    summary="A resident's appointment by the unguessable token of its manage page",
    roles=PUBLIC,
    response=r.AppointmentAnswer,
    tag="appointments",
)
def manage(token: str):
    def view(uow):
        ctx, a = appointments.by_token(uow.session, token)
        return {"appointment": appointments.view(uow.session, ctx, a, now())}

    return jsonify(read(view))


@endpoint(
    manage_bp,
    "/<token>/cancel",
    methods=("POST",),
    summary="Cancel an appointment before its slot starts",
    roles=PUBLIC,
    body=Command,
    response=r.AppointmentAnswer,
    tag="appointments",
)
def cancel(token: str, body: Command):
    return command(None, lambda uow, rid: appointments.cancel(uow, token, rid), body)


@endpoint(
    manage_bp,
    "/<token>/move",
    methods=("POST",),
    summary="Move an appointment to another slot of the same item (the cut-off applies)",
    roles=PUBLIC,
    body=MoveAppointment,
    response=r.AppointmentAnswer,
    tag="appointments",
)
def move(token: str, body: MoveAppointment):
    return command(None, lambda uow, rid: appointments.move(uow, token, body.slot_start, rid), body)


@endpoint(
    bp,
    "/check-in",
    methods=("POST",),
    summary="Check in at the kiosk (201): a ticket with appointment priority inside the slot's "
    "tolerance, else an ordinary ticket with the reason",
    roles=frozenset({"kiosk"}),
    body=CheckIn,
    response=r.CheckedIn,
    tag="appointments",
)
def check_in(hall: str, body: CheckIn):
    ctx = hall_ctx(hall)
    return _created(
        command(
            ctx,
            lambda uow, rid: appointments.check_in(
                uow,
                ctx,
                g.principal.actor(),
                code=body.code,
                phone_last4=body.phone_last4,
                item_code=body.item_code,
                language=body.language,
                request_id=rid,
            ),
            body,
        )
    )


@endpoint(
    bp,
    "/today",
    summary="A day's appointments per slot and item for the counter and the board (clerks: "
    "today only; ?window= only that window's items)",
    roles=frozenset({*STAFF, SUPERVISOR}),
    query=AppointmentDayQuery,
    response=r.AppointmentDay,
    tag="appointments",
)
def today(hall: str, query: AppointmentDayQuery):
    ctx = hall_ctx(hall)
    current = local_day(now(), ctx.timezone)
    day = query.day or current
    if day != current and g.principal.role not in MANAGERS:
        raise Forbidden("managers_only", "clerks see today's appointments only", "day")
    codes = None
    if query.window is not None:
        items = ctx.window_items.get(query.window)
        if items is None:
            raise NotFound("window_not_found", f"no window {query.window}", "window")
        codes = list(items)
    return jsonify(read(lambda uow: appointments.day_board(uow.session, ctx, day, codes)))
