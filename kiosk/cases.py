"""办件查询, the pure part: the acceptance number's rules, the lookup call, the two screens and
the printed slip. No I/O besides `lookup_case` (which the presenter runs off the GUI thread)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from clientlib.printing import PaperWidth
from clientlib.printing import commands as cmd
from clientlib.printing.text import encode, labelled, mask_personal, wrap

from .i18n import names, tr
from .screens import CaseQueryScreen, CaseResultScreen

DATE_DIGITS = 8  # 受理编号 QINGSHAN-20261129-0007: hall, local date, daily sequence
SEQUENCE_DIGITS = 4
NUMBER_DIGITS = DATE_DIGITS + SEQUENCE_DIGITS
PHONE_DIGITS = 4
STATES = ("open", "suspended", "finished", "refused", "referred")
SLIP_PRIVACY = "本凭条不含个人信息"


# -- the number ---------------------------------------------------------------------------------


def case_number(prefix: str, digits: str) -> str:
    """The whole acceptance number from the hall prefix and the 12 typed digits."""
    return f"{prefix.upper()}-{digits[:DATE_DIGITS]}-{digits[DATE_DIGITS:]}"


def valid_date(digits: str) -> bool:
    """Whether the 8 date digits are a real calendar day (2000 or later)."""
    try:
        day = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return False
    return day.year >= 2000


def lookup_case(api: Any, number: str, phone_last4: str) -> dict[str, Any]:
    """GET /cases/lookup with the kiosk's token (through ApiClient.get): the public view of
    one case. Raises ApiError 404 case_not_found for an unknown number or a wrong phone pair."""
    query = urlencode({"number": number, "phone_last4": phone_last4})
    return api.get(api.hall_path(f"/cases/lookup?{query}"))["case"]


# -- screens ------------------------------------------------------------------------------------


def query_screen(
    step: str,
    prefix: str,
    digits: str,
    phone: str,
    lang: str,
    busy: bool = False,
    notice: str = "",
) -> CaseQueryScreen:
    if step == "number":
        full = len(digits) >= NUMBER_DIGITS
        progress = (
            "case_type_date"
            if len(digits) < DATE_DIGITS
            else "case_type_sequence"
            if not full
            else "case_number_done"
        )
        return CaseQueryScreen(
            step="number",
            title=tr("case_title", lang),
            step_label=tr("case_step_number", lang),
            hint=tr("case_number_hint", lang, prefix=prefix.upper()),
            prefix=prefix.upper(),
            digits=digits,
            number_length=NUMBER_DIGITS,
            progress=tr(progress, lang),
            number="",
            phone="",
            can_type=not full,
            can_continue=full,
            continue_label=tr("case_next", lang),
            notice=notice,
        )
    full = len(phone) >= PHONE_DIGITS
    return CaseQueryScreen(
        step="phone",
        title=tr("case_title", lang),
        step_label=tr("case_step_phone", lang),
        hint=tr("case_phone_hint", lang),
        prefix=prefix.upper(),
        digits=digits,
        number_length=NUMBER_DIGITS,
        progress=tr("case_phone_done" if full else "case_type_phone", lang),
        number=case_number(prefix, digits),
        phone=phone,
        can_type=not full and not busy,
        can_continue=full and not busy,
        continue_label=tr("case_searching" if busy else "case_search", lang),
        busy=busy,
        notice=notice,
    )


def day_text(value: str | None, lang: str) -> str:
    """2026-11-29 -> 2026年11月29日 (Chinese) or as is (English); '' for nothing."""
    if not value:
        return ""
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return value
    return tr("date", lang, y=day.year, m=day.month, d=day.day) + value[10:]


def result_screen(
    case: dict[str, Any],
    lang: str,
    phone: str = "",
    print_state: tuple[str, str] | None = None,
) -> CaseResultScreen:
    """The answer of GET /cases/lookup for the resident. Chinese comes from the backend's own
    plain wording; other languages from the kiosk's texts for the same state. Free text written by
    staff (materials, result, reason) is shown as written, with any phone or ID number masked."""
    raw_state = case.get("state")
    state = raw_state if isinstance(raw_state, str) and raw_state in STATES else "open"
    label, words = tr(f"case_state_{state}", lang), tr(f"case_words_{state}", lang)
    if lang == "zh":  # the backend's own plain wording
        label = case.get("state_label") or label
        words = case.get("wording") or words
    if words == label:  # 已办结 / 已办结: say it once
        words = ""
    item = names((case.get("item") or {}).get("name"), lang)
    facts = [
        (tr("case_number_label", lang), case.get("number", "")),
        (tr("case_item", lang), item),
        (tr("case_accepted_on", lang), day_text(case.get("accepted_on"), lang)),
    ]
    deadline = day_text(case.get("deadline"), lang)
    if state in ("open", "suspended") and deadline:
        if state == "suspended":
            deadline = tr("case_deadline_paused", lang, deadline=deadline)
        facts.append((tr("case_deadline", lang), deadline))
    if state in ("finished", "refused") and case.get("finished_on"):
        key = "case_finished_on" if state == "finished" else "case_decided_on"
        facts.append((tr(key, lang), day_text(case["finished_on"], lang)))
    missing = tuple(mask_personal(str(m)) for m in case.get("missing_materials") or ())
    outcome_title, outcome = "", ""
    if state == "finished" and case.get("result"):
        outcome_title, outcome = tr("case_result", lang), mask_personal(case["result"])
    elif state == "refused" and case.get("refuse_reason"):
        outcome_title = tr("case_refuse_reason", lang)
        outcome = mask_personal(case["refuse_reason"])
    pstate, cause = print_state or ("", "")
    print_message = {
        "printing": tr("case_printing", lang),
        "printed": tr("case_printed", lang),
        "fault": tr("case_not_printed", lang, cause=cause),
    }.get(pstate, "")
    return CaseResultScreen(
        title=tr("case_result_title", lang),
        state=state,
        state_label=label,
        wording=words,
        facts=tuple((k, v) for k, v in facts if v),
        missing_title=tr("case_missing", lang) if missing else "",
        missing=missing,
        outcome_title=outcome_title,
        outcome=outcome,
        help=tr("case_help", lang, phone=phone) if phone else tr("case_help_nophone", lang),
        print_message=print_message,
        print_failed=pstate == "fault",
        printing=pstate == "printing",
    )


# -- the printed slip ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseReceipt:
    """办件查询结果 on paper, in Chinese: what the screen shows, and when it was asked."""

    hall_name: str
    facts: tuple[tuple[str, str], ...]
    state_label: str
    wording: str
    missing: tuple[str, ...]
    outcome_title: str
    outcome: str
    queried_at: datetime
    supervision_phone: str


def case_receipt(
    hall_name: str, case: dict[str, Any], queried_at: datetime, phone: str
) -> CaseReceipt:
    screen = result_screen(case, "zh")
    return CaseReceipt(
        hall_name=hall_name,
        facts=screen.facts,
        state_label=screen.state_label,
        wording=screen.wording,
        missing=screen.missing,
        outcome_title=screen.outcome_title,
        outcome=screen.outcome,
        queried_at=queried_at,
        supervision_phone=phone,
    )


def render_case(printer: Any, slip: CaseReceipt, paper: PaperWidth = PaperWidth.MM58) -> None:
    """ESC/POS bytes of the slip, GB18030 in Chinese mode (like clientlib's receipts), written
    to a python-escpos printer in one go."""
    cols = paper.columns
    out: list[bytes] = [cmd.INIT, cmd.CHINESE_ON]

    def lines(rows: list[str]) -> None:
        out.append(b"".join(encode(row) + cmd.LF for row in rows))

    def style(align=cmd.ALIGN_LEFT, size=(1, 1), bold=False) -> None:
        out.extend((align, cmd.char_size(*size), cmd.BOLD_ON if bold else cmd.BOLD_OFF))

    style(cmd.ALIGN_CENTER, (1, 2), True)
    lines(wrap(mask_personal(slip.hall_name), cols))
    style(cmd.ALIGN_CENTER, (2, 2), True)
    lines(wrap("办件查询结果", cols // 2))
    style()
    lines(["-" * cols])
    for label, value in slip.facts:
        lines(labelled(f"{label}：", value, cols))
    style(size=(1, 2), bold=True)
    lines(labelled("办理状态：", slip.state_label, cols))
    style()
    lines(wrap(slip.wording, cols))
    if slip.missing:
        style(bold=True)
        lines(["需要补正的材料："])
        style()
        for n, item in enumerate(slip.missing, 1):
            lines(wrap(item, cols, indent=len(f"{n}. "), lead=f"{n}. "))
    if slip.outcome:
        style(bold=True)
        lines([f"{slip.outcome_title}："])
        style()
        lines(wrap(slip.outcome, cols))
    lines(labelled("查询时间：", f"{slip.queried_at:%Y-%m-%d %H:%M}", cols))
    if slip.supervision_phone:
        lines(labelled("监督电话：", slip.supervision_phone, cols))
    lines(["-" * cols])
    style(cmd.ALIGN_CENTER)
    lines(wrap(SLIP_PRIVACY, cols))
    style()
    out.append(cmd.CHINESE_OFF + cmd.feed_lines(4) + cmd.PARTIAL_CUT)
    printer._raw(b"".join(out))
