"""Reading cases: the filtered list for managers, one case with its history, the resident's
view (plain wording, no personal data), and the kiosk's query by number + phone digits."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

import i18n

from ..db.models import (
    Case,
    CaseEscalation,
    CaseExtension,
    CaseReferral,
    Department,
    Hall,
    OverdueRecord,
    ServiceItem,
    User,
)
from ..db.uow import Actor, UnitOfWork
from ..domain.cases import STATE_ZH, CaseState
from ..domain.errors import InvalidInput, NotFound
from ..domain.lookup_guard import locked_error
from ..domain.network import ReferralState
from . import lookup_guard, referrals
from .auth import Principal
from .cases import case_view, escalation_view, extension_view
from .deadlines import overdue_view
from .halls import HallContext, context_of

COLOUR_ORDER = {"red": 0, "orange": 1, "yellow": 2, "green": 3, None: 4}
FILTERS = ("state", "colour", "unit", "clerk", "item")


def list_cases(
    session: Session, ctx: HallContext, now: datetime, filters: dict[str, str]
) -> dict[str, Any]:
    """Cases by colour (red first), then deadline; open and suspended ones unless ``state``."""
    unknown = sorted(set(filters) - set(FILTERS))
    if unknown:
        raise InvalidInput("unknown_filter", f"unknown filter {unknown[0]!r}", unknown[0])
    stmt = select(Case).where(Case.hall_id == ctx.id)
    state = filters.get("state")
    if state and state != "all":
        if state not in {s.value for s in CaseState}:
            raise InvalidInput("invalid_filter", f"no case state {state!r}", "state")
        stmt = stmt.where(Case.state == state)
    elif not state:
        stmt = stmt.where(Case.state.in_([CaseState.OPEN, CaseState.SUSPENDED]))
    if filters.get("unit"):
        stmt = stmt.where(Case.handling_unit == filters["unit"])
    if filters.get("item"):
        stmt = stmt.join(ServiceItem, Case.item_id == ServiceItem.id).where(
            ServiceItem.code == filters["item"]
        )
    clerks = {u.id: u for u in session.scalars(select(User).where(User.hall_id == ctx.id))}
    if filters.get("clerk"):
        ids = [i for i, u in clerks.items() if u.username == filters["clerk"]]
        stmt = stmt.where(Case.clerk_id.in_(ids))
    views = []
    for case in session.scalars(stmt.limit(2000)):
        view = case_view(case, ctx, now, stored_colour=True)
        clerk = clerks.get(case.clerk_id) if case.clerk_id else None
        view["clerk"] = clerk.display_name if clerk else None
        views.append(view)
    if filters.get("colour"):
        views = [v for v in views if v["colour"] == filters["colour"]]
    views.sort(key=lambda v: (COLOUR_ORDER.get(v["colour"], 4), v["deadline_at"]))
    counts: dict[str, int] = {"red": 0, "orange": 0, "yellow": 0, "green": 0, "suspended": 0}
    for v in views:
        key = v["colour"] or ("suspended" if v["state"] == CaseState.SUSPENDED else None)
        if key in counts:
            counts[key] += 1
    return {"cases": views, "counts": counts}


def case_detail(session: Session, ctx: HallContext, number: str, now: datetime) -> dict[str, Any]:
    case = session.scalar(select(Case).where(Case.hall_id == ctx.id, Case.number == number))
    if case is None:
        raise NotFound("case_not_found", f"no case {number!r} in this hall", "number")
    view = case_view(case, ctx, now)
    view["extensions"] = [
        extension_view(e)
        for e in session.scalars(
            select(CaseExtension).where(CaseExtension.case_id == case.id).order_by(CaseExtension.id)
        )
    ]
    view["escalations"] = [
        escalation_view(e)
        for e in session.scalars(
            select(CaseEscalation)
            .where(CaseEscalation.case_id == case.id)
            .order_by(CaseEscalation.id)
        )
    ]
    record = session.scalar(select(OverdueRecord).where(OverdueRecord.case_id == case.id))
    view["overdue"] = overdue_view(record, case, ctx) if record else None
    view["history"] = referrals.history(session, ctx.id, number)
    if case.repeat_of_id:
        view["repeat_of"] = session.get_one(Case, case.repeat_of_id).number
    view["referred_from"] = referrals.earlier_legs(session, case)
    view["referrals"] = [
        referrals.referral_view(session, r)
        for r in session.scalars(
            select(CaseReferral)
            .where(CaseReferral.from_case_id == case.id)
            .order_by(CaseReferral.id)
        )
    ]
    return view


def list_overdue(session: Session, ctx: HallContext, pending_only: bool) -> list[dict[str, Any]]:
    stmt = (
        select(OverdueRecord, Case)
        .join(Case, OverdueRecord.case_id == Case.id)
        .where(OverdueRecord.hall_id == ctx.id)
        .order_by(OverdueRecord.detected_at)
    )  # one statement, not one more per record
    if pending_only:
        stmt = stmt.where(OverdueRecord.handled_at.is_(None))
    return [overdue_view(r, case, ctx) for r, case in session.execute(stmt).unique()]


STATUS = "status"  # the resident's words (i18n/messages/status.pot)
PUBLIC_WORDS = {
    CaseState.OPEN: "正在办理中，我们会在承诺时限内办结",
    CaseState.SUSPENDED: "材料需要补正：请按一次性告知书补齐材料后送到窗口，补齐后继续办理",
    CaseState.FINISHED: "已办结",
    CaseState.REFUSED: "未能办理",
    CaseState.REFERRED: "已移交有权限的服务中心办理，办理进度见下方",
}


def public_case(session: Session, ctx: HallContext, case: Case) -> dict[str, Any]:
    """The resident's view: plain wording, deadline and result; no colour, no personal data.
    A referred case (上报/交办) also says where the matter is now (``holder``: the receiving
    hall and department, its acceptance number, and that case's state, deadline and result,
    following ``referrals.current_leg``), never the referral's reason or who sent it."""
    view = _public_view(ctx, case)
    if case.state == CaseState.REFERRED.value:
        holder = _holder(session, case)
        if holder is not None:
            view["holder"] = holder
            view["deadline"] = None  # this hall's promise gave way to the holder's
            view["wording"] = "，".join(holder_lines(holder, i18n.SOURCE))
    return view


