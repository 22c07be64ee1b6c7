"""What each kiosk screen shows: plain data built by the presenter, drawn by the views.

Every text here is already in the screen's language; views add only fixed labels.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tile:
    """A big touch target: `key` goes back to the presenter when it is tapped."""

    key: str
    title: str
    subtitle: str = ""
    enabled: bool = True  # greyed and not tappable when False (the subtitle says why)


@dataclass(frozen=True)
class LanguageChoice:
    """A language the resident can switch to, named in itself (中文 · English · ئۇيغۇرچە)."""

    code: str
    name: str
    dir: str = "ltr"  # rtl: the window is mirrored


@dataclass(frozen=True)
class Chrome:
    """The bar on top of every screen."""

    hall_name: str
    language: str
    can_go_home: bool
    can_go_back: bool
    can_speak: bool = False  # voice guidance is installed (espeak-ng)
    direction: str = "ltr"  # of ``language``: rtl mirrors the whole window
    language_label: str = ""  # on the language button: the other languages' own names
    languages: tuple[LanguageChoice, ...] = ()  # the choices, shown while ``choosing_language``
    choosing_language: bool = False


@dataclass(frozen=True)
class HomeScreen:
    title: str
    departments: tuple[Tile, ...]
    frequent_title: str = ""  # 常办事项 (empty: the hall has no history yet)
    frequent: tuple[Tile, ...] = ()  # item tiles: tapping one opens its guide
    actions: bool = True  # search, green channel, appointment, case query
    banner: str = ""  # green channel / appointment mode
    footer: str = ""


@dataclass(frozen=True)
class ItemListScreen:
    title: str
    items: tuple[Tile, ...]
    empty_text: str
    banner: str = ""


@dataclass(frozen=True)
class SearchScreen:
    query: str
    results: tuple[Tile, ...]
    enabled_letters: frozenset[str]
    status: str  # hint, result count or "nothing found"
    banner: str = ""


@dataclass(frozen=True)
class GuideSection:
    title: str
    lines: tuple[str, ...]
    numbered: bool = False


@dataclass(frozen=True)
class GuideScreen:
    code: str
    title: str
    kind_label: str
    department: str
    waiting: str
    sections: tuple[GuideSection, ...]
    take_label: str
    busy: bool = False  # a ticket request is in flight
    notice: str = ""  # why the last request failed (hall closed, ...)
    print_message: str = ""
    print_failed: bool = False
    printing: bool = False
    banner: str = ""
    can_take: bool = True  # False: 暂停取号 (no window serves the item now; ``notice`` says so)


@dataclass(frozen=True)
class GreenScreen:
    title: str
    hint: str
    reasons: tuple[Tile, ...]


@dataclass(frozen=True)
class AppointmentScreen:
    """我有预约: the 8-digit code, or the last 4 phone digits (then the booked item)."""

    title: str
    hint: str
    code: str
    can_submit: bool
    notice: str = ""
    length: int = 8  # digits to type
    submit_label: str = ""  # 确认签到 / 下一步 / 正在签到…
    switch_label: str = ""  # to the other way of checking in
    busy: bool = False  # a check-in is in flight


@dataclass(frozen=True)
class CaseQueryScreen:
    """办件查询 input, in two steps on one digit keypad: the acceptance number (its hall prefix
    already filled in, so only the date and sequence digits are typed), then the last 4 digits
    of the phone number given at the window."""

    step: str  # number | phone
    title: str
    step_label: str  # 第 1 步（共 2 步）…
    hint: str  # where the number is, what the phone digits are
    prefix: str  # the hall's code, e.g. QINGSHAN (pre-filled)
    digits: str  # typed after the prefix: 8 date digits, then 4 sequence digits
    number_length: int  # how many digits the number has after the prefix
    progress: str  # what to type now (date / sequence / done)
    number: str  # the whole number, shown on the phone step
    phone: str  # phone digits typed so far (cleared after each query)
    can_type: bool  # the field is not full yet
    can_continue: bool
    continue_label: str  # 下一步 / 查询 / 正在查询…
    busy: bool = False  # a query is in flight
    notice: str = ""  # not found, wrong date, ...


@dataclass(frozen=True)
class CaseResultScreen:
    """One case as the resident may see it: state in plain words, dates, what is missing, the
    result or the reason for a refusal. No personal data (the backend sends none)."""

    title: str
    state: str  # open | suspended | finished | refused: colours the state label
    state_label: str
    wording: str
    facts: tuple[tuple[str, str], ...]  # (label, value): number, item, dates
    missing_title: str = ""
    missing: tuple[str, ...] = ()
    outcome_title: str = ""  # 办理结果 / 不予办理的原因
    outcome: str = ""
    help: str = ""  # where to ask
    print_message: str = ""
    print_failed: bool = False
    printing: bool = False


@dataclass(frozen=True)
class ConfirmationScreen:
    number: str
    item_name: str
    people_ahead: str
    wait: str
    windows: str
    qr_url: str
    scan_hint: str
    priority_label: str = ""
    appointment_note: str = ""  # early or late for the slot: a normal ticket, and why
    print_state: str = "printing"  # printing | printed | fault | none
    print_message: str = ""
    save_hint: str = ""  # 请拍照或扫码保存号码, shown when the receipt did not print
    can_reprint: bool = False
    printer_recovered: bool = False


@dataclass(frozen=True)
class OfflineScreen:
    title: str
    message: str
    detail: str = ""
    connecting: bool = False  # starting up rather than cut off
    phone: str = ""


@dataclass(frozen=True)
class OutOfServiceScreen:
    """暂停服务: the backend refused this kiosk (token revoked, device deactivated). Both
    languages show at once: a resident who cannot read the first still reads the second."""

    title: str
    message: str
    title_other: str = ""
    message_other: str = ""
    detail: str = ""
    phone: str = ""


Screen = (
    HomeScreen
    | ItemListScreen
    | SearchScreen
    | GuideScreen
    | GreenScreen
    | AppointmentScreen
    | CaseQueryScreen
    | CaseResultScreen
    | ConfirmationScreen
    | OfflineScreen
    | OutOfServiceScreen
)

__all__ = [
    "AppointmentScreen",
    "CaseQueryScreen",
    "CaseResultScreen",
    "Chrome",
    "ConfirmationScreen",
    "GreenScreen",
    "GuideScreen",
    "GuideSection",
    "HomeScreen",
    "ItemListScreen",
    "OfflineScreen",
    "OutOfServiceScreen",
    "Screen",
    "SearchScreen",
    "Tile",
]
