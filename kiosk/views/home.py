"""Home: 常办事项 (the most-issued items), department tiles and the four entries (search, green
channel, appointment, case)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from clientlib.widgets import label, show_text

from ..i18n import tr
from ..screens import HomeScreen, Tile
from .widgets import Page, TileGrid, TouchScroll

ACTIONS = (
    ("search", "search", "search_hint_button", "action"),
    ("green", "green", "green_hint_button", "green"),
    ("appointment", "appointment", "appointment_hint_button", "action"),
    ("case", "case_query", "case_hint_button", "action"),
)

FREQUENT_COLUMNS = {False: 3, True: 6}  # 常办事项: two rows of three, or one row in landscape


class HomePage(Page):
    department_chosen = Signal(str)
    item_chosen = Signal(str)  # a 常办事项 tile
    action_chosen = Signal(str)  # search | green | appointment | case

    def __init__(self):
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(14)
        self.banner = label(role="banner", name="modeBanner")
        self.title = label(role="title", name="homeTitle")
        self.frequent_title = label(role="section", name="frequentTitle")
        self.frequent = TileGrid("frequent_", role="frequent", centered=False)
        self.frequent.chosen.connect(self.item_chosen)
        self.departments = TileGrid("dept_", fill=True)
        self.departments.chosen.connect(self.department_chosen)
        self.action_tiles = QWidget()
        actions_layout = QVBoxLayout(self.action_tiles)
        actions_layout.setContentsMargins(0, 0, 0, 0)
        self.action_grid = TileGrid("action_", roles={key: role for key, *_, role in ACTIONS})
        self.action_grid.chosen.connect(self.action_chosen)
        actions_layout.addWidget(self.action_grid)
        self.footer = label(role="hint", name="homeFooter")
        layout.addWidget(self.banner)
        layout.addWidget(self.frequent_title)
        layout.addWidget(self.frequent)
        layout.addWidget(self.title)
        layout.addWidget(TouchScroll(self.departments, stretch=False), 1)  # scrolls if need be
        layout.addWidget(self.action_tiles)
        layout.addWidget(self.footer)
        self.language = "zh"
        self.landscape = False
        self.retranslate("zh")

    def retranslate(self, lang: str) -> None:
        self.language = lang
        tiles = tuple(Tile(key, tr(title, lang), tr(hint, lang)) for key, title, hint, _ in ACTIONS)
        self.action_grid.set_tiles(tiles, 4 if self.landscape else 2)

    def set_landscape(self, landscape: bool) -> None:
        self.landscape = landscape
        self.departments.set_columns(4 if landscape else 2)
        self.frequent.set_columns(FREQUENT_COLUMNS[landscape])
        self.action_grid.set_columns(4 if landscape else 2)

    def set_screen(self, screen: HomeScreen) -> None:
        show_text(self.banner, screen.banner)
        show_text(self.frequent_title, screen.frequent_title)
        self.frequent.set_tiles(screen.frequent, FREQUENT_COLUMNS[self.landscape])
        self.frequent.setVisible(bool(screen.frequent))
        self.title.setText(screen.title)
        self.departments.set_tiles(screen.departments, 4 if self.landscape else 2)
        self.action_tiles.setVisible(screen.actions)
        show_text(self.footer, screen.footer)
