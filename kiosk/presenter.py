"""All kiosk behaviour, without widgets: navigation, search, green channel, taking a ticket
exactly once, idle reset with its countdown, voice guidance and what each screen shows.

Composed (cf. Mu's ``Editor(view)``): the printer (kiosk.printflow.Printing), the link to the
backend (kiosk.backendlink.BackendLink), the case query (kiosk.caseflow.CaseQuery), the
appointment check-in (kiosk.appointflow.CheckIn), taking a ticket (kiosk.ticketflow.Tickets) and
the idle timeout (kiosk.idle.Idle) are collaborators built here, each given only what it needs:
the api or printer, the shared clientlib.plumbing.Jobs (runner and timers), the visit's
kiosk.session.Session, and this presenter as its kiosk.session.Navigator. The resident's taps
arrive here (the view's signals, kiosk.app.connect) and are handed on; the screens are built here.
"""

from __future__ import annotations

import logging
from typing import Any

from clientlib.api import ApiUnavailable
from clientlib.plumbing import Jobs, Runner, Scheduler

from . import builders as b
from . import speech
from .appointflow import CheckIn
from .backendlink import BackendLink
from .caseflow import CaseQuery
from .catalog import Catalog
from .config import KioskConfig
from .idle import Idle
from .ports import View, touch
from .printflow import Printing
from .render import Screens, language_choices
from .screens import LanguageChoice
from .session import Session
from .ticketflow import Tickets
from .voice import NullSpeaker

log = logging.getLogger(__name__)

MAX_QUERY = 12


