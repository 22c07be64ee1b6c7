"""暂停服务 / Out of service: the backend refused this kiosk (its token was revoked or the
device deactivated); nothing can be tapped, the resident is sent to the help desk."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout

from clientlib.widgets import label, show_text

from ..screens import OutOfServiceScreen
from .style import RED
from .widgets import Page, centred_column

STYLE = f"""
QLabel#outOfServiceTitle {{ font-size: 120px; font-weight: 800; color: {RED}; }}
QLabel#outOfServiceTitleOther {{ font-size: 48px; font-weight: 700; color: {RED}; }}
QLabel#outOfServiceMessage {{ font-size: 60px; font-weight: 700; }}
QLabel#outOfServiceMessageOther {{ font-size: 36px; color: #33475b; }}
"""


class OutOfServicePage(Page):
    def __init__(self):
        super().__init__()
        self.setStyleSheet(STYLE)
        layout = QVBoxLayout(self)
        layout.setSpacing(28)
        self.title = label(name="outOfServiceTitle")
        self.title_other = label(name="outOfServiceTitleOther")
        self.message = label(name="outOfServiceMessage")
        self.message_other = label(name="outOfServiceMessageOther")
        self.detail = label(role="hint", name="outOfServiceDetail")
        self.phone = label(role="hint", name="outOfServicePhone")
        centred_column(
            layout,
            (
                self.title,
                self.title_other,
                self.message,
                self.message_other,
                self.detail,
                self.phone,
            ),
        )

    def retranslate(self, lang: str) -> None:
        pass

    def set_landscape(self, landscape: bool) -> None:
        pass

    def set_screen(self, screen: OutOfServiceScreen) -> None:
        self.title.setText(screen.title)
        show_text(self.title_other, screen.title_other)
        self.message.setText(screen.message)
        show_text(self.message_other, screen.message_other)
        show_text(self.detail, screen.detail)
        show_text(self.phone, screen.phone)
