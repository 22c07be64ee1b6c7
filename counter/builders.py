"""Turn the API's counter state (GET /windows/<n>) and catalog into screens."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .i18n import pair, tr
from .screens import (
    Choice,
    Figures,
    LineEntry,
    LinePanel,
    MainScreen,
    PauseChoices,
    TicketPanel,
    TransferChoices,
)

PAUSE_REASONS = ("break", "meeting", "handover", "other")


@dataclass(frozen=True)
class Catalog:
    """The parts of GET /catalog the counter uses: item names and the windows; for cases the
    departments, each item's department, and the hall (name, supervision phone, timezone)."""

    items: dict[str, dict[str, str]]  # code -> {"zh": ..., "en": ...}
    windows: dict[int, dict[str, Any]]  # number -> {"name": {...}, "items": [...]}
    departments: dict[str, dict[str, str]] = field(default_factory=dict)  # code -> name
    item_units: dict[str, str] = field(default_factory=dict)  # item code -> department code
    hall: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_api(cls, data: dict) -> Catalog:
        return cls(
            items={i["code"]: i["name"] for i in data.get("items", [])},
            windows={
                w["number"]: {"name": w["name"], "items": w.get("items", [])}
                for w in data.get("windows", [])
            },
            departments={d["code"]: d["name"] for d in data.get("departments", [])},
            item_units={
                i["code"]: i["department"] for i in data.get("items", []) if i.get("department")
            },
            hall=data.get("hall") or {},
        )

    def item_name(self, code: str, lang: str) -> str:
        name = self.items.get(code)
        return (name.get(lang) or name.get("zh") or code) if name else code

    def window_name(self, number: int, lang: str) -> str:
        window = self.windows.get(number)
        if window is None:
            return f"{number}号窗口"
        return window["name"].get(lang) or window["name"].get("zh") or str(number)


def name_of(names: dict | str | None, lang: str) -> tuple[str, str]:
    """(primary, secondary) from a {"zh", "en"} name."""
    if not isinstance(names, dict):
        return (names or "", "")
    zh, en = names.get("zh", ""), names.get("en", "")
    return (zh, en) if lang == "zh" else (en or zh, zh)


def window_choices(catalog: Catalog, lang: str) -> tuple[Choice, ...]:
    return tuple(Choice(n, catalog.window_name(n, lang)) for n in sorted(catalog.windows))


def priority_text(priority: str, reason: str | None, lang: str) -> str:
    """'绿色通道  Green channel · 70岁以上老人' for a green-channel ticket."""
    known = priority if priority in ("green", "appointment") else "normal"
    text = tr(f"priority_{known}", lang)
    if known == "green" and reason in ("elderly", "disabled", "pregnant", "serviceman"):
        text += " · " + pair(f"green_{reason}", lang)[0]
    return text


def short_priority(priority: str, lang: str) -> str:
    return "" if priority == "normal" else pair(f"priority_{priority}", lang)[0]


def pause_reason_text(raw: str | None, lang: str) -> str:
    """'handover: 下班' -> '交接班 Handover: 下班'."""
    if not raw:
        return ""
    reason, _, note = raw.partition(":")
    label = tr(f"reason_{reason}", lang) if reason in PAUSE_REASONS else reason
    return f"{label}: {note.strip()}" if note.strip() else label


def history_lines(current: dict, lang: str) -> tuple[str, ...]:
    """One line per earlier leg that was transferred. A transfer's note is stored on the leg it
    created, so the note for leg i is on leg i+1 (or on the current ticket, when given)."""
    legs = list(current.get("history", []))
    notes = [leg.get("note") for leg in legs[1:]] + [current.get("note")] if legs else []
    return tuple(
        pair(
            "history_line",
            lang,
            window=leg.get("window") or "?",
            item=leg.get("item_name") or leg.get("item", ""),
            note=f"（{note}）" if note else "",
        )[0]
        for leg, note in zip(legs, notes, strict=True)
        if leg.get("state") == "transferred"
    )


