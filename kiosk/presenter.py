"""All kiosk behaviour, without widgets: navigation, search, green channel, taking a ticket
exactly once, idle reset with its countdown, voice guidance and what each screen shows.
Printing, the link to the backend, the case query and the appointment check-in are in
kiosk.printflow, kiosk.backendlink, kiosk.caseflow and kiosk.appointflow; collaborators in
kiosk.ports.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from clientlib.api import ApiError, ApiUnavailable, new_request_id
from clientlib.plumbing import Runner, Scheduler
from clientlib.printing import Condition

from . import builders as b
from . import speech
from .appointflow import AppointmentFlow
from .backendlink import BackendLink, out_of_service_screen, refused
from .caseflow import CaseFlow
from .catalog import Catalog, Item
from .config import KioskConfig
from .i18n import languages, pair, pick, tr
from .ports import View, touch
from .printflow import PrintFlow
from .screens import Chrome, GuideScreen, LanguageChoice
from .voice import NullSpeaker

log = logging.getLogger(__name__)

MAX_QUERY = 12


@dataclass
class Intent:
    """One "take a ticket" for one item and priority: one request id, reused by every retry,
    so the backend can never issue it twice."""

    item_code: str
    priority: str
    reason: str | None
    request_id: str

    @property
    def key(self) -> tuple:
        return (self.item_code, self.priority, self.reason)


class Presenter(PrintFlow, BackendLink, CaseFlow, AppointmentFlow):
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
        self.view, self.api, self.printer = view, api, printer
        self.scheduler, self.config = scheduler, config
        self.runner, self.print_runner = runner, print_runner or runner
        self.speaker = speaker or NullSpeaker()
        self.voice_runner = voice_runner or self.runner
        self.language = config.language
        self.choosing_language = False  # the row 中文 · English · ئۇيغۇرچە is open
        self.state = "starting"  # starting | ready | offline | out_of_service
        self.offline_reason = ""
        self.catalog: Catalog | None = None
        self.nav: list[tuple] = [("home",)]
        self.mode: b.Mode | None = None
        self.query = ""
        self._forget_appointment()  # 我有预约: digits typed, a check-in in flight
        self.idle_left = 0  # seconds on the countdown before going home (0: none shown)
        self.details: dict[str, dict | None] = {}  # item code -> GET /items/<code>
        self.intent: Intent | None = None
        self.issuing = False
        self.notice: Callable[[str], str] | None = None  # why the last ticket request failed
        self.guide_print: tuple[str, tuple[str, str]] | None = None  # state, cause
        self.issued: b.Issued | None = None
        self.printing_ticket = False
        self.printing_guide = False
        self.printing_case = False
        self._case_seq = 0
        self._forget_case()  # 办件查询: digits typed, the answer shown (kiosk.caseflow)
        self.leave_after_print = False
        self.printer_condition = Condition.UNKNOWN
        self.printer_message = ""
        self.screen: Any = None
        self._checking_printer = False
        self._catalog_loading = False
        self._timers: dict[str, Any] = {}
        self._stopped = False

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> None:
        self._render()
        self._load_catalog()
        self._check_printer()
        self._start_timer("heartbeat", self.config.heartbeat_seconds, self._heartbeat, True)
        self._start_timer(
            "refresh", self.config.catalog_refresh_seconds, self._refresh_catalog, True
        )

    def stop(self) -> None:
        """Cancel every timer and ignore answers still on their way."""
        self._stopped = True
        for name in list(self._timers):
            self._stop_timer(name)

    # -- navigation --------------------------------------------------------------------------
    @property
    def top(self) -> tuple:
        return self.nav[-1]

    @touch
    def go_home(self) -> None:
        self._home()

    @touch
    def back(self) -> None:
        if len(self.nav) > 1 and self.top[0] != "confirmation":
            self.nav.pop()
            if self.top == ("home",):
                self.mode = None
            self._navigated()

    # -- language: any with a catalogue (i18n/messages/<code>/), discovered, none hard-coded ----
    def language_choices(self) -> tuple[LanguageChoice, ...]:
        return tuple(LanguageChoice(x["code"], x["name"], x["dir"]) for x in languages())

    @touch
    def language_button(self) -> None:
        """The language button: with two languages it switches to the other; with more it
        opens (or closes) the row of languages, each named in itself."""
        others = [x.code for x in self.language_choices() if x.code != self.language]
        if len(others) == 1:
            self.choose_language(others[0])
            return
        self.choosing_language = not self.choosing_language and bool(others)
        self._render()

    @touch
    def choose_language(self, code: str) -> None:
        if code in {x.code for x in self.language_choices()}:
            self.language = code
        self.choosing_language = False
        self._render()

    @touch
    def close_languages(self) -> None:
        if self.choosing_language:
            self.choosing_language = False
            self._render()

    @touch
    def open_department(self, code: str) -> None:
        if self.catalog and self.catalog.department(code):
            self._push("items", code)

    @touch
    def open_item(self, code: str) -> None:
        item = self.catalog.item(code) if self.catalog else None
        if item is None or not item.available:  # 暂停取号 tiles are not tappable either
            return
        self.details.pop(code, None)
        self._push("guide", code)
        self._call(
            lambda: self.api.item(code),
            lambda data: self._detail_loaded(code, data),
            lambda exc: self._detail_failed(code, exc),
        )

    # -- search by pinyin initials or Chinese text --------------------------------------------
    @touch
    def open_search(self) -> None:
        self.query = ""
        self._push("search")

    @touch
    def search(self, query: str) -> None:
        """Set the whole query (the on-screen keypad types letter by letter instead)."""
        self.query = query.strip()[:MAX_QUERY]
        if self.top[0] == "search":
            self._render()
        else:
            self._push("search")

    @touch
    def type_letter(self, letter: str) -> None:
        letter = letter.lower()
        if len(letter) == 1 and letter.isascii() and letter.isalpha():
            self.query = (self.query + letter)[:MAX_QUERY]
            self._render()

    @touch
    def erase_letter(self) -> None:
        self.query = self.query[:-1]
        self._render()

    @touch
    def clear_search(self) -> None:
        self.query = ""
        self._render()

    # -- green channel and appointments -------------------------------------------------------
    @touch
    def open_green_channel(self) -> None:
        self._push("green")

    @touch
    def choose_green_reason(self, reason: str) -> None:
        if reason in b.GREEN_REASONS:
            self.mode = b.Mode("green", reason)
            self._push("departments")

    # -- taking a ticket ------------------------------------------------------------------------
    @touch
    def take_ticket(self) -> None:
        """Issue a ticket for the item on screen. Taps while a request is in flight are
        ignored; a new tap after a failure reuses the same request id."""
        if self.issuing or self.state != "ready" or self.top[0] != "guide":
            return
        if not self._can_take(self.top[1]):
            return
        code = self.top[1]
        if self.mode is not None and self.mode.priority == "appointment":
            self.check_in_for_item(code)  # the booked item, found by the phone's last 4 digits
            return
        priority, reason = (self.mode.priority, self.mode.reason) if self.mode else ("normal", None)
        if self.intent is None or self.intent.key != (code, priority, reason):
            self.intent = Intent(code, priority, reason, new_request_id())
        intent, lang = self.intent, self.language
        self.issuing = True
        self.notice = None
        self._render()
        self._call(
            lambda: self.api.issue_ticket(
                intent.item_code, intent.request_id, intent.priority, intent.reason, lang
            ),
            lambda result: self._issued(intent, result),
            lambda exc: self._issue_failed(intent, exc),
        )

    def _issued(self, intent: Intent, result: dict) -> None:
        self.issuing = False
        if self.intent is intent:
            self.intent = None
        mode = b.Mode(intent.priority, intent.reason or "") if intent.priority != "normal" else None
        self._show_ticket(intent.item_code, result, mode)

    def _show_ticket(self, code: str, result: dict, mode: b.Mode | None) -> None:
        """The confirmation of an issued ticket (or of an appointment check-in), then print."""
        item = self.catalog.item(code) if self.catalog else None
        if item is None:  # catalog reloaded without it meanwhile: still show the number
            name = result["ticket"].get("item_name", {})
            item = Item(code, name.get("zh", ""), name.get("en", ""), "", "", None, "")
        hall_url = self.catalog.public_url if self.catalog else ""
        url = self.config.status_base(hall_url) + result["status_path"]
        receipt = b.ticket_receipt(self.catalog, result, item, mode, url) if self.catalog else None
        self._leave_confirmation()
        self.issued = b.Issued(result, item, mode, url, receipt)
        self.nav = [("home",), ("confirmation",)]
        self.mode, self.query, self.notice = None, "", None
        self.leave_after_print = False
        self._start_timer("confirm", self.config.confirm_seconds, self._confirm_elapsed)
        self.user_activity()
        self._render()
        self._print_ticket()

    def _issue_failed(self, intent: Intent, exc: Exception) -> None:
        self.issuing = False
        if isinstance(exc, ApiUnavailable):
            self._go_offline(exc)
            return
        if refused(exc):
            self._go_out_of_service(exc)
            return
        if not isinstance(exc, ApiError):
            log.error("issuing a ticket failed", exc_info=exc)
        self.notice = _error_text(exc)
        if isinstance(exc, ApiError) and exc.code in ("item_not_found", "no_window_open"):
            self._load_catalog()  # the catalog then shows the item as gone or 暂停取号
        self._render()

    def _confirm_elapsed(self) -> None:
        if self.issued is None:
            return
        if self.printing_ticket:
            self.leave_after_print = True
        elif self.issued.print_state == "printed":
            self._reset()
        # after a printer fault the number stays until Done or the idle timeout

    def _detail_loaded(self, code: str, data: dict) -> None:
        self.details[code] = data
        if self.top == ("guide", code):
            self._render()

    def _detail_failed(self, code: str, exc: Exception) -> None:
        self.details[code] = None
        if isinstance(exc, ApiUnavailable):
            self._go_offline(exc)
        elif self.top == ("guide", code):
            self._render()

    # -- idle ---------------------------------------------------------------------------------
    def user_activity(self) -> None:
        """Any touch on the screen: hide the countdown and restart the idle timeout (longer on
        a guide, which takes reading)."""
        if self._stopped:
            return
        self._stop_timer("idle_tick")
        if self.idle_left:
            self.idle_left = 0
            self.view.set_countdown("")
        timeout = self._idle_timeout()
        warning = min(self.config.idle_warning_seconds, timeout)
        self._start_timer("idle", timeout, self._idle)
        self._start_timer("idle_warning", timeout - warning, self._idle_warning)

    def _idle_timeout(self) -> float:
        if self.top[0] == "guide":
            return self.config.guide_idle_seconds
        return self.config.idle_seconds

    def _pristine(self) -> bool:
        """Nothing to forget: the home screen in the kiosk's own language."""
        return (
            self.nav == [("home",)]
            and self.mode is None
            and not self.query
            and self.language == self.config.language
            and not self.choosing_language
        )

    def _idle_warning(self) -> None:
        """The last seconds before going home: 即将返回首页 N 秒，点击屏幕继续."""
        if self._pristine() or self.issuing or self.checking_in:
            return
        timeout = self._idle_timeout()
        self.idle_left = max(1, round(min(self.config.idle_warning_seconds, timeout)))
        self._show_countdown()
        self._start_timer("idle_tick", 1.0, self._idle_tick, True)

    def _idle_tick(self) -> None:
        if self.idle_left > 1:
            self.idle_left -= 1
            self._show_countdown()

    def _show_countdown(self) -> None:
        self.view.set_countdown(tr("idle_countdown", self.language, n=self.idle_left))

    def _idle(self) -> None:
        if self.issuing or self.checking_in:  # the answer is on its way; show it first
            self.user_activity()
            return
        self._stop_timer("idle_tick")
        if self.idle_left:
            self.idle_left = 0
            self.view.set_countdown("")
        if not self._pristine():
            self._reset()

    # -- voice guidance -------------------------------------------------------------------------
    @touch
    def speak(self) -> None:
        """语音播报: the screen's title and, on a guide, the item's key facts, off the GUI thread."""
        if not self.speaker.available or self.screen is None:
            return
        text = speech.spoken_text(self, self.screen, self.language)
        if text:
            lang, speaker = self.language, self.speaker
            self._call(
                lambda: speaker.speak(text, lang),
                None,
                lambda exc: log.warning("voice guidance failed: %s", exc),
                self.voice_runner,
            )

    def _reset(self) -> None:
        """Back to the home screen in the kiosk's own language, as for the next resident."""
        self.language = self.config.language
        self._home()

    # -- internals ------------------------------------------------------------------------------
    def _home(self) -> None:
        self.nav = [("home",)]
        self.mode, self.query, self.intent = None, "", None
        self._forget_appointment()
        self._forget_case()
        self._leave_confirmation()
        self._navigated()

    def _push(self, *entry) -> None:
        self.nav.append(entry)
        self._navigated()

    def _navigated(self) -> None:
        self.notice, self.guide_print, self.case_notice = None, None, None
        self.choosing_language = False
        self._render()

    def _leave_confirmation(self) -> None:
        self.issued = None
        self._stop_timer("confirm")
        self._stop_timer("printer_poll")

    # -- rendering ------------------------------------------------------------------------------
    def _render(self) -> None:
        if self._stopped:
            return
        screen = self._build()
        self.screen = screen
        kind = self.top[0]
        on_service = self.state == "ready" or kind == "confirmation"
        hall = self.catalog.hall_name(self.language) if self.catalog else ""
        choices = self.language_choices()
        self.view.set_chrome(
            Chrome(
                hall_name=hall or tr("default_hall", self.language),
                language=self.language,
                can_go_home=on_service and kind != "home",
                can_go_back=on_service and len(self.nav) > 1 and kind != "confirmation",
                can_speak=self.speaker.available and on_service,
                direction=next((x.dir for x in choices if x.code == self.language), "ltr"),
                language_label=language_label(choices, self.language),
                languages=choices,
                choosing_language=self.choosing_language,
            )
        )
        self.view.show_screen(screen)

    def _build(self):
        lang, catalog, top = self.language, self.catalog, self.top
        if top[0] == "confirmation" and self.issued is not None:
            tz = catalog.timezone if catalog else "Asia/Shanghai"
            return b.confirmation_screen(self.issued, lang, tz)
        if self.state == "out_of_service":
            return out_of_service_screen(lang, catalog.supervision_phone if catalog else "")
        if self.state != "ready" or catalog is None:
            phone = catalog.supervision_phone if catalog else ""
            return b.offline_screen(self.state == "starting", lang, phone)
        kind = top[0]
        if kind == "items":
            return b.items_screen(catalog, top[1], lang, self.mode)
        if kind == "search":
            return b.search_screen(catalog, self.query, lang, self.mode)
        if kind == "guide" and (item := catalog.item(top[1])) is not None:
            return self._guide_screen(catalog, item)
        if kind == "green":
            return b.green_screen(lang)
        if kind == "appointment":
            return self._appointment_screen()
        if kind == "case":
            return self._case_screen(top[1])
        if kind != "departments":
            self.nav = [("home",)]  # the item vanished from the catalog, or a stale entry
        return b.home_screen(catalog, lang, self.mode if kind == "departments" else None)

    def _can_take(self, code: str) -> bool:
        """Not when the catalog says no window serves the item now (暂停取号); the catalog is
        re-read every ``catalog_refresh_seconds`` and after a 409 no_window_open."""
        item = self.catalog.item(code) if self.catalog else None
        return item is not None and item.available

    def _guide_screen(self, catalog: Catalog, item: Item) -> GuideScreen:
        lang, code = self.language, item.code
        can_take = self._can_take(code)
        dept = catalog.department(item.department)
        state, cause = self.guide_print or ("", ("", ""))
        cause_text = pair(cause, lang)
        print_message = {
            "printing": tr("printing_guide", lang),
            "printed": tr("guide_printed", lang),
            "fault": tr("guide_not_printed", lang, cause=cause_text),
        }.get(state, "")
        return GuideScreen(
            code=code,
            title=item.name(lang),
            kind_label=b.kind_label(item, lang),
            department=dept.name(lang) if dept else "",
            waiting=b.waiting_text(self.details.get(code), code not in self.details, lang),
            sections=b.guide_sections(catalog, item, lang),
            take_label=tr("taking", lang)
            if self.issuing
            else tr("checking_in", lang)
            if self.checking_in
            else b.take_label(self.mode, lang)
            if can_take
            else tr("not_available", lang),
            busy=self.issuing or self.checking_in,
            notice=self.notice(lang)
            if self.notice
            else ""
            if can_take
            else b.unavailable_text(item, lang),
            can_take=can_take,
            print_message=print_message,
            print_failed=state == "fault",
            printing=state == "printing",
            banner=self.mode.banner(lang) if self.mode else "",
        )


def language_label(choices: tuple[LanguageChoice, ...], current: str) -> str:
    """The language button: the other languages in their own names (two, then …), so a
    resident finds their language without reading the one on screen."""
    others = [x.name for x in choices if x.code != current]
    return " · ".join(others[:2]) + (" …" if len(others) > 2 else "")


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
