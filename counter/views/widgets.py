"""Building blocks: labels, cards, and the big two-language action buttons with their F-key."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from .style import set_prop


def label(text: str = "", role: str = "", name: str = "", wrap: bool = True) -> QLabel:
    widget = QLabel(text)
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    if role:
        widget.setProperty("role", role)
    if name:
        widget.setObjectName(name)
    return widget


def button(text: str, name: str = "", role: str = "") -> QPushButton:
    widget = QPushButton(text)
    if name:
        widget.setObjectName(name)
    if role:
        widget.setProperty("role", role)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys go to the F-key shortcuts
    return widget


def show_text(widget: QLabel, text: str, role: str | None = None) -> None:
    """Set a label's text, hide it when empty, and switch its style role."""
    widget.setText(text)
    widget.setVisible(bool(text))
    if role is not None:
        set_prop(widget, "role", role)


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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
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

    def set_text(self, title: str, subtitle: str) -> None:
        self.title.setText(title)
        self.subtitle.setText(subtitle)
        self.setAccessibleName(f"{self.key_label.text()} {title} {subtitle}")
        self.setToolTip(f"{title} {subtitle} ({self.key_label.text()})")


def row(*widgets: QWidget, spacing: int = 10, stretch_last: bool = False) -> QHBoxLayout:
    layout = QHBoxLayout()
    layout.setSpacing(spacing)
    for widget in widgets:
        layout.addWidget(widget)
    if stretch_last:
        layout.addStretch(1)
    return layout
