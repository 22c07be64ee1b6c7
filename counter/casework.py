"""The case workflow at the counter, as a part of the Presenter: accept the ticket being served
as a case (受理), the one-time notice of missing materials (一次性告知), the rating request
(评价), My cases (我的办件) with supplement / extension / finish / refuse / 上报县级 (refer the
case to the hall above: POST /cases/<n>/refer, the county's departments from GET
/network/targets), the latest referred cases (已移交) under the open ones, and the receipts.

Every change goes through the presenter's Pending: one request id, kept and sent again after a
network loss, so nothing is done twice. A dialog that waits for its answer stays open, shows a
refusal next to the field the backend names (error.field), keeps what was typed, and closes on
success. Printing runs on its own runner and never holds up the clerk.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from clientlib.api import ApiError, ApiUnavailable

from . import casebuild as cb
from .builders import Catalog
from .i18n import error_text, field_error_text, pair, tr
from .pending import Pending
from .screens import MainScreen
from .workhost import WorkHost

log = logging.getLogger(__name__)

SUCCESS = {
    "suspend": "suspended",
    "supplement": "case_supplemented",
    "extension": "case_extension_requested",
    "finish": "case_finished",
    "refuse": "case_refused",
    "refer": "case_referred",
}
REFERRED_SHOWN = 20  # the latest referred cases (已移交) listed under the open ones


class CaseWork(WorkHost):
    """Part of counter.presenter.Presenter (which provides view, api, the Pending machinery,
    _render, _call and the timers)."""

    view: Any
    api: Any
    runner: Any
    config: Any
    lang: str
    phase: str
    window: int | None
    state: dict | None
    checked: set[int]
    busy: bool
    pending: Pending | None
    catalog: Catalog | None
    user: str | None
    _stopped: bool

    def _init_casework(self, printer: Any, print_runner: Any) -> None:
        self.printer = printer  # a counter.printing.CounterPrinter, or None: no printing
        self.print_runner = print_runner or self.runner
        self.printing = False
        self.qr_fallback = False  # the last receipt's QR uses the backend address (no public_url)
        self.case: dict | None = None  # the case accepted for the ticket at the counter
        self._case_ticket: int | None = None  # ... whose id is this
        self.rating_for: str | None = None  # the ticket last finished here (for 评价)
        self.cases: list[dict] | None = None  # GET /cases?clerk=<me>; None until loaded
        self.referred: tuple[dict, ...] = ()  # my latest cases referred to another hall
        self.targets: dict | None = None  # GET /network/targets: where this hall refers to
        self.case_counts: dict[str, int] = {}
        self.cases_open = False  # the My cases page is showing
        self.selected_case: str | None = None
        self.cases_info = ""
        self._cases_loading = False
        self._cases_again = False

    def _reset_casework(self) -> None:
        """Signed out or taken away from the window: forget this window's cases."""
        self._stop_timer("cases_debounce")
        self.case = self._case_ticket = self.rating_for = None
        self.cases, self.case_counts, self.selected_case, self.cases_info = None, {}, None, ""
        self.referred, self.targets = (), None
        if self.cases_open:
            self.cases_open = False
            self.view.show_cases(None)

    # -- on the ticket card ---------------------------------------------------------------------
    def accept_case(self) -> None:
        """受理: the dialog for the ticket being served; the materials ticked come along."""
        if not self._ready():
            return
        current = self._current()
        if not current or current.get("state") not in ("called", "serving"):
            self._notice("no_ticket", "error")
        elif self.case is not None:
            self.view.show_notice(error_text("already_accepted", "", self.lang), "error")
        else:
            catalog = self.catalog or Catalog({}, {})
            self.view.open_accept(cb.accept_form(current, self.checked, catalog, self.lang))

    def submit_accept(self, values: dict) -> None:
        """values: name, phone, id_number, materials (received), decision, unit, note."""
        if not self._form_ready("accept") or self.window is None:
            return
        applicant = {k: (values.get(k) or "").strip() for k in ("name", "phone", "id_number")}
        applicant["id_number"] = applicant["id_number"].upper()
        body: dict[str, Any] = {
            "applicant": applicant,
            "materials_received": [m for m in values.get("materials") or () if m],
            "decision": values.get("decision") or "done_now",
        }
        if values.get("unit"):
            body["handling_unit"] = values["unit"]
        note = (values.get("note") or "").strip()
        if note:
            body["note"] = note[:400]
        self._send(Pending("accept_case", "accept", self.window, body, form="accept"))

    def one_time_notice(self) -> None:
        """一次性告知: only for a promised item accepted here and still open."""
        if not self._ready():
            return
        case = self.case
        if not case or case.get("kind") != "promised" or case.get("state") != "open":
            self.view.show_notice(tr("notice_needs_case", self.lang), "error")
            return
        materials = tuple((self._current() or {}).get("materials") or ())
        self.view.open_missing(cb.missing_form(case, materials, self.lang))

    def submit_missing(self, missing: list[str], note: str = "") -> None:
        if not self._form_ready("missing"):
            return
        missing = list(dict.fromkeys(m.strip() for m in missing if m and m.strip()))
        if not missing or self.case is None:
            text = field_error_text("invalid_field", "missing", "", self.lang)
            self.view.form_error("missing", "missing", text)
            return
        number = self.case["number"]
        body: dict[str, Any] = {"missing": missing}
        if note and note.strip():
            body["note"] = note.strip()[:400]
        self._send(Pending("notice", "suspend", number, body, case=number, form="missing"))

    def request_evaluation(self) -> None:
        """评价: push the rating request for the ticket just finished to the window's pad."""
        self._window_act("evaluate", "rating-request")

    def print_case(self) -> None:
        """The acceptance receipt, or the one-time notice again once the case waits for
        supplements."""
        case = self.case
        if self.printer is None or case is None or self.printing or self.phase != "main":
            return
        if case.get("state") == "suspended" and case.get("missing_materials"):
            self._print_notice(case)
        else:
            self._print_acceptance(case)

    # -- My cases -----------------------------------------------------------------------------------
    def open_cases(self) -> None:
        if self._stopped or self.phase != "main":
            return
        self.cases_open = True
        self._render_cases()
        self._load_cases()

    def close_cases(self) -> None:
        if self.cases_open:
            self.cases_open = False
            self.view.show_cases(None)

    def reload_cases(self) -> None:
        self._load_cases()

    def select_case(self, number: str | None) -> None:
        self.selected_case = number or None
        self._render_cases()

    def case_dialog(self, kind: str) -> None:
        if not self._ready():
            return
        case = self._my_case(self.selected_case)
        if case is None or kind not in cb.case_actions(case, self._referable()):
            self._notice("select_case", "error")
            return
        self.view.open_case_action(cb.case_action_form(kind, case, self.lang, self.targets))

    def _referable(self) -> bool:
        """This hall has a hall above it to report to (上报县级)."""
        return bool((self.targets or {}).get("up"))

    def case_action(self, kind: str, number: str, values: dict) -> None:
        """补正到件 / 申请延期 / 办结 / 不予办理 / 上报县级 on case `number`."""
        if not self._form_ready("case_action"):
            return
        body = cb.action_body(kind, values)
        if body is None:
            field = "days" if kind == "extension" and not values.get("days") else "text"
            self.view.form_error("case_action", field, tr("text_required", self.lang))
            return
        pending = Pending(f"case_{kind}", kind, number, body, case=number, form="case_action")
        self._send(pending)

    # -- answers (called by Presenter._acted / _act_failed) ---------------------------------------
    def _case_acted(self, pending: Pending, result: dict) -> None:
        result = result or {}
        case = result.get("case") or {}
        if pending.action == "accept":
            self.case, self._case_ticket = case, (self._current() or {}).get("id")
            self.view.show_notice(cb.accepted_text(case, self.lang), "ok")
        elif pending.action == "rating-request":
            number = (result.get("requested") or {}).get("number") or self.rating_for or ""
            self.view.show_notice(tr("rating_requested", self.lang, number=number), "ok")
        else:
            self._remember(case)
            number = case.get("number") or pending.target
            self.view.show_notice(tr(SUCCESS[pending.action], self.lang, number=number), "ok")
            if pending.action == "suspend" and self.printer is not None and case:
                self._print_notice(case)
            if pending.action == "refuse" and self.printer is not None and case:
                self._print_refusal(case)
        if pending.form:
            self.view.close_form(pending.form)
        if pending.action != "rating-request":
            self._load_cases()

    def _case_failed(self, pending: Pending, exc: Exception) -> bool:
        """Tell the dialog waiting for this answer; True if there was one."""
        if not pending.form:
            return False
        if isinstance(exc, ApiUnavailable):
            self.view.form_error(pending.form, None, tr("form_pending", self.lang))
        elif isinstance(exc, ApiError):
            text = field_error_text(exc.code, exc.field, exc.message, self.lang)
            self.view.form_error(pending.form, exc.field, text)
        else:
            return False
        return True

    def _ticket_acted(self, pending: Pending, ticket: dict) -> None:
        """A window action answered: remember what was finished here, for 评价."""
        if pending.action == "finish" and ticket.get("number"):
            self.rating_for = ticket["number"]
        elif pending.action in ("call-next", "call") and ticket:
            self.rating_for = None

    def _form_ready(self, form: str) -> bool:
        """Like _ready, and the dialog is told why nothing was sent."""
        if self._ready():
            return True
        if self.phase == "main":
            text = self._pending_text("pending_first") if self.pending else tr("busy", self.lang)
            self.view.form_error(form, None, text)
        return False

    # -- the case list ------------------------------------------------------------------------------
    def _load_cases(self) -> None:
        if self._stopped or self.phase != "main" or not self.user:
            return
        if self._cases_loading:
            self._cases_again = True
            return
        self._cases_loading, self._cases_again = True, False
        api, user, targets = self.api, self.user, self.targets
        self._call(lambda: _fetch_cases(api, user, targets), self._cases_loaded, self._cases_failed)

    def _cases_loaded(self, data: dict) -> None:
        self._cases_loading = False
        if self.phase != "main":
            return
        self.cases = list((data or {}).get("cases") or [])
        self.case_counts = dict((data or {}).get("counts") or {})
        self.referred = tuple((data or {}).get("referred") or ())
        if (data or {}).get("targets") is not None:
            self.targets = data["targets"]
        self.cases_info = ""
        if self.case is not None:
            self.case = self._my_case(self.case.get("number")) or self.case
        if self._my_case(self.selected_case) is None:
            self.selected_case = None
        self._sync_case()
        self._render()
        if self._cases_again:
            self._load_cases()

    def _cases_failed(self, exc: Exception) -> None:
        self._cases_loading = False
        if self.phase != "main":
            return
        log.warning("cases not loaded: %s", exc)
        self.cases_info = self._explain(exc)
        self._render_cases()
        if self._cases_again and not isinstance(exc, ApiUnavailable):
            self._load_cases()

    def _case_event(self, event: dict) -> None:
        """case.* pushed to staff: reload if it is about one of my cases (or names none)."""
        if self.phase != "main":
            return
        named = (event.get("data") or {}).get("case")  # referral.*: the number itself
        number = named.get("number") if isinstance(named, dict) else named
        mine = {c.get("number") for c in (*(self.cases or ()), *self.referred)}
        if self.case is not None:
            mine.add(self.case.get("number"))
        if (number is None or number in mine) and "cases_debounce" not in self._timers:
            self._start_timer("cases_debounce", self.config.debounce_seconds, self._cases_soon)

    def _cases_soon(self) -> None:
        self._timers.pop("cases_debounce", None)
        self._load_cases()

    def _remember(self, case: dict) -> None:
        """A case changed by this counter: update the card and the list before the reload."""
        number = case.get("number")
        if not number:
            return
        if self.case is not None and self.case.get("number") == number:
            self.case = case
        if self.cases is not None:
            self.cases = [case if c.get("number") == number else c for c in self.cases]

    def _my_case(self, number: str | None) -> dict | None:
        listed = (*(self.cases or ()), *self.referred)
        return next((c for c in listed if c.get("number") == number), None)

    def _sync_case(self) -> None:
        """The case belongs to the ticket at the counter: forget it when the ticket changes;
        find it again in My cases after a restart."""
        current = self._current()
        ticket_id = (current or {}).get("id")
        if ticket_id != self._case_ticket:
            self.case, self._case_ticket = None, ticket_id
        if current and self.case is None:
            self.case = next((c for c in self.cases or () if cb.same_visit(c, current)), None)

    # -- rendering -----------------------------------------------------------------------------------
    def _with_cases(self, screen: MainScreen) -> MainScreen:
        """The main screen with the case badge, the case buttons and the My cases count."""
        current = self._current()
        case = self.case if current else None
        ticket = screen.ticket
        if ticket is not None and case is not None:
            ticket = replace(ticket, case=cb.case_badge(case, self.lang))
        enabled = set(screen.enabled)
        live = not screen.busy and screen.state != "closed"
        serving = current is not None and current.get("state") in ("called", "serving")
        promised_open = (
            case is not None and case.get("kind") == "promised" and case.get("state") == "open"
        )
        served = ((self.state or {}).get("today", {}).get("window") or {}).get("served", 0)
        if live and serving and case is None:
            enabled.add("accept_case")
        if live and serving and promised_open:
            enabled.add("notice")
        if live and not current and (self.rating_for or served):
            enabled.add("evaluate")
        hooks = {"evaluate"} | ({"accept_case", "notice"} if current else set())
        suspended = case is not None and case.get("state") == "suspended"
        if self.printer is not None and case is not None:
            hooks.add("print_receipt")
            if not self.printing:
                enabled.add("print_receipt")
        idle = screen.idle_text
        if not current and self.rating_for and "evaluate" in enabled:
            idle = "\n".join(pair("rate_hint", self.lang, number=self.rating_for)) + "\n\n" + idle
        first, second = pair("my_cases", self.lang)
        count = f" ({len(self.cases)})" if self.cases else ""
        return replace(
            screen,
            ticket=ticket,
            idle_text=idle,
            enabled=frozenset(enabled),
            hooks=frozenset(hooks),
            print_label=" ".join(pair("print_notice" if suspended else "print_receipt", self.lang)),
            cases_label=f"{first}{count} {second}",
        )

    def _render_cases(self) -> None:
        if self._stopped or not self.cases_open or self.phase != "main":
            return
        info = self.cases_info or (tr("cases_loading", self.lang) if self.cases is None else "")
        screen = cb.cases_screen(
            self.cases,
            self.case_counts,
            self.selected_case,
            self.busy,
            self.lang,
            info,
            referred=self.referred,
            referable=self._referable(),
        )
        self.view.show_cases(screen)

    # -- printing --------------------------------------------------------------------------------------
    def _print_acceptance(self, case: dict) -> None:
        catalog = self.catalog or Catalog({}, {})
        token = (self._current() or {}).get("status_token")
        base, fallback = cb.status_base(catalog, self.config.backend_url)
        url = f"{base}/t/{token}" if token else ""
        self.qr_fallback = bool(token) and fallback
        if self.qr_fallback:
            log.warning("the hall sets no public_url: the receipt's QR code uses %s", base)
        receipt = cb.acceptance_receipt(case, catalog, self.window or 0, url)
        zone = cb.hall_zone(catalog)
        self._print("receipt", lambda: self.printer.print_acceptance(receipt, zone))

    def _print_notice(self, case: dict) -> None:
        if not case.get("missing_materials"):
            return
        catalog = self.catalog or Catalog({}, {})
        today = datetime.now(cb.hall_zone(catalog)).date()
        receipt = cb.notice_receipt(case, catalog, self.window or 0, today)
        self._print("notice", lambda: self.printer.print_notice(receipt))

    def _print_refusal(self, case: dict) -> None:
        if not case.get("refuse_reason"):
            return
        catalog = self.catalog or Catalog({}, {})
        today = datetime.now(cb.hall_zone(catalog)).date()
        receipt = cb.refusal_receipt(case, catalog, self.window or 0, today)
        self._print("refusal", lambda: self.printer.print_refusal(receipt))

    def _print(self, what: str, job) -> None:
        self.printing = True
        self.view.show_notice(tr("printing", self.lang), "info")
        self._render()
        self.print_runner.run(
            job,
            self._guard(lambda result: self._printed(what, result)),
            self._guard(lambda exc: self._printed(what, None, exc)),
        )

    def _printed(self, what: str, result, exc: Exception | None = None) -> None:
        self.printing = False
        if result is not None and result.ok and what == "receipt" and self.qr_fallback:
            self.view.show_notice(tr("printed_receipt_internal_qr", self.lang), "error")
        elif result is not None and result.ok:
            self.view.show_notice(tr(f"printed_{what}", self.lang), "ok")
        else:
            if exc is not None:
                log.warning("printing failed: %r", exc)
            cause = ("打印失败", "printing failed")
            if result is not None:
                from .printing import fault_text  # python-escpos: only with a printer

                cause = fault_text(result)
            text = tr("print_failed", self.lang, cause=cause[0], cause_en=cause[1])
            self.view.show_notice(text, "error")
        if self.phase == "main":
            self._render()


def _fetch_cases(api: Any, user: str, targets: dict | None) -> dict:
    """Off the GUI thread: my open and suspended cases, my latest referred ones, and (once) where
    this hall refers cases to (an older server without it: nowhere)."""
    mine = api.get(api.hall_path("/cases?" + urlencode({"clerk": user})))
    gone = api.get(api.hall_path("/cases?" + urlencode({"clerk": user, "state": "referred"})))
    referred = sorted(gone.get("cases") or (), key=lambda c: c.get("accepted_at") or "")
    if targets is None:
        try:
            targets = api.get(api.hall_path("/network/targets"))
        except ApiError as exc:
            if exc.status == 401:
                raise
            targets = {}
    return (mine or {}) | {"referred": referred[::-1][:REFERRED_SHOWN], "targets": targets}