def ticket_panel(current: dict, checked: set[int], lang: str) -> TicketPanel:
    item, item_second = name_of(current.get("item_name"), lang)
    state = current.get("state", "called")
    state_text = tr("ticket_serving" if state == "serving" else "ticket_called", lang)
    if state == "called" and current.get("call_count", 1) > 1:
        state_text += " · " + pair("call_count", lang, count=current["call_count"])[0]
    kind = (
        tr("kind_promised", lang, days=current.get("promised_days") or "?")
        if current.get("kind") == "promised"
        else tr("kind_immediate", lang)
    )
    history = history_lines(current, lang)
    materials = tuple(current.get("materials") or ())
    ticks = tuple(i in checked for i in range(len(materials)))
    status = (
        pair("materials_count", lang, done=sum(ticks), total=len(materials))[0]
        if materials
        else tr("no_materials", lang)
    )
    return TicketPanel(
        number=current["number"],
        item=item,
        item_secondary=item_second,
        priority=priority_text(
            current.get("priority", "normal"), current.get("priority_reason"), lang
        ),
        priority_class=current.get("priority", "normal"),
        state=state_text,
        waited=tr("waited", lang, minutes=current.get("waited_minutes", 0)),
        kind=kind,
        history=history,
        materials=materials,
        checked=ticks,
        materials_status=status,
    )


def line_panel(line: dict, catalog: Catalog, lang: str) -> LinePanel:
    per_item = tuple(
        (catalog.item_name(code, lang), count) for code, count in line.get("per_item", {}).items()
    )
    entries = tuple(
        LineEntry(
            number=e["number"],
            item=catalog.item_name(e["item"], lang),
            priority=short_priority(e.get("priority", "normal"), lang),
            priority_class=e.get("priority", "normal"),
            waited=pair("minutes", lang, minutes=e.get("waited_minutes", 0))[0],
            transferred_here=bool(e.get("transferred_here")),
        )
        for e in line.get("next", [])
    )
    return LinePanel(
        summary=pair(
            "line_summary",
            lang,
            waiting=line.get("waiting", 0),
            oldest=line.get("oldest_wait_minutes", 0),
        )[0],
        per_item=per_item,
        next=entries,
        empty_text="\n".join(pair("line_empty", lang)),
    )


def figures(today: dict, lang: str) -> tuple[Figures, ...]:
    rows = []
    for key, label in (("clerk", "me"), ("window", "this_window")):
        data = today.get(key) or {}
        avg = data.get("avg_service_minutes")
        rows.append(
            Figures(
                who=pair(label, lang)[0],
                served=data.get("served", 0),
                avg="—" if avg is None else pair("minutes", lang, minutes=avg)[0],
                no_show=data.get("no_show", 0),
                transferred=data.get("transferred", 0),
            )
        )
    return tuple(rows)


def enabled_actions(window: dict, current: dict | None) -> frozenset[str]:
    """Which buttons make sense for this window and ticket state (the server decides finally)."""
    state = window.get("state")
    ticket = current.get("state") if current else None
    keys: set[str] = set()
    if state in ("open", "paused"):
        keys |= {"requeue", "pause_toggle"}
    if state == "open" and ticket is None:
        keys |= {"call_next", "call_number"}
    if ticket == "called":
        keys |= {"recall", "start", "no_show"}
    if ticket in ("called", "serving"):
        keys |= {"finish", "transfer"}  # the case buttons: counter.casework
    if ticket is None:
        keys.add("sign_out")
    return frozenset(keys)


def main_screen(
    state: dict, catalog: Catalog, checked: set[int], lang: str, busy: bool
) -> MainScreen:
    window, current = state["window"], state.get("current")
    wstate = window.get("state", "closed")
    state_text = tr(f"state_{wstate}", lang)
    if wstate == "paused":
        state_text += " · " + pause_reason_text(window.get("pause_reason"), lang)
    idle = "\n".join(pair("paused_idle" if wstate == "paused" else "idle", lang))
    return MainScreen(
        window_title=name_of(window.get("name"), lang)[0] or f"{window['number']}",
        clerk=window.get("clerk") or "",
        state=wstate,
        state_text=state_text,
        ticket=ticket_panel(current, checked, lang) if current else None,
        idle_text=idle,
        line=line_panel(state.get("line", {}), catalog, lang),
        today=figures(state.get("today", {}), lang),
        enabled=frozenset() if busy else enabled_actions(window, current),
        paused=wstate == "paused",
        busy=busy,
    )


def transfer_choices(number: str, current_item: str, this_window: int, catalog: Catalog, lang: str):
    items = [Choice(None, tr("same_item", lang))]
    items += [
        Choice(code, f"{catalog.item_name(code, lang)}（{code}）")
        for code in catalog.items
        if code != current_item
    ]
    windows = [Choice(None, tr("any_window", lang))]
    windows += [
        Choice(n, catalog.window_name(n, lang)) for n in sorted(catalog.windows) if n != this_window
    ]
    return TransferChoices(number, tuple(items), tuple(windows))


def pause_choices(lang: str) -> PauseChoices:
    return PauseChoices(tuple(Choice(r, tr(f"reason_{r}", lang)) for r in PAUSE_REASONS))
