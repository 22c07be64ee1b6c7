"""Turn the API's cases (POST /windows/<n>/accept, GET /cases) into what the counter shows and
prints: the badge on the ticket card, the dialogs' starting values, the My cases list, and
the acceptance receipt and one-time notice. Plain functions, no Qt.

The receipts need python-escpos (clientlib.printing); it is imported only when one is built,
so a counter without a printer runs without it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .builders import Catalog, name_of
from .i18n import pair, tr
from .screens import (
    AcceptForm,
    CaseActionForm,
    CaseBadge,
    CaseRow,
    CasesScreen,
    Choice,
    MissingForm,
)

if TYPE_CHECKING:
    from clientlib.printing.receipts import AcceptanceReceipt, NoticeReceipt, RefusalReceipt

HALL_TZ = ZoneInfo("Asia/Shanghai")
DECISIONS = ("done_now", "proxy", "coordinated")
EXTENSION_DAYS = (1, 2, 3)
COLOURS = ("red", "orange", "yellow", "green")


def when(iso: str | None) -> str:
    """'2026-11-30T17:30:00+08:00' -> '2026-11-30 17:30', in the zone the server wrote it in
    (deadlines come hall-local)."""
    if not iso:
        return ""
    try:
        return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def _moment(iso: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(iso) if iso else None
    except ValueError:
        return None


def deadline_text(case: dict, lang: str) -> str:
    if case.get("state") == "referred":  # 已移交: the receiving hall's deadline applies
        return ""
    if case.get("kind") != "promised":
        return pair("case_done_now", lang)[0]
    return pair("case_deadline", lang, deadline=when(case.get("deadline_at")))[0]


def state_text(case: dict, lang: str) -> str:
    missing = case.get("missing_materials") or []
    if case.get("state") == "suspended" and missing:
        return pair("case_missing", lang, items="、".join(missing))[0]
    return case.get("state_zh") or case.get("state", "")


def short_state(case: dict, lang: str) -> str:
    """For the list: 待补正 2 项 (the materials are in the details of the selected case)."""
    missing = case.get("missing_materials") or []
    if case.get("state") == "suspended" and missing:
        return pair("case_missing_short", lang, count=len(missing))[0]
    return case.get("state_zh") or case.get("state", "")


def case_badge(case: dict, lang: str) -> CaseBadge:
    return CaseBadge(
        number=pair("case_number", lang, number=case.get("number", ""))[0],
        deadline=deadline_text(case, lang),
        state=state_text(case, lang),
        colour=case.get("colour"),
    )


def accepted_text(case: dict, lang: str) -> str:
    """'已受理 QINGSHAN-20261123-0001  Accepted' (the deadline is on the ticket card)."""
    first, second = pair("accepted" if case.get("kind") == "promised" else "accepted_now", lang)
    return f"{first} {case.get('number', '')}  {second}"


def same_visit(case: dict, current: dict) -> bool:
    """Whether `case` was accepted for the ticket at the counter (ticket numbers restart
    every day, so the case must also have been accepted after, and within a day of, issue)."""
    if case.get("ticket_number") != current.get("number"):
        return False
    accepted, issued = _moment(case.get("accepted_at")), _moment(current.get("issued_at"))
    if accepted is None or issued is None:
        return False
    return timedelta(0) <= accepted - issued < timedelta(days=1)


# -- dialogs -------------------------------------------------------------------------------------


def accept_form(current: dict, checked: set[int], catalog: Catalog, lang: str) -> AcceptForm:
    item, _ = name_of(current.get("item_name"), lang)
    required = current.get("kind") == "promised"
    materials = tuple(current.get("materials") or ())
    units = tuple(
        Choice(code, f"{name_of(name, lang)[0]}（{code}）")
        for code, name in catalog.departments.items()
    )
    unit = catalog.item_units.get(current.get("item", ""), "")
    if unit and unit not in catalog.departments:
        units = (Choice(unit, unit), *units)
    hint = (
        tr("accept_required", lang, days=current.get("promised_days") or "?")
        if required
        else tr("accept_optional", lang)
    )
    return AcceptForm(
        number=current["number"],
        title=tr("accept_title", lang, number=current["number"], item=item),
        hint=hint,
        required=required,
        materials=materials,
        received=tuple(i in checked for i in range(len(materials))),
        decisions=tuple(Choice(d, tr(f"decision_{d}", lang)) for d in DECISIONS),
        units=units,
        unit=unit,
    )


def missing_form(case: dict, materials: tuple[str, ...], lang: str) -> MissingForm:
    """Every material of the item; those not received are ticked as missing."""
    received = set(case.get("materials_received") or ())
    listed = tuple(dict.fromkeys([*materials, *(case.get("missing_materials") or ())]))
    number = case.get("number", "")
    return MissingForm(
        case_number=number,
        title=tr("missing_title", lang, number=number),
        materials=listed,
        missing=tuple(m not in received for m in listed),
    )


def case_action_form(
    kind: str, case: dict, lang: str, targets: dict | None = None
) -> CaseActionForm:
    """The dialog of one action; for 上报县级 the hall above and its departments come from
    GET /network/targets (``targets``)."""
    number = case.get("number", "")
    summary = " · ".join(
        t
        for t in (case.get("item_name", ""), state_text(case, lang), deadline_text(case, lang))
        if t
    )
    return CaseActionForm(
        kind=kind,
        case_number=number,
        title=tr(f"case_{kind}_title", lang, number=number),
        summary=summary,
        materials=tuple(case.get("missing_materials") or ()) if kind == "supplement" else (),
        days=EXTENSION_DAYS if kind == "extension" else (),
        **(_refer_target(targets, lang) if kind == "refer" else {}),
    )


def _refer_target(targets: dict | None, lang: str) -> dict[str, Any]:
    up = (targets or {}).get("up") or {}
    first, second = name_of(up.get("name"), lang)
    first = first or up.get("code", "")
    target = f"{pair('refer_to', lang, hall=first)[0]}  {pair('refer_to', lang, hall=second or first)[1]}"
    units = tuple(
        Choice(d["code"], f"{name_of(d.get('name'), lang)[0]}（{d['code']}）")
        for d in up.get("departments") or ()
    )
    return {
        "target": target,
        "units": (Choice("", tr("refer_any_unit", lang)), *units),
    }


# -- My cases -------------------------------------------------------------------------------------


def case_actions(case: dict | None, referable: bool = False) -> frozenset[str]:
    """What the backend allows for the case's state (it decides finally); ``referable``: this
    hall has a hall above it (上报县级)."""
    state = (case or {}).get("state")
    if state == "open":
        return frozenset({"extension", "finish", "refuse", *(("refer",) if referable else ())})
    if state == "suspended":
        return frozenset({"supplement", "refuse"})
    return frozenset()


def colour_text(case: dict, lang: str) -> str:
    colour = case.get("colour")
    if colour in COLOURS:
        return pair(f"colour_{colour}", lang)[0]
    return pair("colour_suspended", lang)[0] if case.get("state") == "suspended" else "—"


def cases_screen(
    cases: list[dict] | None,
    counts: dict[str, int],
    selected: str | None,
    busy: bool,
    lang: str,
    info: str = "",
    referred: tuple[dict, ...] = (),
    referable: bool = False,
) -> CasesScreen:
    """My cases: the open and suspended ones, then the latest ``referred`` (已移交, no action)."""
    listed = [*(cases or ()), *(referred if cases is not None else ())]
    rows = tuple(
        CaseRow(
            number=c.get("number", ""),
            item=c.get("item_name", ""),
            state=short_state(c, lang),
            deadline=when(c.get("deadline_at"))
            if c.get("kind") == "promised" and c.get("state") != "referred"
            else "—",
            applicant=(c.get("applicant") or {}).get("name") or "—",
            ticket=c.get("ticket_number") or "",
            colour=c.get("colour"),
            colour_text=colour_text(c, lang),
        )
        for c in listed
    )
    chosen = next((c for c in listed if c.get("number") == selected), None)
    if chosen is None:
        details, selected = tr("select_case", lang), None
    else:
        parts = [
            pair(
                "case_selected",
                lang,
                number=chosen["number"],
                item=chosen.get("item_name", ""),
                state=state_text(chosen, lang),
            )[0],
            deadline_text(chosen, lang),
        ]
        if chosen.get("extended_days"):
            parts.append(pair("extended", lang, days=chosen["extended_days"])[0])
        details = "  ·  ".join(p for p in parts if p)
    if not info and cases is not None and not rows:
        info = tr("cases_empty", lang)
    return CasesScreen(
        rows=rows,
        counts=pair("cases_counts", lang, **{k: counts.get(k, 0) for k in (*COLOURS, "suspended")})[
            0
        ],
        selected=selected,
        details=details,
        enabled=frozenset() if busy else case_actions(chosen, referable),
        info=info,
    )


def action_body(kind: str, values: dict[str, Any]) -> dict[str, Any] | None:
    """The POST body for a case action from the dialog's values; None if something required
    is missing (the dialog does not let that happen; the backend checks again)."""
    if kind == "supplement":
        return {"received": [m for m in values.get("received", []) if m.strip()]}
    text = (values.get("text") or "").strip()[:400]
    if kind == "extension":
        days = values.get("days")
        return {"days": int(days), "reason": text} if days in EXTENSION_DAYS and text else None
    if kind in ("finish", "refuse") and text:
        return {"result" if kind == "finish" else "reason": text}
    if kind == "refer" and text:  # up to the hall above (the backend's default)
        return {"reason": text, **({"to_unit": values["unit"]} if values.get("unit") else {})}
    return None


# -- receipts ----------------------------------------------------------------------------------------


def hall_zone(catalog: Catalog):
    try:
        return ZoneInfo(catalog.hall.get("timezone") or "Asia/Shanghai")
    except (ZoneInfoNotFoundError, ValueError):
        return HALL_TZ


def status_base(catalog: Catalog, backend_url: str) -> tuple[str, bool]:
    """Where a receipt's QR code points: the hall's public address from the backend's catalog,
    else (True: a fallback the clerk is warned about) this counter's backend address, which a
    resident's phone outside the hall network usually cannot open."""
    public = str(catalog.hall.get("public_url") or "").strip().rstrip("/")
    if public:
        return public, False
    return backend_url.rstrip("/"), True


