"""The small screens: green channel reasons, appointment code, offline."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QBoxLayout, QVBoxLayout, QWidget

from clientlib.widgets import button, label, show_text

from ..i18n import tr
from ..screens import AppointmentScreen, GreenScreen, OfflineScreen
from .style import set_role
from .widgets import Keypad, Page, TileGrid, centred_column

DIGIT_KEYS = [(d, d) for d in "123456789"] + [("clear", ""), ("0", "0"), ("back", "")]


class GreenPage(Page):
    reason_chosen = Signal(str)

    def __init__(self):
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(24)
        self.title = label(role="title", name="greenTitle")
        self.hint = label(role="hint", name="greenHint")
        self.reasons = TileGrid("reason_", role="green", fill=True)
        self.reasons.chosen.connect(self.reason_chosen)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(self.reasons, 1)

    def retranslate(self, lang: str) -> None:
        pass

    def set_landscape(self, landscape: bool) -> None:
        self.reasons.set_columns(2)

    def set_screen(self, screen: GreenScreen) -> None:
        self.title.setText(screen.title)
        self.hint.setText(screen.hint)
        self.reasons.set_tiles(screen.reasons, 2)


class AppointmentPage(Page):
    """我有预约 on a digit keypad: the 8-digit code, or the phone's last 4 digits."""

    digit = Signal(str)
    erase = Signal()
    clear = Signal()
    submit = Signal()
    switch_way = Signal()

    def __init__(self):
        super().__init__()
        outer = QVBoxLayout(self)
        outer.setSpacing(20)
        self.title = label(role="title", name="appointmentTitle")
        self.hint = label(role="hint", name="appointmentHint")
        outer.addWidget(self.title)
        outer.addWidget(self.hint)
        self.body = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.body.setSpacing(24)
        outer.addLayout(self.body, 1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.code = label(role="display", name="appointmentCode", wrap=False)
        self.notice = label(role="notice", name="appointmentNotice")
        self.confirm = button("", "appointmentSubmit", "primary")
        self.confirm.clicked.connect(self.submit)
        self.switch = button("", "appointmentSwitch")
        self.switch.clicked.connect(self.switch_way)
        left_layout.addWidget(self.code)
        left_layout.addWidget(self.notice)
        left_layout.addStretch(1)
        left_layout.addWidget(self.switch)
        left_layout.addWidget(self.confirm)
        self.keypad = Keypad(DIGIT_KEYS, columns=3, prefix="digit_")
        self.keypad.pressed.connect(self._key)
        self.body.addWidget(left, 1)
        self.body.addWidget(self.keypad, 1)

    def _key(self, key: str) -> None:
        {"back": self.erase.emit, "clear": self.clear.emit}.get(key, lambda: self.digit.emit(key))()

    def retranslate(self, lang: str) -> None:
        self.keypad.set_text("back", tr("key_back", lang))
        self.keypad.set_text("clear", tr("key_clear", lang))

    def set_landscape(self, landscape: bool) -> None:
        direction = (
            QBoxLayout.Direction.LeftToRight if landscape else QBoxLayout.Direction.TopToBottom
        )
        self.body.setDirection(direction)

    def set_screen(self, screen: AppointmentScreen) -> None:
        self.title.setText(screen.title)
        self.hint.setText(screen.hint)
        self.code.setText(screen.code + "_" * max(0, screen.length - len(screen.code)))
        show_text(self.notice, screen.notice)
        self.confirm.setText(screen.submit_label)
        self.confirm.setEnabled(screen.can_submit)
        self.switch.setText(screen.switch_label)
        self.switch.setEnabled(not screen.busy)
        self.keypad.setEnabled(not screen.busy)


class OfflinePage(Page):
    """暂停取号: shown whenever the backend cannot be reached; no number is ever made up."""

    def __init__(self):
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(36)
        self.title = label(name="offlineTitle")
        self.message = label(role="title", name="offlineMessage")
        self.detail = label(role="hint", name="offlineDetail")
        self.phone = label(role="hint", name="offlinePhone")
        centred_column(layout, (self.title, self.message, self.detail, self.phone))

    def retranslate(self, lang: str) -> None:
        pass

    def set_landscape(self, landscape: bool) -> None:
        pass

    def set_screen(self, screen: OfflineScreen) -> None:
        self.title.setText(screen.title)
        set_role(self.title, "true" if screen.connecting else "false", "connecting")
        self.message.setText(screen.message)
        show_text(self.detail, screen.detail)
        show_text(self.phone, screen.phone)
