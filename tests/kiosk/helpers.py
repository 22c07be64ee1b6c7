"""Finding and tapping kiosk widgets in tests."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel, QPushButton, QWidget


def find(kiosk, name: str, cls=QWidget):
    widget = kiosk.window.findChild(cls, name)
    assert widget is not None, f"no widget named {name!r}"
    return widget


def text(kiosk, name: str) -> str:
    return find(kiosk, name, QLabel).text()


def plain(kiosk, name: str) -> str:
    """What a rich-text label reads as (its HTML tags and styles left out)."""
    doc = QTextDocument()
    doc.setHtml(text(kiosk, name))
    return doc.toPlainText()


def tap(qtbot, kiosk, name: str) -> None:
    widget = find(kiosk, name, QPushButton)
    assert widget.isVisible() and widget.isEnabled(), f"{name} cannot be tapped"
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def choose_language(qtbot, kiosk, code: str) -> None:
    """The language button, then the language in the row it opens, as a resident does."""
    tap(qtbot, kiosk, "languageButton")
    tap(qtbot, kiosk, f"language_{code}")
    assert kiosk.presenter.language == code


def screen_is(kiosk, kind) -> bool:
    return isinstance(kiosk.window.shown_screen, kind)


def visible_buttons(kiosk) -> list[QPushButton]:
    return [b for b in kiosk.window.findChildren(QPushButton) if b.isVisible()]
