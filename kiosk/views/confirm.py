"""After a ticket is issued: the number (huge), where to go, the QR link, and how printing went."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QVBoxLayout, QWidget

from clientlib.widgets import button, label, show_text

from ..i18n import tr
from ..screens import ConfirmationScreen
from .qr import qr_pixmap
from .widgets import Page

QR_SIZE = 400


class ConfirmPage(Page):
    reprint = Signal()
    done = Signal()

    def __init__(self):
        super().__init__()
        self.body = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        self.body.setSpacing(18)
        info = QWidget()
        left = QVBoxLayout(info)
        left.setContentsMargins(0, 0, 0, 0)
        left.setSpacing(10)
        self.title = label(role="subtitle", name="confirmTitle")
        self.number = label(name="ticketNumber", wrap=False)
        self.priority = label(role="banner", name="priorityLabel")
        self.appointment_note = label(role="info", name="appointmentNote")
        self.item = label(role="title", name="confirmItem")
        self.ahead = label(role="big", name="peopleAhead")
        self.wait = label(role="big", name="expectedWait")
        self.windows = label(name="confirmWindows")
        for widget in (self.title, self.number, self.priority, self.appointment_note, self.item):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            left.addWidget(widget)
        for widget in (self.ahead, self.wait, self.windows):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            left.addWidget(widget)
        left.addStretch(1)

        side = QWidget()
        right = QVBoxLayout(side)
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(12)
        self.qr = label(name="statusQr", wrap=False)
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scan = label(role="hint", name="scanHint")
        self.scan.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.print_status = label(role="info", name="printStatus")
        self.save_hint = label(role="notice", name="saveHint")
        self.save_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        buttons = QHBoxLayout()
        buttons.setSpacing(20)
        self.reprint_button = button("", "reprint", "primary")
        self.reprint_button.clicked.connect(self.reprint)
        self.done_button = button("", "done", "big")
        self.done_button.clicked.connect(self.done)
        buttons.addWidget(self.reprint_button, 3)
        buttons.addWidget(self.done_button, 2)
        for widget in (self.qr, self.scan, self.print_status, self.save_hint):
            right.addWidget(widget)
        right.addStretch(1)
        right.addLayout(buttons)
        self.body.addWidget(info)
        self.body.addWidget(side)
        self.qr_url = ""

    def retranslate(self, lang: str) -> None:
        self.title.setText(tr("issued_title", lang))
        self.reprint_button.setText(tr("reprint", lang))
        self.done_button.setText(tr("done", lang))

    def set_landscape(self, landscape: bool) -> None:
        direction = (
            QBoxLayout.Direction.LeftToRight if landscape else QBoxLayout.Direction.TopToBottom
        )
        self.body.setDirection(direction)
        self.body.setStretch(0, 3 if landscape else 0)  # portrait: the QR side takes the slack
        self.body.setStretch(1, 2 if landscape else 1)

    def set_screen(self, screen: ConfirmationScreen) -> None:
        self.number.setText(screen.number)
        show_text(self.priority, screen.priority_label)
        show_text(self.appointment_note, screen.appointment_note)
        self.item.setText(screen.item_name)
        self.ahead.setText(screen.people_ahead)
        show_text(self.wait, screen.wait)
        self.windows.setText(screen.windows)
        if screen.qr_url != self.qr_url:
            self.qr_url = screen.qr_url
            self.qr.setPixmap(qr_pixmap(screen.qr_url, QR_SIZE))
        self.scan.setText(screen.scan_hint)
        role = {"fault": "notice", "printed": "ok"}.get(screen.print_state, "info")
        if screen.printer_recovered:
            role = "info"
        show_text(self.print_status, screen.print_message, role)
        show_text(self.save_hint, screen.save_hint)
        self.reprint_button.setVisible(screen.can_reprint)
