"""Cases (受理件): accept at the window, suspend for missing materials, supplement, extend,
transfer, escalate, finish or refuse. Each action is audited and pushed to staff."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from ..db.models import (
    Case,
    CaseEscalation,
    CaseExtension,
    Department,
    FollowUp,
    Ticket,
    Window,
)
from ..db.protect import Protector
from ..db.uow import Actor, UnitOfWork
from ..domain import cases as rules
from ..domain.cases import CaseAction, CaseState, Decision, ExtensionState, Suspension
from ..domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from ..domain.events import TicketFinished
from ..domain.privacy import (
    mask_id_number,
    mask_name,
    mask_phone,
    phone_digits,
    valid_id_number,
)
from ..domain.text import person_name
from ..domain.tickets import AT_WINDOW
from .auth import Principal
from .halls import HallContext, context_by_id
from .legs import leg_ids
from .notify import Notifier
from .tickets import allocate_seq
from .window_access import load_window, require_operator

CASE_SEQ_PREFIX = "#C"  # acceptance numbers share the atomic counters; ticket prefixes are A-Z


@dataclass(frozen=True)
class Applicant:
    name: str = ""
    phone: str = ""
    id_number: str = ""


# --- reading ------------------------------------------------------------------------------------


def suspensions_of(case: Case) -> list[Suspension]:
    return [
        Suspension(date.fromisoformat(a), date.fromisoformat(b) if b else None)
        for a, b in case.suspensions
    ]


def recompute_deadline(ctx: HallContext, case: Case) -> None:
    if case.kind != "promised":
        return
    case.deadline_at = rules.case_deadline(
        ctx.calendar,
        ctx.deadline_rule,
        ctx.local(case.accepted_at),
        case.working_days + case.extended_days,
        suspensions_of(case),
    )


def colour_now(ctx: HallContext, case: Case, now: datetime) -> str | None:
    return rules.case_colour(
        ctx.calendar, ctx.deadline_rule, now, ctx.local(case.deadline_at), case.state
    )


def case_view(
    case: Case, ctx: HallContext, now: datetime, stored_colour: bool = False
) -> dict[str, Any]:
    """A case as staff see it: personal data masked (the sealed values need `reveal`). Lists
    use the ``stored_colour`` the deadline sweep keeps (at most a sweep interval old), since
    working a colour out costs about half a millisecond per case."""
    return {
        "number": case.number,
        "item": case.item.code,
        "item_name": case.item.name_zh,
        "kind": case.kind,
        "state": case.state,
        "state_zh": rules.STATE_ZH[CaseState(case.state)],
        "decision": case.decision,
        "handling_unit": case.handling_unit,
        "applicant": {
            "name": case.name_masked,
            "phone": case.phone_masked,
            "id_number": case.id_masked,
        },
        "materials_received": case.materials_received,
        "missing_materials": case.missing_materials,
        "accepted_at": case.accepted_at.isoformat(),
        "working_days": case.working_days,
        "extended_days": case.extended_days,
        "deadline_at": ctx.local(case.deadline_at).isoformat(),
        "colour": case.colour if stored_colour else colour_now(ctx, case, now),
        "finished_at": case.finished_at.isoformat() if case.finished_at else None,
        "on_time": case.on_time,
        "result": case.result,
        "refuse_reason": case.refuse_reason,
        "repeat_visit": case.repeat_of_id is not None,
        "ticket_number": case.ticket.number if case.ticket else None,
        "status_token": case.status_token,
    }


def find_case(uow: UnitOfWork, ctx: HallContext, number: str, lock: bool = True) -> Case:
    stmt = select(Case).where(Case.hall_id == ctx.id, Case.number == number)
    if lock:
        stmt = stmt.with_for_update(of=Case).execution_options(populate_existing=True)
    case = uow.session.scalar(stmt)
    if case is None:
        raise NotFound("case_not_found", f"no case {number!r} in this hall", "number")
    return case


def reveal_applicant(uow, ctx: HallContext, who: Principal, protector: Protector, number, rid):
    """The full name, phone and ID number: for the accepting clerk and managers, audited."""
    case = find_case(uow, ctx, number, lock=False)
    if who.role == "clerk" and case.clerk_id != who.id:
        raise Forbidden(
            "not_your_case", "only the accepting clerk or a manager sees the full data", "number"
        )
    uow.audit(ctx.id, who.actor(), "case.applicant_viewed", "case", number, {}, rid)
    return {
        "applicant": {
            "name": protector.open(case.name_sealed),
            "phone": protector.open(case.phone_sealed),
            "id_number": protector.open(case.id_sealed),
        }
    }


def _require_handler(case: Case, who: Principal) -> None:
    """Clerks act on cases; managers and admins too. Devices never do."""
    if who.kind != "user":
        raise Forbidden("staff_only", "only staff may act on a case", None)


def _changed(uow, ctx, who, case, action: str, rid, details=None) -> dict[str, Any]:
    uow.audit(ctx.id, who.actor(), f"case.{action}", "case", case.number, details or {}, rid)
    view = case_view(case, ctx, uow.now)
    uow.emit(ctx.id, f"case.{action}", {"case": _event_brief(view)})
    return {"case": view}


def _event_brief(view: dict[str, Any]) -> dict[str, Any]:
    keys = ("number", "item", "item_name", "state", "handling_unit", "deadline_at", "colour")
    return {k: view[k] for k in keys}


# --- accepting ----------------------------------------------------------------------------------


def _checked_applicant(applicant: Applicant, required: bool) -> Applicant:
    """The applicant as stored: the name normalised, the phone as digits; InvalidInput else."""
    try:
        name = person_name(applicant.name)
    except ValueError as bad:
        raise InvalidInput(
            "invalid_name",
            f"姓名含有不能用于姓名的字符 {bad} / the name holds a character names cannot have ({bad})",
            "applicant.name",
        ) from None
    if required and not name:
        raise InvalidInput(
            "applicant_required", "申请人姓名必填 / applicant name is required", "applicant.name"
        )
    if required and not applicant.phone:
        raise InvalidInput(
            "applicant_required", "联系电话必填 / a phone number is required", "applicant.phone"
        )
    phone = phone_digits(applicant.phone) if applicant.phone else ""
    if phone is None:
        raise InvalidInput(
            "invalid_phone",
            "电话号码格式不正确：请填11位手机号或带区号的固定电话 / not a phone number: an 11-digit"
            " mobile or a landline with its area code",
            "applicant.phone",
        )
    if applicant.id_number and not valid_id_number(applicant.id_number):
        raise InvalidInput(
            "invalid_id_number",
            "身份证号码校验不通过 / not a valid resident ID number (18 characters, check digit)",
            "applicant.id_number",
        )
    return Applicant(name, phone, applicant.id_number)


def _seal(case: Case, applicant: Applicant, protector: Protector) -> None:
    phone = applicant.phone
    case.name_sealed = protector.seal(applicant.name)
    case.name_masked = mask_name(applicant.name) if applicant.name else ""
    case.phone_sealed = protector.seal(phone)
    case.phone_masked = mask_phone(phone) if phone else ""
    case.phone_last4 = phone[-4:]
    case.id_sealed = protector.seal(applicant.id_number.upper())
    case.id_masked = mask_id_number(applicant.id_number) if applicant.id_number else ""
    who = applicant.id_number or phone
    case.id_digest = protector.digest(who) if who else ""


def _earlier_visit(uow: UnitOfWork, ctx: HallContext, case: Case) -> Case | None:
    """重访: the same applicant (ID number, else phone) on the same item within the window."""
    days = ctx.config.cases.repeat_visit_days
    if not case.id_digest or days == 0:
        return None
    since = uow.now - timedelta(days=days)
    return uow.session.scalar(
        select(Case)
        .where(
            Case.hall_id == ctx.id,
            Case.id_digest == case.id_digest,
            Case.item_id == case.item_id,
            Case.accepted_at >= since,
        )
        .order_by(Case.accepted_at.desc())
        .limit(1)
    )


def _unit(uow: UnitOfWork, ctx: HallContext, code: str | None, default: str) -> str:
    if not code:
        return default
    exists = uow.session.scalar(
        select(Department.id).where(Department.hall_id == ctx.id, Department.code == code)
    )
    if exists is None:
        raise NotFound(
            "department_not_found", f"no department {code!r} in this hall", "handling_unit"
        )
    return code


def _new_case(uow, ctx, ticket: Ticket, window: Window | None, clerk_id, kind: str) -> Case:
    local_day = ctx.local(uow.now).date()
    seq = allocate_seq(uow, ctx.id, local_day, CASE_SEQ_PREFIX)
    return Case(
        hall_id=ctx.id,
        number=rules.acceptance_number(ctx.code, local_day, seq),
        status_token=secrets.token_urlsafe(18),
        ticket_id=ticket.id,
        ticket=ticket,
        item_id=ticket.item_id,
        item=ticket.item,
        kind=kind,
        state=CaseState.OPEN,
        handling_unit=ticket.item.department.code,
        window_id=window.id if window else None,
        clerk_id=clerk_id,
        accepted_at=uow.now,
        working_days=ticket.item.promised_days if kind == "promised" else 0,
        extended_days=0,
        decision=Decision.DONE_NOW.value,
        deadline_at=uow.now,
        suspensions=[],
        materials_received=[],
        missing_materials=[],
    )


def accept(
    uow: UnitOfWork,
    ctx: HallContext,
    who: Principal,
    protector: Protector,
    notifier: Notifier,
    window_number: int,
    *,
    applicant: Applicant,
    materials_received: list[str],
    decision: str,
    handling_unit: str | None,
    note: str | None,
    rid,
) -> dict[str, Any]:
    """受理 the ticket being served at the window. A promised item becomes an open case with a
    deadline; an immediate item is finished at once (即办件 closed the same day)."""
    window = load_window(uow, ctx, window_number)
    require_operator(window, who)
    ticket = uow.session.get(Ticket, window.current_ticket_id) if window.current_ticket_id else None
    if ticket is None or ticket.state not in AT_WINDOW:
        raise Conflict(
            "no_current_ticket", f"window {window_number} has no ticket at the counter", "window"
        )
    if uow.session.scalar(select(Case.id).where(Case.ticket_id == ticket.id)) is not None:
        raise Conflict(
            "already_accepted", f"ticket {ticket.number} was already accepted as a case", "ticket"
        )
    decision = Decision(decision)
    if decision is Decision.REFUSED:
        raise InvalidInput(
            "use_refuse",
            "a refusal is recorded with POST /cases/<number>/refuse and its reason",
            "decision",
        )
    kind = ticket.item.kind
    applicant = _checked_applicant(applicant, required=kind == "promised")
    case = _new_case(uow, ctx, ticket, window, window.clerk_id, kind)
    case.decision = decision.value
    case.handling_unit = _unit(uow, ctx, handling_unit, case.handling_unit)
    case.materials_received = list(materials_received)
    case.note = note
    _seal(case, applicant, protector)
    earlier = _earlier_visit(uow, ctx, case)
    case.repeat_of_id = earlier.id if earlier else None
    if kind == "promised":
        recompute_deadline(ctx, case)
        case.colour = colour_now(ctx, case, uow.now)
    else:
        _close(case, CaseState.FINISHED, uow.now, result="当场办结")
    uow.session.add(case)
    uow.session.flush()
    details = {
        "ticket": ticket.number,
        "item": ticket.item.code,
        "kind": kind,
        "decision": decision.value,
    }
    if earlier:
        details["repeat_of"] = earlier.number
    out = _changed(uow, ctx, who, case, "accepted", rid, details)
    if kind == "immediate":
        notifier.case_finished(uow, ctx, case)
    return out


def on_ticket_finished(uow: UnitOfWork, event: TicketFinished) -> None:
    """Handler of ``TicketFinished`` (the message bus calls it before the counter's commit)."""
    ticket = uow.session.get_one(Ticket, event.ticket_id)  # held by the event: no statement
    held = [c for c in uow.held(HallContext) if c.id == event.hall_id]
    ctx = held[0] if held else context_by_id(uow.session, event.hall_id)
    close_immediate_service(uow, ctx, Actor(event.actor, event.user_id, event.device_id), ticket)


def close_immediate_service(
    uow: UnitOfWork, ctx: HallContext, actor: Actor, ticket: Ticket
) -> None:
    """A finished ticket for an immediate item with no case yet still counts as a service done
    on the spot (a closed case without applicant data), so statistics see every service."""
    if ticket.item.kind != "immediate":
        return
    on_any_leg = select(Case.id).where(Case.ticket_id.in_(leg_ids(ticket)))
    if uow.session.scalar(on_any_leg.limit(1)) is not None:
        return
    window = uow.session.get(Window, ticket.window_id) if ticket.window_id else None
    case = _new_case(uow, ctx, ticket, window, ticket.clerk_id, "immediate")
    _close(case, CaseState.FINISHED, uow.now, result="当场办结")
    uow.session.add(case)
    uow.session.flush()
    uow.audit(
        ctx.id, actor, "case.closed_at_window", "case", case.number, {"ticket": ticket.number}
    )


def _close(case: Case, state: CaseState, now: datetime, *, result: str | None = None) -> None:
    case.state = state
    case.finished_at = now
    case.colour = None
    if state is CaseState.FINISHED:
        case.result = result
        case.on_time = now <= case.deadline_at if case.kind == "promised" else True


# --- actions on an accepted case ----------------------------------------------------------------


def suspend(uow, ctx, who: Principal, number: str, missing: list[str], note, rid) -> dict[str, Any]:
    """一次性告知: everything missing at once; the clock stops until supplements arrive."""
    case = find_case(uow, ctx, number)
    _require_handler(case, who)
    rules.check_action(case.state, CaseAction.SUSPEND)
    missing = [m.strip() for m in missing if m.strip()]
    if not missing:
        raise InvalidInput(
            "missing_required", "list every missing material (一次性告知)", "missing"
        )
    today = ctx.local(uow.now).date().isoformat()
    case.suspensions = [*case.suspensions, [today, None]]
    case.missing_materials = missing
    case.state = CaseState.SUSPENDED
    case.colour = None
    return _changed(uow, ctx, who, case, "suspended", rid, {"missing": missing, "note": note})


def supplement(uow, ctx, who: Principal, number: str, received: list[str], rid) -> dict[str, Any]:
    """补正: the missing materials arrived; the clock resumes (or restarts, per hall config)."""
    case = find_case(uow, ctx, number)
    _require_handler(case, who)
    rules.check_action(case.state, CaseAction.SUPPLEMENT)
    today = ctx.local(uow.now).date().isoformat()
    *earlier, (since, _until) = case.suspensions
    case.suspensions = [*earlier, [since, today]]
    case.materials_received = [*case.materials_received, *[r for r in received if r.strip()]]
    case.missing_materials = []
    case.state = CaseState.OPEN
    recompute_deadline(ctx, case)
    case.colour = colour_now(ctx, case, uow.now)
    return _changed(uow, ctx, who, case, "supplemented", rid, {"received": received})


def request_extension(uow, ctx, who: Principal, number: str, days: int, reason: str, rid):
    case = find_case(uow, ctx, number)
    _require_handler(case, who)
    rules.check_action(case.state, CaseAction.EXTEND)
    cfg = ctx.config.cases
    extensions = uow.session.scalars(
        select(CaseExtension).where(CaseExtension.case_id == case.id)
    ).all()
    if any(e.state is ExtensionState.REQUESTED for e in extensions):
        raise Conflict(
            "extension_pending", "an extension request is already waiting for a manager", "days"
        )
    granted = sum(1 for e in extensions if e.state is ExtensionState.APPROVED)
    rules.check_extension(
        days, granted, cfg.extension_min_days, cfg.extension_max_days, cfg.max_extensions
    )
    ext = CaseExtension(
        case_id=case.id, days=days, reason=reason, requested_by=who.id, requested_at=uow.now
    )
    uow.session.add(ext)
    uow.session.flush()
    out = _changed(
        uow,
        ctx,
        who,
        case,
        "extension_requested",
        rid,
        {"days": days, "reason": reason, "extension": ext.id},
    )
    return out | {"extension": extension_view(ext)}


def decide_extension(uow, ctx, who: Principal, number: str, approve: bool, note, rid):
    """A manager approves or refuses the waiting extension request."""
    case = find_case(uow, ctx, number)
    ext = uow.session.scalar(
        select(CaseExtension).where(
            CaseExtension.case_id == case.id, CaseExtension.state == ExtensionState.REQUESTED
        )
    )
    if ext is None:
        raise Conflict(
            "no_extension_request", f"case {number} has no extension request waiting", "number"
        )
    ext.state = ExtensionState.APPROVED if approve else ExtensionState.REFUSED
    ext.decided_by, ext.decided_at, ext.decision_note = who.id, uow.now, note
    if approve:
        case.extended_days += ext.days
        recompute_deadline(ctx, case)
        case.colour = colour_now(ctx, case, uow.now)
    action = "extension_approved" if approve else "extension_refused"
    out = _changed(uow, ctx, who, case, action, rid, {"days": ext.days, "note": note})
    return out | {"extension": extension_view(ext)}


def extension_view(ext: CaseExtension) -> dict[str, Any]:
    return {
        "id": ext.id,
        "days": ext.days,
        "reason": ext.reason,
        "state": ext.state,
        "requested_at": ext.requested_at.isoformat(),
        "decided_at": ext.decided_at.isoformat() if ext.decided_at else None,
        "note": ext.decision_note,
    }


def transfer(uow, ctx, who: Principal, number: str, to_unit: str | None, note, rid, to_window=None):
    """转办 to a back-office department, or to another window (its clerk takes the case over and
    it counts for that window's department unless ``to_unit`` says otherwise); history is kept."""
    case = find_case(uow, ctx, number)
    _require_handler(case, who)
    rules.check_action(case.state, CaseAction.TRANSFER)
    if not to_unit and to_window is None:
        raise InvalidInput("transfer_target", "name a department or a window", "to_unit")
    before = {"unit": case.handling_unit, "window": _window_number(uow, case.window_id)}
    if to_window is not None:
        window = uow.session.scalar(
            select(Window).where(
                Window.hall_id == ctx.id, Window.number == to_window, Window.active
            )
        )
        if window is None:
            raise NotFound("window_not_found", f"no window {to_window} in this hall", "to_window")
        case.window_id, case.clerk_id = window.id, window.clerk_id or case.clerk_id
        if not to_unit and window.department_id is not None:
            to_unit = uow.session.get(Department, window.department_id).code
    case.handling_unit = _unit(uow, ctx, to_unit, case.handling_unit)
    if case.decision == Decision.DONE_NOW.value:
        case.decision = Decision.COORDINATED.value
    after = {"unit": case.handling_unit, "window": _window_number(uow, case.window_id)}
    return _changed(
        uow, ctx, who, case, "transferred", rid, {"from": before, "to": after, "note": note}
    )


def _window_number(uow, window_id: int | None) -> int | None:
    return uow.session.get(Window, window_id).number if window_id else None


def escalate(uow, ctx, who: Principal, number: str, to_unit: str, reason: str, rid):
    """上报: beyond the hall's remit, reported upward the same day."""
    case = find_case(uow, ctx, number)
    _require_handler(case, who)
    rules.check_action(case.state, CaseAction.ESCALATE)
    esc = CaseEscalation(
        case_id=case.id, to_unit=to_unit, reason=reason, reported_at=uow.now, reported_by=who.id
    )
    uow.session.add(esc)
    uow.session.flush()
    case.decision = Decision.COORDINATED.value
    out = _changed(
        uow,
        ctx,
        who,
        case,
        "escalated",
        rid,
        {"to": to_unit, "reason": reason, "escalation": esc.id},
    )
    return out | {"escalation": escalation_view(esc)}


def record_reply(uow, ctx, who: Principal, number: str, reply: str, rid):
    """The receiving unit's reply to the latest escalation without one."""
    case = find_case(uow, ctx, number)
    _require_handler(case, who)
    esc = uow.session.scalar(
        select(CaseEscalation)
        .where(CaseEscalation.case_id == case.id, CaseEscalation.reply.is_(None))
        .order_by(CaseEscalation.id.desc())
    )
    if esc is None:
        raise Conflict(
            "no_escalation", f"case {number} has no escalation waiting for a reply", "number"
        )
    esc.reply, esc.replied_at = reply, uow.now
    out = _changed(
        uow, ctx, who, case, "escalation_replied", rid, {"escalation": esc.id, "reply": reply}
    )
    return out | {"escalation": escalation_view(esc)}


def escalation_view(esc: CaseEscalation) -> dict[str, Any]:
    return {
        "id": esc.id,
        "to_unit": esc.to_unit,
        "reason": esc.reason,
        "reported_at": esc.reported_at.isoformat(),
        "reply": esc.reply,
        "replied_at": esc.replied_at.isoformat() if esc.replied_at else None,
    }


def finish(uow, ctx, who: Principal, notifier: Notifier, number: str, result: str, rid):
    """办结 with the result; the resident is told (status page, kiosk query, notifier)."""
    case = find_case(uow, ctx, number)
    _require_handler(case, who)
    rules.check_action(case.state, CaseAction.FINISH)
    _close(case, CaseState.FINISHED, uow.now, result=result)
    out = _changed(
        uow, ctx, who, case, "finished", rid, {"result": result, "on_time": case.on_time}
    )
    notifier.case_finished(uow, ctx, case)
    if case.phone_masked and rules.in_sample(
        f"{ctx.code}:{case.number}", ctx.config.cases.callback_share
    ):
        uow.session.add(FollowUp(hall_id=ctx.id, case_id=case.id, created_at=uow.now))
    return out


def refuse(uow, ctx, who: Principal, notifier: Notifier, number: str, reason: str, rid):
    """明确拒办: refused with the reason, which is printed for the resident."""
    case = find_case(uow, ctx, number)
    _require_handler(case, who)
    rules.check_action(case.state, CaseAction.REFUSE)
    case.refuse_reason = reason
    case.decision = Decision.REFUSED.value
    _close(case, CaseState.REFUSED, uow.now)
    out = _changed(uow, ctx, who, case, "refused", rid, {"reason": reason})
    notifier.case_finished(uow, ctx, case)
    return out
