"""What a window clerk does: sign in/out, pause, call, recall, serve, finish, no-show, transfer."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select

from ..db.models import ServiceItem, Ticket, User, Window
from ..db.uow import UnitOfWork
from ..domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from ..domain.events import TicketFinished
from ..domain.no_show import NoShowGuard
from ..domain.queue_policy import calling_order, queue_key_for
from ..domain.tickets import Action, TicketState, next_state
from ..domain.windows import PauseReason, WindowAction, WindowState, may_sign_in, next_window_state
from .auth import Principal
from .halls import HallContext
from .queue import (
    call_candidates,
    forget_recent_services,
    ticket_brief,
    window_view,
)
from .tickets import find_today
from .window_access import clerk_name, load_window, require_operator

CLAIM_ATTEMPTS = 25


_WAITING = select(Ticket).where(
    Ticket.id == bindparam("ticket"), Ticket.state == TicketState.WAITING
)
_CLAIM = {
    "postgresql": _WAITING.with_for_update(skip_locked=True, of=Ticket).execution_options(
        populate_existing=True
    ),
    "sqlite": _WAITING.execution_options(populate_existing=True),
}


def _view(uow: UnitOfWork, window: Window) -> dict[str, Any]:
    ticket = uow.session.get(Ticket, window.current_ticket_id) if window.current_ticket_id else None
    return window_view(window, ticket, clerk_name(uow, window.clerk_id), uow.now)


def _window_changed(
    uow: UnitOfWork,
    ctx: HallContext,
    window: Window,
    action: str,
    who: Principal,
    rid,
    details=None,
):
    uow.audit(ctx.id, who.actor(), f"window.{action}", "window", window.number, details or {}, rid)
    view = _view(uow, window)
    uow.emit(ctx.id, f"window.{action}", view)
    return {"window": view}


def sign_in(
    uow: UnitOfWork, ctx: HallContext, who: Principal, number: int, rid: str | None
) -> dict[str, Any]:
    if who.kind != "user":
        raise Forbidden("staff_only", "only staff sign in to windows")
    window = load_window(uow, ctx, number)
    if window.state != WindowState.CLOSED and window.clerk_id == who.id:
        return {"window": _view(uow, window)}  # already signed in here: nothing to do
    if (
        not may_sign_in(who.id, window.primary_clerk_id, window.backup_clerk_id)
        and who.role == "clerk"
    ):
        raise Forbidden("not_assigned", f"window {number} is staffed by its A/B clerks", "window")
    elsewhere = uow.session.scalar(
        select(Window.number).where(
            Window.hall_id == ctx.id, Window.clerk_id == who.id, Window.id != window.id
        )
    )
    if elsewhere is not None:
        raise Conflict(
            "signed_in_elsewhere",
            f"you are signed in to window {elsewhere}; sign out there first",
            "window",
        )
    if window.state != WindowState.CLOSED:
        raise Conflict("window_taken", f"window {number} is already open", "window")
    window.state = next_window_state(window.state, WindowAction.SIGN_IN)
    window.clerk_id, window.state_since, window.pause_reason = who.id, uow.now, None
    return _window_changed(uow, ctx, window, "opened", who, rid)


def sign_out(
    uow: UnitOfWork, ctx: HallContext, who: Principal, number: int, rid: str | None
) -> dict[str, Any]:
    window = load_window(uow, ctx, number)
    require_operator(window, who)
    if window.current_ticket_id:
        raise Conflict(
            "ticket_in_progress",
            "finish, transfer or mark no-show the current ticket first",
            "window",
        )
    window.state = next_window_state(window.state, WindowAction.SIGN_OUT)
    window.clerk_id, window.state_since, window.pause_reason = None, uow.now, None
    return _window_changed(uow, ctx, window, "closed", who, rid)


def pause(
    uow: UnitOfWork,
    ctx: HallContext,
    who: Principal,
    number: int,
    reason: str,
    note: str | None,
    rid,
) -> dict[str, Any]:
    try:
        reason = PauseReason(reason).value
    except ValueError:
        raise InvalidInput(
            "bad_reason",
            "reason must be one of " + ", ".join(r.value for r in PauseReason),
            "reason",
        ) from None
    window = load_window(uow, ctx, number)
    require_operator(window, who)
    window.state = next_window_state(window.state, WindowAction.PAUSE)
    window.state_since, window.pause_reason = (
        uow.now,
        reason if not note else f"{reason}: {note}"[:120],
    )
    return _window_changed(uow, ctx, window, "paused", who, rid, {"reason": window.pause_reason})


def resume(uow: UnitOfWork, ctx: HallContext, who: Principal, number: int, rid) -> dict[str, Any]:
    window = load_window(uow, ctx, number)
    require_operator(window, who)
    window.state = next_window_state(window.state, WindowAction.RESUME)
    window.state_since, window.pause_reason = uow.now, None
    return _window_changed(uow, ctx, window, "resumed", who, rid)


def _ready_to_call(window: Window) -> None:
    if window.state != WindowState.OPEN:
        raise Conflict("window_not_open", f"window {window.number} is {window.state}", "window")
    if window.current_ticket_id:
        raise Conflict(
            "ticket_in_progress",
            "finish, transfer or mark no-show the current ticket first",
            "window",
        )


def _claim(uow: UnitOfWork, ticket_id: int) -> Ticket | None:
    """Take a waiting ticket for this transaction, or None if another window got it first."""
    return uow.session.scalar(_CLAIM[uow.dialect], {"ticket": ticket_id})


def _called(
    uow, ctx, window: Window, ticket: Ticket, who: Principal, rid, reason: str | None = None
):
    ticket.state = next_state(ticket.state, Action.CALL)
    ticket.window_id, ticket.clerk_id = window.id, who.id if who.kind == "user" else None
    ticket.called_at, ticket.call_count = uow.now, 1
    ticket.out_of_order_reason = reason
    window.current_ticket_id = ticket.id
    uow.session.flush()
    details: dict[str, int | str] = {"ticket_id": ticket.id, "window": window.number}
    if reason:
        details["out_of_order_reason"] = reason
    uow.audit(ctx.id, who.actor(), "ticket.called", "ticket", ticket.number, details, rid)
    uow.emit(ctx.id, "ticket.called", _call_payload(window, ticket))
    return {"ticket": ticket_brief(ticket), "window": _view(uow, window)}


def _call_payload(window: Window, ticket: Ticket) -> dict[str, Any]:
    return ticket_brief(ticket) | {
        "window": window.number,
        "window_name": {"zh": window.name_zh, "en": window.name_en},
        "area": window.area,
    }


def call_next(
    uow: UnitOfWork, ctx: HallContext, who: Principal, number: int, rid
) -> dict[str, Any]:
    window = load_window(uow, ctx, number)
    require_operator(window, who)
    _ready_to_call(window)
    entries = call_candidates(
        uow.session, ctx, window.number, list(window.item_codes), uow.now, CLAIM_ATTEMPTS
    )
    order = calling_order(entries, window.number, window.item_codes, uow.now, ctx.policy)
    for entry in order[:CLAIM_ATTEMPTS]:
        ticket = _claim(uow, entry.ticket_id)
        if ticket is not None:
            return _called(uow, ctx, window, ticket, who, rid)
    return {"ticket": None, "window": _view(uow, window), "message": "暂无等候 / nobody is waiting"}


def call_specific(
    uow, ctx: HallContext, who: Principal, number: int, ticket_number: str, reason: str, rid
) -> dict[str, Any]:
    if not reason or not reason.strip():
        raise InvalidInput("reason_required", "calling out of order needs a reason", "reason")
    window = load_window(uow, ctx, number)
    require_operator(window, who)
    _ready_to_call(window)
    ticket = find_today(uow.session, ctx, ticket_number, uow.now)
    if ticket.item.code not in window.item_codes:
        raise Conflict(
            "item_not_served", f"window {number} does not serve {ticket.item.name_zh}", "number"
        )
    if ticket.target_window not in (None, window.number):
        raise Conflict(
            "reserved_for_other_window",
            f"{ticket.number} was transferred to window {ticket.target_window}",
            "number",
        )
    claimed = _claim(uow, ticket.id)
    if claimed is None:
        raise Conflict(
            "not_waiting", f"{ticket.number} is not waiting (it is {ticket.state})", "number"
        )
    return _called(uow, ctx, window, claimed, who, rid, reason.strip()[:200])


def _current(uow: UnitOfWork, window: Window) -> Ticket:
    if not window.current_ticket_id:
        raise Conflict(
            "no_current_ticket", f"window {window.number} has no current ticket", "window"
        )
    return uow.session.get_one(Ticket, window.current_ticket_id, populate_existing=True)


def recall(uow, ctx, who: Principal, number: int, rid) -> dict[str, Any]:
    window = load_window(uow, ctx, number)
    require_operator(window, who)
    ticket = _current(uow, window)
    ticket.state = next_state(ticket.state, Action.RECALL)
    ticket.call_count += 1
    uow.audit(
        ctx.id,
        who.actor(),
        "ticket.recalled",
        "ticket",
        ticket.number,
        {"ticket_id": ticket.id, "call_count": ticket.call_count},
        rid,
    )
    uow.emit(ctx.id, "ticket.recalled", _call_payload(window, ticket))
    return {"ticket": ticket_brief(ticket), "window": _view(uow, window)}


def start(uow, ctx, who: Principal, number: int, rid) -> dict[str, Any]:
    window = load_window(uow, ctx, number)
    require_operator(window, who)
    ticket = _current(uow, window)
    ticket.state = next_state(ticket.state, Action.START)
    ticket.started_at = uow.now
    uow.audit(
        ctx.id,
        who.actor(),
        "ticket.started",
        "ticket",
        ticket.number,
        {"ticket_id": ticket.id},
        rid,
    )
    uow.emit(ctx.id, "ticket.started", _call_payload(window, ticket))
    return {"ticket": ticket_brief(ticket), "window": _view(uow, window)}


def _end(
    uow, ctx, who, window: Window, ticket: Ticket, action: Action, event: str, rid, details=None
):
    ticket.state = next_state(ticket.state, action)
    if action is Action.FINISH and ticket.started_at is None:
        ticket.started_at = ticket.called_at
    ticket.ended_at = uow.now
    window.current_ticket_id = None
    uow.session.flush()
    if action is Action.FINISH:
        uow.after_commit(lambda: forget_recent_services(ctx.id))
    uow.audit(
        ctx.id,
        who.actor(),
        event,
        "ticket",
        ticket.number,
        {"ticket_id": ticket.id, "window": window.number} | (details or {}),
        rid,
    )
    uow.emit(ctx.id, event, _call_payload(window, ticket))


def finish(uow, ctx, who: Principal, number: int, rid) -> dict[str, Any]:
    window = load_window(uow, ctx, number)
    require_operator(window, who)
    ticket = _current(uow, window)
    _end(uow, ctx, who, window, ticket, Action.FINISH, "ticket.finished", rid)
    actor = who.actor()
    finished = TicketFinished(ctx.id, ticket.id, actor.label, actor.user_id, actor.device_id)
    uow.raise_event(finished, ticket, window, ctx)
    return {"ticket": ticket_brief(ticket), "window": _view(uow, window)}


def no_show(uow, ctx, who: Principal, number: int, rid) -> dict[str, Any]:
    """过号, refused (409 no_show_too_soon) until the hall's ``no_show`` guard is met."""
    window = load_window(uow, ctx, number)
    require_operator(window, who)
    ticket = _current(uow, window)
    next_state(ticket.state, Action.NO_SHOW)  # a ticket being served is not a no-show
    guard = ctx.config.no_show
    NoShowGuard(guard.min_recalls, guard.min_seconds).check(
        ticket.call_count, ticket.called_at, uow.now
    )
    _end(
        uow,
        ctx,
        who,
        window,
        ticket,
        Action.NO_SHOW,
        "ticket.no_show",
        rid,
        {"call_count": ticket.call_count},
    )
    return {"ticket": ticket_brief(ticket), "window": _view(uow, window)}


