"""督办: the supervision office (督查督办) of a hall above orders a case of a hall below settled,
on record. The order is in the case's own history, named with the supervisor's hall, and is
pushed to that hall's staff; it changes nothing else about the case."""

from __future__ import annotations

from typing import Any

from ..db.uow import Actor, UnitOfWork
from ..domain.cases import CaseState
from ..domain.errors import Conflict, InvalidInput
from .auth import Principal
from .cases import case_view, find_case
from .halls import HallContext

OPEN_STATES = frozenset({CaseState.OPEN.value, CaseState.SUSPENDED.value})


def supervise(
    uow: UnitOfWork, ctx: HallContext, who: Principal, number: str, *, note: str, rid: str
) -> dict[str, Any]:
    note = note.strip()
    if not note:
        raise InvalidInput("note_required", "say what is ordered (督办意见)", "note")
    case = find_case(uow, ctx, number)
    if case.state not in OPEN_STATES:
        raise Conflict(
            "case_closed",
            f"case {number} is {case.state}: only an open case is supervised",
            "number",
        )
    actor = who.actor()
    by = Actor(f"{actor.label}@{who.hall_code}", user_id=actor.user_id)
    details = {"note": note, "by_hall": who.hall_code}
    uow.audit(ctx.id, by, "case.supervised", "case", number, details, rid)
    view = case_view(case, ctx, uow.now)
    brief = {k: view[k] for k in ("number", "item", "item_name", "state", "deadline_at", "colour")}
    uow.emit(ctx.id, "case.supervised", {"case": brief, "note": note, "by_hall": who.hall_code})
    return {"case": view}