def _public_view(ctx: HallContext, case: Case) -> dict[str, Any]:
    state = CaseState(case.state)
    return {
        "number": case.number,
        "item": {
            "code": case.item.code,
            "name": {"zh": case.item.name_zh, "en": case.item.name_en},
        },
        "state": state.value,
        "state_label": STATE_ZH[state],
        "wording": PUBLIC_WORDS[state],
        "accepted_on": ctx.local(case.accepted_at).date().isoformat(),
        "deadline": ctx.local(case.deadline_at).strftime("%Y-%m-%d %H:%M")
        if case.kind == "promised"
        else None,
        "missing_materials": case.missing_materials if state is CaseState.SUSPENDED else [],
        "result": case.result if state is CaseState.FINISHED else None,
        "refuse_reason": case.refuse_reason if state is CaseState.REFUSED else None,
        "finished_on": ctx.local(case.finished_at).date().isoformat() if case.finished_at else None,
    }


def _holder(session: Session, case: Case) -> dict[str, Any] | None:
    """Where a referred case is now: the last referral on the way and the case it became."""
    current, path = referrals.current_leg(session, case)
    if not path:
        return None
    last = path[-1]
    hall = session.get_one(Hall, last.to_hall_id)
    held = current if last.to_case_id is not None and current.id == last.to_case_id else None
    unit_code = held.handling_unit if held is not None else last.to_unit
    unit = None
    if unit_code:
        row = session.scalar(
            select(Department).where(Department.hall_id == hall.id, Department.code == unit_code)
        )
        if row is not None:  # a department of that hall; an outside unit's free text is not shown
            unit = {"code": row.code, "name": {"zh": row.name_zh, "en": row.name_en}}
    return {
        "direction": last.direction,
        "state": ReferralState.ACCEPTED if held is not None else ReferralState.SENT,
        "hall": {"code": hall.code, "name": {"zh": hall.name_zh, "en": hall.name_en}},
        "unit": unit,
        "case": _public_view(context_of(hall), held) if held is not None else None,
    }


