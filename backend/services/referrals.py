"""Referral of a case between halls of a county network: 上报 (a town to its county, the same
working day) and 交办 (the county to a town). The sending hall's case is closed as
``referred``; the receiving hall accepts it into its own case, or returns it with a reason.

Which deadline applies after a referral: the receiving hall's promised limit for the item it
accepts the case as, counted in the receiving hall's calendar **from the original acceptance**
(the resident's first application), with the 补正 periods and the extensions granted before the
referral carried over. Days spent at the sending hall and in transit are not given back.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..db.models import AuditEntry, Case, CaseReferral, Department, Hall, ServiceItem
from ..db.uow import Actor, UnitOfWork
from ..domain import cases as case_rules
from ..domain import network as rules
from ..domain.cases import CaseAction, CaseState, Decision
from ..domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from ..domain.network import ReferralState
from . import network
from .auth import Principal
from .cases import case_view, colour_now, find_case, recompute_deadline
from .halls import HallContext, context_of
from .tickets import allocate_seq

CASE_SEQ_PREFIX = "#C"  # the acceptance numbers' counter (shared with services.cases)
STATES = tuple(s.value for s in ReferralState)
MAX_HOPS = 8  # a case referred on and on (up, down, up) is followed this far


def _staff(who: Principal) -> None:
    if who.kind != "user":
        raise Forbidden("staff_only", "only staff refer or accept a case", None)


def _from(who: Principal, ctx: HallContext) -> Actor:
    """The actor as the other hall's audit trail names it: ``user:li@county``."""
    actor = who.actor()
    return Actor(f"{actor.label}@{ctx.code}", user_id=actor.user_id)


def _hall_row(session: Session, hall_id: int) -> Hall:
    return session.get_one(Hall, hall_id)


def _brief(ctx: HallContext, case: Case, now: datetime) -> dict[str, Any]:
    view = case_view(case, ctx, now)
    keys = ("number", "item", "item_name", "state", "handling_unit", "deadline_at", "colour")
    return {k: view[k] for k in keys}


def refer(
    uow: UnitOfWork,
    ctx: HallContext,
    who: Principal,
    number: str,
    *,
    to_hall: str | None,
    to_unit: str | None,
    reason: str,
    rid: str,
) -> dict[str, Any]:
    """上报 to the hall above (the default) or 交办 to a hall directly below, with the reason."""
    _staff(who)
    reason = reason.strip()
    if not reason:
        raise InvalidInput("reason_required", "say why the case is referred", "reason")
    case = find_case(uow, ctx, number)
    case_rules.check_action(case.state, CaseAction.REFER)
    tree = network.nodes(uow.session)
    here = tree[ctx.id]
    if to_hall is None:
        if here.parent_id is None:
            raise Conflict("no_parent", "this hall has no hall above it to report to", "to_hall")
        target = tree[here.parent_id]
    else:
        found = [n for n in tree.values() if n.code == to_hall]
        if not found:
            raise NotFound("hall_not_found", f"no hall with code {to_hall!r}", "to_hall")
        target = found[0]
    direction = rules.direction(network.parents(tree), ctx.id, target.id)
    unit = ""
    if to_unit:
        exists = uow.session.scalar(
            select(Department.id).where(
                Department.hall_id == target.id, Department.code == to_unit, Department.active
            )
        )
        if exists is None:
            raise NotFound(
                "department_not_found", f"no department {to_unit!r} in {target.code}", "to_unit"
            )
        unit = to_unit
    rule = ctx.deadline_rule
    due = rules.referral_due(ctx.calendar, ctx.local(case.accepted_at), rule.office_close)
    referral = CaseReferral(
        direction=direction.value,
        from_hall_id=ctx.id,
        from_case_id=case.id,
        to_hall_id=target.id,
        to_unit=unit,
        reason=reason,
        state=ReferralState.SENT,
        sent_at=uow.now,
        sent_by=who.id,
        due_at=due.astimezone(UTC),
        late=uow.now > due,
    )
    uow.session.add(referral)
    case.state = CaseState.REFERRED
    case.colour = None
    case.finished_at = uow.now  # closed here: reports count it as referred, never as overdue
    uow.session.flush()
    view = referral_view(uow.session, referral, tree)
    details = {"referral": referral.id, "to": target.code, "unit": unit, "reason": reason}
    details |= {"direction": direction.value, "late": referral.late}
    uow.audit(ctx.id, who.actor(), "case.referred", "case", number, details, rid)
    uow.audit(
        target.id, _from(who, ctx), "referral.received", "referral", referral.id, details, rid
    )
    uow.emit(ctx.id, "case.referred", {"case": _brief(ctx, case, uow.now), "referral": view})
    uow.emit(target.id, "referral.received", {"referral": view})
    return {"case": case_view(case, ctx, uow.now), "referral": view}


