"""The language chooser: a row of big buttons under the top bar, each language named in itself
(中文 · English · ئۇيغۇرچە), over a dimmed page; a tap beside it closes it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from clientlib.widgets import button

from ..screens import LanguageChoice
from .style import kiosk_font, set_role


class LanguageChooser(QWidget):
    chosen = Signal(str)
    dismissed = Signal()

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("languageBackdrop")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(36, 0, 36, 0)
        self.panel = QWidget()
        self.panel.setObjectName("languagePanel")
        self.panel.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.row = QBoxLayout(QBoxLayout.Direction.LeftToRight, self.panel)
        self.row.setContentsMargins(24, 24, 24, 24)
        self.row.setSpacing(18)
        outer.addWidget(self.panel)
        outer.addStretch(1)
        self.buttons: dict[str, QPushButton] = {}
        self.choices: tuple[LanguageChoice, ...] = ()
        self.hide()

    def set_choices(self, choices: tuple[LanguageChoice, ...], current: str) -> None:
        if choices != self.choices:
            for old in self.buttons.values():
                old.setParent(None)
                old.deleteLater()
            self.buttons = {}
            for choice in choices:
                btn = button(choice.name, f"language_{choice.code}", "big")
                btn.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
                btn.setAccessibleName(choice.name)
                btn.setFont(kiosk_font("rtl" if choice.dir == "rtl" else "mixed"))
                btn.clicked.connect(lambda _=False, code=choice.code: self.chosen.emit(code))
                self.row.addWidget(btn)
                self.buttons[choice.code] = btn
            self.choices = choices
        for code, btn in self.buttons.items():
            set_role(btn, "true" if code == current else "false", "current")

    def set_landscape(self, landscape: bool) -> None:
        """Side by side; in portrait too while they fit (three do), else one under another."""
        many = len(self.buttons) > (5 if landscape else 3)
        self.row.setDirection(
            QBoxLayout.Direction.TopToBottom if many else QBoxLayout.Direction.LeftToRight
        )

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt override
        if not self.panel.geometry().contains(event.position().toPoint()):
            self.dismissed.emit()
        event.accept()
