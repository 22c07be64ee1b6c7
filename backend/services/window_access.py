"""A window as the services that act on it see it: the locked row, who may operate it, its clerk.

Shared by the counter (tickets at a window), cases (受理 at a window) and evaluations (评价 at a
window), so none of them imports another for these."""

from __future__ import annotations

from sqlalchemy import bindparam, select

from ..db.models import User, Window
from ..db.uow import UnitOfWork
from ..domain.errors import Forbidden, NotFound
from .auth import Principal
from .halls import HallContext

_WINDOW = (
    select(Window)
    .where(Window.hall_id == bindparam("hall"), Window.number == bindparam("number"), Window.active)
    .with_for_update()
    .execution_options(populate_existing=True)
)
_CLERK_NAME = select(User.display_name).where(User.id == bindparam("user"))


def load_window(uow: UnitOfWork, ctx: HallContext, number: int) -> Window:
    """The window row, locked for this transaction (PostgreSQL; SQLite's writer lock covers it)."""
    window = uow.session.scalar(_WINDOW, {"hall": ctx.id, "number": number})
    if window is None:
        raise NotFound("window_not_found", f"no window {number} in this hall", "window")
    return window


def require_operator(window: Window, who: Principal) -> None:
    """A clerk acts only on the window they are signed in to; managers and admins may step in."""
    if who.role in ("manager", "admin"):
        return
    if who.kind != "user" or window.clerk_id != who.id:
        raise Forbidden(
            "not_your_window", f"you are not signed in to window {window.number}", "window"
        )


def clerk_name(uow: UnitOfWork, user_id: int | None) -> str | None:
    """The display name of a window's clerk (staff screens show it; public ones never)."""
    if user_id is None:
        return None
    return uow.session.scalar(_CLERK_NAME, {"user": user_id})
