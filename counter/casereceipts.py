"""The case receipts at the counter: 受理回执 (with the QR code of the case's status page),
一次性告知书 and 不予办理告知书. They print on their own runner, so a stuck printer never holds
up the clerk, and the clerk is told how it went."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from clientlib.plumbing import Jobs, Runner

from . import casebuild as cb
from .actions import NoticeView
from .i18n import tr
from .shift import Shift

log = logging.getLogger(__name__)


class Receipts:
    """`printer` is a counter.printing.CounterPrinter, or None: nothing is printed."""

    def __init__(
        self,
        printer: Any,
        print_runner: Runner | None,
        view: NoticeView,
        jobs: Jobs,
        shift: Shift,
        backend_url: str,
        render: Callable[[], None],
    ):
        self.printer, self.print_runner = printer, print_runner or jobs.runner
        self.view, self.jobs, self.shift = view, jobs, shift
        self.backend_url, self.render = backend_url, render
        self.printing = False
        self.qr_fallback = False  # the last receipt's QR uses the backend address (no public_url)

    @property
    def available(self) -> bool:
        return self.printer is not None

    @property
    def lang(self) -> str:
        return self.shift.lang

    def acceptance(self, case: dict) -> None:
        catalog = self.shift.catalog_or_empty()
        token = (self.shift.current() or {}).get("status_token")
        base, fallback = cb.status_base(catalog, self.backend_url)
        url = f"{base}/t/{token}" if token else ""
        self.qr_fallback = bool(token) and fallback
        if self.qr_fallback:
            log.warning("the hall sets no public_url: the receipt's QR code uses %s", base)
        receipt = cb.acceptance_receipt(case, catalog, self.shift.window or 0, url)
        zone = cb.hall_zone(catalog)
        self._print("receipt", lambda: self.printer.print_acceptance(receipt, zone))

    def notice(self, case: dict) -> None:
        if not case.get("missing_materials"):
            return
        catalog = self.shift.catalog_or_empty()
        today = datetime.now(cb.hall_zone(catalog)).date()
        receipt = cb.notice_receipt(case, catalog, self.shift.window or 0, today)
        self._print("notice", lambda: self.printer.print_notice(receipt))

    def refusal(self, case: dict) -> None:
        if not case.get("refuse_reason"):
            return
        catalog = self.shift.catalog_or_empty()
        today = datetime.now(cb.hall_zone(catalog)).date()
        receipt = cb.refusal_receipt(case, catalog, self.shift.window or 0, today)
        self._print("refusal", lambda: self.printer.print_refusal(receipt))

    def _print(self, what: str, job) -> None:
        self.printing = True
        self.view.show_notice(tr("printing", self.lang), "info")
        self.render()
        self.print_runner.run(
            job,
            self.jobs.guard(lambda result: self._printed(what, result)),
            self.jobs.guard(lambda exc: self._printed(what, None, exc)),
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
        if self.shift.phase == "main":
            self.render()
