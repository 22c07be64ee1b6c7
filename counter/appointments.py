"""今日预约 at the counter: today's slots of the window's items with their appointments (names
and phones masked, as the API gives them), refreshed on appointment.* live events (debounced)
and on a timer. No widgets here: the view is anything with the setters of `AppointmentsView`
(counter.views.window.CounterWindow implements them); requests run off the GUI thread on the
clientlib.plumbing.Jobs it is given, which also keeps its two timers.

The Presenter owns one (optional) panel: start(items) when the clerk is signed in to a window,
stop() when they leave; it forwards live events and the page's open / close / refresh."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from clientlib.api import ApiError, ApiUnavailable
from clientlib.plumbing import Jobs

from .i18n import TEXT, pair

log = logging.getLogger(__name__)
REFRESH, DEBOUNCE = "appointments_refresh", "appointments_debounce"  # the panel's timers


def primary(key: str, lang: str = "zh", **values: Any) -> str:
    """The text of ``key`` in the counter's language alone (the page has room for one)."""
    return pair(key, lang, **values)[0]


@dataclass(frozen=True)
class AppointmentRow:
    slot: str  # "09:00–09:30"
    item: str
    capacity: int
    booked: int
    checked_in: int
    no_show: int
    people: str  # "王*五 138****5678 待签到；李* 已签到 A003"
    codes: tuple[str, ...]
    past: bool = False  # the slot is over


@dataclass(frozen=True)
class AppointmentsScreen:
    title: str
    summary: str
    info: str
    rows: tuple[AppointmentRow, ...]


class AppointmentsView(Protocol):
    def show_appointments(self, screen: AppointmentsScreen | None) -> None: ...

    def set_appointments_label(self, text: str) -> None: ...


def _hhmm(iso: str) -> str:
    return iso[11:16] if len(iso) >= 16 else iso


def build_screen(
    data: dict | None, items: frozenset[str], lang: str, info: str = "", now_iso: str = ""
) -> AppointmentsScreen:
    """The page from GET /appointments/today: the slots of `items` that have appointments."""
    title = " ".join(pair("appt_appointments", lang))
    if data is None:
        return AppointmentsScreen(title, "", info or primary("appt_loading", lang), ())
    rows = []
    totals = {"booked": 0, "checked_in": 0, "no_show": 0}
    for s in data.get("slots") or ():
        item = s.get("item") or {}
        if item.get("code") not in items or not (s.get("appointments") or s.get("booked")):
            continue
        for key in totals:
            totals[key] += int(s.get(key) or 0)
        people = []
        for a in s.get("appointments") or ():
            words = [a.get("name_masked", ""), a.get("phone_masked", "")]
            state = a.get("state", "")
            if f"appt_state_{state}" in TEXT:
                words.append(primary(f"appt_state_{state}", lang))
            if a.get("ticket_number"):
                words.append(a["ticket_number"])
            people.append(" ".join(w for w in words if w))
        name = item.get("name") or {}
        rows.append(
            AppointmentRow(
                slot=f"{_hhmm(s.get('start', ''))}–{_hhmm(s.get('end', ''))}",
                item=(name.get(lang) or name.get("zh") or item.get("code", "")),
                capacity=int(s.get("capacity") or 0),
                booked=int(s.get("booked") or 0),
                checked_in=int(s.get("checked_in") or 0),
                no_show=int(s.get("no_show") or 0),
                people="；".join(people),
                codes=tuple(a.get("code", "") for a in s.get("appointments") or ()),
                past=bool(now_iso) and s.get("end", "") <= now_iso,
            )
        )
    rows.sort(key=lambda r: (r.slot, r.item))
    summary = primary("appt_summary", lang, day=data.get("day", ""), **totals)
    return AppointmentsScreen(
        title, summary, info or ("" if rows else primary("appt_none", lang)), tuple(rows)
    )


