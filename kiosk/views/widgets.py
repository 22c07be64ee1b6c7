"""The kiosk's building blocks: big tile buttons, tile grids that scroll by touch, keypads
(label, button and show_text are clientlib.widgets', shared with the counter)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLayout,
    QPushButton,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from clientlib.widgets import button, label

from ..screens import Tile
from .style import TARGET, set_role

# Longer tile titles (English names) get a smaller font, so tiles need not grow or scroll.
TITLE_SIZES = ((16, "title"), (30, "long-title"))


class Page(QWidget):
    """One screen's page in the window's stack: the window calls these three setters."""

    def retranslate(self, lang: str) -> None:
        raise NotImplementedError

    def set_landscape(self, landscape: bool) -> None:
        raise NotImplementedError

    def set_screen(self, screen: Any) -> None:
        raise NotImplementedError


def own_layout(widget: QWidget) -> QLayout:
    """The layout a widget set up for itself in its constructor."""
    layout = widget.layout()
    if layout is None:
        raise RuntimeError(f"{type(widget).__name__} has no layout")
    return layout


def centred_column(layout, widgets) -> None:
    """A notice screen's column: ``widgets`` centred, a third of the spare height above."""
    layout.addStretch(1)
    for widget in widgets:
        widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(widget)
    layout.addStretch(2)


class TileButton(QPushButton):
    """A large button with a wrapped title and an optional smaller subtitle."""

    def __init__(self, key: str, role: str = "tile", centered: bool = True):
        super().__init__()
        self.key = key
        self.setProperty("role", role)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        align = Qt.AlignmentFlag.AlignCenter if centered else Qt.AlignmentFlag.AlignLeft
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 8, 20, 8)
        layout.setSpacing(2)
        layout.addStretch(1)
        self.title = QLabel()
        self.subtitle = QLabel()
        for part, kind in ((self.title, "title"), (self.subtitle, "subtitle")):
            part.setWordWrap(True)
            part.setTextFormat(Qt.TextFormat.PlainText)
            part.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
            part.setProperty("tile", kind)
            part.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(part)
        layout.addStretch(1)

    def set_text(self, title: str, subtitle: str = "") -> None:
        size = next((role for limit, role in TITLE_SIZES if len(title) <= limit), "longer-title")
        set_role(self.title, size, "tile")
        self.title.setText(title)
        self.subtitle.setText(subtitle)
        self.subtitle.setVisible(bool(subtitle))
        self.setAccessibleName(f"{title} {subtitle}".strip())

    def set_enabled(self, enabled: bool) -> None:
        """Greyed and untappable, with the subtitle (saying why) in warning colour."""
        self.setEnabled(enabled)
        set_role(self.subtitle, "" if enabled else "unavailable", "state")

    def text_shown(self) -> str:
        return self.title.text()

    def sizeHint(self) -> QSize:
        return own_layout(self).sizeHint().expandedTo(QSize(2 * TARGET, TARGET + 20))

    def minimumSizeHint(self) -> QSize:
        return own_layout(self).minimumSize().expandedTo(QSize(TARGET, TARGET))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return max(TARGET + 20, own_layout(self).totalHeightForWidth(width))