def _pending(uow: UnitOfWork, ctx: HallContext, referral_id: int) -> CaseReferral:
    referral = uow.session.scalar(
        select(CaseReferral)
        .where(CaseReferral.id == referral_id, CaseReferral.to_hall_id == ctx.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if referral is None:
        raise NotFound("referral_not_found", f"no referral {referral_id} to this hall", "id")
    if referral.state is not ReferralState.SENT:
        raise Conflict(
            "referral_decided", f"referral {referral_id} was already {referral.state}", "id"
        )
    return referral


def accept(
    uow: UnitOfWork,
    ctx: HallContext,
    who: Principal,
    referral_id: int,
    *,
    item: str | None,
    handling_unit: str | None,
    rid: str,
) -> dict[str, Any]:
    """The receiving hall takes the case into its own queue: a new acceptance number, the
    original acceptance time, the receiving hall's limit for ``item`` (default: the same code)."""
    _staff(who)
    referral = _pending(uow, ctx, referral_id)
    origin = uow.session.get_one(Case, referral.from_case_id)
    origin_ctx = context_of(_hall_row(uow.session, referral.from_hall_id))
    code = item or origin.item.code
    row = uow.session.scalar(
        select(ServiceItem).where(
            ServiceItem.hall_id == ctx.id, ServiceItem.code == code, ServiceItem.active
        )
    )
    if row is None:
        raise NotFound(
            "item_not_found",
            f"this hall has no service item {code!r}; name the item it is handled as",
            "item",
        )
    unit = handling_unit or referral.to_unit or row.department.code
    if handling_unit and not uow.session.scalar(
        select(Department.id).where(Department.hall_id == ctx.id, Department.code == unit)
    ):
        raise NotFound(
            "department_not_found", f"no department {unit!r} in this hall", "handling_unit"
        )
    local_day = ctx.local(uow.now).date()
    seq = allocate_seq(uow, ctx.id, local_day, CASE_SEQ_PREFIX)
    days = row.promised_days if row.kind == "promised" else max(origin.working_days, 1)
    case = Case(
        hall_id=ctx.id,
        number=case_rules.acceptance_number(ctx.code, local_day, seq),
        status_token=secrets.token_urlsafe(18),
        ticket_id=None,
        item_id=row.id,
        item=row,
        kind="promised",
        state=CaseState.OPEN,
        decision=Decision.COORDINATED.value,
        handling_unit=unit,
        window_id=None,
        clerk_id=who.id,
        accepted_at=origin.accepted_at,
        working_days=days,
        extended_days=origin.extended_days,
        deadline_at=uow.now,
        suspensions=list(origin.suspensions),
        materials_received=list(origin.materials_received),
        missing_materials=[],
        note=f"{rules.DIRECTION_ZH[rules.Direction(referral.direction)]}自"
        f" {origin_ctx.name_zh} {origin.number}：{referral.reason}"[:400],
    )
    for field in (
        "name_sealed",
        "name_masked",
        "phone_sealed",
        "phone_masked",
        "phone_last4",
        "id_sealed",
        "id_masked",
        "id_digest",
    ):
        setattr(case, field, getattr(origin, field))
    recompute_deadline(ctx, case)
    case.colour = colour_now(ctx, case, uow.now)
    uow.session.add(case)
    uow.session.flush()
    referral.state, referral.decided_at, referral.decided_by = (
        ReferralState.ACCEPTED,
        uow.now,
        who.id,
    )
    referral.to_case_id = case.id
    uow.session.flush()
    view = referral_view(uow.session, referral)
    details = {"referral": referral.id, "from": origin_ctx.code, "origin": origin.number}
    details |= {"item": code, "unit": unit}
    uow.audit(ctx.id, who.actor(), "case.accepted", "case", case.number, details, rid)
    uow.audit(
        origin_ctx.id,
        _from(who, ctx),
        "case.referral_accepted",
        "case",
        origin.number,
        {"referral": referral.id, "by": ctx.code, "as": case.number},
        rid,
    )
    uow.emit(ctx.id, "case.accepted", {"case": _brief(ctx, case, uow.now), "referral": view})
    uow.emit(origin_ctx.id, "referral.accepted", {"referral": view, "case": origin.number})
    return {"case": case_view(case, ctx, uow.now), "referral": view}


def give_back(
    uow: UnitOfWork, ctx: HallContext, who: Principal, referral_id: int, *, reason: str, rid: str
) -> dict[str, Any]:
    """退回: the receiving hall's manager sends the matter back with a reason; the sending
    hall's case is open again (its deadline and colour as before: the clock ran meanwhile)."""
    _staff(who)
    reason = reason.strip()
    if not reason:
        raise InvalidInput("reason_required", "say why the referral is returned", "reason")
    referral = _pending(uow, ctx, referral_id)
    origin = uow.session.get_one(Case, referral.from_case_id)
    origin_ctx = context_of(_hall_row(uow.session, referral.from_hall_id))
    referral.state, referral.decided_at, referral.decided_by = (
        ReferralState.RETURNED,
        uow.now,
        who.id,
    )
    referral.return_reason = reason
    origin.state = CaseState.OPEN
    origin.finished_at = None
    origin.colour = colour_now(origin_ctx, origin, uow.now)
    uow.session.flush()
    view = referral_view(uow.session, referral)
    details = {"referral": referral.id, "by": ctx.code, "reason": reason}
    uow.audit(ctx.id, who.actor(), "referral.returned", "referral", referral.id, details, rid)
    uow.audit(
        origin_ctx.id, _from(who, ctx), "case.referral_returned", "case", origin.number, details
    )
    uow.emit(ctx.id, "referral.returned", {"referral": view})
    uow.emit(
        origin_ctx.id,
        "case.referral_returned",
        {"case": _brief(origin_ctx, origin, uow.now), "referral": view},
    )
    return {"referral": view}


# --- reading ------------------------------------------------------------------------------------


def referral_view(
    session: Session, referral: CaseReferral, tree: dict[int, network.HallNode] | None = None
) -> dict[str, Any]:
    tree = tree or network.nodes(session)
    origin = session.get_one(Case, referral.from_case_id)
    received = session.get(Case, referral.to_case_id) if referral.to_case_id else None
    direction = rules.Direction(referral.direction)
    return {
        "id": referral.id,
        "direction": direction.value,
        "direction_zh": rules.DIRECTION_ZH[direction],
        "from_hall": tree[referral.from_hall_id].brief(),
        "to_hall": tree[referral.to_hall_id].brief(),
        "case": origin.number,
        "item": origin.item.code,
        "item_name": origin.item.name_zh,
        "applicant": {"name": origin.name_masked, "phone": origin.phone_masked},
        "to_unit": referral.to_unit,
        "reason": referral.reason,
        "state": referral.state,
        "sent_at": referral.sent_at.isoformat(),
        "due_at": referral.due_at.isoformat(),
        "late": referral.late,
        "decided_at": referral.decided_at.isoformat() if referral.decided_at else None,
        "received_as": received.number if received else None,
        "return_reason": referral.return_reason,
    }


def list_referrals(
    session: Session, ctx: HallContext, box: str, state: str | None
) -> list[dict[str, Any]]:
    """``box`` in: referred to this hall; out: sent by it; all: both. Newest first."""
    if box not in ("in", "out", "all"):
        raise InvalidInput("invalid_filter", "box is in, out or all", "box")
    if state and state not in STATES:
        raise InvalidInput("invalid_filter", f"no referral state {state!r}", "state")
    where = {
        "in": CaseReferral.to_hall_id == ctx.id,
        "out": CaseReferral.from_hall_id == ctx.id,
        "all": or_(CaseReferral.to_hall_id == ctx.id, CaseReferral.from_hall_id == ctx.id),
    }[box]
    stmt = select(CaseReferral).where(where).order_by(CaseReferral.id.desc()).limit(500)
    if state:
        stmt = stmt.where(CaseReferral.state == state)
    tree = network.nodes(session)
    return [referral_view(session, r, tree) for r in session.scalars(stmt)]


def earlier_legs(session: Session, case: Case) -> list[dict[str, Any]]:
    """Where the case came from, nearest first: each sending hall's case with its history."""
    legs: list[dict[str, Any]] = []
    current = case
    for _ in range(MAX_HOPS):
        referral = session.scalar(select(CaseReferral).where(CaseReferral.to_case_id == current.id))
        if referral is None:
            break
        origin = session.get_one(Case, referral.from_case_id)
        hall = _hall_row(session, referral.from_hall_id)
        legs.append(
            {
                "hall": {"code": hall.code, "name": {"zh": hall.name_zh, "en": hall.name_en}},
                "number": origin.number,
                "item": origin.item.code,
                "item_name": origin.item.name_zh,
                "accepted_at": origin.accepted_at.isoformat(),
                "referral": referral_view(session, referral),
                "history": history(session, hall.id, origin.number),
            }
        )
        current = origin
    return legs


def history(session: Session, hall_id: int, number: str) -> list[dict[str, Any]]:
    return [
        {"at": a.at.isoformat(), "actor": a.actor, "action": a.action, "details": a.details}
        for a in session.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.hall_id == hall_id,
                AuditEntry.entity == "case",
                AuditEntry.entity_id == number,
            )
            .order_by(AuditEntry.id)
        )
    ]


