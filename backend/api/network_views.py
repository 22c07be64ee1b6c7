"""The county board over REST (督查督办 only): every hall of the supervisor's tree side by side,
and the cases of the whole tree (thin: each view calls one service)."""

from __future__ import annotations

from flask import Blueprint, jsonify

from ..services import county_board
from . import queries as q
from .framework import SUPERVISOR, endpoint, hall_ctx, now, read
from .responses import network as r

bp = Blueprint("network", __name__, url_prefix="/api/v1/halls/<hall>/network")
SUPERVISORS = frozenset({SUPERVISOR})


@endpoint(
    bp,
    "/board",
    summary="The county board: this hall and every hall below it side by side (queue, windows, "
    "on-time rate, cases by colour, bad reviews, devices, referrals) with the alerts",
    roles=SUPERVISORS,
    response=r.NetworkBoard,
    tag="network",
)
def board(hall: str):
    ctx = hall_ctx(hall)
    return jsonify(read(lambda uow: county_board.network_board(uow.session, ctx, now())))


@endpoint(
    bp,
    "/cases",
    summary="The cases of this hall and every hall below it, red first "
    "(filters: hall, state, colour, unit, clerk, item)",
    roles=SUPERVISORS,
    query=q.NetworkCaseFilters,
    response=r.NetworkCaseList,
    tag="network",
)
def cases(hall: str, query: q.NetworkCaseFilters):
    ctx = hall_ctx(hall)
    filters = {k: v for k, v in query.model_dump(exclude={"hall"}).items() if v}
    return jsonify(
        read(
            lambda uow: county_board.network_cases(
                uow.session, ctx, now(), filters, query.hall or None
            )
        )
    )
