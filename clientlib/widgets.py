"""Widget helpers both terminals build their screens from: plain-text labels, buttons that leave
the keyboard alone, and restyling by property. The look (sizes, colours, touch targets) stays in
each app's views/style.py and views/widgets.py."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

# Noto Sans CJK SC first, then other CJK fonts, so no Chinese character shows as tofu.
FONT_FAMILIES = ["Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei"]


def set_prop(widget: QWidget, name: str, value) -> None:
    """Change a styling property and re-polish so the stylesheet applies it."""
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def label(text: str = "", role: str = "", name: str = "", wrap: bool = True) -> QLabel:
    """A plain-text label (never rich text: names and numbers come from the server)."""
    widget = QLabel(text)
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    if role:
        widget.setProperty("role", role)
    if name:
        widget.setObjectName(name)
    return widget


def button(text: str, name: str = "", role: str = "") -> QPushButton:
    """A button that takes no keyboard focus (the counter's keys go to its F-key shortcuts;
    the kiosk has no keyboard)."""
    widget = QPushButton(text)
    if name:
        widget.setObjectName(name)
    if role:
        widget.setProperty("role", role)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return widget


def show_text(widget: QLabel, text: str, role: str | None = None) -> None:
    """Set a label's text, hide it when empty, and switch its style role."""
    widget.setText(text)
    widget.setVisible(bool(text))
    if role is not None:
        set_prop(widget, "role", role)
