"""今日预约: today's slots of the window's services with their appointments (masked). Only
signals and a setter: the presenter's AppointmentsPanel decides what is shown."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..appointments import AppointmentsScreen, pair
from ..i18n import pair as counter_pair
from .style import COLOURS
from .widgets import TwoLineButton, card, label, show_text

COLUMNS = (
    "col_slot",
    "col_item",
    "col_capacity",
    "col_booked",
    "col_checked_in",
    "col_no_show",
    "col_people",
)
NUMBERS = (2, 3, 4, 5)


class AppointmentsPage(QWidget):
    back = Signal()
    refresh = Signal()

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
        self.title = label(" ".join(pair("appointments", lang)), "title", wrap=False)
        top.addWidget(self.title)
        self.summary = label(name="appointmentsSummary", wrap=False)
        top.addWidget(self.summary, 1)
        self.refresh_button = TwoLineButton(
            " ".join(counter_pair("refresh", lang)), "refreshAppointments"
        )
        self.back_button = TwoLineButton(
            " ".join(counter_pair("back", lang)), "appointmentsBack", "primary"
        )
        top.addWidget(self.refresh_button)
        top.addWidget(self.back_button)
        box.addLayout(top)
        self.info = label(role="muted", name="appointmentsInfo")
        self.info.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box.addWidget(self.info)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("appointmentsTable")
        self.table.setHorizontalHeaderLabels(["\n".join(pair(k, lang)) for k in COLUMNS])
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(44)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setShowGrid(False)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        for col in range(len(COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 260)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        box.addWidget(self.table, 1)
        self.refresh_button.clicked.connect(self.refresh)
        self.back_button.clicked.connect(self.back)

    def set_screen(self, screen: AppointmentsScreen) -> None:
        self.summary.setText(screen.summary)
        show_text(self.info, screen.info)
        self.table.setRowCount(len(screen.rows))
        muted = QBrush(QColor(COLOURS["none"][1]))
        for row, r in enumerate(screen.rows):
            cells = (r.slot, r.item, r.capacity, r.booked, r.checked_in, r.no_show, r.people)
            for col, value in enumerate(cells):
                cell = QTableWidgetItem(str(value))
                if col in NUMBERS:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if col == 0:
                    font = cell.font()
                    font.setBold(True)
                    cell.setFont(font)
                if col == 5 and r.no_show:
                    cell.setForeground(QBrush(QColor(COLOURS["red"][0])))
                if r.past and col != 5:
                    cell.setForeground(muted)
                if col == len(cells) - 1:
                    cell.setToolTip(r.people.replace("；", "\n"))
                self.table.setItem(row, col, cell)
        self.table.resizeRowsToContents()
        self.table.setVisible(bool(screen.rows))
