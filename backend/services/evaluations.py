"""好差评 and 回访: one rating per service, rectification of bad ratings with a deadline, appeals
decided by a manager, and follow-up callbacks of finished cases."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..db.models import Case, Device, Evaluation, FollowUp, Rectification, Ticket, Window
from ..db.uow import Actor, UnitOfWork
from ..domain.cases import (
    RATING_ZH,
    RECTIFICATION_ORDER,
    AppealState,
    FollowUpState,
    Rating,
    RectificationState,
    RectificationStep,
    is_bad,
    next_rectification_step,
)
from ..domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from ..domain.numbering import local_day
from ..domain.tickets import TicketState
from . import rating_requests
from .auth import Principal
from .halls import HallContext
from .tickets import find_today
from .window_access import load_window, require_operator

CHANNELS = ("pad", "qr")  # no rating is recorded by staff on the resident's behalf


def _root_id(ticket: Ticket) -> int:
    return ticket.root_id or ticket.id


def request_rating(uow: UnitOfWork, ctx: HallContext, who: Principal, number: int, rid):
    """The clerk asks for a rating of the service that just ended at window ``number``: an
    open request (a row, see rating_requests.py) pushed to the rating pad of the window. Too
    late once the window has called someone else."""
    window = load_window(uow, ctx, number)
    require_operator(window, who)
    ticket = rating_requests.last_ended(uow.session, window, local_day(uow.now, ctx.timezone))
    if ticket is None:
        raise InvalidInput(
            "nothing_to_rate", f"window {number} has finished no ticket yet", "window"
        )
    if window.current_ticket_id is not None or ticket.state != TicketState.FINISHED.value:
        raise Conflict(
            "resident_left",
            f"{number} 号窗口已叫下一位，请群众扫小票二维码评价 / window {number} has called the "
            "next resident since; the last one can still rate by the QR code on the receipt",
            "window",
        )
    return rating_request(uow, ctx, who, window, ticket, rid)


def rating_request(
    uow: UnitOfWork, ctx: HallContext, who: Principal, window: Window, ticket: Ticket, rid
):
    """Open the request for ``ticket`` at ``window`` and push it to that window's pad."""
    _check_rateable(uow, ticket)
    rating_requests.ask(uow, ctx.id, window, ticket, who.id if who.kind == "user" else None)
    uow.audit(
        ctx.id,
        who.actor(),
        "evaluation.requested",
        "ticket",
        ticket.number,
        {"window": window.number},
        rid,
    )
    uow.emit(
        ctx.id,
        "rating.requested",
        {
            "window": window.number,
            "window_name": window.name_zh,
            "number": ticket.number,
            "item_name": ticket.item.name_zh,
        },
    )
    return {"requested": {"window": window.number, "number": ticket.number}}


def _check_rateable(uow: UnitOfWork, ticket: Ticket) -> None:
    if ticket.state != TicketState.FINISHED.value:
        raise Conflict(
            "not_finished",
            f"ticket {ticket.number} can be rated once its service is finished",
            "ticket",
        )
    taken = uow.session.scalar(
        select(Evaluation.id).where(Evaluation.ticket_id == _root_id(ticket))
    )
    if taken is not None:
        raise Conflict("already_rated", "这次服务已评价 / this service was already rated", "ticket")


def rate_on_pad(uow: UnitOfWork, ctx: HallContext, who: Principal, number, rating, comment, rid):
    """A rating from a rating pad: only the pad of the window that served ``number`` and has
    an open request for it (see rating_requests.py); any other token is refused, naming why."""
    if who.role != "rating_pad":
        if who.kind == "user":
            raise Forbidden(
                "staff_may_not_rate",
                "工作人员不能代群众评价 / staff may not rate a service on the resident's behalf: "
                "ask on the window's rating pad, or the resident rates by the receipt's QR code",
                "Authorization",
            )
        raise Forbidden(
            "not_a_rating_pad",
            f"{who.role} 不能记录评价 / a {who.role} may not record ratings: they come from the "
            "serving window's rating pad or the receipt's QR code",
            "Authorization",
        )
    ticket = find_today(uow.session, ctx, number, uow.now)
    pad = uow.session.get(Device, who.id)
    return rate(uow, ctx, who.actor(), ticket, rating, comment, "pad", rid, pad=pad)


