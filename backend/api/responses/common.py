"""Pieces many answers share: names, a ticket as public screens show it, a window, a device."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ...domain.tickets import Priority, TicketState
from ...domain.windows import WindowState


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def absent(**kwargs: Any) -> Any:
    """A key the answer carries only sometimes: not required, never null when present."""
    return Field(default=None, json_schema_extra=_no_default, **kwargs)


class Answer(BaseModel):
    """A JSON answer. Keys it does not name are not refused (a new key is not a breaking
    change); ``tests/api`` checks every real answer has no key the model leaves out."""

    model_config = ConfigDict(extra="ignore")


class Name(Answer):
    zh: str
    en: str


class TicketBrief(Answer):
    """A ticket as public screens may show it: number and item, nothing about the person."""

    id: int
    number: str
    item: str = Field(description="service item code")
    item_name: Name
    state: TicketState
    priority: Priority
    call_count: int
    called_at: datetime | None
    started_at: datetime | None


class WindowView(Answer):
    """A window as staff screens show it."""

    number: int
    name: Name
    area: str
    state: WindowState
    state_since: datetime | None
    pause_reason: str | None
    clerk: str | None = Field(description="display name of the signed-in clerk")
    items: list[str]
    current: TicketBrief | None


class WindowRef(Answer):
    number: int
    name: Name


class CodeName(Answer):
    code: str
    name: Name


class PrinterCondition(Answer):
    condition: Literal[
        "ready", "paper_near_end", "paper_out", "cover_open", "error", "offline", "unknown"
    ]
    message: str


class DeviceReported(Answer):
    printer: PrinterCondition | None = absent()
    version: str = absent()


class DeviceView(Answer):
    code: str
    kind: str
    name: str
    area: str
    last_seen_at: datetime | None
    status: DeviceReported
