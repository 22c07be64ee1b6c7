"""The published guide of one item (一次性告知) with the wait, Take a ticket and Print."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QBoxLayout, QVBoxLayout, QWidget

from clientlib.widgets import button, label, show_text

from ..i18n import tr
from ..screens import GuideScreen, GuideSection
from .style import BLUE
from .widgets import Page, TouchScroll

PANEL_WIDTH = 700  # the action panel beside the guide in landscape


def sections_html(sections: tuple[GuideSection, ...]) -> str:
    parts = []
    for section in sections:
        parts.append(
            f'<p style="font-size:38px; font-weight:700; color:{BLUE}; margin-top:22px;'
            f' margin-bottom:6px">{escape(section.title)}</p>'
        )
        for n, line in enumerate(section.lines, 1):
            lead = f"{n}. " if section.numbered and len(section.lines) > 1 else ""
            parts.append(
                f'<p style="margin-top:4px; margin-bottom:4px; margin-left:12px">'
                f"{escape(lead)}{escape(line)}</p>"
            )
    return "".join(parts)


class GuidePage(Page):
    take_ticket = Signal()
    print_guide = Signal()

    def __init__(self):
        super().__init__()
        outer = QVBoxLayout(self)
        outer.setSpacing(14)
        self.banner = label(role="banner", name="guideBanner")
        self.title = label(role="title", name="guideTitle")
        self.meta = label(role="subtitle", name="guideMeta")
        outer.addWidget(self.banner)
        outer.addWidget(self.title)
        outer.addWidget(self.meta)
        self.body = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.body.setSpacing(24)
        outer.addLayout(self.body, 1)

        self.text = label(name="guideText")
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.scroller = TouchScroll(self.text)
        self.panel = QWidget()
        panel = QVBoxLayout(self.panel)
        panel.setContentsMargins(0, 0, 0, 0)
        panel.setSpacing(16)
        self.waiting = label(role="big", name="waitingInfo")
        self.notice = label(role="notice", name="guideNotice")
        self.print_status = label(role="ok", name="guidePrintStatus")
        self.take = button("", "takeTicket", "primary")
        self.take.clicked.connect(self.take_ticket)
        self.print_button = button("", "printGuide")
        self.print_button.clicked.connect(self.print_guide)
        for widget in (self.waiting, self.notice, self.print_status, self.take, self.print_button):
            panel.addWidget(widget)
        panel.addStretch(1)
        self.body.addWidget(self.scroller, 1)
        self.body.addWidget(self.panel)
        self.language = "zh"

    def retranslate(self, lang: str) -> None:
        self.language = lang
        self.print_button.setText(tr("print_guide", lang))

    def set_landscape(self, landscape: bool) -> None:
        if landscape:
            self.body.setDirection(QBoxLayout.Direction.LeftToRight)
            self.panel.setFixedWidth(PANEL_WIDTH)
        else:
            self.body.setDirection(QBoxLayout.Direction.TopToBottom)
            self.panel.setMinimumWidth(0)
            self.panel.setMaximumWidth(16777215)

    def set_screen(self, screen: GuideScreen) -> None:
        show_text(self.banner, screen.banner)
        self.title.setText(screen.title)
        self.meta.setText(" · ".join(p for p in (screen.department, screen.kind_label) if p))
        show_text(self.waiting, screen.waiting)
        html = sections_html(screen.sections)
        if html != self.text.text():
            self.text.setText(html)
        if self.property("code") != screen.code:
            self.setProperty("code", screen.code)
            self.scroller.verticalScrollBar().setValue(0)
        show_text(self.notice, screen.notice)
        role = "notice" if screen.print_failed else "info" if screen.printing else "ok"
        show_text(self.print_status, screen.print_message, role)
        self.take.setText(screen.take_label)
        self.take.setEnabled(not screen.busy and screen.can_take)
        self.print_button.setEnabled(not screen.printing)
