"""Item lists: a department's items, and search with the on-screen pinyin-initials keypad."""

from __future__ import annotations

import string

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QBoxLayout, QVBoxLayout, QWidget

from clientlib.widgets import label, show_text

from ..i18n import tr
from ..screens import ItemListScreen, SearchScreen
from .widgets import Keypad, Page, TileGrid, TouchScroll

LETTERS = string.ascii_lowercase
BACKSPACE, CLEAR = "back", "clear"
MAX_SIZE = 16777215  # QWIDGETSIZE_MAX


class ItemsPage(Page):
    item_chosen = Signal(str)

    def __init__(self):
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(20)
        self.banner = label(role="banner", name="itemsBanner")
        self.title = label(role="title", name="itemsTitle")
        self.items = TileGrid("item_", centered=False)
        self.items.chosen.connect(self.item_chosen)
        self.empty = label(role="hint")
        layout.addWidget(self.banner)
        layout.addWidget(self.title)
        layout.addWidget(self.empty)
        layout.addWidget(TouchScroll(self.items), 1)

    def retranslate(self, lang: str) -> None:
        pass

    def set_landscape(self, landscape: bool) -> None:
        self.items.set_columns(2 if landscape else 1)

    def set_screen(self, screen: ItemListScreen) -> None:
        show_text(self.banner, screen.banner)
        self.title.setText(screen.title)
        self.items.set_tiles(screen.items)
        show_text(self.empty, "" if screen.items else screen.empty_text)


class SearchPage(Page):
    """Results on top (portrait) or left (landscape); the letter keypad below or right."""

    item_chosen = Signal(str)
    letter = Signal(str)
    erase = Signal()
    clear = Signal()

    def __init__(self):
        super().__init__()
        outer = QVBoxLayout(self)
        outer.setSpacing(16)
        self.banner = label(role="banner", name="searchBanner")
        self.title = label(role="title", name="searchTitle")
        outer.addWidget(self.banner)
        outer.addWidget(self.title)
        self.body = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.body.setSpacing(20)
        outer.addLayout(self.body, 1)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(14)
        self.query = label(role="display", name="queryDisplay", wrap=False)
        self.status = label(role="hint", name="searchStatus")
        self.results = TileGrid("result_", centered=False)
        self.results.chosen.connect(self.item_chosen)
        left_layout.addWidget(self.query)
        left_layout.addWidget(self.status)
        left_layout.addWidget(TouchScroll(self.results), 1)

        keys = [(c, c.upper()) for c in LETTERS] + [(BACKSPACE, ""), (CLEAR, "")]
        self.keypad = Keypad(keys, columns=7)
        self.keypad.pressed.connect(self._key)
        self.body.addWidget(left, 1)
        self.body.addWidget(self.keypad)

    def _key(self, key: str) -> None:
        if key == BACKSPACE:
            self.erase.emit()
        elif key == CLEAR:
            self.clear.emit()
        else:
            self.letter.emit(key)

    def retranslate(self, lang: str) -> None:
        self.title.setText(tr("search_title", lang))
        self.keypad.set_text(BACKSPACE, tr("key_back", lang))
        self.keypad.set_text(CLEAR, tr("key_clear", lang))

    def set_landscape(self, landscape: bool) -> None:
        direction = (
            QBoxLayout.Direction.LeftToRight if landscape else QBoxLayout.Direction.TopToBottom
        )
        self.body.setDirection(direction)
        if landscape:
            self.keypad.setFixedWidth(880)
            self.keypad.setMinimumHeight(0)
        else:
            self.keypad.setMinimumWidth(0)
            self.keypad.setMaximumWidth(MAX_SIZE)
            self.keypad.setMinimumHeight(480)

    def set_screen(self, screen: SearchScreen) -> None:
        show_text(self.banner, screen.banner)
        self.query.setText(screen.query.upper() or "_")
        self.status.setText(screen.status)
        self.results.set_tiles(screen.results)
        self.keypad.set_enabled(screen.enabled_letters, set(LETTERS))
