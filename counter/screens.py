"""What the counter shows: plain data built by the presenter, drawn by the views.

Every text is already in the display language; views add only fixed labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The actions a clerk can take; a view enables a button when its key is in `MainScreen.enabled`.
ACTIONS = (
    "call_next",
    "recall",
    "start",
    "finish",
    "no_show",
    "transfer",
    "call_number",
    "requeue",
    "pause_toggle",
)
CASE_HOOKS = ("accept_case", "notice", "evaluate")
SHORTCUTS = {key: f"F{n}" for n, key in enumerate(ACTIONS, start=1)}


@dataclass(frozen=True)
class Choice:
    """One entry of a drop-down: the value sent back and the text shown."""

    value: object
    text: str


@dataclass(frozen=True)
class LoginScreen:
    username: str
    windows: tuple[Choice, ...]
    window: int | None
    busy: bool = False
    error: str = ""
    info: str = ""
    handover: str = ""  # non-empty: the chosen window awaits a take-over (接班)
    logged_in_as: str = ""  # a clerk who is logged in but not yet at a window


@dataclass(frozen=True)
class TicketPanel:
    number: str
    item: str  # item name, primary language
    item_secondary: str
    priority: str  # "绿色通道 Green channel · 70岁以上老人"
    priority_class: str  # green | appointment | normal (for colour)
    state: str  # 已叫号 / 办理中 with the call count
    waited: str
    kind: str  # 即办件 / 承诺件 N 个工作日
    history: tuple[str, ...]
    materials: tuple[str, ...]
    checked: tuple[bool, ...]
    materials_status: str


@dataclass(frozen=True)
class LineEntry:
    number: str
    item: str
    priority: str
    priority_class: str
    waited: str
    transferred_here: bool


@dataclass(frozen=True)
class LinePanel:
    summary: str
    per_item: tuple[tuple[str, int], ...]
    next: tuple[LineEntry, ...]
    empty_text: str


@dataclass(frozen=True)
class Figures:
    """One row of today's figures: who, served, average minutes, no-shows, transfers."""

    who: str
    served: int
    avg: str
    no_show: int
    transferred: int


@dataclass(frozen=True)
class MainScreen:
    window_title: str  # "3号窗口 民政"
    clerk: str
    state: str  # open | paused | closed
    state_text: str
    ticket: TicketPanel | None
    idle_text: str
    line: LinePanel
    today: tuple[Figures, ...]
    enabled: frozenset[str] = field(default_factory=frozenset)
    paused: bool = False
    busy: bool = False


@dataclass(frozen=True)
class Connection:
    """The red bar: shown when `ok` is false; `retry` offers to resend a pending action now."""

    ok: bool
    text: str = ""
    retry: bool = False


@dataclass(frozen=True)
class TransferChoices:
    number: str
    items: tuple[Choice, ...]  # value: item code, or None for "same item"
    windows: tuple[Choice, ...]  # value: window number, or None for "any window"


@dataclass(frozen=True)
class PauseChoices:
    reasons: tuple[Choice, ...]
