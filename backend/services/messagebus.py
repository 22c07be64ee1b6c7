"""The message bus: domain events raised on a unit of work, handed to their handlers in the same
transaction (cosmicpython's message bus, without its commands: those are ``run_command``).

Services never import each other to react to what another did: the counter raises
``TicketFinished`` and cases close the immediate-service case in its handler."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..db.uow import UnitOfWork
from ..domain.events import Event, TicketFinished
from . import cases

Handler = Callable[[UnitOfWork, Any], None]

HANDLERS: dict[type[Event], list[Handler]] = {
    TicketFinished: [cases.on_ticket_finished],
}


def handle(uow: UnitOfWork) -> None:
    """Run the handlers of every event raised on ``uow`` (and of those they raise), in order.
    A handler's exception propagates: the caller's transaction is rolled back with it."""
    for event in uow.collect_new_events():
        for handler in HANDLERS.get(type(event), ()):
            handler(uow, event)
