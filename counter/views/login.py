"""Login: username, password, window; and the take-over (接班) offer at a handover."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QVBoxLayout, QWidget

from clientlib.widgets import button, label, show_text

from ..i18n import tr
from ..screens import LoginScreen
from .widgets import card


class LoginPage(QWidget):
    submitted = Signal(str, str, object)  # username, password, window number (or None)
    take_over = Signal()

    def __init__(self, lang: str):
        super().__init__()
        self.lang = lang
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 24, 24, 24)
        outer.addStretch(1)
        frame, box = card()
        frame.setMaximumWidth(620)
        frame.setMinimumWidth(520)
        box.setContentsMargins(32, 26, 32, 26)
        box.setSpacing(14)
        title = label(tr("login_title", lang), "title")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box.addWidget(title)
        form = QFormLayout()
        form.setSpacing(12)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.window_choice = QComboBox()
        self.window_choice.setObjectName("windowChoice")
        self.window_choice.setMinimumWidth(320)
        form.addRow(label(tr("username", lang), wrap=False), self.username)
        form.addRow(label(tr("password", lang), wrap=False), self.password)
        form.addRow(label(tr("window", lang), wrap=False), self.window_choice)
        box.addLayout(form)
        self.sign_in_button = button(tr("sign_in", lang), "signIn", "primary")
        self.sign_in_button.setMinimumHeight(52)
        box.addWidget(self.sign_in_button)
        self.error = label(role="error", name="loginError")
        self.info = label(role="info", name="loginInfo")
        self.handover = label(role="handover", name="handover")
        self.take_over_button = button(tr("take_over", lang), "takeOver", "primary")
        self.take_over_button.setMinimumHeight(52)
        for widget in (self.error, self.info, self.handover, self.take_over_button):
            widget.hide()
            box.addWidget(widget)
        outer.addWidget(frame, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        self.sign_in_button.clicked.connect(self._submit)
        self.password.returnPressed.connect(self._submit)
        self.username.returnPressed.connect(self.password.setFocus)
        self.take_over_button.clicked.connect(self.take_over)
        self._windows: tuple = ()

    def _submit(self) -> None:
        password = self.password.text()
        self.password.clear()  # the password lives only as long as this call
        self.submitted.emit(self.username.text(), password, self.window_choice.currentData())

    def set_screen(self, screen: LoginScreen) -> None:
        if screen.windows != self._windows:
            self._windows = screen.windows
            self.window_choice.clear()
            for choice in screen.windows:
                self.window_choice.addItem(choice.text, choice.value)
        index = self.window_choice.findData(screen.window)
        if index >= 0 and self.window_choice.currentData() != screen.window:
            self.window_choice.setCurrentIndex(index)
        if not self.username.text() and screen.username:
            self.username.setText(screen.username)
            self.password.setFocus()
        for widget in (self.username, self.password, self.window_choice, self.sign_in_button):
            widget.setEnabled(not screen.busy)
        self.sign_in_button.setText(tr("signing_in" if screen.busy else "sign_in", self.lang))
        show_text(self.error, screen.error)
        show_text(self.info, screen.info)
        show_text(self.handover, screen.handover)
        self.take_over_button.setVisible(bool(screen.handover))
        self.take_over_button.setEnabled(bool(screen.handover) and not screen.busy)
