"""The county network over REST: refer a case up or down, the receiving hall's inbox, accept or
return (thin: each view calls one service)."""

from __future__ import annotations

from flask import Blueprint, g, jsonify

from ..services import referrals, supervision
from . import queries as q
from . import schemas as s
from .framework import MANAGERS, STAFF, SUPERVISOR, command, endpoint, hall_ctx, read
from .responses import cases as rc
from .responses import referrals as r

bp = Blueprint("referrals", __name__, url_prefix="/api/v1/halls/<hall>")


@endpoint(
    bp,
    "/cases/<number>/refer",
    methods=("POST",),
    summary="上报 a case to the hall above (the default) or 交办 it to a hall directly below",
    roles=STAFF,
    body=s.ReferCase,
    response=rc.ReferredCase,
    tag="network",
)
def refer(hall: str, number: str, body: s.ReferCase):
    ctx = hall_ctx(hall)
    return command(
        ctx,
        lambda uow, rid: referrals.refer(
            uow,
            ctx,
            g.principal,
            number,
            to_hall=body.to_hall,
            to_unit=body.to_unit,
            reason=body.reason,
            rid=rid,
        ),
        body,
    )


@endpoint(
    bp,
    "/referrals",
    summary="Referrals to this hall (box=in, the default) or sent by it (box=out)",
    roles=frozenset({*STAFF, SUPERVISOR}),
    query=q.ReferralFilters,
    response=r.ReferralList,
    tag="network",
)
def list_referrals(hall: str, query: q.ReferralFilters):
    ctx = hall_ctx(hall)
    found = read(lambda uow: referrals.list_referrals(uow.session, ctx, query.box, query.state))
    return jsonify({"referrals": found})


@endpoint(
    bp,
    "/referrals/<int:referral_id>/accept",
    methods=("POST",),
    summary="Accept a referred case into this hall's cases (original acceptance time kept)",
    roles=STAFF,
    body=s.AcceptReferral,
    response=rc.ReferredCase,
    tag="network",
)
def accept(hall: str, referral_id: int, body: s.AcceptReferral):
    ctx = hall_ctx(hall)
    return command(
        ctx,
        lambda uow, rid: referrals.accept(
            uow,
            ctx,
            g.principal,
            referral_id,
            item=body.item,
            handling_unit=body.handling_unit,
            rid=rid,
        ),
        body,
    )


@endpoint(
    bp,
    "/referrals/<int:referral_id>/return",
    methods=("POST",),
    summary="退回 a referral with the reason (the sending hall's case is open again)",
    roles=MANAGERS,
    body=s.ReturnReferral,
    response=r.ReferralAnswer,
    tag="network",
)
def give_back(hall: str, referral_id: int, body: s.ReturnReferral):
    ctx = hall_ctx(hall)
    return command(
        ctx,
        lambda uow, rid: referrals.give_back(
            uow, ctx, g.principal, referral_id, reason=body.reason, rid=rid
        ),
        body,
    )


@endpoint(
    bp,
    "/network/targets",
    summary="Where this hall may refer a case: the hall above (上报), the halls below (交办), "
    "with their departments",
    roles=STAFF,
    response=r.ReferralTargets,
    tag="network",
)
def targets(hall: str):
    ctx = hall_ctx(hall)
    return jsonify(read(lambda uow: referrals.targets(uow.session, ctx)))


@endpoint(
    bp,
    "/cases/<number>/supervise",
    methods=("POST",),
    summary="督办: a supervisor orders a case of its own hall or a hall below settled (on record)",
    roles=frozenset({SUPERVISOR}),
    body=s.Supervise,
    response=rc.CaseAnswer,
    tag="network",
)
def supervise(hall: str, number: str, body: s.Supervise):
    ctx = hall_ctx(hall)
    return command(
        ctx,
        lambda uow, rid: supervision.supervise(
            uow, ctx, g.principal, number, note=body.note, rid=rid
        ),
        body,
    )
