"""今日预约: today's slots of the window's services with their appointments (masked). Only
signals and a setter: the presenter's AppointmentsPanel decides what is shown."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clientlib.widgets import label, show_text

from ..appointments import AppointmentsScreen
from ..i18n import pair
from .style import COLOURS
from .widgets import TwoLineButton, card, data_table

COLUMNS = (
    "appt_col_slot",
    "appt_col_item",
    "appt_col_capacity",
    "appt_col_booked",
    "appt_col_checked_in",
    "appt_col_no_show",
    "appt_col_people",
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
        self.title = label(" ".join(pair("appt_appointments", lang)), "title", wrap=False)
        top.addWidget(self.title)
        self.summary = label(name="appointmentsSummary", wrap=False)
        top.addWidget(self.summary, 1)
        self.refresh_button = TwoLineButton(" ".join(pair("refresh", lang)), "refreshAppointments")
        self.back_button = TwoLineButton(
            " ".join(pair("back", lang)), "appointmentsBack", "primary"
        )
        top.addWidget(self.refresh_button)
        top.addWidget(self.back_button)
        box.addLayout(top)
        self.info = label(role="muted", name="appointmentsInfo")
        self.info.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box.addWidget(self.info)
        self.table = data_table(
            "appointmentsTable",
            ["\n".join(pair(k, lang)) for k in COLUMNS],
            rows_selectable=False,
            wrap=True,
        )
        header = self.table.horizontalHeader()
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
