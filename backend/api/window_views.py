"""Window actions for clerks: each acts on the window's current ticket."""

from __future__ import annotations

from flask import Blueprint, g, jsonify

from ..services import counter, counter_view
from .framework import MANAGERS, STAFF, command, endpoint, hall_ctx, now, read
from .responses import windows as r
from .schemas import CallSpecific, Command, ManagerMessage, Pause, Staffing, Transfer

bp = Blueprint("windows", __name__, url_prefix="/api/v1/halls/<hall>/windows/<int:number>")


def _run(hall: str, body, fn, *args, **kwargs):
    ctx = hall_ctx(hall)
    return command(ctx, lambda uow, rid: fn(uow, ctx, g.principal, *args, rid=rid, **kwargs), body)


def _simple(name: str, summary: str, fn, response=r.WindowAnswer):
    def view(hall: str, number: int, body: Command):
        return _run(hall, body, fn, number)

    view.__name__ = name.replace("-", "_")
    endpoint(
        bp,
        f"/{name}",
        methods=("POST",),
        summary=summary,
        roles=STAFF,
        body=Command,
        response=response,
        tag="windows",
    )(view)


_simple("sign-in", "Sign in to the window (签到); it opens", counter.sign_in)
_simple("sign-out", "Sign out; the window closes", counter.sign_out)
_simple(
    "take-over",
    "Take over a window paused for handover (交接班), keeping its current ticket",
    counter.take_over,
)
_simple("resume", "Resume after a pause", counter.resume)
_simple(
    "call-next",
    "Call the next ticket by the window's policy (叫号)",
    counter.call_next,
    r.CallNextAnswer,
)
_simple("recall", "Repeat the call of the current ticket (重呼)", counter.recall, r.CalledAnswer)
_simple("start", "Start serving the current ticket", counter.start, r.CalledAnswer)
_simple("finish", "Finish the current ticket (办结)", counter.finish, r.CalledAnswer)
_simple("no-show", "Mark the current ticket as not present (过号)", counter.no_show, r.CalledAnswer)


@endpoint(
    bp,
    "/pause",
    methods=("POST",),
    summary="Pause with a reason (break, meeting, handover)",
    roles=STAFF,
    body=Pause,
    response=r.WindowAnswer,
    tag="windows",
)
def pause(hall: str, number: int, body: Pause):
    return _run(hall, body, counter.pause, number, body.reason, body.note)


@endpoint(
    bp,
    "/call",
    methods=("POST",),
    summary="Call a specific ticket out of order, with a reason",
    roles=STAFF,
    body=CallSpecific,
    response=r.CalledAnswer,
    tag="windows",
)
def call_specific(hall: str, number: int, body: CallSpecific):
    return _run(hall, body, counter.call_specific, number, body.number, body.reason)


@endpoint(
    bp,
    "/transfer",
    methods=("POST",),
    summary="Transfer the current ticket to another item and/or window (转办)",
    roles=STAFF,
    body=Transfer,
    response=r.TransferAnswer,
    tag="windows",
)
def transfer(hall: str, number: int, body: Transfer):
    return _run(
        hall,
        body,
        counter.transfer,
        number,
        to_item=body.to_item,
        to_window=body.to_window,
        note=body.note,
    )


@endpoint(
    bp,
    "/staff",
    methods=("POST",),
    summary="Assign the window's A (primary) and B (backup) clerks",
    roles=MANAGERS,
    body=Staffing,
    response=r.WindowAnswer,
    tag="windows",
)
def staff(hall: str, number: int, body: Staffing):
    return _run(hall, body, counter.assign_staff, number, body.primary, body.backup)


@endpoint(
    bp,
    "",
    summary="The counter's state: window, current ticket with materials and history, the line, today's figures",
    roles=STAFF,
    response=r.CounterState,
    tag="windows",
)
def state(hall: str, number: int):
    ctx = hall_ctx(hall)
    user_id = g.principal.id if g.principal.kind == "user" else None
    return jsonify(
        read(lambda uow: counter_view.counter_state(uow.session, ctx, number, user_id, now()))
    )


messages_bp = Blueprint("messages", __name__, url_prefix="/api/v1/halls/<hall>")


@endpoint(
    messages_bp,
    "/messages",
    methods=("POST",),
    summary="A manager's message to a window's clerk (or all windows)",
    roles=MANAGERS,
    body=ManagerMessage,
    response=r.MessageSent,
    tag="windows",
)
def message(hall: str, body: ManagerMessage):
    ctx = hall_ctx(hall)
    return command(
        ctx,
        lambda uow, rid: counter.message_window(uow, ctx, g.principal, body.window, body.text, rid),
        body,
    )