def acceptance_receipt(
    case: dict, catalog: Catalog, window: int, status_url: str = ""
) -> AcceptanceReceipt:
    """受理回执 in Chinese (paper is for the resident); the applicant as the backend masked it."""
    from clientlib.printing.receipts import AcceptanceReceipt

    applicant = case.get("applicant") or {}
    accepted = _moment(case.get("accepted_at")) or datetime.now(HALL_TZ)
    return AcceptanceReceipt(
        hall_name=name_of(catalog.hall.get("name"), "zh")[0] or "便民服务中心",
        acceptance_number=case.get("number", ""),
        item_name=case.get("item_name", ""),
        accepted_at=accepted,
        deadline=_moment(case.get("deadline_at")) if case.get("kind") == "promised" else None,
        window_name=catalog.window_name(window, "zh"),
        applicant_name=applicant.get("name") or "",
        applicant_phone=applicant.get("phone") or "",
        state_label=case.get("state_zh") or "",
        supervision_phone=catalog.hall.get("supervision_phone") or "",
        status_url=status_url,
    )


def refusal_receipt(case: dict, catalog: Catalog, window: int, today: date) -> RefusalReceipt:
    """不予办理告知书: the reason, printed for the resident."""
    from clientlib.printing.receipts import RefusalReceipt

    return RefusalReceipt(
        hall_name=name_of(catalog.hall.get("name"), "zh")[0] or "便民服务中心",
        acceptance_number=case.get("number", ""),
        item_name=case.get("item_name", ""),
        reason=case.get("refuse_reason") or "",
        window_name=catalog.window_name(window, "zh"),
        issued_on=today,
        supervision_phone=catalog.hall.get("supervision_phone") or "",
    )


def notice_receipt(case: dict, catalog: Catalog, window: int, today: date) -> NoticeReceipt:
    """一次性告知书: everything missing, once."""
    from clientlib.printing.receipts import NoticeReceipt

    return NoticeReceipt(
        hall_name=name_of(catalog.hall.get("name"), "zh")[0] or "便民服务中心",
        acceptance_number=case.get("number", ""),
        item_name=case.get("item_name", ""),
        missing_materials=list(case.get("missing_materials") or []),
        window_name=catalog.window_name(window, "zh"),
        issued_on=today,
        supervision_phone=catalog.hall.get("supervision_phone") or "",
        remarks="补正期间办理时限暂停计算，材料齐全后恢复计时。",
    )
