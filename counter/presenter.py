"""All counter behaviour, without widgets: login and sign-in, the clerk's actions done exactly
once, live updates, losing and regaining the connection, coming back after a restart.

Collaborators are injected so tests can drive it without Qt:
- view: the setters of `View` below (counter.views.window.CounterWindow implements them);
- api: a clientlib.api.ApiClient (or a fake with the same methods);
- live_factory(token, on_snapshot, on_event, on_connection): a live client with `connect()`
  and `close()` whose callbacks arrive on the presenter's (GUI) thread;
- scheduler: `after(seconds, fn)` / `every(seconds, fn)` returning a handle with `cancel()`;
- runner: `run(fn, on_done, on_error)` calling `fn` off the GUI thread, callbacks back on it;
- local: a counter.localstate.LocalState (last username and window; nothing secret);
- printer (optional): a counter.printing.CounterPrinter, with its own `print_runner`.

The case workflow (受理, 一次性告知, 评价, My cases, receipts) is counter.casework.CaseWork.
Runner, Scheduler and the Plumbing mixin (async calls, named timers) are clientlib.plumbing's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from clientlib.api import ApiError, ApiUnavailable, new_request_id
from clientlib.plumbing import Plumbing, Runner, Scheduler

from . import builders as b
from .casework import CaseWork
from .config import CounterConfig
from .i18n import error_text, pair, tr
from .localstate import LocalState
from .lookuplocks import LookupLocks, LookupUnlockForm
from .pending import Pending
from .screens import (
    AcceptForm,
    CaseActionForm,
    CasesScreen,
    Connection,
    LoginScreen,
    MainScreen,
    MissingForm,
    PauseChoices,
    TransferChoices,
)

log = logging.getLogger(__name__)


class View(Protocol):
    def show_login(self, screen: LoginScreen) -> None: ...

    def show_main(self, screen: MainScreen) -> None: ...

    def set_connection(self, connection: Connection) -> None: ...

    def show_message(self, text: str) -> None: ...

    def show_notice(self, text: str, level: str) -> None: ...

    def open_transfer(self, choices: TransferChoices) -> None: ...

    def open_call_number(self, suggestions: tuple[str, ...]) -> None: ...

    def open_requeue(self) -> None: ...

    def open_pause(self, choices: PauseChoices) -> None: ...

    def open_accept(self, form: AcceptForm) -> None: ...

    def open_missing(self, form: MissingForm) -> None: ...

    def open_case_action(self, form: CaseActionForm) -> None: ...

    def form_error(self, form: str, field: str | None, text: str) -> None: ...

    def close_form(self, form: str) -> None: ...

    def show_cases(self, screen: CasesScreen | None) -> None: ...

    def open_lookup_unlock(self, form: LookupUnlockForm) -> None: ...


SUCCESS = {
    "call-next": "called",
    "call": "called",
    "recall": "recalled",
    "start": "started",
    "finish": "finished",
    "no-show": "marked_no_show",
    "transfer": "transferred",
    "requeue": "requeued",
    "pause": "paused",
    "resume": "resumed",
    "lookup-unlock": "lookup_unlocked",
}
EVENT_PREFIXES = ("ticket.", "window.")
__all__ = ["Pending", "Presenter", "View"]


class Presenter(CaseWork, LookupLocks, Plumbing):
    def __init__(
        self,
        view: View,
        api: Any,
        live_factory: Callable[..., Any],
        scheduler: Scheduler,
        config: CounterConfig,
        runner: Runner,
        local: LocalState,
        printer: Any = None,
        print_runner: Runner | None = None,
        appointments: Any = None,
    ):
        self.view, self.api, self.live_factory = view, api, live_factory
        self.appointments = appointments  # counter.appointments.AppointmentsPanel, or None
        self.scheduler, self.config, self.runner, self.local = scheduler, config, runner, local
        self.lang = config.language
        self.phase = "login"  # login | main
        self.catalog: b.Catalog | None = None
        self.user: str | None = None  # username of the logged-in session (token in api)
        self.display_name = ""
        self.username = local.username
        self.window: int | None = local.window or config.window
        self.state: dict | None = None  # GET /windows/<n>
        self.checked: set[int] = set()  # materials ticked for the current ticket
        self._checked_for: int | None = None
        self.busy = False  # an action (and the reload after it) is on its way
        self.pending: Pending | None = None  # failed for lack of network; retried as is
        self.api_ok = True
        self.live: Any = None
        self.live_ok: bool | None = None
        self.login_busy = False
        self.login_error = ""
        self.login_info = ""
        self.handover = ""
        self.message = ""
        self.screen: LoginScreen | MainScreen | None = None
        self._loading = False
        self._load_again = False
        self._catalog_loading = False
        self._loads_started = 0
        self._busy_until_load: int | None = None
        self._live_session = 0
        self._timers: dict[str, Any] = {}
        self._stopped = False
        self._init_casework(printer, print_runner)

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> None:
        self._render()
        self._load_catalog()

    def stop(self) -> None:
        """Cancel timers, close the live connection, ignore answers still on their way."""
        self._stopped = True
        for name in list(self._timers):
            self._stop_timer(name)
        self._close_live()
        if self.appointments is not None:
            self.appointments.stop()

    # -- login, sign-in, take-over ------------------------------------------------------------
    def sign_in(self, username: str, password: str, window: int | None) -> None:
        """Log in (unless this user already is) and sign in to `window`."""
        if self._stopped or self.phase != "login" or self.login_busy:
            return
        username = (username or "").strip()
        missing = (
            "need_username"
            if not username
            else "need_window"
            if not window
            else "need_password"
            if not password and self.user != username
            else ""
        )
        if missing or window is None:
            self._login_problem(tr(missing or "need_window", self.lang))
            return
        self.username, self.window = username, int(window)
        self.login_busy, self.login_error, self.login_info, self.handover = True, "", "", ""
        self._render()
        if self.user == username:
            self._open_window()
            return
        previous, self.user = self.user, None

        def work():
            if previous:
                _quietly(self.api.logout)
            return self.api.login(username, password, client="counter")

        self._call(work, self._logged_in, self._login_failed)

    def take_over(self) -> None:
        """Shift handover (接班): take the window its clerk paused for handover, with its ticket."""
        window = self.window
        if self.phase != "login" or self.login_busy or not self.handover or not self.user:
            return
        if window is None:
            return
        self.login_busy, self.login_error = True, ""
        self._render()
        self._call(
            lambda: self.api.window_action(window, "take-over", request_id=new_request_id()),
            lambda _result: self._load_then_enter(window),
            self._login_failed,
        )

    def _logged_in(self, result: dict) -> None:
        user = result.get("user", {})
        self.user = user.get("username", self.username)
        self.display_name = user.get("display_name", "")
        if self.catalog is None:
            self._load_catalog()
        self._open_window()

    def _open_window(self) -> None:
        window = self.window
        if window is None:  # sign_in and take_over set it first
            return

        def work():
            try:
                self.api.window_action(window, "sign-in", request_id=new_request_id())
            except ApiError as exc:
                if exc.code != "window_taken":
                    raise
                return "taken", self._fetch_state(window)
            return "open", self._fetch_state(window)

        self._call(work, lambda result: self._window_answer(window, *result), self._login_failed)

    def _window_answer(self, window: int, outcome: str, state: dict) -> None:
        if outcome == "open":
            self._enter(window, state)
            return
        self.login_busy = False
        w = state["window"]
        current = w.get("current") or {}
        if w.get("state") == "paused" and (w.get("pause_reason") or "").startswith("handover"):
            number = current.get("number")
            self.handover = _both(
                "handover_offer",
                self.lang,
                window=window,
                clerk=w.get("clerk") or "",
                ticket=pair("handover_ticket", "zh", number=number)[0] if number else "",
                ticket_en=pair("handover_ticket", "en", number=number)[0] if number else "",
            )
        else:
            self.login_error = tr("window_taken", self.lang, window=window, clerk=w.get("clerk"))
        self._render()

    def _load_then_enter(self, window: int) -> None:
        self._call(
            lambda: self._fetch_state(window),
            lambda state: self._enter(window, state),
            self._login_failed,
        )

    def _login_failed(self, exc: Exception) -> None:
        self.login_busy = False
        self._login_problem(self._explain(exc))
        if isinstance(exc, ApiUnavailable):
            self._api_down()

    def _login_problem(self, text: str) -> None:
        self.login_error = text
        self._render()

    def _enter(self, window: int, state: dict) -> None:
        """Signed in: the main screen, with whatever ticket the server says is current."""
        self.phase, self.window, self.login_busy, self.handover = "main", window, False, ""
        self.login_error = self.login_info = ""
        self.local.save(self.username, window)
        self._apply_state(state)
        self._api_up()
        self._start_live()
        self._start_timer("refresh", self.config.refresh_seconds, self._load_state, True)
        self._load_cases()
        if self.appointments is not None:
            self.appointments.start(self._window_items())

    def _leave(self, info: str = "", error: str = "") -> None:
        """Back to the login screen; the token is revoked in the background."""
        self._close_live()
        for name in ("refresh", "debounce", "probe"):
            self._stop_timer(name)
        self.phase, self.state, self.busy, self.pending = "login", None, False, None
        self.checked, self._checked_for = set(), None
        self._reset_casework()
        if self.appointments is not None:
            self.appointments.stop()
        self.login_info, self.login_error, self.handover = info, error, ""
        self.message = ""
        self.view.show_message("")
        if self.user is None:
            self._render()
            return
        self.user, self.login_busy = None, True
        self._render()

        def done(_result=None):
            self.api.token = None
            self.login_busy = False
            self._render()

        self._call(lambda: _quietly(self.api.logout), done, done)

    # -- the clerk's actions -------------------------------------------------------------------
    def call_next(self) -> None:
        self._window_act("call_next", "call-next")

    def recall(self) -> None:
        self._window_act("recall", "recall")

    def start_serving(self) -> None:
        self._window_act("start", "start")

    def finish(self) -> None:
        self._window_act("finish", "finish")

    def no_show(self) -> None:
        self._window_act("no_show", "no-show")

    def resume(self) -> None:
        self._window_act("resume", "resume")

    def sign_out(self) -> None:
        self._window_act("sign_out", "sign-out")

    def transfer_dialog(self) -> None:
        current = self._current()
        if self._ready() and current and self.catalog and self.window is not None:
            self.view.open_transfer(
                b.transfer_choices(
                    current["number"], current["item"], self.window, self.catalog, self.lang
                )
            )
        elif self._ready():
            self._notice("no_ticket", "error")

    def transfer(self, to_item: str | None, to_window: int | None, note: str = "") -> None:
        if not to_item and not to_window:
            self._notice("target_required", "error")
            return
        body: dict[str, Any] = {}
        if to_item:
            body["to_item"] = to_item
        if to_window:
            body["to_window"] = int(to_window)
        if note and note.strip():
            body["note"] = note.strip()[:200]
        self._window_act("transfer", "transfer", body)

    def call_number_dialog(self) -> None:
        if self._ready():
            line = (self.state or {}).get("line", {}).get("next", [])
            self.view.open_call_number(tuple(e["number"] for e in line))

    def call_number(self, number: str, reason: str) -> None:
        """Call a specific ticket out of order; a reason is mandatory (and audited)."""
        number, reason = (number or "").strip().upper(), (reason or "").strip()
        if not number:
            self._notice("number_required", "error")
        elif not reason:
            self._notice("reason_required", "error")
        else:
            body = {"number": number, "reason": reason[:200]}
            self._window_act("call_number", "call", body)

    def requeue_dialog(self) -> None:
        if self._ready():
            self.view.open_requeue()

    def requeue(self, number: str) -> None:
        """Put a returning no-show back in the line (behind the hall's requeue_behind people)."""
        number = (number or "").strip().upper()
        if not number:
            self._notice("number_required", "error")
            return
        self._act(Pending("requeue", "requeue", number, on_ticket=True))

    def pause_toggle(self) -> None:
        """F9: resume a paused window, or ask for a pause reason."""
        if not self._ready():
            return
        if (self.state or {}).get("window", {}).get("state") == "paused":
            self.resume()
        else:
            self.view.open_pause(b.pause_choices(self.lang))

    def pause(self, reason: str, note: str = "") -> None:
        body = {"reason": reason}
        if note and note.strip():
            body["note"] = note.strip()[:100]
        self._window_act("pause", "pause", body)

    def retry_pending(self) -> None:
        """Send the pending action again now, with the same request id."""
        if self.pending is not None and not self.busy and self.phase == "main":
            self._send(self.pending)

    def toggle_material(self, index: int, checked: bool) -> None:
        if self.phase != "main":
            return
        (self.checked.add if checked else self.checked.discard)(index)
        self._render()

    def dismiss_message(self) -> None:
        self.message = ""
        self.view.show_message("")

    # -- sending actions -------------------------------------------------------------------------
    def _ready(self) -> bool:
        if self._stopped or self.phase != "main":
            return False
        if self.busy:
            self._notice("busy", "info")
            return False
        if self.pending is not None:
            self.view.show_notice(self._pending_text("pending_first"), "error")
            return False
        return True

    def _act(self, pending: Pending) -> None:
        if self._ready():
            self._send(pending)

    def _window_act(self, key: str, action: str, body: dict | None = None) -> None:
        """An action on the clerk's own window (none before sign-in)."""
        if self.window is not None:
            self._act(Pending(key, action, self.window, body or {}))

    def _send(self, pending: Pending) -> None:
        self.busy = True
        self._render()
        self._call(
            lambda: pending.send(self.api),
            lambda result: self._acted(pending, result),
            lambda exc: self._act_failed(pending, exc),
        )

    def _acted(self, pending: Pending, result: dict) -> None:
        self.pending = None
        self._api_up()
        if pending.action == "sign-out":
            self._leave(info=tr("signed_out", self.lang))
            return
        if pending.action == "pause" and pending.body.get("reason") == "handover":
            self._leave(info=tr("handover_done", self.lang))
            return
        ticket = (result or {}).get("ticket") or {}
        if pending.casework:
            self._case_acted(pending, result)
        else:
            self._ticket_acted(pending, ticket)
            if pending.action == "call-next" and not ticket:
                self._notice("nobody_waiting", "info")
            elif pending.action in SUCCESS:
                number = ticket.get("number") or pending.target
                self.view.show_notice(tr(SUCCESS[pending.action], self.lang, number=number), "ok")
        self._busy_until_load = self._loads_started + 1
        self._load_state()

    def _act_failed(self, pending: Pending, exc: Exception) -> None:
        self.busy = False
        if isinstance(exc, ApiUnavailable):
            self.pending = pending  # resent with the same request id once the backend answers
            self._api_down()
            self.view.show_notice(self._pending_text("pending_first"), "error")
            self._case_failed(pending, exc)
            self._render()
            return
        self.pending = None
        if isinstance(exc, ApiError) and exc.status == 401:
            self._leave(error=self._explain(exc))
            return
        if not self._case_failed(pending, exc):  # a waiting dialog shows it at its field
            self.view.show_notice(self._explain(exc), "error")
        self._load_state()

    def _pending_text(self, key: str) -> str:
        action = pair(self.pending.key, self.lang)[0] if self.pending else ""
        return tr(key, self.lang, action=action)

    # -- the counter state -----------------------------------------------------------------------
    def _fetch_state(self, window: int) -> dict:
        return self.api.get(self.api.hall_path(f"/windows/{window}"))

    def reload(self) -> None:
        """Fetch the counter state now (the periodic refresh and the probe do the same)."""
        self._load_state()

    def _reload_soon(self) -> None:
        if "debounce" not in self._timers:
            self._start_timer("debounce", self.config.debounce_seconds, self._debounced)

    def _debounced(self) -> None:
        self._timers.pop("debounce", None)
        self._load_state()

    def _load_state(self) -> None:
        if self._stopped or self.phase != "main" or self.window is None:
            return
        if self._loading:
            self._load_again = True
            return
        self._loading, self._load_again = True, False
        self._loads_started += 1
        ordinal, window = self._loads_started, self.window
        self._call(
            lambda: self._fetch_state(window),
            lambda state: self._state_loaded(ordinal, window, state),
            lambda exc: self._state_failed(ordinal, exc),
        )

    def _state_loaded(self, ordinal: int, window: int, state: dict) -> None:
        self._loading = False
        self._settle(ordinal)
        if self.phase != "main" or window != self.window:
            return
        self._api_up()
        w = state.get("window", {})
        if w.get("state") == "closed" or (
            self.display_name and w.get("clerk") and w["clerk"] != self.display_name
        ):
            who = w.get("clerk") or "—"
            self._leave(info=tr("window_taken", self.lang, window=window, clerk=who))
            return
        self._apply_state(state)
        if self._load_again:
            self._load_state()

    def _state_failed(self, ordinal: int, exc: Exception) -> None:
        self._loading = False
        self._settle(ordinal)
        if self.phase != "main":
            return
        if isinstance(exc, ApiUnavailable):
            self._api_down()
        elif isinstance(exc, ApiError) and exc.status == 401:
            self._leave(error=self._explain(exc))
        else:
            log.warning("counter state refused: %s", exc)
        self._render()
        if self._load_again and self.api_ok:
            self._load_state()

    def _settle(self, ordinal: int) -> None:
        """The reload that follows an action has come back: buttons are live again."""
        if self._busy_until_load is not None and ordinal >= self._busy_until_load:
            self._busy_until_load = None
            self.busy = False

    def _apply_state(self, state: dict) -> None:
        self.state = state
        current = state.get("current") or {}
        if current.get("id") != self._checked_for:
            self._checked_for, self.checked = current.get("id"), set()
        self._sync_case()
        self._render()

    def _current(self) -> dict | None:
        return (self.state or {}).get("current")

    # -- connection --------------------------------------------------------------------------------
    def _api_down(self) -> None:
        self.api_ok = False
        if "probe" not in self._timers:
            probe = self._load_state if self.phase == "main" else self._load_catalog
            self._start_timer("probe", self.config.retry_seconds, probe, True)
        self._render_connection()

    def _api_up(self) -> None:
        was = self.api_ok
        self.api_ok = True
        self._stop_timer("probe")
        self._render_connection()
        if not was:
            log.info("backend reachable again")
        if self.catalog is None:
            self._load_catalog()
        if self.pending is not None and not self.busy and self.phase == "main":
            self._send(self.pending)

    def _start_live(self) -> None:
        self._close_live()
        self._live_session += 1
        session = self._live_session

        def guard(fn):
            return lambda *args: fn(*args) if session == self._live_session else None

        self.live = self.live_factory(
            self.api.token,
            guard(self.on_snapshot),
            guard(self.on_event),
            guard(self.on_connection),
        )
        live = self.live
        self._call(live.connect, None, guard(self._live_failed))

    def _live_failed(self, exc: Exception) -> None:
        log.warning("live connection failed: %s", exc)
        self.live_ok = False
        self._render_connection()
        self._start_timer("live_retry", self.config.retry_seconds, self._retry_live)

    def _retry_live(self) -> None:
        if self.phase == "main" and not (self.live and getattr(self.live, "connected", False)):
            self._start_live()

    def _close_live(self) -> None:
        self._stop_timer("live_retry")
        self._live_session += 1
        live, self.live, self.live_ok = self.live, None, None
        if live is not None:
            self._call(live.close, None, None)

    def on_connection(self, up: bool) -> None:
        """The live socket connected or dropped (python-socketio reconnects by itself)."""
        if self._stopped:
            return
        self.live_ok = up
        if not up:
            self._load_state()  # also tells us whether the API itself is reachable
        self._render_connection()

    def on_snapshot(self, _snapshot: dict) -> None:
        """(Re)connected: the server sent its picture; reload ours and resend what is pending."""
        if self._stopped:
            return
        self.live_ok = True
        self._render_connection()
        self._load_state()
        self._load_cases()
        if self.appointments is not None and self.phase == "main":
            self.appointments.load()

    def on_event(self, event: dict) -> None:
        if self._stopped:
            return
        kind = event.get("type", "")
        if kind == "manager.message":
            data = event.get("data") or {}
            if data.get("window") in (None, self.window) and self.phase == "main":
                self.message = tr(
                    "manager_message",
                    self.lang,
                    sender=data.get("from") or "",
                    text=data.get("text", ""),
                )
                self.view.show_message(self.message)
        elif kind.startswith(EVENT_PREFIXES):
            self._reload_soon()
        elif kind.startswith(("case.", "referral.")):  # referral.*: a case of mine referred
            self._case_event(event)
        elif kind.startswith("appointment.") and self.appointments is not None:
            self.appointments.on_event(event)

    # -- 今日预约 (counter.appointments) -------------------------------------------------------------
    def _window_items(self) -> list[str]:
        if self.catalog is None or self.window is None:
            return []
        window = self.catalog.windows.get(self.window) or {}
        return list(window.get("items") or ())

    def open_appointments(self) -> None:
        if self.appointments is not None and self.phase == "main" and not self._stopped:
            self.close_cases()
            self.appointments.set_items(self._window_items())
            self.appointments.open()

    def close_appointments(self) -> None:
        if self.appointments is not None:
            self.appointments.close()

    def reload_appointments(self) -> None:
        if self.appointments is not None:
            self.appointments.load()

    # -- catalog -------------------------------------------------------------------------------------
    def _load_catalog(self) -> None:
        if not self._catalog_loading:
            self._catalog_loading = True
            self._call(self.api.catalog, self._catalog_loaded, self._catalog_failed)

    def _catalog_loaded(self, data: dict) -> None:
        self._catalog_loading = False
        self.catalog = b.Catalog.from_api(data)
        if self.appointments is not None and self.phase == "main":
            self.appointments.set_items(self._window_items())
        if self.phase == "login":
            self._api_up()
        self._render()

    def _catalog_failed(self, exc: Exception) -> None:
        self._catalog_loading = False
        log.warning("catalog not loaded: %s", exc)
        if isinstance(exc, ApiUnavailable):
            self._api_down()
        if self.phase == "login" and "probe" not in self._timers:
            self._start_timer("probe", self.config.retry_seconds, self._load_catalog, True)

    # -- rendering ------------------------------------------------------------------------------------
    def _render(self) -> None:
        if self._stopped:
            return
        if self.phase == "main" and self.state is not None:
            catalog = self.catalog or b.Catalog({}, {})
            screen = b.main_screen(self.state, catalog, self.checked, self.lang, self.busy)
            self.screen = self._with_cases(screen)
            self.view.show_main(self.screen)
            self._render_cases()
        else:
            self.screen = self._login_screen()
            self.view.show_login(self.screen)
        self._render_connection()

    def _login_screen(self) -> LoginScreen:
        windows = b.window_choices(self.catalog, self.lang) if self.catalog else ()
        info = self.login_info or ("" if self.catalog else tr("catalog_loading", self.lang))
        return LoginScreen(
            username=self.username,
            windows=windows,
            window=self.window,
            busy=self.login_busy,
            error=self.login_error,
            info=info,
            handover=self.handover,
            logged_in_as=self.user or "",
        )

    def _render_connection(self) -> None:
        if self._stopped:
            return
        ok = self.api_ok and (self.phase != "main" or self.live_ok is not False)
        text = tr("offline", self.lang)
        if self.pending is not None:
            text += "    " + self._pending_text("pending_retry")
        self.view.set_connection(Connection(ok, text, self.pending is not None and not self.busy))

    def _notice(self, key: str, level: str) -> None:
        self.view.show_notice(tr(key, self.lang), level)

    def _explain(self, exc: Exception) -> str:
        if isinstance(exc, ApiUnavailable):
            return tr("unreachable", self.lang)
        if isinstance(exc, ApiError):
            return error_text(exc.code, exc.message, self.lang)
        log.exception("unexpected error", exc_info=exc)
        return str(exc)


def _quietly(fn) -> None:
    """Best effort (logging out a token that may already be gone)."""
    try:
        fn()
    except (ApiError, ApiUnavailable) as exc:
        log.info("ignored: %s", exc)


def _both(key: str, lang: str, **values) -> str:
    """Both languages, each on its own line (for longer sentences)."""
    first, second = pair(key, lang, **values)
    return f"{first}\n{second}"
