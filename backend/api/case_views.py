"""Cases, deadlines, ratings and follow-ups over REST (thin: each view calls one service)."""

from __future__ import annotations

from flask import Blueprint, g, jsonify

from ..services import case_queries, cases, deadlines, evaluations, lookup_guard
from ..services.cases import Applicant
from . import queries as q
from . import schemas as s
from .framework import (
    MANAGERS,
    STAFF,
    SUPERVISOR,
    command,
    endpoint,
    hall_ctx,
    notifier,
    now,
    protector,
    read,
)
from .responses import cases as r

bp = Blueprint("cases", __name__, url_prefix="/api/v1/halls/<hall>")
window_bp = Blueprint(
    "case_windows", __name__, url_prefix="/api/v1/halls/<hall>/windows/<int:number>"
)
# Every token reaches the rating service, which refuses all but the right pad with a reason.
RATERS = frozenset({"rating_pad", "kiosk", "display", "printer", *STAFF})
# Reads a supervisor (督查督办) also makes, in its own hall and the halls below it.
READERS = frozenset({*STAFF, SUPERVISOR})


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
    response=r.CaseAnswer,
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
    response=r.RatingRequested,
    tag="evaluations",
)
def rating_request(hall: str, number: int, body: s.Command):
    return _run(hall, body, evaluations.request_rating, number)


# --- cases ----------------------------------------------------------------------------------------


@endpoint(
    bp,
    "/cases",
    summary="Open cases by colour (filters: state, colour, unit, clerk, item)",
    roles=READERS,
    query=q.CaseFilters,
    response=r.CaseList,
    tag="cases",
)
def list_cases(hall: str, query: q.CaseFilters):
    ctx = hall_ctx(hall)
    filters = {k: v for k, v in query.model_dump().items() if v}
    return jsonify(read(lambda uow: case_queries.list_cases(uow.session, ctx, now(), filters)))


@endpoint(
    bp,
    "/cases/lookup",
    summary="办件查询 by acceptance number + last 4 phone digits (kiosk)",
    roles=frozenset({"kiosk", *STAFF}),
    query=q.CaseLookupQuery,
    response=r.LookupAnswer,
    tag="cases",
)
def lookup(hall: str, query: q.CaseLookupQuery):
    ctx = hall_ctx(hall)
    number, last4 = query.number, query.phone_last4
    return jsonify(
        {"case": read(lambda uow: case_queries.lookup(uow, ctx, g.principal, number, last4))}
    )


@endpoint(
    bp,
    "/cases/lookup/locks",
    summary="办件查询 locks in force (acceptance numbers and kiosks with too many wrong tries)",
    roles=STAFF,
    response=r.LookupLocks,
    tag="cases",
)
def lookup_locks(hall: str):
    ctx = hall_ctx(hall)
    return jsonify({"locks": read(lambda uow: lookup_guard.list_locks(uow.session, ctx, now()))})


@endpoint(
    bp,
    "/cases/lookup/unlock",
    methods=("POST",),
    summary="Lift the 办件查询 lock of an acceptance number or a kiosk (audited)",
    roles=STAFF,
    body=s.LiftLookupLock,
    response=r.LockLifted,
    tag="cases",
)
def lookup_unlock(hall: str, body: s.LiftLookupLock):
    return _run(hall, body, lookup_guard.lift, body.number, body.device)


@endpoint(
    bp,
    "/cases/<number>",
    summary="One case with extensions, escalations, overdue record and history",
    roles=READERS,
    response=r.CaseDetailAnswer,
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
    response=r.ApplicantAnswer,
    tag="cases",
)
def applicant(hall: str, number: str, body: s.Command):
    ctx = hall_ctx(hall)
    return command(
        ctx,
        lambda uow, rid: cases.reveal_applicant(uow, ctx, g.principal, protector(), number, rid),
        body,
    )


def _case_action(
    path: str, summary: str, schema, fn, roles=STAFF, with_notifier=False, response=r.CaseAnswer
):
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
        response=response,
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
    response=r.ExtensionAnswer,
)
_case_action(
    "/extension/decision",
    "A manager approves or refuses the extension request",
    s.Decision,
    cases.decide_extension,
    roles=MANAGERS,
    response=r.ExtensionAnswer,
)
_case_action(
    "/transfer",
    "Transfer to a back-office department or another window (转办)",
    s.CaseTransfer,
    cases.transfer,
)
_case_action(
    "/escalate",
    "Report upward a matter beyond the hall's remit (上报)",
    s.Escalate,
    cases.escalate,
    response=r.EscalationAnswer,
)
_case_action(
    "/escalation-reply",
    "Record the receiving unit's reply",
    s.Reply,
    cases.record_reply,
    response=r.EscalationAnswer,
)
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
    response=r.OverdueAnswer,
)


@endpoint(
    bp,
    "/overdue",
    summary="Overdue records (?pending=1 for those not yet handled)",
    roles=READERS,
    query=q.OverdueQuery,
    response=r.OverdueList,
    tag="cases",
)
def overdue(hall: str, query: q.OverdueQuery):
    ctx = hall_ctx(hall)
    pending = query.pending in ("1", "true")
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
    response=r.SweepAnswer,
    tag="cases",
)
def sweep(hall: str, body: s.Command):
    return _run(hall, body, _sweep)


# --- ratings, rectifications, follow-ups -------------------------------------------------------------


@endpoint(
    bp,
    "/evaluations",
    methods=("POST",),
    summary="The resident's rating of a finished service, from the serving window's rating pad "
    "while its clerk's request is open (any other token: 403 naming why)",
    roles=RATERS,
    body=s.Rate,
    response=r.Rated,
    tag="evaluations",
)
def rate(hall: str, body: s.Rate):
    return _run(hall, body, evaluations.rate_on_pad, body.ticket, body.rating, body.comment)


@endpoint(
    bp,
    "/rectifications",
    summary="Rectifications of bad ratings (?state=open|done|void); a clerk sees their own",
    roles=READERS,
    query=q.RectificationQuery,
    response=r.RectificationList,
    tag="evaluations",
)
def rectifications(hall: str, query: q.RectificationQuery):
    ctx = hall_ctx(hall)
    state = query.state
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
    response=r.RectificationAnswer,
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
    response=r.RectificationAnswer,
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
    response=r.RectificationAnswer,
    tag="evaluations",
)
def appeal_decision(hall: str, rect_id: int, body: s.AppealDecision):
    return _run(hall, body, evaluations.decide_appeal, rect_id, body.upheld, body.note)


@endpoint(
    bp,
    "/follow-ups",
    summary="Follow-up callbacks (回访) of finished cases (?state=pending)",
    roles=READERS,
    query=q.FollowUpQuery,
    response=r.FollowUpList,
    tag="evaluations",
)
def follow_ups(hall: str, query: q.FollowUpQuery):
    ctx = hall_ctx(hall)
    state = query.state
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
    response=r.FollowUpAnswer,
    tag="evaluations",
)
def follow_up(hall: str, follow_id: int, body: s.FollowUpIn):
    return _run(
        hall, body, evaluations.record_follow_up, follow_id, body.state, body.result, body.note
    )
