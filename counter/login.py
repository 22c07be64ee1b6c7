"""Login and sign-in at the counter: log in (unless this user already is), sign in to the
window, or take over a window its clerk paused for handover (接班); the login screen."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from clientlib.api import ApiError, ApiUnavailable, new_request_id
from clientlib.plumbing import Jobs

from . import builders as b
from .actions import explain
from .i18n import pair, tr
from .screens import LoginScreen
from .shift import Shift

log = logging.getLogger(__name__)


class Login:
    """`entered(window, state)` is called once the window is ours; `unreachable()` when the
    backend could not be reached; `need_catalog()` after a login without the catalog."""

    def __init__(
        self,
        api: Any,
        jobs: Jobs,
        shift: Shift,
        render: Callable[[], None],
        entered: Callable[[int, dict], None],
        unreachable: Callable[[], None],
        need_catalog: Callable[[], None],
    ):
        self.api, self.jobs, self.shift, self.render = api, jobs, shift, render
        self.entered, self.unreachable, self.need_catalog = entered, unreachable, need_catalog
        self.busy = False
        self.error = ""
        self.info = ""
        self.handover = ""

    def sign_in(self, username: str, password: str, window: int | None) -> None:
        """Log in (unless this user already is) and sign in to `window`."""
        shift = self.shift
        if self.jobs.stopped or shift.phase != "login" or self.busy:
            return
        username = (username or "").strip()
        missing = (
            "need_username"
            if not username
            else "need_window"
            if not window
            else "need_password"
            if not password and shift.user != username
            else ""
        )
        if missing or window is None:
            self._problem(tr(missing or "need_window", shift.lang))
            return
        shift.username, shift.window = username, int(window)
        self.busy, self.error, self.info, self.handover = True, "", "", ""
        self.render()
        if shift.user == username:
            self._open_window()
            return
        previous, shift.user = shift.user, None

        def work():
            if previous:
                quietly(self.api.logout)
            return self.api.login(username, password, client="counter")

        self.jobs.call(work, self._logged_in, self._failed)

    def take_over(self) -> None:
        """Shift handover (接班): take the window its clerk paused for handover, with its ticket."""
        window, shift = self.shift.window, self.shift
        if shift.phase != "login" or self.busy or not self.handover or not shift.user:
            return
        if window is None:
            return
        self.busy, self.error = True, ""
        self.render()
        self.jobs.call(
            lambda: self.api.window_action(window, "take-over", request_id=new_request_id()),
            lambda _result: self._load_then_enter(window),
            self._failed,
        )

    def left(self, info: str, error: str) -> None:
        """Back on the login screen (signed out, handed over, or put out of the window)."""
        self.info, self.error, self.handover = info, error, ""

    def screen(self) -> LoginScreen:
        shift = self.shift
        windows = b.window_choices(shift.catalog, shift.lang) if shift.catalog else ()
        info = self.info or ("" if shift.catalog else tr("catalog_loading", shift.lang))
        return LoginScreen(
            username=shift.username,
            windows=windows,
            window=shift.window,
            busy=self.busy,
            error=self.error,
            info=info,
            handover=self.handover,
            logged_in_as=shift.user or "",
        )

    def fetch_state(self, window: int) -> dict:
        return self.api.get(self.api.hall_path(f"/windows/{window}"))

    def _logged_in(self, result: dict) -> None:
        user = result.get("user", {})
        self.shift.user = user.get("username", self.shift.username)
        self.shift.display_name = user.get("display_name", "")
        if self.shift.catalog is None:
            self.need_catalog()
        self._open_window()

    def _open_window(self) -> None:
        window = self.shift.window
        if window is None:  # sign_in and take_over set it first
            return

        def work():
            try:
                self.api.window_action(window, "sign-in", request_id=new_request_id())
            except ApiError as exc:
                if exc.code != "window_taken":
                    raise
                return "taken", self.fetch_state(window)
            return "open", self.fetch_state(window)

        self.jobs.call(work, lambda result: self._window_answer(window, *result), self._failed)

    def _window_answer(self, window: int, outcome: str, state: dict) -> None:
        if outcome == "open":
            self._enter(window, state)
            return
        self.busy = False
        lang = self.shift.lang
        w = state["window"]
        current = w.get("current") or {}
        if w.get("state") == "paused" and (w.get("pause_reason") or "").startswith("handover"):
            number = current.get("number")
            self.handover = _both(
                "handover_offer",
                lang,
                window=window,
                clerk=w.get("clerk") or "",
                ticket=pair("handover_ticket", "zh", number=number)[0] if number else "",
                ticket_en=pair("handover_ticket", "en", number=number)[0] if number else "",
            )
        else:
            self.error = tr("window_taken", lang, window=window, clerk=w.get("clerk"))
        self.render()

    def _load_then_enter(self, window: int) -> None:
        self.jobs.call(
            lambda: self.fetch_state(window),
            lambda state: self._enter(window, state),
            self._failed,
        )

    def _enter(self, window: int, state: dict) -> None:
        self.busy, self.handover, self.error, self.info = False, "", "", ""
        self.entered(window, state)

    def _failed(self, exc: Exception) -> None:
        self.busy = False
        self._problem(explain(exc, self.shift.lang))
        if isinstance(exc, ApiUnavailable):
            self.unreachable()

    def _problem(self, text: str) -> None:
        self.error = text
        self.render()


def quietly(fn) -> None:
    """Best effort (logging out a token that may already be gone)."""
    try:
        fn()
    except (ApiError, ApiUnavailable) as exc:
        log.info("ignored: %s", exc)


def _both(key: str, lang: str, **values) -> str:
    """Both languages, each on its own line (for longer sentences)."""
    first, second = pair(key, lang, **values)
    return f"{first}\n{second}"
