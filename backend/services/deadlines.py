"""The deadline sweep: recompute every open case's colour, push the changes, and open an
overdue record (超期督办) naming the handling unit when a case turns red."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ..db.models import Case, Hall, OverdueRecord
from ..db.uow import Actor, UnitOfWork
from ..domain.cases import CaseState
from ..domain.errors import Conflict, NotFound
from .auth import Principal
from .cases import colour_now
from .halls import HallContext, context_of

SWEEPER = Actor("job:deadline-sweep")


def stale_cases(uow: UnitOfWork, ctx: HallContext) -> tuple[int, list[int]]:
    """(open cases, ids of those whose stored colour is no longer right): a read, so the
    colour arithmetic never holds the database's write lock."""
    cases = uow.session.scalars(
        select(Case).where(Case.hall_id == ctx.id, Case.state == CaseState.OPEN.value)
    ).all()
    return len(cases), [c.id for c in cases if colour_now(ctx, c, uow.now) != c.colour]


def sweep_hall(uow: UnitOfWork, ctx: HallContext, only: list[int] | None = None) -> dict[str, int]:
    """Recompute colours of the hall's open cases (or of ``only`` these); returns how many were
    checked, changed and turned red."""
    changed = overdue = 0
    stmt = select(Case).where(Case.hall_id == ctx.id, Case.state == CaseState.OPEN.value)
    if only is not None:
        stmt = stmt.where(Case.id.in_(only))
    cases = uow.session.scalars(stmt.with_for_update(of=Case)).all()
    for case in cases:
        colour = colour_now(ctx, case, uow.now)
        if colour == case.colour:
            continue
        before, case.colour = case.colour, colour
        changed += 1
        details = {"from": before, "to": colour}
        uow.audit(ctx.id, SWEEPER, "case.colour", "case", case.number, details)
        uow.emit(
            ctx.id,
            "case.colour",
            {
                "case": {
                    "number": case.number,
                    "item_name": case.item.name_zh,
                    "handling_unit": case.handling_unit,
                    "colour": colour,
                    "previous": before,
                    "deadline_at": ctx.local(case.deadline_at).isoformat(),
                }
            },
        )
        if colour == "red" and _open_overdue(uow, ctx, case):
            overdue += 1
    return {"checked": len(cases), "changed": changed, "overdue": overdue}


def _open_overdue(uow: UnitOfWork, ctx: HallContext, case: Case) -> bool:
    exists = uow.session.scalar(select(OverdueRecord.id).where(OverdueRecord.case_id == case.id))
    if exists is not None:
        return False
    record = OverdueRecord(
        hall_id=ctx.id,
        case_id=case.id,
        handling_unit=case.handling_unit,
        deadline_at=case.deadline_at,
        detected_at=uow.now,
    )
    uow.session.add(record)
    uow.session.flush()
    uow.audit(ctx.id, SWEEPER, "overdue.opened", "case", case.number, {"unit": case.handling_unit})
    uow.emit(ctx.id, "overdue.opened", overdue_view(record, case, ctx))
    return True


def sweep_all(db, now, publisher) -> dict[str, Any]:
    """One sweep of every hall, each in its own transaction."""
    with UnitOfWork(db, now, write=False) as uow:
        halls = uow.session.scalars(select(Hall)).all()
        contexts = [context_of(h) for h in halls]
    totals: dict[str, Any] = {}
    for ctx in contexts:
        with UnitOfWork(db, now, write=False) as uow:
            checked, stale = stale_cases(uow, ctx)
        result = {"checked": checked, "changed": 0, "overdue": 0}
        if stale:  # write (and re-check under the lock) only what changed colour
            with UnitOfWork(db, now) as uow:
                result |= {k: v for k, v in sweep_hall(uow, ctx, stale).items() if k != "checked"}
                uow.commit(publisher)
        totals[ctx.code] = result
    return totals


def overdue_view(record: OverdueRecord, case: Case, ctx: HallContext) -> dict[str, Any]:
    return {
        "id": record.id,
        "case": case.number,
        "item_name": case.item.name_zh,
        "handling_unit": record.handling_unit,
        "deadline_at": ctx.local(record.deadline_at).isoformat(),
        "detected_at": record.detected_at.isoformat(),
        "reason": record.reason,
        "action": record.action,
        "handled_at": record.handled_at.isoformat() if record.handled_at else None,
    }


def handle_overdue(
    uow, ctx: HallContext, who: Principal, number: str, reason: str, action: str, rid
):
    """The duty officer records the reason the unit gave and the action ordered (督办)."""
    case = uow.session.scalar(select(Case).where(Case.hall_id == ctx.id, Case.number == number))
    record = (
        uow.session.scalar(select(OverdueRecord).where(OverdueRecord.case_id == case.id))
        if case
        else None
    )
    if record is None:
        raise NotFound("overdue_not_found", f"case {number!r} has no overdue record", "number")
    if record.handled_at is not None:
        raise Conflict(
            "overdue_handled", f"the overdue record of {number} was already handled", "number"
        )
    record.reason, record.action = reason, action
    record.handled_by, record.handled_at = who.id, uow.now
    uow.audit(
        ctx.id,
        who.actor(),
        "overdue.handled",
        "case",
        number,
        {"reason": reason, "action": action},
        rid,
    )
    view = overdue_view(record, case, ctx)
    uow.emit(ctx.id, "overdue.handled", view)
    return {"overdue": view}
