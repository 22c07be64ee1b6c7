"""Domain events: facts one part of the hall's work records for other parts to act on.

A service raises them on its unit of work (``uow.raise_event``); the message bus
(``services.messagebus``) hands each to its handlers in the same transaction, before the commit,
so a failing handler rolls the whole command back."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    """Base of every domain event."""


@dataclass(frozen=True)
class TicketFinished(Event):
    """A window finished serving a ticket (办结 at the counter)."""

    hall_id: int
    ticket_id: int
    actor: str  # the audit label of who finished it, e.g. "user:wang"
    user_id: int | None = None
    device_id: int | None = None
