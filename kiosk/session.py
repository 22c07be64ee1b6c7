"""What the kiosk presenter and its collaborators (kiosk.backendlink, printflow, caseflow,
appointflow) share about the resident's visit: where they are, in which language, what the
backend last said. One per presenter, injected into each collaborator that needs it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from . import builders as b
    from .catalog import Catalog, Item


@dataclass
class Intent:
    """One "take a ticket" for one item and priority: one request id, reused by every retry,
    so the backend can never issue it twice."""

    item_code: str
    priority: str
    reason: str | None
    request_id: str

    @property
    def key(self) -> tuple:
        return (self.item_code, self.priority, self.reason)


@dataclass
class Session:
    language: str
    state: str = "starting"  # starting | ready | offline | out_of_service
    offline_reason: str = ""
    catalog: Catalog | None = None
    nav: list[tuple] = field(default_factory=lambda: [("home",)])
    mode: b.Mode | None = None  # green channel or appointment (phone way), else None
    query: str = ""  # the search, as typed
    choosing_language: bool = False  # the row 中文 · English · ئۇيغۇرچە is open
    intent: Intent | None = None
    issuing: bool = False
    notice: Callable[[str], str] | None = None  # why the last ticket request failed (the guide's)
    guide_print: tuple[str, tuple[str, str]] | None = None  # state, cause
    issued: b.Issued | None = None  # the ticket on the confirmation screen
    leave_after_print: bool = False  # the confirmation timed out while its ticket was printing

    @property
    def top(self) -> tuple:
        return self.nav[-1]

    def item(self, code: str) -> Item | None:
        return self.catalog.item(code) if self.catalog else None


class Navigator(Protocol):
    """What a collaborator may ask of the presenter: show, move, start over (kiosk.presenter)."""

    def render(self) -> None: ...

    def push(self, *entry: str) -> None: ...

    def navigated(self) -> None: ...

    def home(self) -> None: ...

    def reset(self) -> None: ...

    def user_activity(self) -> None: ...
