"""The counter's building blocks: cards, the big two-language action buttons with their F-key,
tables and scroll lists (label, button and show_text are clientlib.widgets', shared with the kiosk)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)


def card() -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setProperty("role", "card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(16, 12, 16, 12)
    layout.setSpacing(6)
    return frame, layout


def clear_layout(layout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item.widget() is not None:
            item.widget().deleteLater()


class ActionButton(QPushButton):
    """A clerk's action: the F-key on top, the primary-language name large, the other below."""

    def __init__(self, key: str, shortcut: str, title: str, subtitle: str, accent: bool = False):
        super().__init__()
        self.key = key
        self.setProperty("role", "action")
        self.setProperty("accent", "true" if accent else "false")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        layout = self.lines = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(0)
        self.key_label, self.title, self.subtitle = QLabel(shortcut), QLabel(), QLabel()
        for part, kind in (
            (self.key_label, "key"),
            (self.title, "title"),
            (self.subtitle, "subtitle"),
        ):
            part.setProperty("part", kind)
            part.setAlignment(Qt.AlignmentFlag.AlignCenter)
            part.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(part)
        self.set_text(title, subtitle)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name): room for the three lines, not a bare button's
        return super().sizeHint().expandedTo(self.lines.totalSizeHint())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return super().minimumSizeHint().expandedTo(self.lines.totalMinimumSize())

    def set_text(self, title: str, subtitle: str) -> None:
        self.title.setText(title)
        self.subtitle.setText(subtitle)
        self.setAccessibleName(f"{self.key_label.text()} {title} {subtitle}")
        self.setToolTip(f"{title} {subtitle} ({self.key_label.text()})")


def split_languages(text: str) -> tuple[str, str]:
    """'今日预约 (8) Appointments (8)' -> ('今日预约 (8)', 'Appointments (8)'): split at the first
    letter in the other script (Chinese first or English first)."""

    def chinese(ch: str) -> bool:
        return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"

    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    for i in letters:
        if chinese(text[i]) != chinese(text[letters[0]]):
            return text[:i].strip(), text[i:].strip()
    return text.strip(), ""


class TwoLineButton(QPushButton):
    """The primary language above the other, so a row of buttons (the header, the case
    buttons on the ticket) fits a 1280-pixel screen. text() and setText() take the one-line form
    '我的办件 (3) My cases'."""

    def __init__(self, text: str, name: str = "", role: str = ""):
        super().__init__()
        if name:
            self.setObjectName(name)
        if role:
            self.setProperty("role", role)
        self.setProperty("lines", "two")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = self.lines = QVBoxLayout(self)
        layout.setContentsMargins(12, 2, 12, 2)
        layout.setSpacing(0)
        self.first, self.second = QLabel(), QLabel()
        for part, kind in ((self.first, "first"), (self.second, "second")):
            part.setProperty("part", kind)
            part.setAlignment(Qt.AlignmentFlag.AlignCenter)
            part.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(part)
        self._text = ""
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        self._text = text
        first, second = split_languages(text)
        self.first.setText(first)
        self.second.setText(second)
        self.second.setVisible(bool(second))
        self.setAccessibleName(text)
        self.updateGeometry()

    def text(self) -> str:
        return self._text

    def sizeHint(self) -> QSize:  # noqa: N802
        return self.lines.totalSizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self.lines.totalMinimumSize()


class ElidedLabel(QLabel):
    """One line that ends in … when it is too long for its place; text() and the tooltip keep
    the whole text (the case's missing materials, read in full in My cases)."""

    def __init__(self, name: str = ""):
        super().__init__()
        if name:
            self.setObjectName(name)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._full = ""

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        self._full = text
        self._elide()

    def text(self) -> str:
        return self._full

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(0, self.contentsRect().width())
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, width)
        super().setText(shown)
        self.setToolTip(self._full if shown != self._full else "")


def row(*widgets: QWidget, spacing: int = 10, stretch_last: bool = False) -> QHBoxLayout:
    layout = QHBoxLayout()
    layout.setSpacing(spacing)
    for widget in widgets:
        layout.addWidget(widget)
    if stretch_last:
        layout.addStretch(1)
    return layout


class ListScroll(QScrollArea):
    """A list that scrolls up and down: it asks for its whole height (the dialog or page gives
    what the screen has), gives way down to `least` pixels, and is never narrower than its
    content, so nothing is cut at the side."""

    def __init__(self, content: QWidget, least: int = 110, name: str = ""):
        super().__init__()
        if name:
            self.setObjectName(name)
        self.least = least
        self.setWidgetResizable(True)
        self.setWidget(content)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def _extra(self) -> QSize:
        frame = 2 * self.frameWidth()
        return QSize(frame + self.verticalScrollBar().sizeHint().width() + 4, frame)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        content = self.widget()
        if content is None:  # taken away: a bare scroll area's hint
            return super().sizeHint()
        return content.sizeHint() + self._extra()

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        content = self.widget()
        if content is None:
            return super().minimumSizeHint()
        least = content.minimumSizeHint() + self._extra()
        return QSize(least.width(), min(least.height(), self.least))


def data_table(name: str, headers: list[str], *, rows_selectable: bool, wrap: bool) -> QTableWidget:
    """A read-only table of the counter's lists (我的办件, 今日预约): no grid, no row numbers,
    44 px rows, every column sized to its contents until the caller stretches some."""
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(44)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    if rows_selectable:
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    else:
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setShowGrid(False)
    table.setWordWrap(wrap)
    header = table.horizontalHeader()
    for col in range(len(headers)):
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
    return table
