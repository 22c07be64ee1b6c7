"""Taking a ticket exactly once, and the confirmation screen that follows it (also after an
appointment check-in); kiosk.printflow prints it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from clientlib.api import ApiError, new_request_id
from clientlib.plumbing import Jobs

from . import builders as b
from .appointflow import CheckIn
from .backendlink import BackendLink
from .catalog import Item
from .config import KioskConfig
from .i18n import pick, tr
from .printflow import Printing
from .session import Intent, Navigator, Session

log = logging.getLogger(__name__)


class Tickets:
    """One request id per "take a ticket" (kiosk.session.Intent), the confirmation's timer."""

    def __init__(
        self,
        api: Any,
        config: KioskConfig,
        jobs: Jobs,
        session: Session,
        nav: Navigator,
        link: BackendLink,
        printing: Printing,
        checkin: CheckIn,
    ):
        self.api, self.config, self.jobs, self.session, self.nav = api, config, jobs, session, nav
        self.link, self.printing, self.checkin = link, printing, checkin

    def can_take(self, code: str) -> bool:
        """Not when the catalog says no window serves the item now (暂停取号); the catalog is
        re-read every ``catalog_refresh_seconds`` and after a 409 no_window_open."""
        item = self.session.item(code)
        return item is not None and item.available

    def take(self) -> None:
        """Issue a ticket for the item on screen. Taps while a request is in flight are
        ignored; a new tap after a failure reuses the same request id."""
        s = self.session
        if s.issuing or s.state != "ready" or s.top[0] != "guide":
            return
        code = s.top[1]
        if not self.can_take(code):
            return
        if s.mode is not None and s.mode.priority == "appointment":
            self.checkin.for_item(code)  # the booked item, found by the phone's last 4 digits
            return
        priority, reason = (s.mode.priority, s.mode.reason) if s.mode else ("normal", None)
        if s.intent is None or s.intent.key != (code, priority, reason):
            s.intent = Intent(code, priority, reason, new_request_id())
        intent, lang = s.intent, s.language
        s.issuing = True
        s.notice = None
        self.nav.render()
        self.jobs.call(
            lambda: self.api.issue_ticket(
                intent.item_code, intent.request_id, intent.priority, intent.reason, lang
            ),
            lambda result: self._issued(intent, result),
            lambda exc: self._failed(intent, exc),
        )

    def _issued(self, intent: Intent, result: dict) -> None:
        self.session.issuing = False
        if self.session.intent is intent:
            self.session.intent = None
        mode = b.Mode(intent.priority, intent.reason or "") if intent.priority != "normal" else None
        self.show(intent.item_code, result, mode)

    def show(self, code: str, result: dict, mode: b.Mode | None) -> None:
        """The confirmation of an issued ticket (or of an appointment check-in), then print."""
        s = self.session
        item = s.item(code)
        if item is None:  # catalog reloaded without it meanwhile: still show the number
            name = result["ticket"].get("item_name", {})
            item = Item(code, name.get("zh", ""), name.get("en", ""), "", "", None, "")
        hall_url = s.catalog.public_url if s.catalog else ""
        url = self.config.status_base(hall_url) + result["status_path"]
        receipt = b.ticket_receipt(s.catalog, result, item, mode, url) if s.catalog else None
        self.leave_confirmation()
        s.issued = b.Issued(result, item, mode, url, receipt)
        s.nav = [("home",), ("confirmation",)]
        s.mode, s.query, s.notice = None, "", None
        s.leave_after_print = False
        self.jobs.start_timer("confirm", self.config.confirm_seconds, self._confirm_elapsed)
        self.nav.user_activity()
        self.nav.render()
        self.printing.print_ticket()

    def _failed(self, intent: Intent, exc: Exception) -> None:
        self.session.issuing = False
        if self.link.failed(exc):
            return
        if not isinstance(exc, ApiError):
            log.error("issuing a ticket failed", exc_info=exc)
        self.session.notice = _error_text(exc)
        if isinstance(exc, ApiError) and exc.code in ("item_not_found", "no_window_open"):
            self.link.load_catalog()  # the catalog then shows the item as gone or 暂停取号
        self.nav.render()

    def _confirm_elapsed(self) -> None:
        issued = self.session.issued
        if issued is None:
            return
        if self.printing.printing_ticket:
            self.session.leave_after_print = True
        elif issued.print_state == "printed":
            self.nav.reset()
        # after a printer fault the number stays until Done or the idle timeout

    def leave_confirmation(self) -> None:
        self.session.issued = None
        self.jobs.stop_timer("confirm")
        self.jobs.stop_timer("printer_poll")


def _error_text(exc: Exception) -> Callable[[str], str]:
    """What the resident reads when the backend refused a ticket, in either language."""
    if not isinstance(exc, ApiError) or exc.status >= 500:
        return lambda lang: tr("server_error", lang)
    if exc.status in (401, 403):
        return lambda lang: tr("not_authorised", lang)
    if exc.code == "item_not_found":
        return lambda lang: tr("item_gone", lang)
    if exc.code in ("hall_closed", "no_window_open"):
        return lambda lang: pick(exc.message, lang)
    return lambda lang: tr("issue_failed", lang, message=pick(exc.message, lang))