def transfer(
    uow,
    ctx: HallContext,
    who: Principal,
    number: int,
    *,
    to_item: str | None,
    to_window: int | None,
    note: str | None,
    rid,
) -> dict[str, Any]:
    """End this leg as transferred and queue a new leg for another item and/or window; the new leg
    keeps the number, arrival time and status token."""
    if to_item is None and to_window is None:
        raise InvalidInput(
            "transfer_target_required", "name the item or the window to transfer to", "to_item"
        )
    window = load_window(uow, ctx, number)
    require_operator(window, who)
    ticket = _current(uow, window)
    item = ticket.item
    if to_item is not None:
        item = uow.session.scalar(
            select(ServiceItem).where(
                ServiceItem.hall_id == ctx.id, ServiceItem.code == to_item, ServiceItem.active
            )
        )
        if item is None:
            raise NotFound("item_not_found", f"no service item {to_item!r} in this hall", "to_item")
    if to_window is not None:
        if to_window == window.number:
            raise InvalidInput("same_window", "transfer to another window", "to_window")
        target = uow.session.scalar(
            select(Window).where(
                Window.hall_id == ctx.id, Window.number == to_window, Window.active
            )
        )
        if target is None:
            raise NotFound("window_not_found", f"no window {to_window} in this hall", "to_window")
        if item.code not in target.item_codes:
            raise Conflict(
                "item_not_served", f"window {to_window} does not serve {item.name_zh}", "to_window"
            )
    elif to_item == ticket.item.code:
        raise InvalidInput("same_item", "transfer to another item or name a window", "to_item")
    _end(
        uow,
        ctx,
        who,
        window,
        ticket,
        Action.TRANSFER,
        "ticket.transferred",
        rid,
        {"to_item": item.code, "to_window": to_window, "note": note},
    )
    leg = Ticket(
        hall_id=ctx.id,
        item_id=item.id,
        item=item,
        day=ticket.day,
        prefix=ticket.prefix,
        seq=ticket.seq,
        number=ticket.number,
        priority=ticket.priority,
        priority_reason=ticket.priority_reason,
        state=TicketState.WAITING,
        issued_at=ticket.issued_at,
        waiting_since=ticket.issued_at,
        queue_key=queue_key_for(ticket.issued_at, ticket.seq),
        target_window=to_window,
        parent_id=ticket.id,
        root_id=ticket.root_id or ticket.id,
        status_token=ticket.status_token,
        device_id=ticket.device_id,
        language=ticket.language,
        note=(note or "")[:200] or None,
    )
    uow.session.add(leg)
    uow.session.flush()
    uow.emit(
        ctx.id,
        "ticket.requeued",
        ticket_brief(leg) | {"from_window": window.number, "target_window": to_window},
    )
    return {
        "ticket": ticket_brief(ticket),
        "new_leg": ticket_brief(leg) | {"target_window": to_window},
        "window": _view(uow, window),
    }


