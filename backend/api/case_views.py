"""Cases, deadlines, ratings and follow-ups over REST (thin: each view calls one service)."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request

from ..domain.errors import InvalidInput
from ..services import case_queries, cases, deadlines, evaluations
from ..services.cases import Applicant
from ..services.tickets import find_today
from . import schemas as s
from .framework import MANAGERS, STAFF, command, endpoint, hall_ctx, notifier, now, protector, read

bp = Blueprint("cases", __name__, url_prefix="/api/v1/halls/<hall>")
window_bp = Blueprint(
    "case_windows", __name__, url_prefix="/api/v1/halls/<hall>/windows/<int:number>"
)
RATERS = frozenset({"rating_pad", "kiosk"})


def _run(hall: str, body, fn, *args, **kwargs):
    ctx = hall_ctx(hall)
    return command(ctx, lambda uow, rid: fn(uow, ctx, g.principal, *args, rid=rid, **kwargs), body)


# --- at the window --------------------------------------------------------------------------------


@endpoint(
    window_bp,
    "/accept",
    methods=("POST",),
    summary="Accept the current ticket as a case (受理)",
    roles=STAFF,
    body=s.AcceptCase,
    tag="cases",
)
def accept(hall: str, number: int, body: s.AcceptCase):
    ctx = hall_ctx(hall)
    applicant = Applicant(**body.applicant.model_dump())
    return command(
        ctx,
        lambda uow, rid: cases.accept(
            uow,
            ctx,
            g.principal,
            protector(),
            notifier(),
            number,
            applicant=applicant,
            materials_received=body.materials_received,
            decision=body.decision,
            handling_unit=body.handling_unit,
            note=body.note,
            rid=rid,
        ),
        body,
    )


@endpoint(
    window_bp,
    "/rating-request",
    methods=("POST",),
    summary="Ask the resident to rate the service just finished (pushed to the rating pad)",
    roles=STAFF,
    body=s.Command,
    tag="evaluations",
)
def rating_request(hall: str, number: int, body: s.Command):
    return _run(hall, body, evaluations.request_rating, number)


# --- cases ----------------------------------------------------------------------------------------


@endpoint(
    bp,
    "/cases",
    summary="Open cases by colour (filters: state, colour, unit, clerk, item)",
    roles=STAFF,
    tag="cases",
)
def list_cases(hall: str):
    ctx = hall_ctx(hall)
    filters = {k: v for k, v in request.args.items() if v}
    return jsonify(read(lambda uow: case_queries.list_cases(uow.session, ctx, now(), filters)))


@endpoint(
    bp,
    "/cases/lookup",
    summary="办件查询 by acceptance number + last 4 phone digits (kiosk)",
    roles=frozenset({"kiosk", *STAFF}),
    tag="cases",
)
def lookup(hall: str):
    ctx = hall_ctx(hall)
    number = request.args.get("number", "")
    if not number:
        raise InvalidInput("number_required", "受理编号必填 / number is required", "number")
    last4 = request.args.get("phone_last4", "")
    return jsonify(
        {"case": read(lambda uow: case_queries.lookup(uow.session, ctx, number, last4, now()))}
    )


@endpoint(
    bp,
    "/cases/<number>",
    summary="One case with extensions, escalations, overdue record and history",
    roles=STAFF,
    tag="cases",
)
def detail(hall: str, number: str):
    ctx = hall_ctx(hall)
    return jsonify(
        {"case": read(lambda uow: case_queries.case_detail(uow.session, ctx, number, now()))}
    )


@endpoint(
    bp,
    "/cases/<number>/applicant",
    methods=("POST",),
    summary="The applicant's full name, phone and ID number (audited)",
    roles=STAFF,
    body=s.Command,
    tag="cases",
)
def applicant(hall: str, number: str, body: s.Command):
    ctx = hall_ctx(hall)
    return command(
        ctx,
        lambda uow, rid: cases.reveal_applicant(uow, ctx, g.principal, protector(), number, rid),
        body,
    )


def _case_action(path: str, summary: str, schema, fn, roles=STAFF, with_notifier=False):
    def view(hall: str, number: str, body):
        args = {k: v for k, v in body.model_dump(exclude={"request_id"}).items()}
        ctx = hall_ctx(hall)

        def act(uow, rid):
            if with_notifier:
                return fn(uow, ctx, g.principal, notifier(), number, rid=rid, **args)
            return fn(uow, ctx, g.principal, number, rid=rid, **args)

        return command(ctx, act, body)

    view.__name__ = "case_" + path.strip("/").replace("-", "_").replace("/", "_")
    endpoint(
        bp,
        f"/cases/<number>{path}",
        methods=("POST",),
        summary=summary,
        roles=roles,
        body=schema,
        tag="cases",
    )(view)


_case_action(
    "/suspend",
    "一次性告知: list missing materials; the clock stops (补正)",
    s.Suspend,
    cases.suspend,
)
_case_action(
    "/supplement", "Supplements arrived; the clock resumes", s.Supplement, cases.supplement
)
_case_action(
    "/extension",
    "Ask for an extension of 1-3 working days with a reason",
    s.ExtensionRequest,
    cases.request_extension,
)
_case_action(
    "/extension/decision",
    "A manager approves or refuses the extension request",
    s.Decision,
    cases.decide_extension,
    roles=MANAGERS,
)
_case_action(
    "/transfer",
    "Transfer to a back-office department or another window (转办)",
    s.CaseTransfer,
    cases.transfer,
)
_case_action(
    "/escalate", "Report upward a matter beyond the hall's remit (上报)", s.Escalate, cases.escalate
)
_case_action("/escalation-reply", "Record the receiving unit's reply", s.Reply, cases.record_reply)
_case_action(
    "/finish",
    "办结 with the result; the resident is notified",
    s.FinishCase,
    cases.finish,
    with_notifier=True,
)
_case_action(
    "/refuse",
    "明确拒办 with the reason given to the resident",
    s.RefuseCase,
    cases.refuse,
    with_notifier=True,
)
_case_action(
    "/overdue",
    "The duty officer records the reason asked and the action ordered",
    s.OverdueHandling,
    deadlines.handle_overdue,
    roles=MANAGERS,
)


@endpoint(
    bp,
    "/overdue",
    summary="Overdue records (?pending=1 for those not yet handled)",
    roles=STAFF,
    tag="cases",
)
def overdue(hall: str):
    ctx = hall_ctx(hall)
    pending = request.args.get("pending") in ("1", "true")
    return jsonify(
        {"overdue": read(lambda uow: case_queries.list_overdue(uow.session, ctx, pending))}
    )


def _sweep(uow, ctx, who, rid):
    return {"sweep": deadlines.sweep_hall(uow, ctx)}


@endpoint(
    bp,
    "/cases/sweep",
    methods=("POST",),
    summary="Recompute case colours now (the scheduler does it every minute)",
    roles=MANAGERS,
    body=s.Command,
    tag="cases",
)
def sweep(hall: str, body: s.Command):
    return _run(hall, body, _sweep)


# --- ratings, rectifications, follow-ups -------------------------------------------------------------


def _rate(uow, ctx, who, number, rating, comment, rid):
    ticket = find_today(uow.session, ctx, number, uow.now)
    return evaluations.rate(
        uow,
        ctx,
        who.actor(),
        ticket,
        rating,
        comment,
        "pad" if who.role == "rating_pad" else "kiosk",
        rid,
    )


@endpoint(
    bp,
    "/evaluations",
    methods=("POST",),
    summary="The resident's rating of a finished service, from a rating pad",
    roles=RATERS,
    body=s.Rate,
    tag="evaluations",
)
def rate(hall: str, body: s.Rate):
    return _run(hall, body, _rate, body.ticket, body.rating, body.comment)


@endpoint(
    bp,
    "/rectifications",
    summary="Rectifications of bad ratings (?state=open|done|void); a clerk sees their own",
    roles=STAFF,
    tag="evaluations",
)
def rectifications(hall: str):
    ctx = hall_ctx(hall)
    state = request.args.get("state")
    who = g.principal
    clerk_id = who.id if who.role == "clerk" else None
    return jsonify(
        {
            "rectifications": read(
                lambda uow: evaluations.list_rectifications(uow.session, ctx, state, clerk_id)
            )
        }
    )


@endpoint(
    bp,
    "/rectifications/<int:rect_id>/steps",
    methods=("POST",),
    summary="Record the next step: callback, verify, fix, inform",
    roles=MANAGERS,
    body=s.RectificationStepIn,
    tag="evaluations",
)
def rectification_step(hall: str, rect_id: int, body: s.RectificationStepIn):
    return _run(hall, body, evaluations.record_step, rect_id, body.step, body.note)


@endpoint(
    bp,
    "/rectifications/<int:rect_id>/appeal",
    methods=("POST",),
    summary="Appeal a mistaken or malicious rating",
    roles=STAFF,
    body=s.Appeal,
    tag="evaluations",
)
def appeal(hall: str, rect_id: int, body: s.Appeal):
    return _run(hall, body, evaluations.appeal, rect_id, body.reason)


@endpoint(
    bp,
    "/rectifications/<int:rect_id>/appeal/decision",
    methods=("POST",),
    summary="A manager upholds or rejects the appeal",
    roles=MANAGERS,
    body=s.AppealDecision,
    tag="evaluations",
)
def appeal_decision(hall: str, rect_id: int, body: s.AppealDecision):
    return _run(hall, body, evaluations.decide_appeal, rect_id, body.upheld, body.note)


@endpoint(
    bp,
    "/follow-ups",
    summary="Follow-up callbacks (回访) of finished cases (?state=pending)",
    roles=STAFF,
    tag="evaluations",
)
def follow_ups(hall: str):
    ctx = hall_ctx(hall)
    state = request.args.get("state")
    return jsonify(
        {"follow_ups": read(lambda uow: evaluations.list_follow_ups(uow.session, ctx, state))}
    )


@endpoint(
    bp,
    "/follow-ups/<int:follow_id>",
    methods=("POST",),
    summary="Record a callback's result",
    roles=STAFF,
    body=s.FollowUpIn,
    tag="evaluations",
)
def follow_up(hall: str, follow_id: int, body: s.FollowUpIn):
    return _run(
        hall, body, evaluations.record_follow_up, follow_id, body.state, body.result, body.note
    )
