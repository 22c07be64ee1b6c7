"""Turn kiosk state (catalog, language, mode, answers from the backend) into screens and
receipts. Pure functions: no I/O, no Qt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from clientlib.printing import GuideReceipt, TicketReceipt

from .catalog import Catalog, Item
from .i18n import tr, wait_text
from .screens import (
    ConfirmationScreen,
    GreenScreen,
    GuideSection,
    HomeScreen,
    ItemListScreen,
    OfflineScreen,
    SearchScreen,
    Tile,
)

GREEN_REASONS = ("elderly", "disabled", "pregnant", "serviceman")
PRIVACY_LINE = "本票不含个人信息。过号请到服务台申请重新排队"
MAX_RESULTS = 30


@dataclass(frozen=True)
class Mode:
    """A priority the resident chose before the item: green channel or appointment."""

    priority: str  # green | appointment
    reason: str  # elderly|disabled|pregnant|serviceman, or the appointment code

    def label(self, lang: str) -> str:
        if self.priority == "green":
            return tr("priority_green", lang, reason=tr(f"reason_{self.reason}", lang))
        return tr("priority_appointment", lang, code=self.reason)

    def banner(self, lang: str) -> str:
        if self.priority == "green":
            return tr("green_banner", lang, reason=tr(f"reason_{self.reason}", lang))
        return tr("appointment_banner", lang, code=self.reason)


@dataclass
class Issued:
    """A ticket the backend issued, and how printing it went."""

    result: dict[str, Any]  # POST /tickets answer
    item: Item
    mode: Mode | None
    qr_url: str
    receipt: TicketReceipt
    print_state: str = "printing"  # printing | printed | fault
    print_cause: tuple[str, str] = ("", "")
    print_incomplete: bool = False  # bytes went out but the printer then reported a fault
    recovered: bool = False  # the printer answers "ready" again after a fault

    @property
    def number(self) -> str:
        return self.result["ticket"]["number"]


def kind_label(item: Item, lang: str) -> str:
    if item.kind == "immediate":
        return tr("immediate", lang)
    if item.promised_days:
        return tr("promised", lang, days=item.promised_days)
    return tr("promised_nodays", lang)


def item_tile(item: Item, lang: str) -> Tile:
    return Tile(item.code, item.name(lang), kind_label(item, lang))


def home_screen(catalog: Catalog, lang: str, mode: Mode | None) -> HomeScreen:
    tiles = tuple(
        Tile(d.code, d.name(lang), tr("services_count", lang, n=len(catalog.items_of(d.code))))
        for d in catalog.departments
        if catalog.items_of(d.code)
    )
    phone = catalog.supervision_phone
    return HomeScreen(
        title=tr("choose_department", lang),
        departments=tiles,
        actions=mode is None,
        banner=mode.banner(lang) if mode else "",
        footer=tr("supervision", lang, phone=phone) if phone else "",
    )


def items_screen(catalog: Catalog, department: str, lang: str, mode: Mode | None):
    dept = catalog.department(department)
    return ItemListScreen(
        title=dept.name(lang) if dept else "",
        items=tuple(item_tile(i, lang) for i in catalog.items_of(department)),
        empty_text=tr("no_items", lang),
        banner=mode.banner(lang) if mode else "",
    )


def search_screen(catalog: Catalog, query: str, lang: str, mode: Mode | None) -> SearchScreen:
    found = catalog.search(query) if query else []
    if not query:
        status = tr("search_hint", lang)
    elif not found:
        status = tr("search_none", lang)
    else:
        status = tr("search_count", lang, n=len(found))
    return SearchScreen(
        query=query,
        results=tuple(item_tile(i, lang) for i in found[:MAX_RESULTS]),
        enabled_letters=frozenset(catalog.next_letters(query)),
        status=status,
        banner=mode.banner(lang) if mode else "",
    )


def green_screen(lang: str) -> GreenScreen:
    return GreenScreen(
        title=tr("green_title", lang),
        hint=tr("green_hint", lang),
        reasons=tuple(Tile(r, tr(f"reason_{r}", lang)) for r in GREEN_REASONS),
    )


def window_names(catalog: Catalog, numbers, lang: str) -> list[str]:
    names = catalog.window_names
    return [names[n][1 if lang == "en" else 0] for n in numbers if n in names]


def waiting_text(detail: dict[str, Any] | None, loading: bool, lang: str) -> str:
    if loading:
        return tr("waiting_loading", lang)
    if not detail:
        return ""
    waiting = int(detail.get("waiting", 0))
    if waiting <= 0:
        return tr("waiting_none", lang)
    minutes = int(detail.get("estimated_wait_minutes", 0))
    return tr("waiting", lang, n=waiting, wait=wait_text(minutes, lang))


def guide_sections(catalog: Catalog, item: Item, lang: str) -> tuple[GuideSection, ...]:
    """The published guide (一次性告知) in the order residents need it."""
    g = item.guide
    none = tr("none", lang)
    limit = (
        tr("limit_immediate", lang)
        if item.kind == "immediate"
        else tr("limit_days", lang, days=item.promised_days)
        if item.promised_days
        else kind_label(item, lang)
    )
    sections = [
        GuideSection(tr("materials", lang), tuple(g.get("materials") or [none]), numbered=True),
        GuideSection(tr("conditions", lang), tuple(g.get("conditions") or [none]), numbered=True),
        GuideSection(tr("fees", lang), (g.get("fees") or tr("free", lang),)),
        GuideSection(tr("time_limit", lang), (limit,)),
    ]
    if g.get("procedure"):
        sections.append(GuideSection(tr("procedure", lang), tuple(g["procedure"]), numbered=True))
    windows = window_names(catalog, item.windows, lang)
    if windows:
        sections.append(GuideSection(tr("windows_label", lang), tuple(windows)))
    if g.get("legal_basis"):
        sections.append(GuideSection(tr("legal_basis", lang), (g["legal_basis"],)))
    phone = g.get("supervision_phone") or catalog.supervision_phone
    if phone:
        sections.append(GuideSection(tr("phone_label", lang), (phone,)))
    return tuple(sections)


def take_label(mode: Mode | None, lang: str) -> str:
    if mode is None:
        return tr("take_ticket", lang)
    return tr(f"take_ticket_{mode.priority}", lang)


def confirmation_screen(issued: Issued, lang: str) -> ConfirmationScreen:
    r = issued.result
    ahead = int(r.get("people_ahead", 0))
    windows = [w["name"]["en" if lang == "en" else "zh"] for w in r.get("windows", [])]
    joined = (", " if lang == "en" else "、").join(windows)
    fault = issued.print_state == "fault"
    if issued.print_state == "printing":
        message = tr("printing", lang)
    elif issued.print_state == "printed":
        message = tr("printed", lang)
    else:
        key = "ticket_maybe_incomplete" if issued.print_incomplete else "ticket_not_printed"
        cause = issued.print_cause[1 if lang == "en" else 0]
        message = tr(key, lang, cause=cause)
        if issued.recovered:
            message += "\n" + tr("printer_recovered", lang)
    return ConfirmationScreen(
        number=issued.number,
        item_name=issued.item.name(lang),
        people_ahead=tr("people_ahead", lang, n=ahead) if ahead else tr("no_one_ahead", lang),
        wait=tr("expected_wait", lang, wait=wait_text(r.get("estimated_wait_minutes", 0), lang))
        if ahead
        else "",
        windows=tr("go_to_windows", lang, windows=joined) if windows else tr("watch_display", lang),
        qr_url=issued.qr_url,
        scan_hint=tr("scan_hint", lang),
        priority_label=issued.mode.label(lang) if issued.mode else "",
        print_state=issued.print_state,
        print_message=message,
        save_hint=tr("save_number", lang) if fault else "",
        can_reprint=fault,
        printer_recovered=issued.recovered,
    )


def offline_screen(starting: bool, lang: str, phone: str = "") -> OfflineScreen:
    if starting:
        return OfflineScreen(
            tr("connecting_title", lang), tr("connecting_message", lang), connecting=True
        )
    return OfflineScreen(
        title=tr("offline_title", lang),
        message=tr("offline_message", lang),
        detail=tr("offline_detail", lang),
        phone=tr("supervision", lang, phone=phone) if phone else "",
    )


def ticket_receipt(catalog: Catalog, issued_result: dict[str, Any], item: Item, mode, url: str):
    """The paper ticket, in Chinese, with the issue time in the hall's own time zone."""
    ticket = issued_result["ticket"]
    issued_at = datetime.fromisoformat(ticket["issued_at"])
    if issued_at.tzinfo is not None:  # naive local time prints as is
        issued_at = issued_at.astimezone(ZoneInfo(catalog.timezone)).replace(tzinfo=None)
    return TicketReceipt(
        hall_name=catalog.hall_name_zh,
        number=ticket["number"],
        item_name=item.name_zh,
        people_ahead=int(issued_result.get("people_ahead", 0)),
        estimated_wait_minutes=int(issued_result.get("estimated_wait_minutes", 0)),
        issued_at=issued_at,
        status_url=url,
        windows=[w["name"]["zh"] for w in issued_result.get("windows", [])],
        priority_label=mode.label("zh") if mode else None,
        privacy_line=PRIVACY_LINE,
    )


def guide_receipt(catalog: Catalog, item: Item) -> GuideReceipt:
    g = item.guide
    return GuideReceipt(
        hall_name=catalog.hall_name_zh,
        item_name=item.name_zh,
        promised_days=item.promised_days if item.kind == "promised" else None,
        kind_label="即办件" if item.kind == "immediate" else "承诺件",
        materials=list(g.get("materials") or []),
        conditions=list(g.get("conditions") or []),
        fees=g.get("fees") or "不收费",
        supervision_phone=g.get("supervision_phone") or catalog.supervision_phone,
    )
