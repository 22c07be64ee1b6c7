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


@dataclass(frozen=True)
class Chrome:
    """The bar on top of every screen."""

    hall_name: str
    language: str
    can_go_home: bool
    can_go_back: bool


@dataclass(frozen=True)
class HomeScreen:
    title: str
    departments: tuple[Tile, ...]
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


@dataclass(frozen=True)
class GreenScreen:
    title: str
    hint: str
    reasons: tuple[Tile, ...]


@dataclass(frozen=True)
class AppointmentScreen:
    title: str
    hint: str
    code: str
    can_submit: bool
    notice: str = ""


@dataclass(frozen=True)
class CaseQueryScreen:
    """办件查询: acceptance number + last 4 phone digits, once the case API exists."""

    title: str
    message: str
    detail: str


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


Screen = (
    HomeScreen
    | ItemListScreen
    | SearchScreen
    | GuideScreen
    | GreenScreen
    | AppointmentScreen
    | CaseQueryScreen
    | ConfirmationScreen
    | OfflineScreen
)

__all__ = [
    "AppointmentScreen",
    "CaseQueryScreen",
    "Chrome",
    "ConfirmationScreen",
    "GreenScreen",
    "GuideScreen",
    "GuideSection",
    "HomeScreen",
    "ItemListScreen",
    "OfflineScreen",
    "Screen",
    "SearchScreen",
    "Tile",
]
