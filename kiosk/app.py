"""Wire the kiosk together: config -> API client, printer, presenter, window."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from clientlib import api as clientapi
from clientlib.api import ApiClient
from clientlib.qtapp import qt_app
from clientlib.qtbridge import QtRunner, QtScheduler

from .config import KioskConfig
from .presenter import Presenter
from .printer import KioskPrinter
from .views.style import apply_theme
from .views.window import KioskWindow
from .voice import speaker_for

log = logging.getLogger(__name__)


@dataclass
class Kiosk:
    window: KioskWindow
    presenter: Presenter
    api: Any
    printer: Any
    runner: QtRunner
    print_runner: QtRunner
    voice_runner: QtRunner
    scheduler: QtScheduler

    def close(self) -> None:
        """Stop timers, drop late answers, let worker threads finish, close the window."""
        self.presenter.stop()
        self.scheduler.stop_all()
        self.window.release()
        self.window.close()
        self.runner.wait(10_000)
        self.print_runner.wait(int(self.presenter.config.printer.job_timeout * 1000) + 5000)
        self.presenter.speaker.stop()
        self.voice_runner.wait(5000)


def api_client(config: KioskConfig) -> ApiClient:
    return clientapi.api_client(config, config.token)


def connect(window: KioskWindow, p: Presenter) -> None:
    """Every view signal to the presenter method that handles it."""
    w = window
    w.home_requested.connect(p.go_home)
    w.back_requested.connect(p.back)
    w.language_requested.connect(p.language_button)
    w.language_chosen.connect(p.choose_language)
    w.languages_dismissed.connect(p.close_languages)
    w.department_chosen.connect(p.open_department)
    w.item_chosen.connect(p.open_item)
    w.search_opened.connect(p.open_search)
    w.letter_typed.connect(p.type_letter)
    w.letter_erased.connect(p.erase_letter)
    w.search_cleared.connect(p.clear_search)
    w.green_opened.connect(p.open_green_channel)
    w.green_reason_chosen.connect(p.choose_green_reason)
    w.appointment_opened.connect(p.open_appointment)
    w.appointment_digit.connect(p.appointment_digit)
    w.appointment_erased.connect(p.appointment_erase)
    w.appointment_cleared.connect(p.appointment_clear)
    w.appointment_submitted.connect(p.submit_appointment)
    w.appointment_switched.connect(p.switch_appointment_way)
    w.case_query_opened.connect(p.open_case_query)
    w.case_digit.connect(p.case_digit)
    w.case_erased.connect(p.case_erase)
    w.case_cleared.connect(p.case_clear)
    w.case_continued.connect(p.case_continue)
    w.case_print_requested.connect(p.print_case_result)
    w.case_again_requested.connect(p.new_case_query)
    w.take_ticket_requested.connect(p.take_ticket)
    w.print_guide_requested.connect(p.print_guide)
    w.reprint_requested.connect(p.reprint)
    w.done_requested.connect(p.go_home)
    w.speak_requested.connect(p.speak)
    w.activity.connect(p.user_activity)


def create_kiosk(
    config: KioskConfig, api: Any = None, printer: Any = None, speaker: Any = None
) -> Kiosk:
    """Build (not show) a kiosk; `api`, `printer` and `speaker` default to the real ones."""
    apply_theme(qt_app())
    window = KioskWindow()
    scheduler = QtScheduler(window)
    runner = QtRunner(threads=4)
    print_runner = QtRunner(threads=1)  # one job at a time; never blocks network calls
    voice_runner = QtRunner(threads=1)  # one sentence at a time
    api = api if api is not None else api_client(config)
    printer = printer if printer is not None else KioskPrinter(config.printer)
    speaker = speaker if speaker is not None else speaker_for(config.voice)
    presenter = Presenter(
        window, api, printer, scheduler, config, runner, print_runner, speaker, voice_runner
    )
    connect(window, presenter)
    return Kiosk(window, presenter, api, printer, runner, print_runner, voice_runner, scheduler)


def run(config: KioskConfig, windowed: bool = False, size: tuple[int, int] = (1080, 1920)) -> int:
    app = qt_app()
    kiosk = create_kiosk(config)
    if windowed:
        kiosk.window.resize(*size)
        kiosk.window.show()
    else:
        QApplication.setOverrideCursor(Qt.CursorShape.BlankCursor)  # a touchscreen has no pointer
        kiosk.window.showFullScreen()
    kiosk.presenter.start()
    log.info("kiosk %s started for hall %s at %s", config.kiosk, config.hall, config.backend_url)
    try:
        return app.exec()
    finally:
        kiosk.close()