def rate(
    uow: UnitOfWork,
    ctx: HallContext,
    actor: Actor,
    ticket: Ticket,
    rating: str,
    comment: str,
    channel: str,
    rid,
    *,
    pad: Device | None = None,
):
    """Record the resident's rating of the finished service (its last leg's window and clerk):
    from ``pad`` (channel ``pad``, which needs the window's open request) or by the receipt's
    QR code (channel ``qr``: the status token is the resident's own link to this service)."""
    if channel not in CHANNELS or (channel == "pad") != (pad is not None):
        raise Forbidden("bad_channel", f"ratings come only by {' or '.join(CHANNELS)}", "channel")
    try:
        level = Rating(rating)
    except ValueError:
        raise InvalidInput(
            "invalid_rating",
            "rating must be one of " + ", ".join(r.value for r in Rating),
            "rating",
        ) from None
    _check_rateable(uow, ticket)
    if pad is not None:
        rating_requests.claim_for_pad(uow, pad, ticket)
    else:
        rating_requests.close_for_service(uow, ticket)
    case_id = uow.session.scalar(
        select(Case.id)
        .join(Ticket, Case.ticket_id == Ticket.id)
        .where(
            Ticket.hall_id == ticket.hall_id,
            Ticket.day == ticket.day,
            Ticket.prefix == ticket.prefix,
            Ticket.seq == ticket.seq,
        )
    )
    evaluation = Evaluation(
        hall_id=ctx.id,
        ticket_id=_root_id(ticket),
        case_id=case_id,
        item_id=ticket.item_id,
        window_id=ticket.window_id,
        clerk_id=ticket.clerk_id,
        rating=level.value,
        comment=comment.strip()[:400],
        channel=channel,
        at=uow.now,
    )
    try:
        with uow.session.begin_nested():  # two phones rating the same receipt at once
            uow.session.add(evaluation)
    except IntegrityError:
        raise Conflict(
            "already_rated", "这次服务已评价 / this service was already rated", "ticket"
        ) from None
    uow.audit(
        ctx.id,
        actor,
        "evaluation.rated",
        "ticket",
        ticket.number,
        {"rating": level.value, "channel": channel},
        rid,
    )
    out: dict[str, Any] = {"evaluation": evaluation_view(evaluation, ticket.number)}
    if is_bad(level):
        deadline = ctx.calendar.deadline_for(
            ctx.local(uow.now), ctx.config.cases.rectification_days, ctx.deadline_rule.office_close
        )
        rect = Rectification(
            hall_id=ctx.id,
            evaluation_id=evaluation.id,
            opened_at=uow.now,
            deadline_at=deadline,
            steps=[],
        )
        uow.session.add(rect)
        uow.session.flush()
        uow.audit(
            ctx.id,
            actor,
            "rectification.opened",
            "rectification",
            rect.id,
            {"ticket": ticket.number},
            rid,
        )
        view = rectification_view(rect, evaluation, ticket.number, ctx)
        uow.emit(ctx.id, "rectification.opened", view)
        out["rectification"] = view
    uow.emit(ctx.id, "evaluation.rated", out["evaluation"])
    return out


def evaluation_view(e: Evaluation, number: str) -> dict[str, Any]:
    return {
        "id": e.id,
        "ticket": number,
        "rating": e.rating,
        "rating_zh": RATING_ZH[Rating(e.rating)],
        "channel": e.channel,
        "at": e.at.isoformat(),
        "excluded": e.excluded,
    }


