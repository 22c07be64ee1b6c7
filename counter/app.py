"""Wire the counter together: config -> API client, live client factory, presenter, window."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clientlib.api import api_client
from clientlib.plumbing import Jobs
from clientlib.qtapp import qt_app
from clientlib.qtbridge import QtRunner, QtScheduler

from .appointments import AppointmentsPanel
from .config import CounterConfig
from .localstate import LocalState, default_path
from .presenter import Presenter
from .qtbridge import live_factory
from .views.style import apply_theme
from .views.window import CounterWindow

log = logging.getLogger(__name__)


@dataclass
class Counter:
    window: CounterWindow
    presenter: Presenter
    api: Any
    runner: QtRunner
    scheduler: QtScheduler
    print_runner: QtRunner | None = None  # its own pool: a stuck printer never blocks the API

    def close(self) -> None:
        """Stop timers and the live connection, let worker threads finish, close the window.
        The clerk stays signed in: after a restart the terminal comes back to the same ticket."""
        self.presenter.stop()
        self.scheduler.stop_all()
        self.window.close()
        self.runner.wait(15_000)
        if self.print_runner is not None:
            self.print_runner.wait(2_000)  # a print job has its own time limit; not waited for


def connect(window: CounterWindow, p: Presenter) -> None:
    """Every view signal to the presenter method that handles it."""
    w = window
    w.login_requested.connect(p.sign_in)
    w.take_over_requested.connect(p.take_over)
    w.call_next_requested.connect(p.call_next)
    w.recall_requested.connect(p.recall)
    w.start_requested.connect(p.start_serving)
    w.finish_requested.connect(p.finish)
    w.no_show_requested.connect(p.no_show)
    w.transfer_dialog_requested.connect(p.transfer_dialog)
    w.transfer_requested.connect(p.transfer)
    w.call_number_dialog_requested.connect(p.call_number_dialog)
    w.call_number_requested.connect(p.call_number)
    w.requeue_dialog_requested.connect(p.requeue_dialog)
    w.requeue_requested.connect(p.requeue)
    w.pause_toggle_requested.connect(p.pause_toggle)
    w.pause_requested.connect(p.pause)
    w.sign_out_requested.connect(p.sign_out)
    w.accept_case_requested.connect(p.accept_case)
    w.notice_requested.connect(p.one_time_notice)
    w.evaluate_requested.connect(p.request_evaluation)
    w.print_requested.connect(p.print_case)
    w.accept_submitted.connect(p.submit_accept)
    w.missing_submitted.connect(p.submit_missing)
    w.cases_requested.connect(p.open_cases)
    w.cases_closed.connect(p.close_cases)
    w.cases_refresh_requested.connect(p.reload_cases)
    w.case_selected.connect(p.select_case)
    w.case_dialog_requested.connect(p.case_dialog)
    w.case_action_submitted.connect(p.case_action)
    w.lookup_unlock_dialog_requested.connect(p.lookup_unlock_dialog)
    w.lookup_unlock_submitted.connect(p.lift_lookup_lock)
    w.appointments_requested.connect(p.open_appointments)
    w.appointments_closed.connect(p.close_appointments)
    w.appointments_refresh_requested.connect(p.reload_appointments)
    w.material_toggled.connect(p.toggle_material)
    w.retry_requested.connect(p.retry_pending)
    w.message_dismissed.connect(p.dismiss_message)


def create_counter(config: CounterConfig, api: Any = None, live: Any = None) -> Counter:
    """Build (not show, not start) a counter; `api` and `live` (a live client factory) default
    to the real ones from config."""
    apply_theme(qt_app())
    window = CounterWindow(config.language)
    scheduler = QtScheduler(window)
    runner = QtRunner(threads=4)
    api = api if api is not None else api_client(config)
    live = live if live is not None else live_factory(config.backend_url)
    local = LocalState.load(
        Path(config.state_file) if config.state_file else default_path(config.hall)
    )
    printer, print_runner = None, None
    if config.printer is not None:
        from .printing import CounterPrinter

        printer, print_runner = CounterPrinter(config.printer), QtRunner(threads=1)
    appointments = AppointmentsPanel(
        window, api, Jobs(runner, scheduler), config.language, refresh_seconds=60.0
    )
    presenter = Presenter(
        window, api, live, scheduler, config, runner, local, printer, print_runner, appointments
    )
    connect(window, presenter)
    return Counter(window, presenter, api, runner, scheduler, print_runner)


def run(config: CounterConfig, size: tuple[int, int] | None = None) -> int:
    app = qt_app()
    counter = create_counter(config)
    if size:
        counter.window.resize(*size)
        counter.window.show()
    else:
        counter.window.showMaximized()
    counter.presenter.start()
    log.info("counter started for hall %s at %s", config.hall, config.backend_url)
    try:
        return app.exec()
    finally:
        counter.close()