class Presenter:
    """The kiosk's behaviour; the views only show what it hands them and report taps."""

    def __init__(
        self,
        view: View,
        api: Any,
        printer: Any,
        scheduler: Scheduler,
        config: KioskConfig,
        runner: Runner,
        print_runner: Runner | None = None,
        speaker: Any = None,
        voice_runner: Runner | None = None,
    ):
        self.view, self.api, self.config = view, api, config
        self.speaker = speaker or NullSpeaker()
        self.voice_runner = voice_runner or runner
        self.jobs = Jobs(runner, scheduler)
        self.session = s = Session(config.language)
        self.printing = Printing(
            printer,
            self.jobs,
            print_runner or runner,
            s,
            self,
            config.retry_seconds,
            report=lambda: self.link.report(),
        )
        self.link = BackendLink(api, config, self.jobs, s, self, self.printing)
        self.cases = CaseQuery(api, self.jobs, s, self, self.link, self.printing, config.hall)
        self.checkin = CheckIn(
            api, self.jobs, s, self, self.link, lambda *shown: self.tickets.show(*shown)
        )
        self.tickets = Tickets(
            api, config, self.jobs, s, self, self.link, self.printing, self.checkin
        )
        self.idle = Idle(
            self.jobs, s, view, config, lambda: s.issuing or self.checkin.busy, self.reset
        )
        self.details: dict[str, dict | None] = {}  # item code -> GET /items/<code>
        self.screens = Screens(s, self.tickets, self.checkin, self.cases, self.details)
        self.screen: Any = None

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> None:
        self.render()
        self.link.start()

    def stop(self) -> None:
        """Cancel every timer and ignore answers still on their way."""
        self.jobs.stop()

    def check_connection(self) -> None:
        """Reload the catalog now, as the periodic retry does (offline -> ready if it answers)."""
        self.link.load_catalog()

    # -- the visit, as views and tests read it (kept in the shared Session) ---------------------
    @property
    def state(self) -> str:
        return self.session.state

    @property
    def catalog(self) -> Catalog | None:
        return self.session.catalog

    @property
    def issued(self) -> b.Issued | None:
        return self.session.issued

    @property
    def language(self) -> str:
        return self.session.language

    @language.setter
    def language(self, code: str) -> None:
        self.session.language = code

    @property
    def nav(self) -> list[tuple]:
        return self.session.nav

    @nav.setter
    def nav(self, entries: list[tuple]) -> None:
        self.session.nav = entries

    @property
    def mode(self) -> b.Mode | None:
        return self.session.mode

    @mode.setter
    def mode(self, mode: b.Mode | None) -> None:
        self.session.mode = mode

    @property
    def top(self) -> tuple:
        return self.session.top

    # -- navigation --------------------------------------------------------------------------

    @touch
    def go_home(self) -> None:
        self.home()

    @touch
    def back(self) -> None:
        if len(self.nav) > 1 and self.top[0] != "confirmation":
            self.nav.pop()
            if self.top == ("home",):
                self.mode = None
            self.navigated()

    # -- language: any with a catalogue (i18n/messages/<code>/), discovered, none hard-coded ----
    def language_choices(self) -> tuple[LanguageChoice, ...]:
        return language_choices()

    @touch
    def language_button(self) -> None:
        """The language button: with two languages it switches to the other; with more it
        opens (or closes) the row of languages, each named in itself."""
        others = [x.code for x in self.language_choices() if x.code != self.language]
        if len(others) == 1:
            self.choose_language(others[0])
            return
        self.session.choosing_language = not self.session.choosing_language and bool(others)
        self.render()

    @touch
    def choose_language(self, code: str) -> None:
        if code in {x.code for x in self.language_choices()}:
            self.language = code
        self.session.choosing_language = False
        self.render()

    @touch
    def close_languages(self) -> None:
        if self.session.choosing_language:
            self.session.choosing_language = False
            self.render()

    @touch
    def open_department(self, code: str) -> None:
        if self.catalog and self.catalog.department(code):
            self.push("items", code)

    @touch
    def open_item(self, code: str) -> None:
        item = self.catalog.item(code) if self.catalog else None
        if item is None or not item.available:  # 暂停取号 tiles are not tappable either
            return
        self.details.pop(code, None)
        self.push("guide", code)
        self.jobs.call(
            lambda: self.api.item(code),
            lambda data: self._detail_loaded(code, data),
            lambda exc: self._detail_failed(code, exc),
        )

    # -- search by pinyin initials or Chinese text --------------------------------------------
    @touch
    def open_search(self) -> None:
        self.session.query = ""
        self.push("search")

    @touch
    def search(self, query: str) -> None:
        """Set the whole query (the on-screen keypad types letter by letter instead)."""
        self.session.query = query.strip()[:MAX_QUERY]
        if self.top[0] == "search":
            self.render()
        else:
            self.push("search")

    @touch
    def type_letter(self, letter: str) -> None:
        letter = letter.lower()
        if len(letter) == 1 and letter.isascii() and letter.isalpha():
            self.session.query = (self.session.query + letter)[:MAX_QUERY]
            self.render()

    @touch
    def erase_letter(self) -> None:
        self.session.query = self.session.query[:-1]
        self.render()

    @touch
    def clear_search(self) -> None:
        self.session.query = ""
        self.render()

    # -- green channel and 我有预约 (kiosk.appointflow) ----------------------------------------
    @touch
    def open_green_channel(self) -> None:
        self.push("green")

    @touch
    def choose_green_reason(self, reason: str) -> None:
        if reason in b.GREEN_REASONS:
            self.mode = b.Mode("green", reason)
            self.push("departments")

    @touch
    def open_appointment(self) -> None:
        self.checkin.open()

    @touch
    def switch_appointment_way(self) -> None:
        self.checkin.switch_way()

    @touch
    def appointment_digit(self, digit: str) -> None:
        self.checkin.digit(digit)

    @touch
    def appointment_erase(self) -> None:
        self.checkin.erase()

    @touch
    def appointment_clear(self) -> None:
        self.checkin.clear()

    @touch
    def submit_appointment(self) -> None:
        self.checkin.submit()

    # -- 办件查询 (kiosk.caseflow) ----------------------------------------------------------------
    @touch
    def open_case_query(self) -> None:
        self.cases.open()

    @touch
    def case_digit(self, digit: str) -> None:
        self.cases.digit(digit)

    @touch
    def case_erase(self) -> None:
        self.cases.erase()

    @touch
    def case_clear(self) -> None:
        self.cases.clear()

    def case_continue(self) -> None:
        """The big button under the number or the phone digits: 下一步 or 查询."""
        step = self.top[1] if self.top[0] == "case" else ""
        if step == "number":
            self.case_next()
        elif step == "phone":
            self.submit_case_query()

    @touch
    def case_next(self) -> None:
        self.cases.next()

    @touch
    def submit_case_query(self) -> None:
        self.cases.submit()

    @touch
    def new_case_query(self) -> None:
        self.cases.again()

    @touch
    def print_case_result(self) -> None:
        self.cases.print_result()

    @property
    def case_prefix(self) -> str:
        return self.cases.prefix

    @property
    def case_digits(self) -> str:
        return self.cases.digits

    @property
    def case_phone(self) -> str:
        return self.cases.phone

    @property
    def case_found(self) -> dict | None:
        return self.cases.found

    @property
    def case_busy(self) -> bool:
        return self.cases.busy

    # -- printing (kiosk.printflow) ---------------------------------------------------------------
    @touch
    def reprint(self) -> None:
        self.printing.reprint()

    @touch
    def print_guide(self) -> None:
        self.printing.print_guide()

    # -- taking a ticket ------------------------------------------------------------------------
    @touch
    def take_ticket(self) -> None:
        """Issue a ticket for the item on screen, exactly once (kiosk.ticketflow)."""
        self.tickets.take()

    def _detail_loaded(self, code: str, data: dict) -> None:
        self.details[code] = data
        if self.top == ("guide", code):
            self.render()

    def _detail_failed(self, code: str, exc: Exception) -> None:
        self.details[code] = None
        if isinstance(exc, ApiUnavailable):
            self.link.go_offline(exc)
        elif self.top == ("guide", code):
            self.render()

    def user_activity(self) -> None:
        """Any touch on the screen restarts the idle timeout (kiosk.idle)."""
        self.idle.touched()

    # -- voice guidance -------------------------------------------------------------------------
    @touch
    def speak(self) -> None:
        """语音播报: the screen's title and, on a guide, the item's key facts, off the GUI thread."""
        if not self.speaker.available or self.screen is None:
            return
        text = speech.spoken_text(self, self.screen, self.language)
        if text:
            lang, speaker = self.language, self.speaker
            self.jobs.call(
                lambda: speaker.speak(text, lang),
                None,
                lambda exc: log.warning("voice guidance failed: %s", exc),
                self.voice_runner,
            )

    def reset(self) -> None:
        """Back to the home screen in the kiosk's own language, as for the next resident."""
        self.language = self.config.language
        self.home()

    # -- internals ------------------------------------------------------------------------------
    def home(self) -> None:
        self.nav = [("home",)]
        self.mode, self.session.query, self.session.intent = None, "", None
        self.checkin.forget()
        self.cases.forget()
        self.tickets.leave_confirmation()
        self.navigated()

    def push(self, *entry: str) -> None:
        self.nav.append(entry)
        self.navigated()

    def navigated(self) -> None:
        self.session.notice, self.session.guide_print, self.cases.notice = None, None, None
        self.session.choosing_language = False
        self.render()

    # -- rendering (kiosk.render) -------------------------------------------------------------
    def render(self) -> None:
        if self.jobs.stopped:
            return
        self.screen = self.screens.build()
        self.view.set_chrome(self.screens.chrome(self.speaker.available))
        self.view.show_screen(self.screen)
