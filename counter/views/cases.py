"""My cases (我的办件): the clerk's open and suspended cases with their warning colour, most
urgent first, and the actions on the selected one."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clientlib.widgets import button, label, show_text

from ..i18n import pair
from ..screens import CASE_ACTIONS, CasesScreen
from .style import COLOURS
from .widgets import TwoLineButton, card, data_table

COLUMNS = (
    "col_colour",
    "col_case",
    "col_item",
    "col_state",
    "col_deadline",
    "col_applicant",
    "col_ticket",
)


class CasesPage(QWidget):
    back = Signal()
    refresh = Signal()
    selected = Signal(str)  # case number, "" for none
    action = Signal(str)  # a key of CASE_ACTIONS
    unlock_lookup = Signal()  # 解除查询锁定 (the kiosk's 办件查询)

    def __init__(self, lang: str):
        super().__init__()
        self.lang = lang
        outer = QVBoxLayout(self)
        outer.setContentsMargins(14, 10, 14, 12)
        outer.setSpacing(10)
        frame, box = card()
        outer.addWidget(frame, 1)
        top = QHBoxLayout()
        top.setSpacing(16)
        top.addWidget(label(" ".join(pair("my_cases", lang)), "title", wrap=False))
        self.counts = label(name="caseCounts", wrap=False)
        top.addWidget(self.counts)
        top.addStretch(1)
        self.refresh_button = TwoLineButton(" ".join(pair("refresh", lang)), "refreshCases")
        self.unlock_button = TwoLineButton(" ".join(pair("lookup_unlock", lang)), "unlockLookup")
        top.addWidget(self.unlock_button)
        self.back_button = TwoLineButton(" ".join(pair("back", lang)), "backToWindow", "primary")
        top.addWidget(self.refresh_button)
        top.addWidget(self.back_button)
        box.addLayout(top)
        self.info = label(role="muted", name="casesInfo")
        self.info.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box.addWidget(self.info)
        self.table = data_table(
            "casesTable",
            ["\n".join(pair(k, lang)) for k in COLUMNS],
            rows_selectable=True,
            wrap=False,
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        box.addWidget(self.table, 1)
        self.details = label(name="caseDetails")
        self.details.setProperty("role", "title")
        box.addWidget(self.details)
        actions = QHBoxLayout()
        actions.setSpacing(10)
        self.buttons: dict[str, QPushButton] = {}
        for key in CASE_ACTIONS:
            widget = button(" ".join(pair(f"case_{key}", lang)), f"case_{key}", "caseAction")
            widget.clicked.connect(lambda _=False, k=key: self.action.emit(k))
            actions.addWidget(widget)
            self.buttons[key] = widget
        box.addLayout(actions)
        self.numbers: list[str] = []
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.refresh_button.clicked.connect(self.refresh)
        self.unlock_button.clicked.connect(self.unlock_lookup)
        self.back_button.clicked.connect(self.back)

    def _selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        row = rows[0].row() if rows else -1
        self.selected.emit(self.numbers[row] if 0 <= row < len(self.numbers) else "")

    def set_screen(self, screen: CasesScreen) -> None:
        self.counts.setText(screen.counts)
        show_text(self.info, screen.info)
        self.table.blockSignals(True)
        self.numbers = [r.number for r in screen.rows]
        self.table.setRowCount(len(screen.rows))
        for row, case in enumerate(screen.rows):
            cells = (
                case.colour_text,
                case.number,
                case.item,
                case.state,
                case.deadline,
                case.applicant,
                case.ticket,
            )
            for col, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if col == 0:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                    background, ink = COLOURS.get(case.colour or "", COLOURS["none"])
                    if case.colour is None and case.colour_text != "—":
                        background, ink = COLOURS["suspended"]
                    cell.setBackground(QBrush(QColor(background)))
                    cell.setForeground(QBrush(QColor(ink)))
                    font = cell.font()
                    font.setBold(True)
                    cell.setFont(font)
                elif col == 1:
                    font = cell.font()
                    font.setBold(True)
                    cell.setFont(font)
                self.table.setItem(row, col, cell)
        if screen.selected in self.numbers:
            self.table.selectRow(self.numbers.index(screen.selected))
        else:
            self.table.clearSelection()
        self.table.blockSignals(False)
        self.table.setVisible(bool(screen.rows))
        self.details.setText(screen.details)
        for key, widget in self.buttons.items():
            widget.setEnabled(key in screen.enabled)
