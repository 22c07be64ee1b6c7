"""Turn kiosk state (catalog, language, mode, answers from the backend) into screens and
receipts. Pure functions: no I/O, no Qt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from clientlib.printing import GuideReceipt, TicketReceipt

from .catalog import Catalog, Item
from .i18n import join, names, pair, tr, wait_text
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
    reason: str  # elderly|disabled|pregnant|serviceman, or the phone's last 4 digits

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
    receipt: TicketReceipt | None  # None: no catalog to print it from
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


def unavailable_text(item: Item, lang: str) -> str:
    """暂停取号 · 当前无窗口办理 · 今日服务时间 08:30–12:00、14:00–17:30"""
    parts = [tr("not_available", lang), pair(item.reason, lang) or tr("no_window_tile", lang)]
    if pair(item.hours, lang):
        parts.append(pair(item.hours, lang))
    return " · ".join(parts)


def queue_now(item: Item, lang: str) -> list[str]:
    """How many wait for the item now, and whether a window serves it now."""
    parts = []
    if item.waiting is not None:
        n = item.waiting
        parts.append(tr("tile_waiting", lang, n=n) if n else tr("tile_no_one_waiting", lang))
    parts.append(tr("tile_served_now", lang) if item.window_open else tr("no_window_tile", lang))
    return parts


def item_tile(item: Item, lang: str, short: bool = False) -> Tile:
    """An item to tap; one that cannot be taken now is greyed, untappable and says why.
    ``short`` (常办事项) leaves out how long it takes and the service hours."""
    if not item.available:
        why = tr("not_available", lang) if short else unavailable_text(item, lang)
        return Tile(item.code, item.name(lang), why, enabled=False)
    parts = queue_now(item, lang) if short else [kind_label(item, lang), *queue_now(item, lang)]
    return Tile(item.code, item.name(lang), " · ".join(parts))


def department_tile(catalog: Catalog, code: str, name: str, lang: str) -> Tile:
    items = catalog.items_of(code)
    subtitle = tr("services_count", lang, n=len(items))
    paused = sum(1 for i in items if not i.available)
    if paused:
        subtitle += tr("clause_separator", lang) + tr("some_not_available", lang, n=paused)
    return Tile(code, name, subtitle)


def home_screen(catalog: Catalog, lang: str, mode: Mode | None) -> HomeScreen:
    tiles = tuple(
        department_tile(catalog, d.code, d.name(lang), lang)
        for d in catalog.departments
        if catalog.items_of(d.code)
    )
    phone = catalog.supervision_phone
    frequent = tuple(item_tile(i, lang, short=True) for i in catalog.frequent_items())
    return HomeScreen(
        title=tr("choose_department", lang),
        departments=tiles,
        frequent_title=tr("frequent_title", lang) if frequent else "",
        frequent=frequent,
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
    known = catalog.window_names
    return [pair(known[n], lang) for n in numbers if n in known]


def waiting_text(detail: dict[str, Any] | None, loading: bool, lang: str) -> str:
    """The wait a ticket taken now would have, as the backend estimates it (GET /items/<code>):
    people it would have ahead and minutes, or that no window serves the item now."""
    if loading:
        return tr("waiting_loading", lang)
    if not detail:
        return ""
    minutes = detail.get("estimated_wait_minutes")
    if detail.get("window_open") is False or minutes is None:
        return tr("no_window_queue", lang)
    ahead = detail.get("people_ahead")
    ahead = int(detail.get("waiting", 0)) if ahead is None else int(ahead)
    if ahead <= 0 and int(minutes) <= 0:
        return tr("waiting_none", lang)
    return tr("waiting", lang, n=ahead, wait=wait_text(int(minutes), lang))


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


def appointment_slot(result: dict[str, Any], timezone: str) -> str:
    """The booked slot of a check-in answer, 09:30–10:00 in the hall's time, or ""."""
    appt = result.get("appointment") or {}
    try:
        start, end = (datetime.fromisoformat(appt[k]) for k in ("slot_start", "slot_end"))
    except (KeyError, TypeError, ValueError):
        return ""
    zone = ZoneInfo(timezone)
    if start.tzinfo is not None:
        start, end = start.astimezone(zone), end.astimezone(zone)
    return f"{start:%H:%M}–{end:%H:%M}"


