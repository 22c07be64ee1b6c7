"""The case workflow at the counter (CaseDesk): accept the ticket being served as a case (受理),
the one-time notice of missing materials (一次性告知), the rating request (评价), My cases
(我的办件) with supplement / extension / finish / refuse / 上报县级 (refer the case to the hall
above: POST /cases/<n>/refer, the county's departments from GET /network/targets), the latest
referred cases (已移交) under the open ones. The receipts are counter.casereceipts'.

Every change goes through counter.actions.Actions as a Pending: one request id, kept and sent
again after a network loss, so nothing is done twice. A dialog that waits for its answer stays open, shows a
refusal next to the field the backend names (error.field), keeps what was typed, and closes on
success.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any, Protocol
from urllib.parse import urlencode

from clientlib.api import ApiError, ApiUnavailable
from clientlib.plumbing import Jobs

from . import casebuild as cb
from .actions import Actions
from .casereceipts import Receipts
from .i18n import error_text, field_error_text, pair, tr
from .pending import Pending
from .screens import AcceptForm, CaseActionForm, CasesScreen, MainScreen, MissingForm
from .shift import Shift

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


class CaseView(Protocol):
    def show_notice(self, text: str, level: str) -> None: ...

    def open_accept(self, form: AcceptForm) -> None: ...

    def open_missing(self, form: MissingForm) -> None: ...

    def open_case_action(self, form: CaseActionForm) -> None: ...

    def form_error(self, form: str, field: str | None, text: str) -> None: ...

    def close_form(self, form: str) -> None: ...

    def show_cases(self, screen: CasesScreen | None) -> None: ...


class CaseDesk:
    """The case workflow of one counter: the case of the ticket at the counter and My cases;
    changes go through `actions`, their answers come back through `acted` / `failed`."""

    def __init__(
        self,
        api: Any,
        view: CaseView,
        jobs: Jobs,
        shift: Shift,
        actions: Actions,
        config: Any,
        render: Callable[[], None],
        receipts: Receipts,
    ):
        self.api, self.view, self.jobs, self.shift, self.actions = api, view, jobs, shift, actions
        self.config, self.render, self.receipts = config, render, receipts
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

    @property
    def lang(self) -> str:
        return self.shift.lang

    def reset(self) -> None:
        """Signed out or taken away from the window: forget this window's cases."""
        self.jobs.stop_timer("cases_debounce")
        self.case = self._case_ticket = self.rating_for = None
        self.cases, self.case_counts, self.selected_case, self.cases_info = None, {}, None, ""
        self.referred, self.targets = (), None
        if self.cases_open:
            self.cases_open = False
            self.view.show_cases(None)

    # -- on the ticket card ---------------------------------------------------------------------
    def accept_case(self) -> None:
        """受理: the dialog for the ticket being served; the materials ticked come along."""
        if not self.actions.ready():
            return
        current = self.shift.current()
        if not current or current.get("state") not in ("called", "serving"):
            self.actions.notice("no_ticket", "error")
        elif self.case is not None:
            self.view.show_notice(error_text("already_accepted", "", self.lang), "error")
        else:
            catalog = self.shift.catalog_or_empty()
            self.view.open_accept(cb.accept_form(current, self.shift.checked, catalog, self.lang))

    def submit_accept(self, values: dict) -> None:
        """values: name, phone, id_number, materials (received), decision, unit, note."""
        if not self._form_ready("accept") or self.shift.window is None:
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
        self.actions.send(Pending("accept_case", "accept", self.shift.window, body, form="accept"))

    def one_time_notice(self) -> None:
        """一次性告知: only for a promised item accepted here and still open."""
        if not self.actions.ready():
            return
        case = self.case
        if not case or case.get("kind") != "promised" or case.get("state") != "open":
            self.view.show_notice(tr("notice_needs_case", self.lang), "error")
            return
        materials = tuple((self.shift.current() or {}).get("materials") or ())
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
        self.actions.send(Pending("notice", "suspend", number, body, case=number, form="missing"))

    def request_evaluation(self) -> None:
        """评价: push the rating request for the ticket just finished to the window's pad."""
        self.actions.window_act("evaluate", "rating-request")

    def print_case(self) -> None:
        """The acceptance receipt, or the one-time notice again once the case waits for
        supplements."""
        case = self.case
        receipts = self.receipts
        if not receipts.available or case is None or receipts.printing:
            return
        if self.shift.phase != "main":
            return
        if case.get("state") == "suspended" and case.get("missing_materials"):
            receipts.notice(case)
        else:
            receipts.acceptance(case)

    # -- My cases -----------------------------------------------------------------------------------
    def open_cases(self) -> None:
        if self.jobs.stopped or self.shift.phase != "main":
            return
        self.cases_open = True
        self.render_cases()
        self.load_cases()

    def close_cases(self) -> None:
        if self.cases_open:
            self.cases_open = False
            self.view.show_cases(None)

    def reload_cases(self) -> None:
        self.load_cases()

    def select_case(self, number: str | None) -> None:
        self.selected_case = number or None
        self.render_cases()

    def case_dialog(self, kind: str) -> None:
        if not self.actions.ready():
            return
        case = self._my_case(self.selected_case)
        if case is None or kind not in cb.case_actions(case, self._referable()):
            self.actions.notice("select_case", "error")
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
        self.actions.send(pending)

    # -- answers (routed here by the presenter) ---------------------------------------
    def acted(self, pending: Pending, result: dict) -> None:
        result = result or {}
        case = result.get("case") or {}
        if pending.action == "accept":
            self.case, self._case_ticket = case, (self.shift.current() or {}).get("id")
            self.view.show_notice(cb.accepted_text(case, self.lang), "ok")
        elif pending.action == "rating-request":
            number = (result.get("requested") or {}).get("number") or self.rating_for or ""
            self.view.show_notice(tr("rating_requested", self.lang, number=number), "ok")
        else:
            self._remember(case)
            number = case.get("number") or pending.target
            self.view.show_notice(tr(SUCCESS[pending.action], self.lang, number=number), "ok")
            if pending.action == "suspend" and self.receipts.available and case:
                self.receipts.notice(case)
            if pending.action == "refuse" and self.receipts.available and case:
                self.receipts.refusal(case)
        if pending.form:
            self.view.close_form(pending.form)
        if pending.action != "rating-request":
            self.load_cases()

    def failed(self, pending: Pending, exc: Exception) -> bool:
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

    def ticket_acted(self, pending: Pending, ticket: dict) -> None:
        """A window action answered: remember what was finished here, for 评价."""
        if pending.action == "finish" and ticket.get("number"):
            self.rating_for = ticket["number"]
        elif pending.action in ("call-next", "call") and ticket:
            self.rating_for = None

    def _form_ready(self, form: str) -> bool:
        """Like _ready, and the dialog is told why nothing was sent."""
        if self.actions.ready():
            return True
        if self.shift.phase == "main":
            text = (
                self.actions.pending_text("pending_first")
                if self.shift.pending
                else tr("busy", self.lang)
            )
            self.view.form_error(form, None, text)
        return False

    # -- the case list ------------------------------------------------------------------------------
    def load_cases(self) -> None:
        if self.jobs.stopped or self.shift.phase != "main" or not self.shift.user:
            return
        if self._cases_loading:
            self._cases_again = True
            return
        self._cases_loading, self._cases_again = True, False
        api, user, targets = self.api, self.shift.user, self.targets
        self.jobs.call(
            lambda: _fetch_cases(api, user, targets), self._cases_loaded, self._cases_failed
        )

    def _cases_loaded(self, data: dict) -> None:
        self._cases_loading = False
        if self.shift.phase != "main":
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
        self.sync_case()
        self.render()
        if self._cases_again:
            self.load_cases()

    def _cases_failed(self, exc: Exception) -> None:
        self._cases_loading = False
        if self.shift.phase != "main":
            return
        log.warning("cases not loaded: %s", exc)
        self.cases_info = self.actions.explain(exc)
        self.render_cases()
        if self._cases_again and not isinstance(exc, ApiUnavailable):
            self.load_cases()

    def on_event(self, event: dict) -> None:
        """case.* pushed to staff: reload if it is about one of my cases (or names none)."""
        if self.shift.phase != "main":
            return
        named = (event.get("data") or {}).get("case")  # referral.*: the number itself
        number = named.get("number") if isinstance(named, dict) else named
        mine = {c.get("number") for c in (*(self.cases or ()), *self.referred)}
        if self.case is not None:
            mine.add(self.case.get("number"))
        if (number is None or number in mine) and not self.jobs.has_timer("cases_debounce"):
            self.jobs.start_timer("cases_debounce", self.config.debounce_seconds, self._cases_soon)

    def _cases_soon(self) -> None:
        self.jobs.fired("cases_debounce")
        self.load_cases()

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

    def sync_case(self) -> None:
        """The case belongs to the ticket at the counter: forget it when the ticket changes;
        find it again in My cases after a restart."""
        current = self.shift.current()
        ticket_id = (current or {}).get("id")
        if ticket_id != self._case_ticket:
            self.case, self._case_ticket = None, ticket_id
        if current and self.case is None:
            self.case = next((c for c in self.cases or () if cb.same_visit(c, current)), None)

    # -- rendering -----------------------------------------------------------------------------------
    def with_cases(self, screen: MainScreen) -> MainScreen:
        """The main screen with the case badge, the case buttons and the My cases count."""
        current = self.shift.current()
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
        served = ((self.shift.state or {}).get("today", {}).get("window") or {}).get("served", 0)
        if live and serving and case is None:
            enabled.add("accept_case")
        if live and serving and promised_open:
            enabled.add("notice")
        if live and not current and (self.rating_for or served):
            enabled.add("evaluate")
        hooks = {"evaluate"} | ({"accept_case", "notice"} if current else set())
        suspended = case is not None and case.get("state") == "suspended"
        if self.receipts.available and case is not None:
            hooks.add("print_receipt")
            if not self.receipts.printing:
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

    def render_cases(self) -> None:
        if self.jobs.stopped or not self.cases_open or self.shift.phase != "main":
            return
        info = self.cases_info or (tr("cases_loading", self.lang) if self.cases is None else "")
        screen = cb.cases_screen(
            self.cases,
            self.case_counts,
            self.selected_case,
            self.shift.busy,
            self.lang,
            info,
            referred=self.referred,
            referable=self._referable(),
        )
        self.view.show_cases(screen)


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
