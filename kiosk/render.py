"""What each kiosk screen shows, built from the visit (kiosk.session.Session) and what the
presenter's collaborators hold: the chrome (hall name, home/back/voice/language buttons) and the
screen data (kiosk.screens) the views render."""

from __future__ import annotations

from typing import Any

from . import builders as b
from .appointflow import CheckIn
from .backendlink import out_of_service_screen
from .caseflow import CaseQuery
from .catalog import Catalog, Item
from .i18n import languages, pair, tr
from .screens import Chrome, GuideScreen, LanguageChoice
from .session import Session
from .ticketflow import Tickets


def language_choices() -> tuple[LanguageChoice, ...]:
    """Any language with a catalogue (i18n/messages/<code>/), discovered, none hard-coded."""
    return tuple(LanguageChoice(x["code"], x["name"], x["dir"]) for x in languages())


def language_label(choices: tuple[LanguageChoice, ...], current: str) -> str:
    """The language button: the other languages in their own names (two, then …), so a
    resident finds their language without reading the one on screen."""
    others = [x.name for x in choices if x.code != current]
    return " · ".join(others[:2]) + (" …" if len(others) > 2 else "")


class Screens:
    """`details`: item code -> GET /items/<code> (None: failed; missing: on its way)."""

    def __init__(
        self,
        session: Session,
        tickets: Tickets,
        checkin: CheckIn,
        cases: CaseQuery,
        details: dict[str, dict | None],
    ):
        self.session, self.tickets, self.checkin, self.cases = session, tickets, checkin, cases
        self.details = details

    def chrome(self, can_speak: bool) -> Chrome:
        s, lang = self.session, self.session.language
        kind = s.top[0]
        on_service = s.state == "ready" or kind == "confirmation"
        hall = s.catalog.hall_name(lang) if s.catalog else ""
        choices = language_choices()
        return Chrome(
            hall_name=hall or tr("default_hall", lang),
            language=lang,
            can_go_home=on_service and kind != "home",
            can_go_back=on_service and len(s.nav) > 1 and kind != "confirmation",
            can_speak=can_speak and on_service,
            direction=next((x.dir for x in choices if x.code == lang), "ltr"),
            language_label=language_label(choices, lang),
            languages=choices,
            choosing_language=s.choosing_language,
        )

    def build(self) -> Any:
        s = self.session
        lang, catalog, top = s.language, s.catalog, s.top
        if top[0] == "confirmation" and s.issued is not None:
            tz = catalog.timezone if catalog else "Asia/Shanghai"
            return b.confirmation_screen(s.issued, lang, tz)
        if s.state == "out_of_service":
            return out_of_service_screen(lang, catalog.supervision_phone if catalog else "")
        if s.state != "ready" or catalog is None:
            phone = catalog.supervision_phone if catalog else ""
            return b.offline_screen(s.state == "starting", lang, phone)
        kind = top[0]
        if kind == "items":
            return b.items_screen(catalog, top[1], lang, s.mode)
        if kind == "search":
            return b.search_screen(catalog, s.query, lang, s.mode)
        if kind == "guide" and (item := catalog.item(top[1])) is not None:
            return self._guide(catalog, item)
        if kind == "green":
            return b.green_screen(lang)
        if kind == "appointment":
            return self.checkin.screen()
        if kind == "case":
            return self.cases.screen(top[1])
        if kind != "departments":
            s.nav = [("home",)]  # the item vanished from the catalog, or a stale entry
        return b.home_screen(catalog, lang, s.mode if kind == "departments" else None)

    def _guide(self, catalog: Catalog, item: Item) -> GuideScreen:
        s, lang, code = self.session, self.session.language, item.code
        can_take = self.tickets.can_take(code)
        dept = catalog.department(item.department)
        state, cause = s.guide_print or ("", ("", ""))
        print_message = {
            "printing": tr("printing_guide", lang),
            "printed": tr("guide_printed", lang),
            "fault": tr("guide_not_printed", lang, cause=pair(cause, lang)),
        }.get(state, "")
        if s.issuing:
            take_label = tr("taking", lang)
        elif self.checkin.busy:
            take_label = tr("checking_in", lang)
        else:
            take_label = b.take_label(s.mode, lang) if can_take else tr("not_available", lang)
        unavailable = "" if can_take else b.unavailable_text(item, lang)
        notice = s.notice(lang) if s.notice else unavailable
        return GuideScreen(
            code=code,
            title=item.name(lang),
            kind_label=b.kind_label(item, lang),
            department=dept.name(lang) if dept else "",
            waiting=b.waiting_text(self.details.get(code), code not in self.details, lang),
            sections=b.guide_sections(catalog, item, lang),
            take_label=take_label,
            busy=s.issuing or self.checkin.busy,
            notice=notice,
            can_take=can_take,
            print_message=print_message,
            print_failed=state == "fault",
            printing=state == "printing",
            banner=s.mode.banner(lang) if s.mode else "",
        )