def appointment_words(result: dict[str, Any], timezone: str, lang: str) -> tuple[str, str]:
    """(label, note) of a check-in: on time the label names the slot; early or late the note
    says in plain words that a normal ticket was taken, and names the slot."""
    appt = result.get("appointment")
    slot = appointment_slot(result, timezone)
    if not appt or not slot:
        return "", ""
    if appt.get("on_time"):
        return tr("appointment_on_time", lang, slot=slot), ""
    key = {"early": "appointment_early", "late": "appointment_late"}.get(appt.get("arrival", ""))
    why = tr(key or "appointment_not_on_time", lang)
    return "", tr("appointment_note", lang, why=why, slot=slot)


def confirmation_screen(issued: Issued, lang: str, timezone: str = "Asia/Shanghai"):
    r = issued.result
    label, note = appointment_words(r, timezone, lang)
    known = r.get("people_ahead") is not None and r.get("estimated_wait_minutes") is not None
    ahead = int(r["people_ahead"]) if known else 0
    windows = [names(w["name"], lang) for w in r.get("windows", [])]
    joined = join(windows, lang)
    fault = issued.print_state == "fault"
    if issued.print_state == "printing":
        message = tr("printing", lang)
    elif issued.print_state == "printed":
        message = tr("printed", lang)
    else:
        key = "ticket_maybe_incomplete" if issued.print_incomplete else "ticket_not_printed"
        cause = pair(issued.print_cause, lang)
        message = tr(key, lang, cause=cause)
        if issued.recovered:
            message += "\n" + tr("printer_recovered", lang)
    return ConfirmationScreen(
        number=issued.number,
        item_name=issued.item.name(lang),
        people_ahead=tr("no_window_now", lang)
        if not known
        else tr("people_ahead", lang, n=ahead)
        if ahead
        else tr("no_one_ahead", lang),
        wait=tr("expected_wait", lang, wait=wait_text(r["estimated_wait_minutes"], lang))
        if known and (ahead or r["estimated_wait_minutes"] > 0)
        else "",
        windows=tr("go_to_windows", lang, windows=joined) if windows else tr("watch_display", lang),
        qr_url=issued.qr_url,
        scan_hint=tr("scan_hint", lang),
        priority_label=issued.mode.label(lang) if issued.mode else label,
        appointment_note=note,
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


def ticket_receipt(
    catalog: Catalog, issued_result: dict[str, Any], item: Item, mode: Mode | None, url: str
) -> TicketReceipt:
    """The paper ticket, in Chinese, with the issue time in the hall's own time zone."""
    ticket = issued_result["ticket"]
    issued_at = datetime.fromisoformat(ticket["issued_at"])
    if issued_at.tzinfo is not None:  # naive local time prints as is
        issued_at = issued_at.astimezone(ZoneInfo(catalog.timezone)).replace(tzinfo=None)
    return TicketReceipt(
        hall_name=catalog.hall_name_zh,
        number=ticket["number"],
        item_name=item.name_zh,
        people_ahead=_whole(issued_result.get("people_ahead")),
        estimated_wait_minutes=_whole(issued_result.get("estimated_wait_minutes")),
        issued_at=issued_at,
        status_url=url,
        windows=[w["name"]["zh"] for w in issued_result.get("windows", [])],
        priority_label=mode.label("zh") if mode else _appointment_receipt(catalog, issued_result),
        privacy_line=PRIVACY_LINE,
    )


def _appointment_receipt(catalog: Catalog, result: dict[str, Any]) -> str | None:
    appt = result.get("appointment")
    slot = appointment_slot(result, catalog.timezone)
    if not appt or not slot:
        return None
    key = "receipt_appointment" if appt.get("on_time") else "receipt_appointment_late"
    return tr(key, "zh", slot=slot)


def _whole(value: Any) -> int | None:
    """A figure from the backend; None (no window open: no figure) stays None."""
    return None if value is None else int(value)


def guide_receipt(catalog: Catalog, item: Item) -> GuideReceipt:
    g = item.guide
    return GuideReceipt(
        hall_name=catalog.hall_name_zh,
        item_name=item.name_zh,
        promised_days=item.promised_days if item.kind == "promised" else None,
        kind_label=kind_label(item, "zh"),  # plain words, as on the screen
        materials=list(g.get("materials") or []),
        conditions=list(g.get("conditions") or []),
        fees=g.get("fees") or "不收费",
        supervision_phone=g.get("supervision_phone") or catalog.supervision_phone,
    )