def current_leg(session: Session, case: Case) -> tuple[Case, list[CaseReferral]]:
    """The case that holds the matter now (following accepted referrals forward) and the
    referrals on the way; a referral still waiting to be accepted ends the walk."""
    path: list[CaseReferral] = []
    current = case
    for _ in range(MAX_HOPS):
        if current.state != CaseState.REFERRED.value:
            break
        referral = session.scalar(
            select(CaseReferral)
            .where(CaseReferral.from_case_id == current.id)
            .order_by(CaseReferral.id.desc())
        )
        if referral is None:
            break
        path.append(referral)
        if referral.to_case_id is None:
            break
        current = session.get_one(Case, referral.to_case_id)
    return current, path


def targets(session: Session, ctx: HallContext) -> dict[str, Any]:
    """Where this hall may refer a case: up to its parent (上报) and down to the halls directly
    below it (交办), each with its active departments (the optional ``to_unit``); and this
    hall's items beyond its remit (``refer_up`` in the hall file: reported up the same day)."""
    tree = network.nodes(session)
    here = tree[ctx.id]
    below = sorted((n for n in tree.values() if n.parent_id == ctx.id), key=lambda n: n.code)
    wanted = [n for n in (tree.get(here.parent_id or -1), *below) if n is not None]
    units: dict[int, list[dict[str, Any]]] = {n.id: [] for n in wanted}
    rows = session.scalars(
        select(Department)
        .where(Department.hall_id.in_(list(units)), Department.active)
        .order_by(Department.hall_id, Department.id)
    )
    for row in rows:
        units[row.hall_id].append(
            {"code": row.code, "name": {"zh": row.name_zh, "en": row.name_en}}
        )

    def target(node: network.HallNode) -> dict[str, Any]:
        return node.brief() | {"departments": units[node.id]}

    parent = tree.get(here.parent_id) if here.parent_id is not None else None
    return {
        "up": target(parent) if parent is not None else None,
        "down": [target(n) for n in below],
        "refer_up": [i.code for i in ctx.config.items if i.refer_up],
    }
