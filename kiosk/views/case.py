"""办件查询: the two-step input on a big digit keypad, and the result in plain words."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from clientlib.widgets import button, label, show_text

from ..i18n import ltr, tr
from ..screens import CaseQueryScreen, CaseResultScreen
from .simple import DIGIT_KEYS
from .style import BLUE, INK, set_role
from .widgets import Keypad, Page, TouchScroll

SLOT, NEXT_SLOT, FIXED = "#aab4be", BLUE, "#5d6f82"  # empty place, the place typed next, prefix
BOX, BOX_LANDSCAPE = 130, 112  # one phone digit's box, px
PANEL_WIDTH = 640  # the buttons beside the result in landscape
MAX_SIZE = 16777215  # QWIDGETSIZE_MAX


def _span(text: str, colour: str, underline: bool = False) -> str:
    deco = "; text-decoration: underline" if underline else ""
    return f'<span style="color:{colour}{deco}">{escape(text)}</span>'


def slots_html(typed: str, length: int, breaks: dict[int, str] | None = None) -> str:
    """Typed digits in ink, the places still to fill as grey marks, the next one in blue;
    `breaks` puts fixed separators before the given places."""
    parts = []
    for n in range(length):
        if breaks and n in breaks:
            parts.append(_span(breaks[n], FIXED))
        if n < len(typed):
            parts.append(_span(typed[n], INK))
        else:
            parts.append(_span("_", NEXT_SLOT if n == len(typed) else SLOT))
    return "".join(parts)


def number_html(prefix: str, digits: str, length: int) -> str:
    """QINGSHAN-2026112_-____ : the hall prefix pre-filled, then the date and the sequence."""
    return _span(prefix, FIXED) + slots_html(digits, length, {0: "-", 8: "-"})


class CaseQueryPage(Page):
    """Step 1: the acceptance number's digits; step 2: the last 4 phone digits. One keypad."""

    digit = Signal(str)
    erase = Signal()
    clear = Signal()
    proceed = Signal()  # 下一步 on step 1, 查询 on step 2
    edit_number = Signal()

    def __init__(self):
        super().__init__()
        outer = QVBoxLayout(self)
        outer.setSpacing(16)
        self.title = label(role="title", name="caseTitle")
        self.step = label(role="big", name="caseStep")
        outer.addWidget(self.title)
        outer.addWidget(self.step)
        self.body = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.body.setSpacing(28)
        outer.addLayout(self.body, 1)

        left = QWidget()
        info = QVBoxLayout(left)
        info.setContentsMargins(0, 0, 0, 0)
        info.setSpacing(16)
        self.hint = label(role="hint", name="caseHint")
        self.number_row = QWidget()
        row = QGridLayout(self.number_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.setHorizontalSpacing(18)
        self.number = label(role="summary", name="caseNumber")
        self.edit_button = button("", "caseEditNumber")
        self.edit_button.clicked.connect(self.edit_number)
        row.addWidget(self.number, 0, 0)
        row.addWidget(self.edit_button, 0, 1)
        row.setColumnStretch(0, 1)
        self.field_label = label(name="caseFieldLabel")
        self.display = label(name="caseDisplay", wrap=False)
        self.display.setTextFormat(Qt.TextFormat.RichText)
        self.display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.boxes = QWidget()  # the 4 phone digits, one big box each
        boxes = QHBoxLayout(self.boxes)
        boxes.setContentsMargins(0, 0, 0, 0)
        boxes.setSpacing(20)
        self.digit_boxes = []
        for n in range(4):
            box = label(name=f"casePhoneDigit{n}", wrap=False)
            box.setAlignment(Qt.AlignmentFlag.AlignCenter)
            box.setFixedSize(BOX, BOX)
            boxes.addWidget(box)
            self.digit_boxes.append(box)
        boxes.addStretch(1)
        self.progress = label(name="caseProgress")
        self.notice = label(role="notice", name="caseNotice")
        self.proceed_button = button("", "caseProceed", "primary")
        self.proceed_button.clicked.connect(self.proceed)
        for widget in (
            self.hint,
            self.number_row,
            self.field_label,
            self.display,
            self.boxes,
            self.progress,
            self.notice,
        ):
            info.addWidget(widget)
        info.addStretch(1)
        info.addWidget(self.proceed_button)
        self.keypad = Keypad(DIGIT_KEYS, columns=3, prefix="caseKey_")
        self.keypad.pressed.connect(self._key)
        self.body.addWidget(left, 1)
        self.body.addWidget(self.keypad, 1)
        self.lang = "zh"

    def _key(self, key: str) -> None:
        {"back": self.erase.emit, "clear": self.clear.emit}.get(key, lambda: self.digit.emit(key))()

    def retranslate(self, lang: str) -> None:
        self.lang = lang
        self.keypad.set_text("back", tr("key_back", lang))
        self.keypad.set_text("clear", tr("key_clear", lang))
        self.edit_button.setText(tr("case_edit_number", lang))

    def set_landscape(self, landscape: bool) -> None:
        direction = (
            QBoxLayout.Direction.LeftToRight if landscape else QBoxLayout.Direction.TopToBottom
        )
        self.body.setDirection(direction)
        # portrait: the keypad below takes less height than the text; landscape: half each
        self.body.setStretch(0, 1 if landscape else 0)
        set_role(self.display, "true" if landscape else "false", "narrow")
        for box in self.digit_boxes:
            box.setFixedSize(*(2 * (BOX_LANDSCAPE if landscape else BOX,)))

    def set_screen(self, screen: CaseQueryScreen) -> None:
        phone = screen.step == "phone"
        self.title.setText(screen.title)
        self.step.setText(screen.step_label)
        self.hint.setText(screen.hint)
        self.number_row.setVisible(phone)
        self.number.setText(f"{tr('case_number_label', self.lang)}  {ltr(screen.number)}")
        self.field_label.setText(
            tr("case_phone_label" if phone else "case_number_label", self.lang)
        )
        self.display.setVisible(not phone)
        self.boxes.setVisible(phone)
        if phone:
            for n, box in enumerate(self.digit_boxes):
                box.setText(screen.phone[n] if n < len(screen.phone) else "")
                state = (
                    "filled" if n < len(screen.phone) else "next" if n == len(screen.phone) else ""
                )
                set_role(box, state or "empty", "box")
        else:
            self.display.setText(number_html(screen.prefix, screen.digits, screen.number_length))
        show_text(self.progress, "" if screen.notice else screen.progress)  # one or the other
        show_text(self.notice, screen.notice)
        self.proceed_button.setText(screen.continue_label)
        self.proceed_button.setEnabled(screen.can_continue)
        digits = set("0123456789")
        self.keypad.set_enabled(digits if screen.can_type else set(), digits)
        self.keypad.set_enabled(set() if screen.busy else {"back", "clear"}, {"back", "clear"})
        self.edit_button.setEnabled(not screen.busy)


def facts_html(screen: CaseResultScreen) -> str:
    """Number, item, dates as a two-column table; then what is missing; then the outcome."""
    rows = "".join(
        f'<tr><td style="color:#40566d; padding:6px 24px 6px 0">{escape(k)}</td>'
        f'<td style="font-weight:700; padding:6px 0">{escape(v)}</td></tr>'
        for k, v in screen.facts
    )
    parts = [f'<table cellspacing="0" style="font-size:36px">{rows}</table>']
    heading = (
        'style="font-size:40px; font-weight:800; color:{}; margin-top:26px; margin-bottom:8px"'
    )
    if screen.missing:
        parts.append(f"<p {heading.format('#9a4a00')}>{escape(screen.missing_title)}</p>")
        parts.extend(
            f'<p style="font-size:38px; font-weight:700; margin:6px 0 6px 16px">'
            f"{n}. {escape(item)}</p>"
            for n, item in enumerate(screen.missing, 1)
        )
    if screen.outcome:
        colour = "#a61b12" if screen.state == "refused" else "#17663a"
        parts.append(f"<p {heading.format(colour)}>{escape(screen.outcome_title)}</p>")
        parts.append(
            f'<p style="font-size:38px; margin:6px 0 6px 16px">{escape(screen.outcome)}</p>'
        )
    return "".join(parts)


class CaseResultPage(Page):
    """The state in big coloured words, what it means, the facts; print, again, done."""

    print_result = Signal()
    again = Signal()
    done = Signal()

    def __init__(self):
        super().__init__()
        outer = QVBoxLayout(self)
        outer.setSpacing(16)
        self.title = label(role="title", name="caseResultTitle")
        outer.addWidget(self.title)
        self.body = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.body.setSpacing(24)
        outer.addLayout(self.body, 1)

        main = QWidget()
        column = QVBoxLayout(main)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(14)
        self.state = label(name="caseState")
        self.state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.wording = label(name="caseWording")
        self.details = label(name="caseDetails")
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.scroller = TouchScroll(self.details)
        column.addWidget(self.state)
        column.addWidget(self.wording)
        column.addWidget(self.scroller, 1)

        self.panel = QWidget()
        panel = QVBoxLayout(self.panel)
        panel.setContentsMargins(0, 0, 0, 0)
        panel.setSpacing(16)
        self.help = label(role="hint", name="caseHelp")
        self.print_status = label(role="ok", name="casePrintStatus")
        self.print_button = button("", "casePrint", "big")
        self.print_button.clicked.connect(self.print_result)
        self.buttons = QGridLayout()
        self.buttons.setSpacing(16)
        self.again_button = button("", "caseAgain", "big")
        self.again_button.clicked.connect(self.again)
        self.done_button = button("", "caseDone", "primary")
        self.done_button.clicked.connect(self.done)
        panel.addWidget(self.print_status)
        panel.addLayout(self.buttons)
        panel.addWidget(self.help)
        self.body.addWidget(main, 1)
        self.body.addWidget(self.panel)
        self.landscape = False
        self._place_buttons()

    def _place_buttons(self) -> None:
        for widget in (self.print_button, self.again_button, self.done_button):
            self.buttons.removeWidget(widget)
        if self.landscape:  # one column beside the result
            for n, widget in enumerate((self.print_button, self.again_button, self.done_button)):
                self.buttons.addWidget(widget, n, 0)
        else:  # below it: Done across, the others side by side above
            self.buttons.addWidget(self.print_button, 0, 0)
            self.buttons.addWidget(self.again_button, 0, 1)
            self.buttons.addWidget(self.done_button, 1, 0, 1, 2)

    def retranslate(self, lang: str) -> None:
        self.print_button.setText(tr("case_print", lang))
        self.again_button.setText(tr("case_again", lang))
        self.done_button.setText(tr("done", lang))

    def set_landscape(self, landscape: bool) -> None:
        self.landscape = landscape
        if landscape:
            self.body.setDirection(QBoxLayout.Direction.LeftToRight)
            self.panel.setFixedWidth(PANEL_WIDTH)
        else:
            self.body.setDirection(QBoxLayout.Direction.TopToBottom)
            self.panel.setMinimumWidth(0)
            self.panel.setMaximumWidth(MAX_SIZE)
        self._place_buttons()

    def set_screen(self, screen: CaseResultScreen) -> None:
        self.title.setText(screen.title)
        self.state.setText(screen.state_label)
        set_role(self.state, screen.state, "state")
        show_text(self.wording, screen.wording)
        html = facts_html(screen)
        if html != self.details.text():
            self.details.setText(html)
            self.scroller.verticalScrollBar().setValue(0)
        show_text(self.help, screen.help)
        role = "notice" if screen.print_failed else "info" if screen.printing else "ok"
        show_text(self.print_status, screen.print_message, role)
        self.print_button.setEnabled(not screen.printing)