def assign_staff(
    uow, ctx: HallContext, who: Principal, number: int, primary: str | None, backup: str | None, rid
) -> dict[str, Any]:
    """Set a window's A (primary) and B (backup) clerks; None clears a post."""
    window = load_window(uow, ctx, number)
    ids: list[int | None] = []
    for field, username in (("primary", primary), ("backup", backup)):
        if username is None:
            ids.append(None)
            continue
        user = uow.session.scalar(
            select(User).where(User.hall_id == ctx.id, User.username == username, User.active)
        )
        if user is None:
            raise NotFound("user_not_found", f"no active user {username!r}", field)
        ids.append(user.id)
    window.primary_clerk_id, window.backup_clerk_id = ids
    return _window_changed(
        uow, ctx, window, "staffed", who, rid, {"primary": primary, "backup": backup}
    )


def take_over(
    uow: UnitOfWork, ctx: HallContext, who: Principal, number: int, rid
) -> dict[str, Any]:
    """Shift handover (交接班) or A/B cover: the incoming clerk takes a window that its clerk paused
    for handover, keeping the current ticket. A manager may hand any open window over."""
    if who.kind != "user":
        raise Forbidden("staff_only", "only staff take over windows")
    window = load_window(uow, ctx, number)
    if window.state == WindowState.CLOSED:
        raise Conflict("window_closed", f"window {number} is closed; sign in instead", "window")
    if window.clerk_id == who.id:
        raise Conflict("already_yours", f"you are already at window {number}", "window")
    paused_for_handover = window.state == WindowState.PAUSED and (
        window.pause_reason or ""
    ).startswith("handover")
    if who.role == "clerk":
        if not paused_for_handover:
            raise Conflict("no_handover", f"window {number} was not paused for handover", "window")
        if not may_sign_in(who.id, window.primary_clerk_id, window.backup_clerk_id):
            raise Forbidden(
                "not_assigned", f"window {number} is staffed by its A/B clerks", "window"
            )
    elsewhere = uow.session.scalar(
        select(Window.number).where(
            Window.hall_id == ctx.id, Window.clerk_id == who.id, Window.id != window.id
        )
    )
    if elsewhere is not None:
        raise Conflict(
            "signed_in_elsewhere",
            f"you are signed in to window {elsewhere}; sign out there first",
            "window",
        )
    previous = uow.session.get(User, window.clerk_id) if window.clerk_id else None
    window.state = next_window_state(window.state, WindowAction.TAKE_OVER)
    window.clerk_id, window.state_since, window.pause_reason = who.id, uow.now, None
    if window.current_ticket_id:
        uow.session.get_one(Ticket, window.current_ticket_id).clerk_id = who.id
    return _window_changed(
        uow,
        ctx,
        window,
        "handed_over",
        who,
        rid,
        {"from": previous.username if previous else None, "to": who.name},
    )


def message_window(
    uow: UnitOfWork, ctx: HallContext, who: Principal, number: int | None, text: str, rid
) -> dict[str, Any]:
    """A manager's message to one window's clerk (or to every window when ``number`` is None)."""
    if number is not None:
        load_window(uow, ctx, number)
    uow.audit(
        ctx.id,
        who.actor(),
        "manager.message",
        "window",
        number if number is not None else "all",
        {"text": text},
        rid,
    )
    uow.emit(ctx.id, "manager.message", {"window": number, "text": text, "from": who.name})
    return {"sent": True}