def rectification_view(
    r: Rectification, e: Evaluation, number: str, ctx: HallContext
) -> dict[str, Any]:
    nxt = next_rectification_step([s["step"] for s in r.steps])
    return {
        "id": r.id,
        "ticket": number,
        "rating": e.rating,
        "rating_zh": RATING_ZH[Rating(e.rating)],
        "comment": e.comment,
        "opened_at": r.opened_at.isoformat(),
        "deadline_at": ctx.local(r.deadline_at).isoformat(),
        "state": r.state,
        "steps": r.steps,
        "closed_at": r.closed_at.isoformat() if r.closed_at else None,
        "next_step": nxt.value if nxt and r.state is RectificationState.OPEN else None,
        "appeal": {"state": r.appeal_state, "reason": r.appeal_reason, "note": r.appeal_note},
    }


def _load_rect(
    uow: UnitOfWork, ctx: HallContext, rect_id: int
) -> tuple[Rectification, Evaluation, str]:
    rect = uow.session.scalar(
        select(Rectification)
        .where(Rectification.hall_id == ctx.id, Rectification.id == rect_id)
        .with_for_update()
    )
    if rect is None:
        raise NotFound("rectification_not_found", f"no rectification {rect_id}", "id")
    evaluation = uow.session.get_one(Evaluation, rect.evaluation_id)
    number = uow.session.get_one(Ticket, evaluation.ticket_id).number
    return rect, evaluation, number


def record_step(uow, ctx: HallContext, who: Principal, rect_id: int, step: str, note: str, rid):
    """Steps go in order: callback (回访群众), verify (核实), fix (整改), inform (反馈结果)."""
    rect, evaluation, number = _load_rect(uow, ctx, rect_id)
    if rect.state is not RectificationState.OPEN:
        raise Conflict("rectification_closed", f"rectification {rect_id} is {rect.state}", "id")
    try:
        step = RectificationStep(step)
    except ValueError:
        raise InvalidInput(
            "invalid_step",
            "step is one of " + ", ".join(s.value for s in RECTIFICATION_ORDER),
            "step",
        ) from None
    expected = next_rectification_step([s["step"] for s in rect.steps])
    if expected is None:  # every step recorded (the last one closes it, so only on odd data)
        raise Conflict("rectification_closed", f"rectification {rect_id} has every step", "id")
    if step is not expected:
        raise Conflict(
            "step_out_of_order", f"the next step is {expected.value}, not {step.value}", "step"
        )
    rect.steps = [
        *rect.steps,
        {"step": step.value, "at": uow.now.isoformat(), "by": who.name, "note": note},
    ]
    if step is RectificationStep.INFORM:
        rect.state, rect.closed_at = RectificationState.DONE, uow.now
    uow.audit(
        ctx.id,
        who.actor(),
        f"rectification.{step.value}",
        "rectification",
        rect.id,
        {"note": note},
        rid,
    )
    view = rectification_view(rect, evaluation, number, ctx)
    uow.emit(ctx.id, "rectification.updated", view)
    return {"rectification": view}


def appeal(uow, ctx: HallContext, who: Principal, rect_id: int, reason: str, rid):
    """申诉: the rating was mistaken or malicious; a manager decides."""
    rect, evaluation, number = _load_rect(uow, ctx, rect_id)
    if rect.appeal_state is not None:
        raise Conflict(
            "appeal_exists",
            f"rectification {rect_id} already has an appeal ({rect.appeal_state})",
            "id",
        )
    if rect.state is not RectificationState.OPEN:
        raise Conflict("rectification_closed", f"rectification {rect_id} is {rect.state}", "id")
    rect.appeal_state, rect.appeal_reason = AppealState.PENDING, reason
    uow.audit(
        ctx.id,
        who.actor(),
        "rectification.appealed",
        "rectification",
        rect.id,
        {"reason": reason},
        rid,
    )
    view = rectification_view(rect, evaluation, number, ctx)
    uow.emit(ctx.id, "rectification.updated", view)
    return {"rectification": view}


