"""The counter, without widgets: a small presenter that wires its collaborators and routes the
view's signals to them. Login and sign-in, the clerk's actions done exactly once, live updates,
losing and regaining the connection, coming back after a restart.

What it is given (tests drive it without Qt):
- view: the setters of `View` below (counter.views.window.CounterWindow implements them);
- api: a clientlib.api.ApiClient;
- live_factory(token, on_snapshot, on_event, on_connection): a live client with `connect()`
  and `close()` whose callbacks arrive on the presenter's (GUI) thread;
- scheduler: `after(seconds, fn)` / `every(seconds, fn)` returning a handle with `cancel()`;
- runner: `run(fn, on_done, on_error)` calling `fn` off the GUI thread, callbacks back on it;
- local: a counter.localstate.LocalState (last username and window; nothing secret);
- printer (optional): a counter.printing.CounterPrinter, with its own `print_runner`;
- appointments (optional): a counter.appointments.AppointmentsPanel (今日预约).

What it makes of them, each given only what it needs:
- jobs (clientlib.plumbing.Jobs): background calls and named timers, all silenced by stop();
- shift (counter.shift.Shift): who is signed in where, the counter state, the pending action;
- actions (counter.actions.Actions): one action at a time, sent exactly once;
- login (counter.login.Login), queue (counter.queuework.QueueWork): sign-in and the queue;
- desk (counter.casework.CaseDesk): 受理, 一次性告知, 评价, My cases;
- receipts (counter.casereceipts.Receipts): the case receipts, on the printer's own runner;
- locks (counter.lookuplocks.LookupLocks): 解除查询锁定;
- states (counter.stateload.StateLoader) and link (counter.livelink.LiveLink): the counter
  state and the live socket.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from clientlib.api import ApiError, ApiUnavailable
from clientlib.link import CatalogFetch, Probe
from clientlib.plumbing import Jobs, Runner, Scheduler

from . import builders as b
from .actions import Actions
from .casereceipts import Receipts
from .casework import CaseDesk, CaseView
from .config import CounterConfig
from .i18n import tr
from .livelink import LiveLink
from .localstate import LocalState
from .login import Login, quietly
from .lookuplocks import LookupLocks, LookupView
from .pending import Pending
from .queuework import QueueView, QueueWork
from .screens import (
    Connection,
    LoginScreen,
    MainScreen,
)
from .shift import Shift
from .stateload import StateLoader

log = logging.getLogger(__name__)


class View(CaseView, QueueView, LookupView, Protocol):
    """What the collaborators draw on, and the presenter's own setters."""

    def show_login(self, screen: LoginScreen) -> None: ...

    def show_main(self, screen: MainScreen) -> None: ...

    def set_connection(self, connection: Connection) -> None: ...

    def show_message(self, text: str) -> None: ...


EVENT_PREFIXES = ("ticket.", "window.")
__all__ = ["Pending", "Presenter", "View"]


