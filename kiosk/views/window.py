"""The kiosk window: a top bar and one page per screen. Signals out, setters in."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QGridLayout, QStackedWidget, QVBoxLayout, QWidget

from clientlib.widgets import button, label

from ..i18n import tr
from ..screens import (
    AppointmentScreen,
    CaseQueryScreen,
    CaseResultScreen,
    Chrome,
    ConfirmationScreen,
    GreenScreen,
    GuideScreen,
    HomeScreen,
    ItemListScreen,
    OfflineScreen,
    OutOfServiceScreen,
    SearchScreen,
)
from .case import CaseQueryPage, CaseResultPage
from .confirm import ConfirmPage
from .guide import GuidePage
from .home import HomePage
from .languages import LanguageChooser
from .lists import ItemsPage, SearchPage
from .outofservice import OutOfServicePage
from .simple import AppointmentPage, GreenPage, OfflinePage
from .style import STYLE, kiosk_font
from .widgets import Page, TouchScroll, own_layout

ACTIVITY_EVENTS = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.KeyPress,
    QEvent.Type.Wheel,
}


class _ActivityFilter(QObject):
    """Sees every touch, click or key in the application."""

    def __init__(self, notify):
        super().__init__()
        self.notify = notify

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        if event.type() in ACTIVITY_EVENTS:
            self.notify()
        return False


class KioskWindow(QWidget):
    home_requested = Signal()
    back_requested = Signal()
    language_requested = Signal()  # the language button
    language_chosen = Signal(str)  # a language in the chooser
    languages_dismissed = Signal()  # a tap beside the chooser
    department_chosen = Signal(str)
    item_chosen = Signal(str)
    search_opened = Signal()
    letter_typed = Signal(str)
    letter_erased = Signal()
    search_cleared = Signal()
    green_opened = Signal()
    green_reason_chosen = Signal(str)
    appointment_opened = Signal()
    appointment_digit = Signal(str)
    appointment_erased = Signal()
    appointment_cleared = Signal()
    appointment_submitted = Signal()
    appointment_switched = Signal()  # code <-> last 4 phone digits
    case_query_opened = Signal()
    case_digit = Signal(str)
    case_erased = Signal()
    case_cleared = Signal()
    case_continued = Signal()  # 下一步 (number typed) or 查询 (phone digits typed)
    case_print_requested = Signal()
    case_again_requested = Signal()
    take_ticket_requested = Signal()
    print_guide_requested = Signal()
    reprint_requested = Signal()
    done_requested = Signal()
    speak_requested = Signal()  # 语音播报
    activity = Signal()

    def __init__(self):
        super().__init__()
        self.setObjectName("kioskRoot")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setStyleSheet(STYLE)
        self.setWindowTitle("取号机 · Kiosk")
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        root.addWidget(self._top_bar())
        self.stack = QStackedWidget()
        self.stack.setMinimumSize(1, 1)  # hidden pages must not dictate the window's size
        root.addWidget(self.stack, 1)
        self.home_page = HomePage()
        self.items_page = ItemsPage()
        self.search_page = SearchPage()
        self.guide_page = GuidePage()
        self.green_page = GreenPage()
        self.appointment_page = AppointmentPage()
        self.case_query_page = CaseQueryPage()
        self.case_result_page = CaseResultPage()
        self.confirm_page = ConfirmPage()
        self.pages: dict[type, Page] = {  # screen type -> the page that draws it
            HomeScreen: self.home_page,
            ItemListScreen: self.items_page,
            SearchScreen: self.search_page,
            GuideScreen: self.guide_page,
            GreenScreen: self.green_page,
            AppointmentScreen: self.appointment_page,
            CaseQueryScreen: self.case_query_page,
            CaseResultScreen: self.case_result_page,
            ConfirmationScreen: self.confirm_page,
            OfflineScreen: OfflinePage(),
            OutOfServiceScreen: OutOfServicePage(),
        }
        for page in self.pages.values():
            own_layout(page).setContentsMargins(36, 28, 36, 28)
            self.stack.addWidget(page)
        self._connect()
        self.countdown = label(name="idleCountdown")
        self.countdown.setParent(self)
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.countdown.hide()
        self.chooser = LanguageChooser(self)
        self.chooser.chosen.connect(self.language_chosen)
        self.chooser.dismissed.connect(self.languages_dismissed)
        self.language = ""
        self.direction = "ltr"
        self.landscape: bool | None = None
        self.shown_screen: object = None  # the screen last shown (tests read it)
        self._filter: _ActivityFilter | None = _ActivityFilter(self.activity.emit)
        app = QApplication.instance()
        if app is None:
            raise RuntimeError("create the QApplication before the kiosk window")
        app.installEventFilter(self._filter)
        self.set_chrome(Chrome("", "zh", False, False))

    def _top_bar(self) -> QWidget:
        self.bar = bar = QWidget()
        bar.setObjectName("topBar")
        bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        bar.setMinimumHeight(130)
        self.bar_grid = QGridLayout(bar)
        self.bar_grid.setContentsMargins(24, 14, 24, 14)
        self.bar_grid.setHorizontalSpacing(18)
        self.bar_grid.setVerticalSpacing(10)
        self.home_button = button("", "homeButton")
        self.back_button = button("", "backButton")
        self.hall_label = label(name="hallName")
        self.hall_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.language_button = button("", "languageButton")
        self.language_button.setFont(kiosk_font("mixed"))  # names in every script
        self.speak_button = button("", "speakButton")
        self.speak_button.clicked.connect(self.speak_requested)
        self.home_button.clicked.connect(self.home_requested)
        self.back_button.clicked.connect(self.back_requested)
        self.language_button.clicked.connect(self.language_requested)
        self._place_bar(landscape=True)
        return bar

    def _place_bar(self, landscape: bool) -> None:
        """Landscape: one row. Portrait: the hall's name on a row of its own, the buttons
        under it, so a long name (or Uyghur button labels) never squeezes it onto two lines."""
        grid = self.bar_grid
        for widget in (
            self.home_button,
            self.back_button,
            self.hall_label,
            self.speak_button,
            self.language_button,
        ):
            grid.removeWidget(widget)
        row = 0 if landscape else 1
        grid.addWidget(self.home_button, row, 0)
        grid.addWidget(self.back_button, row, 1)
        if landscape:
            grid.addWidget(self.hall_label, 0, 2)
        else:
            grid.addWidget(self.hall_label, 0, 0, 1, 5)
        grid.addWidget(self.speak_button, row, 3)
        grid.addWidget(self.language_button, row, 4)
        grid.setColumnStretch(2, 1)

    def _connect(self) -> None:
        home = self.home_page
        home.department_chosen.connect(self.department_chosen)
        home.item_chosen.connect(self.item_chosen)
        home.action_chosen.connect(self._action)
        self.items_page.item_chosen.connect(self.item_chosen)
        search = self.search_page
        search.item_chosen.connect(self.item_chosen)
        search.letter.connect(self.letter_typed)
        search.erase.connect(self.letter_erased)
        search.clear.connect(self.search_cleared)
        guide = self.guide_page
        guide.take_ticket.connect(self.take_ticket_requested)
        guide.print_guide.connect(self.print_guide_requested)
        self.green_page.reason_chosen.connect(self.green_reason_chosen)
        appointment = self.appointment_page
        appointment.digit.connect(self.appointment_digit)
        appointment.erase.connect(self.appointment_erased)
        appointment.clear.connect(self.appointment_cleared)
        appointment.submit.connect(self.appointment_submitted)
        appointment.switch_way.connect(self.appointment_switched)
        query = self.case_query_page
        query.digit.connect(self.case_digit)
        query.erase.connect(self.case_erased)
        query.clear.connect(self.case_cleared)
        query.proceed.connect(self.case_continued)
        query.edit_number.connect(self.back_requested)
        result = self.case_result_page
        result.print_result.connect(self.case_print_requested)
        result.again.connect(self.case_again_requested)
        result.done.connect(self.done_requested)
        confirm = self.confirm_page
        confirm.reprint.connect(self.reprint_requested)
        confirm.done.connect(self.done_requested)

    def _action(self, key: str) -> None:
        {
            "search": self.search_opened,
            "green": self.green_opened,
            "appointment": self.appointment_opened,
            "case": self.case_query_opened,
        }[key].emit()

    # -- setters ------------------------------------------------------------------------------
    def set_chrome(self, chrome: Chrome) -> None:
        if chrome.direction != self.direction:
            self.direction = chrome.direction
            rtl = chrome.direction == "rtl"
            self.setLayoutDirection(
                Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
            )
            self.setFont(kiosk_font("rtl" if rtl else "cjk"))
            self.language_button.setFont(kiosk_font("mixed"))
        if chrome.language != self.language:
            self.language = chrome.language
            self.home_button.setText(tr("home", chrome.language))
            self.back_button.setText(tr("back", chrome.language))
            self.speak_button.setText(tr("speak", chrome.language))
            for page in self.pages.values():
                page.retranslate(chrome.language)
            for scroll in self.findChildren(TouchScroll):
                scroll.set_hint_text(tr("scroll_more", chrome.language))
        self.hall_label.setText(chrome.hall_name)
        self.home_button.setVisible(chrome.can_go_home)
        self.back_button.setVisible(chrome.can_go_back)
        self.speak_button.setVisible(chrome.can_speak)
        self.language_button.setText(chrome.language_label)
        self.language_button.setVisible(bool(chrome.language_label))
        self.language_button.setAccessibleName(chrome.language_label)
        self.chooser.set_choices(chrome.languages, chrome.language)
        self.chooser.setVisible(chrome.choosing_language)
        if chrome.choosing_language:
            self._place_chooser()
            self.chooser.raise_()

    def set_countdown(self, text: str) -> None:
        """The idle warning over the top of the page (empty: hidden)."""
        self.countdown.setText(text)
        self.countdown.setVisible(bool(text))
        if text:
            self._place_countdown()
            self.countdown.raise_()

    def _place_countdown(self) -> None:
        margin = 36
        width = self.width() - 2 * margin
        height = self.countdown.heightForWidth(width)
        self.countdown.setGeometry(margin, self.stack.y() + 12, width, max(height, 110))

    def _place_chooser(self) -> None:
        top = self.bar.height()
        self.chooser.setGeometry(0, top, self.width(), max(1, self.height() - top))

    def show_screen(self, screen) -> None:
        page = self.pages[type(screen)]
        page.set_screen(screen)
        self.stack.setCurrentWidget(page)
        self.shown_screen = screen

    def current_page(self) -> QWidget:
        page = self.stack.currentWidget()
        if page is None:  # never: the stack holds every page from the start
            raise RuntimeError("the kiosk window has no pages")
        return page

    # -- layout -------------------------------------------------------------------------------
    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self.countdown.isVisible():
            self._place_countdown()
        landscape = self.width() > self.height()
        if landscape != self.landscape:
            self.landscape = landscape
            self._place_bar(landscape)
            self.chooser.set_landscape(landscape)
            for page in self.pages.values():
                page.set_landscape(landscape)
        if self.chooser.isVisible():
            self._place_chooser()

    def release(self) -> None:
        """Stop watching the application's input (before the window goes away)."""
        app = QApplication.instance()
        if app is not None and self._filter is not None:
            app.removeEventFilter(self._filter)
            self._filter = None