class AppointmentsPanel:
    """Loads and shows today's appointments of the window's items; see the module docstring."""

    def __init__(
        self,
        view: AppointmentsView,
        api: Any,
        jobs: Jobs,
        lang: str = "zh",
        refresh_seconds: float = 60.0,
        debounce_seconds: float = 1.0,
    ):
        self.view, self.api, self.jobs = view, api, jobs
        self.lang = lang
        self.refresh_seconds, self.debounce_seconds = refresh_seconds, debounce_seconds
        self.items: frozenset[str] = frozenset()
        self.active = False  # a clerk is signed in to a window
        self.is_open = False  # the page is showing
        self.data: dict | None = None
        self.info = ""
        self.loads = 0  # answers received (tests wait on it)
        self._loading = self._again = False
        self._session = 0

    # -- lifecycle (called by the presenter) ----------------------------------------------------
    def start(self, items: Iterable[str]) -> None:
        self.items = frozenset(items)
        self.active, self.data, self.info = True, None, ""
        self._session += 1
        self.jobs.start_timer(REFRESH, self.refresh_seconds, self.load, True)
        self._label()
        self.load()

    def stop(self) -> None:
        """Signed out (or the counter closes): forget the day, hide the page."""
        self.active = False
        self._session += 1
        self._loading = self._again = False
        for name in (REFRESH, DEBOUNCE):
            self.jobs.stop_timer(name)
        self.data = None
        if self.is_open:
            self.is_open = False
            self.view.show_appointments(None)

    def set_items(self, items: Iterable[str]) -> None:
        items = frozenset(items)
        if items != self.items:
            self.items = items
            self._render()

    # -- the page ---------------------------------------------------------------------------------
    def open(self) -> None:
        if not self.active:
            return
        self.is_open = True
        self._render()
        self.load()

    def close(self) -> None:
        if self.is_open:
            self.is_open = False
            self.view.show_appointments(None)

    def on_event(self, event: dict) -> None:
        """appointment.* about one of this window's items (or naming none): reload soon."""
        kind = event.get("type", "")
        if not self.active or not kind.startswith("appointment."):
            return
        item = (event.get("data") or {}).get("item")
        code = item.get("code") if isinstance(item, dict) else item
        if (code is None or code in self.items) and not self.jobs.has_timer(DEBOUNCE):
            self.jobs.start_timer(DEBOUNCE, self.debounce_seconds, self._debounced)

    def _debounced(self) -> None:
        self.jobs.fired(DEBOUNCE)
        self.load()

    # -- loading ----------------------------------------------------------------------------------
    def load(self) -> None:
        if not self.active:
            return
        if self._loading:
            self._again = True
            return
        self._loading, self._again = True, False
        session = self._session
        path = self.api.hall_path("/appointments/today")
        self.jobs.call(
            lambda: self.api.get(path),
            lambda data: self._loaded(session, data),
            lambda exc: self._failed(session, exc),
        )

    def _loaded(self, session: int, data: dict) -> None:
        if session != self._session:
            return
        self._loading = False
        self.data, self.info = data or {}, ""
        self.loads += 1
        self._label()
        self._render()
        if self._again:
            self.load()

    def _failed(self, session: int, exc: Exception) -> None:
        if session != self._session:
            return
        self._loading = False
        if isinstance(exc, ApiUnavailable):
            self.info = primary("appt_unreachable", self.lang)
        elif isinstance(exc, ApiError):
            self.info = primary("appt_refused", self.lang, message=exc.message)
        else:
            log.exception("appointments not loaded", exc_info=exc)
            self.info = primary("appt_refused", self.lang, message=str(exc))
        self._render()
        if self._again and not isinstance(exc, ApiUnavailable):
            self.load()

    # -- rendering --------------------------------------------------------------------------------
    def screen(self) -> AppointmentsScreen:
        return build_screen(self.data, self.items, self.lang, self.info, self._now_iso())

    def _now_iso(self) -> str:
        """The hall's "now" in the slots' own offset, for greying past slots (string compare)."""
        from datetime import datetime

        slots = (self.data or {}).get("slots") or ()
        if not slots:
            return ""
        try:
            tz = datetime.fromisoformat(slots[0]["start"]).tzinfo
            return datetime.now(tz).isoformat(timespec="seconds")
        except (KeyError, TypeError, ValueError):
            return ""

    def _render(self) -> None:
        if self.is_open and self.active:
            self.view.show_appointments(self.screen())

    def _label(self) -> None:
        rows = self.screen().rows if self.data is not None else ()
        waiting = sum(r.booked for r in rows)
        key = "appt_appointments_count" if waiting else "appt_appointments"
        self.view.set_appointments_label(" ".join(pair(key, self.lang, n=waiting)))
