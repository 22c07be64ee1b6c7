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
# Buttons on the ticket card (case workflow), and the actions on a case in "My cases".
CASE_HOOKS = ("accept_case", "notice", "evaluate", "print_receipt")
CASE_ACTIONS = ("supplement", "extension", "finish", "refuse", "refer")
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
class CaseBadge:
    """The case accepted for the current ticket, on the ticket card."""

    number: str  # 受理编号 QINGSHAN-20261123-0001
    deadline: str  # 承诺办结时间 2026-11-30 17:30, or 即办件 · 当场办结
    state: str  # 办理中, or 待补正：户口簿、收入证明
    colour: str | None  # green | yellow | orange | red | None


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
    case: CaseBadge | None = None


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
    hooks: frozenset[str] = field(default_factory=frozenset)  # case buttons shown on the card
    print_label: str = ""  # 打印受理回执 / 补打告知书
    cases_label: str = ""  # 我的办件 3


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


@dataclass(frozen=True)
class AcceptForm:
    """受理: what the dialog starts with (the backend validates what comes back)."""

    number: str  # ticket number
    title: str
    hint: str  # promised: name and phone required; immediate: optional
    required: bool
    materials: tuple[str, ...]
    received: tuple[bool, ...]  # ticked on the main screen
    decisions: tuple[Choice, ...]
    units: tuple[Choice, ...]  # departments (value: code)
    unit: str  # the item's department


@dataclass(frozen=True)
class MissingForm:
    """一次性告知: the item's materials, those not received ticked as missing."""

    case_number: str
    title: str
    materials: tuple[str, ...]
    missing: tuple[bool, ...]


@dataclass(frozen=True)
class CaseActionForm:
    """One action on a case from My cases: supplement, extension, finish, refuse or refer
    (上报县级: to the hall above, with an optional department there)."""

    kind: str  # a key of CASE_ACTIONS
    case_number: str
    title: str
    summary: str
    materials: tuple[str, ...] = ()  # supplement: the missing materials, all ticked
    days: tuple[int, ...] = ()  # extension: the choices
    target: str = ""  # refer: "上报至：测试县政务服务中心"
    units: tuple[Choice, ...] = ()  # refer: the departments there ("" first: none named)


@dataclass(frozen=True)
class CaseRow:
    number: str
    item: str
    state: str
    deadline: str
    applicant: str
    ticket: str
    colour: str | None  # green | yellow | orange | red | None
    colour_text: str  # 绿 / 停 / —


@dataclass(frozen=True)
class CasesScreen:
    """我的办件: the clerk's open and suspended cases, most urgent first."""

    rows: tuple[CaseRow, ...]
    counts: str
    selected: str | None
    details: str  # about the selected case (missing materials, extension), or a hint
    enabled: frozenset[str]  # keys of CASE_ACTIONS for the selected case
    info: str = ""  # loading, empty, or why the list could not be read
