"""One clerk action at a time, done exactly once: every change is a Pending with its request id,
sent while nothing else is on its way; what the answer means is the presenter's to route."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from clientlib.api import ApiError, ApiUnavailable
from clientlib.plumbing import Jobs

from .i18n import error_text, pair, tr
from .pending import Pending
from .shift import Shift

log = logging.getLogger(__name__)


class NoticeView(Protocol):
    def show_notice(self, text: str, level: str) -> None: ...


class Actions:
    """`ready()` says whether an action may go now (and tells the clerk why not); `send()`
    marks the counter busy and hands the answer to `answered` or the failure to `failed`."""

    def __init__(
        self,
        api: Any,
        view: NoticeView,
        jobs: Jobs,
        shift: Shift,
        render: Callable[[], None],
        answered: Callable[[Pending, dict], None],
        failed: Callable[[Pending, Exception], None],
    ):
        self.api, self.view, self.jobs, self.shift = api, view, jobs, shift
        self.render, self.answered, self.failed = render, answered, failed

    def ready(self) -> bool:
        shift = self.shift
        if self.jobs.stopped or shift.phase != "main":
            return False
        if shift.busy:
            self.notice("busy", "info")
            return False
        if shift.pending is not None:
            self.view.show_notice(self.pending_text("pending_first"), "error")
            return False
        return True

    def act(self, pending: Pending) -> None:
        if self.ready():
            self.send(pending)

    def window_act(self, key: str, action: str, body: dict | None = None) -> None:
        """An action on the clerk's own window (none before sign-in)."""
        if self.shift.window is not None:
            self.act(Pending(key, action, self.shift.window, body or {}))

    def send(self, pending: Pending) -> None:
        self.shift.busy = True
        self.render()
        self.jobs.call(
            lambda: pending.send(self.api),
            lambda result: self.answered(pending, result),
            lambda exc: self.failed(pending, exc),
        )

    def pending_text(self, key: str) -> str:
        pending, lang = self.shift.pending, self.shift.lang
        action = pair(pending.key, lang)[0] if pending else ""
        return tr(key, lang, action=action)

    def notice(self, key: str, level: str) -> None:
        self.view.show_notice(tr(key, self.shift.lang), level)

    def explain(self, exc: Exception) -> str:
        return explain(exc, self.shift.lang)


def explain(exc: Exception, lang: str) -> str:
    """What went wrong, for the clerk."""
    if isinstance(exc, ApiUnavailable):
        return tr("unreachable", lang)
    if isinstance(exc, ApiError):
        return error_text(exc.code, exc.message, lang)
    log.exception("unexpected error", exc_info=exc)
    return str(exc)