def decide_appeal(
    uow, ctx: HallContext, who: Principal, rect_id: int, upheld: bool, note: str, rid
):
    """Upheld: the rating no longer counts and the rectification is void; rejected: it goes on."""
    rect, evaluation, number = _load_rect(uow, ctx, rect_id)
    if rect.appeal_state is not AppealState.PENDING:
        raise Conflict("no_pending_appeal", f"rectification {rect_id} has no appeal waiting", "id")
    rect.appeal_state, rect.appeal_note, rect.appeal_decided_by = (
        (AppealState.UPHELD if upheld else AppealState.REJECTED),
        note,
        who.id,
    )
    if upheld:
        evaluation.excluded = True
        rect.state, rect.closed_at = RectificationState.VOID, uow.now
    uow.audit(
        ctx.id,
        who.actor(),
        "rectification.appeal_decided",
        "rectification",
        rect.id,
        {"upheld": upheld, "note": note},
        rid,
    )
    view = rectification_view(rect, evaluation, number, ctx)
    uow.emit(ctx.id, "rectification.updated", view)
    return {"rectification": view}


def _check_state(state: str | None, enum: type[RectificationState] | type[FollowUpState]) -> None:
    allowed = [s.value for s in enum]
    if state and state not in allowed:
        raise InvalidInput("invalid_filter", f"state is one of {', '.join(allowed)}", "state")


def list_rectifications(
    session, ctx: HallContext, state: str | None, clerk_id: int | None = None
) -> list[dict[str, Any]]:
    """Managers see every rectification; a clerk (``clerk_id``) those of services they gave,
    so they can appeal a mistaken or malicious rating."""
    _check_state(state, RectificationState)
    stmt = (
        select(Rectification, Evaluation, Ticket.number)
        .join(Evaluation, Rectification.evaluation_id == Evaluation.id)
        .join(Ticket, Evaluation.ticket_id == Ticket.id)
        .where(Rectification.hall_id == ctx.id)
        .order_by(Rectification.deadline_at)
    )  # one statement, not two more per row
    if state:
        stmt = stmt.where(Rectification.state == state)
    if clerk_id is not None:
        stmt = stmt.where(Evaluation.clerk_id == clerk_id)
    return [
        rectification_view(rect, evaluation, number, ctx)
        for rect, evaluation, number in session.execute(stmt)
    ]


# --- 回访 -----------------------------------------------------------------------------------------


def follow_up_view(f: FollowUp, case: Case) -> dict[str, Any]:
    return {
        "id": f.id,
        "case": case.number,
        "item_name": case.item.name_zh,
        "applicant": case.name_masked,
        "phone": case.phone_masked,
        "finished_at": case.finished_at.isoformat() if case.finished_at else None,
        "state": f.state,
        "result": f.result,
        "note": f.note,
    }


def list_follow_ups(session, ctx: HallContext, state: str | None) -> list[dict[str, Any]]:
    _check_state(state, FollowUpState)
    stmt = select(FollowUp).where(FollowUp.hall_id == ctx.id).order_by(FollowUp.created_at)
    if state:
        stmt = stmt.where(FollowUp.state == state)
    return [follow_up_view(f, session.get(Case, f.case_id)) for f in session.scalars(stmt)]


def record_follow_up(
    uow, ctx: HallContext, who: Principal, follow_id: int, state: str, result, note: str, rid
):
    f = uow.session.scalar(
        select(FollowUp)
        .where(FollowUp.hall_id == ctx.id, FollowUp.id == follow_id)
        .with_for_update()
    )
    if f is None:
        raise NotFound("follow_up_not_found", f"no follow-up {follow_id}", "id")
    if f.state is not FollowUpState.PENDING:
        raise Conflict("follow_up_done", f"follow-up {follow_id} was already recorded", "id")
    outcome = FollowUpState(state)
    if outcome is FollowUpState.DONE and result is None:
        raise InvalidInput(
            "result_required", "a completed callback records the resident's rating", "result"
        )
    f.state, f.result, f.note, f.done_by, f.done_at = outcome, result, note, who.id, uow.now
    case = uow.session.get(Case, f.case_id)
    uow.audit(
        ctx.id,
        who.actor(),
        "follow_up.recorded",
        "case",
        case.number,
        {"state": state, "result": result},
        rid,
    )
    view = follow_up_view(f, case)
    uow.emit(ctx.id, "follow_up.recorded", view)
    return {"follow_up": view}