def holder_lines(holder: dict[str, Any], lang: str) -> list[str]:
    """Where a referred case is, in ``lang`` (the "status" catalogue): 「已上报至 测试县政务服务
    中心（公安户籍）」, 「受理编号 COUNTY-…，办理中」, 「承诺 2026-12-21 17:30 前办结」; while
    not yet accepted 「已上报，等待 … 接收」."""

    def name(names: dict[str, str]) -> str:
        return (names.get("en") if lang == "en" else None) or names.get("zh") or ""

    where = name(holder["hall"]["name"])
    if holder.get("unit"):
        unit = name(holder["unit"]["name"])
        where = i18n.text(STATUS, "hall_with_unit", lang, hall=where, unit=unit)
    direction = "up" if holder["direction"] == "up" else "down"
    held = holder.get("case")
    if held is None:
        return [i18n.text(STATUS, f"referral_waiting_{direction}", lang, hall=where)]
    state = i18n.text(STATUS, f"case_state_{held['state']}", lang)
    lines = [
        i18n.text(STATUS, f"referral_{direction}", lang, hall=where),
        i18n.text(STATUS, "held_summary", lang, number=held["number"], state=state),
    ]
    if held.get("deadline") and held["state"] in (CaseState.OPEN, CaseState.SUSPENDED):
        lines.append(i18n.text(STATUS, "held_deadline", lang, deadline=held["deadline"]))
    return lines


def lookup(
    uow: UnitOfWork, ctx: HallContext, who: Principal | None, number: str, phone_last4: str
) -> dict[str, Any]:
    """办件查询 at the kiosk: the acceptance number and the last 4 digits of the phone must both
    match; a wrong pair answers exactly like an unknown number (no probing for numbers). Misses
    count per number and per kiosk in the database (``lookup_guard``); while either is locked
    every try, right or wrong, gets the same 429. Staff are not counted (they see cases anyway).
    """
    number = lookup_guard.normalise_number(number)
    if not (len(phone_last4) == 4 and phone_last4.isdigit()):
        raise InvalidInput("invalid_phone_last4", "手机号后4位应为4位数字", "phone_last4")
    guarded = who is None or who.kind == "device"
    keys = lookup_guard.keys_for(who, number)
    if guarded:
        lookup_guard.check(uow.session, ctx, keys, uow.now)
    case = uow.session.scalar(select(Case).where(Case.hall_id == ctx.id, Case.number == number))
    if case is not None and case.phone_last4 and case.phone_last4 == phone_last4:
        return public_case(uow.session, ctx, case)
    if guarded:
        actor = who.actor() if who else Actor("anonymous")
        with UnitOfWork(uow.db, uow.now) as miss:
            locked = lookup_guard.record_miss(miss, ctx, keys, actor)
            miss.commit()
        if locked:  # this miss reached a limit: the 429 from now on, this answer included
            raise locked_error(locked, uow.now)
    raise NotFound("case_not_found", "未找到该办件，请核对受理编号和手机号后4位", "number")


def case_by_token(session: Session, token: str) -> Case | None:
    return session.scalar(select(Case).where(Case.status_token == token))


def case_of_ticket(session: Session, ticket_id: int) -> Case | None:
    return session.scalar(
        select(Case).where(Case.ticket_id == ticket_id).order_by(Case.id.desc()).limit(1)
    )
