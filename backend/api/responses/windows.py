"""Answers of the window actions and of the counter terminal's state."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from ...domain.tickets import Priority, TicketState
from .common import Answer, TicketBrief, WindowView, absent


class WindowAnswer(Answer):
    window: WindowView


class CalledAnswer(Answer):
    """The window's current ticket after the action, and the window."""

    ticket: TicketBrief
    window: WindowView


class CallNextAnswer(Answer):
    ticket: TicketBrief | None = Field(description="null when nobody is waiting")
    window: WindowView
    message: str = absent(description="when nobody is waiting")


class NewLeg(TicketBrief):
    target_window: int | None


class TransferAnswer(Answer):
    ticket: TicketBrief = Field(description="the leg that ended here")
    new_leg: NewLeg = Field(description="the leg queued for the other item or window")
    window: WindowView


class MessageSent(Answer):
    sent: bool


class EarlierLeg(Answer):
    item: str
    item_name: str
    window: int | None
    state: TicketState
    note: str | None
    ended_at: datetime | None


class CurrentTicket(TicketBrief):
    priority_reason: str | None
    waited_minutes: int
    issued_at: datetime
    note: str | None = Field(description="the transfer note that brought the ticket here")
    status_token: str
    materials: list[str]
    kind: Literal["immediate", "promised"]
    promised_days: int
    history: list[EarlierLeg]


class LineEntry(Answer):
    id: int
    number: str
    item: str
    priority: Priority
    waited_minutes: int
    transferred_here: bool


class Line(Answer):
    """Waiting tickets this window may call, in the order it would call them (first 50)."""

    waiting: int
    per_item: dict[str, int]
    oldest_wait_minutes: int
    next: list[LineEntry]


class Figures(Answer):
    served: int
    no_show: int
    transferred: int
    avg_service_minutes: float | None


class Today(Answer):
    window: Figures
    clerk: Figures


class CounterState(Answer):
    window: WindowView
    current: CurrentTicket | None
    line: Line
    today: Today