class Presenter:
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
        self.view, self.api, self.config, self.local = view, api, config, local
        self.appointments = appointments
        self.lang = config.language
        self.message = ""
        self.screen: LoginScreen | MainScreen | None = None
        jobs = self.jobs = Jobs(runner, scheduler)
        self.catalogs = CatalogFetch(
            api, jobs, b.Catalog.from_api, self._catalog_loaded, self._catalog_failed
        )
        self.probe = Probe(jobs, config.retry_seconds)  # backend down: retry until it answers
        shift = self.shift = Shift(self.lang, local.username, local.window or config.window)
        render = self._render
        actions = self.actions = Actions(api, view, jobs, shift, render, self._acted, self._failed)
        self.login = Login(
            api, jobs, shift, render, self._enter, self._api_down, self.catalogs.load
        )
        self.queue = QueueWork(view, shift, actions, render)
        self.receipts = Receipts(
            printer, print_runner, view, jobs, shift, config.backend_url, render
        )
        self.desk = CaseDesk(api, view, jobs, shift, actions, config, render, self.receipts)
        self.locks = LookupLocks(api, view, jobs, actions, self.lang, self._lock_number)
        self.states = StateLoader(
            api, jobs, shift, config.debounce_seconds, self._state_loaded, self._state_failed
        )
        self.link = LiveLink(
            live_factory,
            api,
            jobs,
            shift,
            config.retry_seconds,
            self.on_snapshot,
            self.on_event,
            self.on_connection,
            self._render_connection,
        )
        # The view's signals, each to the collaborator that handles it (counter.app.connect).
        login, queue, desk, locks = self.login, self.queue, self.desk, self.locks
        self.sign_in = login.sign_in
        self.take_over = login.take_over
        self.call_next = queue.call_next
        self.recall = queue.recall
        self.start_serving = queue.start_serving
        self.finish = queue.finish
        self.no_show = queue.no_show
        self.sign_out = queue.sign_out
        self.transfer_dialog = queue.transfer_dialog
        self.transfer = queue.transfer
        self.call_number_dialog = queue.call_number_dialog
        self.call_number = queue.call_number
        self.requeue_dialog = queue.requeue_dialog
        self.requeue = queue.requeue
        self.pause_toggle = queue.pause_toggle
        self.pause = queue.pause
        self.resume = queue.resume
        self.toggle_material = queue.toggle_material
        self.accept_case = desk.accept_case
        self.submit_accept = desk.submit_accept
        self.one_time_notice = desk.one_time_notice
        self.submit_missing = desk.submit_missing
        self.request_evaluation = desk.request_evaluation
        self.print_case = desk.print_case
        self.open_cases = desk.open_cases
        self.close_cases = desk.close_cases
        self.reload_cases = desk.reload_cases
        self.select_case = desk.select_case
        self.case_dialog = desk.case_dialog
        self.case_action = desk.case_action
        self.lookup_unlock_dialog = locks.lookup_unlock_dialog
        self.lift_lookup_lock = locks.lift_lookup_lock

    # -- what tests and the window read -------------------------------------------------------
    @property
    def pending(self) -> Pending | None:
        return self.shift.pending

    @property
    def busy(self) -> bool:
        return self.shift.busy

    @property
    def user(self) -> str | None:
        return self.shift.user

    @property
    def checked(self) -> set[int]:
        return self.shift.checked

    @property
    def live(self) -> Any:
        return self.link.live

    @property
    def live_ok(self) -> bool | None:
        return self.shift.live_ok

    @property
    def case(self) -> dict | None:
        return self.desk.case

    @property
    def cases(self) -> list[dict] | None:
        return self.desk.cases

    @property
    def printer(self) -> Any:
        return self.receipts.printer

    @property
    def printing(self) -> bool:
        return self.receipts.printing

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> None:
        self._render()
        self.catalogs.load()

    def stop(self) -> None:
        """Cancel timers, close the live connection, ignore answers still on their way."""
        self.jobs.stop()
        self.link.close()
        if self.appointments is not None:
            self.appointments.stop()

    def retry_pending(self) -> None:
        """Send the pending action again now, with the same request id."""
        shift = self.shift
        if shift.pending is not None and not shift.busy and shift.phase == "main":
            self.actions.send(shift.pending)

    def dismiss_message(self) -> None:
        self.message = ""
        self.view.show_message("")

    def reload(self) -> None:
        """Fetch the counter state now (the periodic refresh and the probe do the same)."""
        self.states.load()

    # -- signed in, signed out ----------------------------------------------------------------
    def _enter(self, window: int, state: dict) -> None:
        """Signed in: the main screen, with whatever ticket the server says is current."""
        shift = self.shift
        shift.phase, shift.window = "main", window
        self.local.save(shift.username, window)
        self._apply_state(state)
        self._api_up()
        self.link.start()
        self.jobs.start_timer("refresh", self.config.refresh_seconds, self.states.load, True)
        self.desk.load_cases()
        if self.appointments is not None:
            self.appointments.start(self._window_items())

    def _leave(self, info: str = "", error: str = "") -> None:
        """Back to the login screen; the token is revoked in the background."""
        self.link.close()
        for name in ("refresh", "debounce"):
            self.jobs.stop_timer(name)
        self.probe.up()
        shift = self.shift
        shift.phase, shift.state, shift.busy, shift.pending = "login", None, False, None
        shift.checked, shift.checked_for = set(), None
        self.desk.reset()
        if self.appointments is not None:
            self.appointments.stop()
        self.login.left(info, error)
        self.message = ""
        self.view.show_message("")
        if shift.user is None:
            self._render()
            return
        shift.user, self.login.busy = None, True
        self._render()

        def done(_result=None):
            self.api.token = None
            self.login.busy = False
            self._render()

        self.jobs.call(lambda: quietly(self.api.logout), done, done)

    # -- answers to the clerk's actions ----------------------------------------------------------
    def _acted(self, pending: Pending, result: dict) -> None:
        self.shift.pending = None
        self._api_up()
        if pending.action == "sign-out":
            self._leave(info=tr("signed_out", self.lang))
            return
        if pending.action == "pause" and pending.body.get("reason") == "handover":
            self._leave(info=tr("handover_done", self.lang))
            return
        ticket = (result or {}).get("ticket") or {}
        if pending.casework:
            self.desk.acted(pending, result)
        else:
            self.desk.ticket_acted(pending, ticket)
            self.queue.answered(pending, ticket)
        self.states.after_action()

    def _failed(self, pending: Pending, exc: Exception) -> None:
        self.shift.busy = False
        if isinstance(exc, ApiUnavailable):
            self.shift.pending = pending  # resent with the same request id once the backend answers
            self._api_down()
            self.view.show_notice(self.actions.pending_text("pending_first"), "error")
            self.desk.failed(pending, exc)
            self._render()
            return
        self.shift.pending = None
        if isinstance(exc, ApiError) and exc.status == 401:
            self._leave(error=self.actions.explain(exc))
            return
        if not self.desk.failed(pending, exc):  # a waiting dialog shows it at its field
            self.view.show_notice(self.actions.explain(exc), "error")
        self.states.load()

    # -- the counter state -----------------------------------------------------------------------
    def _state_loaded(self, window: int, state: dict) -> None:
        self._api_up()
        w = state.get("window", {})
        name = self.shift.display_name
        if w.get("state") == "closed" or (name and w.get("clerk") and w["clerk"] != name):
            who = w.get("clerk") or "—"
            self._leave(info=tr("window_taken", self.lang, window=window, clerk=who))
            return
        self._apply_state(state)

    def _state_failed(self, exc: Exception) -> None:
        if isinstance(exc, ApiUnavailable):
            self._api_down()
        elif isinstance(exc, ApiError) and exc.status == 401:
            self._leave(error=self.actions.explain(exc))
        else:
            log.warning("counter state refused: %s", exc)
        self._render()

    def _apply_state(self, state: dict) -> None:
        shift = self.shift
        shift.state = state
        current = state.get("current") or {}
        if current.get("id") != shift.checked_for:
            shift.checked_for, shift.checked = current.get("id"), set()
        self.desk.sync_case()
        self._render()

    def _lock_number(self) -> str:
        """The case number 解除查询锁定 starts with: the one selected, or the one at the counter."""
        return self.desk.selected_case or (self.desk.case or {}).get("number") or ""

    # -- connection --------------------------------------------------------------------------------
    def _api_down(self) -> None:
        self.shift.api_ok = False
        self.probe.down(self.states.load if self.shift.phase == "main" else self.catalogs.load)
        self._render_connection()

    def _api_up(self) -> None:
        shift = self.shift
        was, shift.api_ok = shift.api_ok, True
        self.probe.up()
        self._render_connection()
        if not was:
            log.info("backend reachable again")
        if shift.catalog is None:
            self.catalogs.load()
        if shift.pending is not None and not shift.busy and shift.phase == "main":
            self.actions.send(shift.pending)

    def on_connection(self, up: bool) -> None:
        """The live socket connected or dropped (python-socketio reconnects by itself)."""
        if self.jobs.stopped:
            return
        self.shift.live_ok = up
        if not up:
            self.states.load()  # also tells us whether the API itself is reachable
        self._render_connection()

    def on_snapshot(self, _snapshot: dict) -> None:
        """(Re)connected: the server sent its picture; reload ours and resend what is pending."""
        if self.jobs.stopped:
            return
        self.shift.live_ok = True
        self._render_connection()
        self.states.load()
        self.desk.load_cases()
        if self.appointments is not None and self.shift.phase == "main":
            self.appointments.load()

    def on_event(self, event: dict) -> None:
        if self.jobs.stopped:
            return
        kind = event.get("type", "")
        if kind == "manager.message":
            data = event.get("data") or {}
            if data.get("window") in (None, self.shift.window) and self.shift.phase == "main":
                self.message = tr(
                    "manager_message",
                    self.lang,
                    sender=data.get("from") or "",
                    text=data.get("text", ""),
                )
                self.view.show_message(self.message)
        elif kind.startswith(EVENT_PREFIXES):
            self.states.soon()
        elif kind.startswith(("case.", "referral.")):  # referral.*: a case of mine referred
            self.desk.on_event(event)
        elif kind.startswith("appointment.") and self.appointments is not None:
            self.appointments.on_event(event)

    # -- 今日预约 (counter.appointments) -------------------------------------------------------------
    def _window_items(self) -> list[str]:
        catalog, number = self.shift.catalog, self.shift.window
        if catalog is None or number is None:
            return []
        window = catalog.windows.get(number) or {}
        return list(window.get("items") or ())

    def open_appointments(self) -> None:
        if self.appointments is not None and self.shift.phase == "main" and not self.jobs.stopped:
            self.desk.close_cases()
            self.appointments.set_items(self._window_items())
            self.appointments.open()

    def close_appointments(self) -> None:
        if self.appointments is not None:
            self.appointments.close()

    def reload_appointments(self) -> None:
        if self.appointments is not None:
            self.appointments.load()

    # -- catalog -------------------------------------------------------------------------------------
    def _catalog_loaded(self, catalog: b.Catalog, _changed: bool) -> None:
        self.shift.catalog = catalog
        if self.appointments is not None and self.shift.phase == "main":
            self.appointments.set_items(self._window_items())
        if self.shift.phase == "login":
            self._api_up()
        self._render()

    def _catalog_failed(self, exc: Exception) -> None:
        log.warning("catalog not loaded: %s", exc)
        if isinstance(exc, ApiUnavailable):
            self._api_down()
        if self.shift.phase == "login":
            self.probe.down(self.catalogs.load)  # refused, not down: keep asking all the same

    # -- rendering ------------------------------------------------------------------------------------
    def _render(self) -> None:
        if self.jobs.stopped:
            return
        shift = self.shift
        if shift.phase == "main" and shift.state is not None:
            catalog = shift.catalog_or_empty()
            screen = b.main_screen(shift.state, catalog, shift.checked, self.lang, shift.busy)
            self.screen = self.desk.with_cases(screen)
            self.view.show_main(self.screen)
            self.desk.render_cases()
        else:
            self.screen = self.login.screen()
            self.view.show_login(self.screen)
        self._render_connection()

    def _render_connection(self) -> None:
        if self.jobs.stopped:
            return
        shift = self.shift
        ok = shift.api_ok and (shift.phase != "main" or shift.live_ok is not False)
        text = tr("offline", self.lang)
        if shift.pending is not None:
            text += "    " + self.actions.pending_text("pending_retry")
        self.view.set_connection(Connection(ok, text, shift.pending is not None and not shift.busy))