class TileGrid(QWidget):
    """Tiles in `columns` columns; tapping one emits its key."""

    chosen = Signal(str)

    def __init__(
        self,
        prefix: str,
        role: str = "tile",
        centered: bool = True,
        fill: bool = False,
        roles: dict[str, str] | None = None,
    ):
        super().__init__()
        self.prefix, self.role, self.centered, self.fill = prefix, role, centered, fill
        self.roles = roles or {}  # key -> style role, for tiles that differ
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(14)
        self.columns = 1
        self.tiles: tuple[Tile, ...] = ()
        self.buttons: dict[str, TileButton] = {}

    def set_tiles(self, tiles: tuple[Tile, ...], columns: int | None = None) -> None:
        columns = columns or self.columns
        if tiles == self.tiles and columns == self.columns:
            return
        if [t.key for t in tiles] != [t.key for t in self.tiles]:
            self._rebuild(tiles)
        self.tiles, self.columns = tiles, columns
        for tile in tiles:
            self.buttons[tile.key].set_enabled(tile.enabled)  # first: it sets the subtitle font
            self.buttons[tile.key].set_text(tile.title, tile.subtitle)
        self._place()

    def set_columns(self, columns: int) -> None:
        if columns != self.columns:
            self.columns = columns
            self._place()

    def _rebuild(self, tiles: tuple[Tile, ...]) -> None:
        for old in self.buttons.values():
            old.setParent(None)
            old.deleteLater()
        self.buttons = {}
        for tile in tiles:
            btn = TileButton(tile.key, self.roles.get(tile.key, self.role), self.centered)
            btn.setObjectName(f"{self.prefix}{tile.key}")
            if self.fill:
                btn.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            btn.clicked.connect(lambda _=False, key=tile.key: self.chosen.emit(key))
            self.buttons[tile.key] = btn

    def _place(self) -> None:
        for btn in self.buttons.values():
            self.grid.removeWidget(btn)
        for n, tile in enumerate(self.tiles):
            self.grid.addWidget(self.buttons[tile.key], n // self.columns, n % self.columns)
            self.buttons[tile.key].show()  # at once, not on the next event loop pass
        for col in range(max(self.grid.columnCount(), 4)):
            self.grid.setColumnStretch(col, 1 if col < self.columns else 0)


class TouchScroll(QScrollArea):
    """A scroll area a finger can drag (kinetic), with a wide scroll bar for the mouse, and
    「向下滑动查看更多 ▼」 over its foot while content is below the fold (gone at the bottom)."""

    def __init__(self, content: QWidget, stretch: bool = True):
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 12 if stretch else 0, 0)
        layout.addWidget(content, 0 if stretch else 1)
        if stretch:  # content keeps its natural height; otherwise it fills the view
            layout.addStretch(1)
        self.setWidget(holder)
        QScroller.grabGesture(self.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        self.hint = label(name="scrollHint", wrap=False)
        self.hint.setParent(self)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.hint.hide()
        bar = self.verticalScrollBar()
        bar.rangeChanged.connect(self._update_hint)
        bar.valueChanged.connect(self._update_hint)

    def set_hint_text(self, text: str) -> None:
        self.hint.setText(text)
        self._update_hint()

    def more_below(self) -> bool:
        bar = self.verticalScrollBar()
        return bar.maximum() > 0 and bar.value() < bar.maximum()

    def _update_hint(self, *_args) -> None:
        show = self.more_below() and bool(self.hint.text())
        if show:
            self.hint.adjustSize()
            view = self.viewport().geometry()
            x = view.x() + (view.width() - self.hint.width()) // 2
            self.hint.move(max(0, x), view.bottom() - self.hint.height() - 8)
            self.hint.raise_()
        self.hint.setVisible(show)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._update_hint()


class Keypad(QWidget):
    """Big keys in a grid; emits the key's name. Keys not in `set_enabled` are greyed out."""

    pressed = Signal(str)

    def __init__(self, keys: list[tuple[str, str]], columns: int, prefix: str = "key_"):
        super().__init__()
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # 1 2 3 even in Uyghur
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(12)
        self.buttons: dict[str, QPushButton] = {}
        for n, (key, text) in enumerate(keys):
            btn = button(text, f"{prefix}{key}", "key")
            btn.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            btn.setMinimumSize(TARGET, TARGET + 8)
            btn.clicked.connect(lambda _=False, k=key: self.pressed.emit(k))
            grid.addWidget(btn, n // columns, n % columns)
            self.buttons[key] = btn

    def set_enabled(self, keys: set[str] | frozenset[str], only: set[str]) -> None:
        """Enable the keys of `only` that are in `keys`; other keys are left alone."""
        for key in only:
            self.buttons[key].setEnabled(key in keys)

    def set_text(self, key: str, text: str) -> None:
        self.buttons[key].setText(text)
