"""The counter window: connection and message bars, a header, the login, main or My cases page,
the F-key shortcuts and the dialogs. Signals out, setters in (the presenter decides everything)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from clientlib.widgets import button, label, set_prop

from ..appointments import AppointmentsScreen
from ..i18n import pair, tr
from ..lookuplocks import LookupUnlockForm
from ..screens import (
    ACTIONS,
    SHORTCUTS,
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
from .appointments import AppointmentsPage
from .casedialogs import AcceptDialog, CaseActionDialog, MissingDialog
from .cases import CasesPage
from .dialogs import CallNumberDialog, PauseDialog, RequeueDialog, TransferDialog
from .login import LoginPage
from .lookupdialog import LookupUnlockDialog
from .main import MainPage
from .style import STYLE
from .widgets import TwoLineButton

NOTICE_MS = 8000


class CounterWindow(QWidget):
    login_requested = Signal(str, str, object)
    take_over_requested = Signal()
    call_next_requested = Signal()
    recall_requested = Signal()
    start_requested = Signal()
    finish_requested = Signal()
    no_show_requested = Signal()
    transfer_dialog_requested = Signal()
    transfer_requested = Signal(object, object, str)
    call_number_dialog_requested = Signal()
    call_number_requested = Signal(str, str)
    requeue_dialog_requested = Signal()
    requeue_requested = Signal(str)
    pause_toggle_requested = Signal()
    pause_requested = Signal(str, str)
    sign_out_requested = Signal()
    accept_case_requested = Signal()
    notice_requested = Signal()
    evaluate_requested = Signal()
    print_requested = Signal()
    accept_submitted = Signal(object)  # the dialog's values
    missing_submitted = Signal(object, str)  # missing materials, note
    cases_requested = Signal()
    cases_closed = Signal()
    cases_refresh_requested = Signal()
    case_selected = Signal(str)
    case_dialog_requested = Signal(str)  # supplement | extension | finish | refuse
    case_action_submitted = Signal(str, str, object)  # kind, case number, values
    lookup_unlock_dialog_requested = Signal()
    lookup_unlock_submitted = Signal(str, str)  # scope (number | device), key
    appointments_requested = Signal()
    appointments_closed = Signal()
    appointments_refresh_requested = Signal()
    material_toggled = Signal(int, bool)
    retry_requested = Signal()
    message_dismissed = Signal()

    def __init__(self, lang: str = "zh"):
        super().__init__()
        self.lang = lang
        self.setObjectName("counterRoot")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setStyleSheet(STYLE)
        self.setWindowTitle(tr("app_title", lang))
        self.setMinimumSize(1280, 720)
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        root.addWidget(self._connection_bar())
        root.addWidget(self._message_bar())
        root.addWidget(self._header())
        self.stack = QStackedWidget()
        self.login_page = LoginPage(lang)
        self.main_page = MainPage(lang)
        self.cases_page = CasesPage(lang)
        self.stack.addWidget(self.login_page)
        self.stack.addWidget(self.main_page)
        self.stack.addWidget(self.cases_page)
        self.appointments_page = AppointmentsPage(lang)
        self.stack.addWidget(self.appointments_page)
        root.addWidget(self.stack, 1)
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(self.notice.hide)
        self.dialog = None
        self._connect()
        self._shortcuts()

    # -- building ---------------------------------------------------------------------------------
    def _connection_bar(self) -> QWidget:
        bar = QWidget()
        bar.setObjectName("connectionBar")
        bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        layout = QHBoxLayout(bar)
        layout.setContentsMargins(16, 4, 16, 4)
        self.connection_text = label(name="connectionText")
        self.retry_button = button(" ".join(pair("retry", self.lang)), "retry")
        layout.addWidget(self.connection_text, 1)
        layout.addWidget(self.retry_button)
        bar.hide()
        self.connection_bar = bar
        return bar

    def _message_bar(self) -> QWidget:
        bar = QWidget()
        bar.setObjectName("messageBar")
        bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        layout = QHBoxLayout(bar)
        layout.setContentsMargins(16, 4, 16, 4)
        self.message_text = label(name="messageText")
        self.dismiss_button = button(" ".join(pair("dismiss", self.lang)), "dismiss")
        layout.addWidget(self.message_text, 1)
        layout.addWidget(self.dismiss_button)
        bar.hide()
        self.message_bar = bar
        return bar

    def _header(self) -> QWidget:
        bar = QWidget()
        bar.setObjectName("header")
        bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        layout = QHBoxLayout(bar)
        layout.setContentsMargins(16, 8, 16, 8)
        layout.setSpacing(12)
        self.window_title = label(tr("app_title", self.lang), name="windowTitle", wrap=False)
        self.clerk = label(name="clerkName", wrap=False)
        self.state_chip = label(name="stateChip", wrap=False)
        self.state_chip.hide()
        self.notice = label(name="notice")  # the answer to the last action, in the header
        self.notice.hide()
        layout.addWidget(self.window_title)
        layout.addWidget(self.state_chip)
        layout.addWidget(self.notice, 1, Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(0)
        layout.addWidget(self.clerk)
        self.appointments_button = TwoLineButton(
            " ".join(pair("appt_appointments", self.lang)), "appointments"
        )
        self.appointments_button.hide()
        layout.addWidget(self.appointments_button)
        self.cases_button = TwoLineButton(" ".join(pair("my_cases", self.lang)), "myCases")
        self.cases_button.hide()
        layout.addWidget(self.cases_button)
        self.sign_out_button = TwoLineButton(
            " ".join(pair("sign_out", self.lang)), "action_sign_out"
        )
        self.sign_out_button.hide()
        layout.addWidget(self.sign_out_button)
        return bar

    def _connect(self) -> None:
        self.login_page.submitted.connect(self.login_requested)
        self.login_page.take_over.connect(self.take_over_requested)
        self.main_page.action.connect(self._action)
        self.main_page.material_toggled.connect(self.material_toggled)
        self.retry_button.clicked.connect(self.retry_requested)
        self.sign_out_button.clicked.connect(self.sign_out_requested)
        self.dismiss_button.clicked.connect(self.message_dismissed)
        self.cases_button.clicked.connect(self._cases_button)
        self.cases_page.back.connect(self.cases_closed)
        self.cases_page.refresh.connect(self.cases_refresh_requested)
        self.cases_page.selected.connect(self.case_selected)
        self.cases_page.action.connect(self.case_dialog_requested)
        self.cases_page.unlock_lookup.connect(self.lookup_unlock_dialog_requested)
        self.appointments_button.clicked.connect(self._appointments_button)
        self.appointments_page.back.connect(self.appointments_closed)
        self.appointments_page.refresh.connect(self.appointments_refresh_requested)

    def _appointments_button(self) -> None:
        """The header button opens 今日预约, or goes back to the window from there."""
        if self.stack.currentWidget() is self.appointments_page:
            self.appointments_closed.emit()
        else:
            self.appointments_requested.emit()

    def _cases_button(self) -> None:
        """The header button opens My cases, or goes back to the window from there."""
        if self.stack.currentWidget() is self.cases_page:
            self.cases_closed.emit()
        else:
            if self.stack.currentWidget() is self.appointments_page:
                self.appointments_closed.emit()
            self.cases_requested.emit()

    def _action(self, key: str) -> None:
        {
            "call_next": self.call_next_requested,
            "recall": self.recall_requested,
            "start": self.start_requested,
            "finish": self.finish_requested,
            "no_show": self.no_show_requested,
            "transfer": self.transfer_dialog_requested,
            "call_number": self.call_number_dialog_requested,
            "requeue": self.requeue_dialog_requested,
            "pause_toggle": self.pause_toggle_requested,
            "accept_case": self.accept_case_requested,
            "notice": self.notice_requested,
            "evaluate": self.evaluate_requested,
            "print_receipt": self.print_requested,
        }[key].emit()

    def _shortcuts(self) -> None:
        """F1-F9 press the matching button, only on the main page and only when it is enabled."""
        self.shortcuts: dict[str, QShortcut] = {}
        for key in ACTIONS:
            shortcut = QShortcut(QKeySequence(SHORTCUTS[key]), self)
            shortcut.activated.connect(lambda k=key: self._press(k))
            self.shortcuts[key] = shortcut

    def _press(self, key: str) -> None:
        widget = self.main_page.buttons[key]
        if self.stack.currentWidget() is self.main_page and widget.isEnabled():
            widget.click()

    # -- setters ------------------------------------------------------------------------------------
    def show_login(self, screen: LoginScreen) -> None:
        if self.dialog is not None:  # signed out or taken away: nothing to answer any more
            self.dialog.reject()
        self.login_page.set_screen(screen)
        self.stack.setCurrentWidget(self.login_page)
        self.window_title.setText(tr("app_title", self.lang))
        self.clerk.setText(screen.logged_in_as)
        self.state_chip.hide()
        self.sign_out_button.hide()
        self.cases_button.hide()
        self.appointments_button.hide()

    def show_main(self, screen: MainScreen) -> None:
        self.main_page.set_screen(screen)
        if self.stack.currentWidget() not in (self.cases_page, self.appointments_page):
            self.stack.setCurrentWidget(self.main_page)
        self.cases_button.setText(screen.cases_label or " ".join(pair("my_cases", self.lang)))
        self.cases_button.show()
        self.appointments_button.show()
        self.window_title.setText(screen.window_title)
        self.clerk.setText(screen.clerk)
        self.state_chip.setText(screen.state_text)
        set_prop(self.state_chip, "state", screen.state)
        self.state_chip.show()
        self.sign_out_button.show()
        self.sign_out_button.setEnabled("sign_out" in screen.enabled)

    def set_connection(self, connection: Connection) -> None:
        self.connection_text.setText(connection.text)
        self.retry_button.setVisible(connection.retry)
        self.connection_bar.setVisible(not connection.ok)

    def show_message(self, text: str) -> None:
        self.message_text.setText(text)
        self.message_bar.setVisible(bool(text))

    def show_notice(self, text: str, level: str = "info") -> None:
        self.notice.setText(text)
        set_prop(self.notice, "level", level)
        self.notice.setVisible(bool(text))
        self._fit_notice()
        if text:
            self._notice_timer.start(NOTICE_MS)

    def _fit_notice(self) -> None:
        """One line when the header has room (a wrapping label asks for too little width);
        wrapped, and the header taller, only when it has not."""
        if not self.notice.isVisible():
            return
        self.notice.ensurePolished()
        want = self.notice.fontMetrics().horizontalAdvance(self.notice.text()) + 48
        others = (
            self.window_title,
            self.state_chip,
            self.clerk,
            self.appointments_button,
            self.cases_button,
            self.sign_out_button,
        )
        shown = [w for w in others if not w.isHidden()]
        used = sum(w.sizeHint().width() for w in shown) + 12 * (len(shown) + 1) + 32
        self.notice.setMinimumWidth(max(120, min(want, self.width() - used)))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit_notice()

    def open_transfer(self, choices: TransferChoices) -> None:
        dialog = TransferDialog(choices, self.lang, self)
        dialog.submitted.connect(self.transfer_requested)
        self._open(dialog)

    def open_call_number(self, suggestions: tuple[str, ...]) -> None:
        dialog = CallNumberDialog(suggestions, self.lang, self)
        dialog.submitted.connect(self.call_number_requested)
        self._open(dialog)

    def open_requeue(self) -> None:
        dialog = RequeueDialog(self.lang, self)
        dialog.submitted.connect(self.requeue_requested)
        self._open(dialog)

    def open_pause(self, choices: PauseChoices) -> None:
        dialog = PauseDialog(choices, self.lang, self)
        dialog.submitted.connect(self.pause_requested)
        self._open(dialog)

    def show_cases(self, screen: CasesScreen | None) -> None:
        """My cases over the main page; None goes back to the main page."""
        if screen is None:
            if self.stack.currentWidget() is self.cases_page:
                self.stack.setCurrentWidget(self.main_page)
            return
        self.cases_page.set_screen(screen)
        self.stack.setCurrentWidget(self.cases_page)

    def show_appointments(self, screen: AppointmentsScreen | None) -> None:
        """今日预约 over the main page; None goes back to the main page."""
        if screen is None:
            if self.stack.currentWidget() is self.appointments_page:
                self.stack.setCurrentWidget(self.main_page)
            return
        self.appointments_page.set_screen(screen)
        self.stack.setCurrentWidget(self.appointments_page)

    def set_appointments_label(self, text: str) -> None:
        self.appointments_button.setText(text)
        self._fit_notice()

    def open_accept(self, form: AcceptForm) -> None:
        dialog = AcceptDialog(form, self.lang, self)
        dialog.submitted.connect(self.accept_submitted)
        self._open(dialog)

    def open_missing(self, form: MissingForm) -> None:
        dialog = MissingDialog(form, self.lang, self)
        dialog.submitted.connect(self.missing_submitted)
        self._open(dialog)

    def open_case_action(self, form: CaseActionForm) -> None:
        dialog = CaseActionDialog(form, self.lang, self)
        dialog.submitted.connect(self.case_action_submitted)
        self._open(dialog)

    def open_lookup_unlock(self, form: LookupUnlockForm) -> None:
        dialog = LookupUnlockDialog(form, self.lang, self)
        dialog.submitted.connect(self.lookup_unlock_submitted)
        self._open(dialog)

    def form_error(self, form: str, field: str | None, text: str) -> None:
        """A refusal for the dialog `form`; in the header if that dialog was closed."""
        if self.dialog is not None and getattr(self.dialog, "form_name", "") == form:
            self.dialog.show_error(field, text)
        else:
            self.show_notice(text, "error")

    def close_form(self, form: str) -> None:
        if self.dialog is not None and getattr(self.dialog, "form_name", "") == form:
            self.dialog.accept()

    def _open(self, dialog) -> None:
        """Window-modal and non-blocking (open, not exec), so the event loop keeps running."""
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = dialog
        dialog.finished.connect(lambda _code, d=dialog: self._closed(d))
        dialog.open()

    def _closed(self, dialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
