"""The main screen: the current ticket with its materials checklist, this window's line,
today's figures, and the F1-F9 action buttons."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clientlib.widgets import label, set_prop, show_text

from ..i18n import pair
from ..screens import (
    ACTIONS,
    CASE_HOOKS,
    SHORTCUTS,
    CaseBadge,
    Figures,
    LinePanel,
    MainScreen,
    TicketPanel,
)
from .widgets import ActionButton, ElidedLabel, ListScroll, TwoLineButton, card, clear_layout


class TicketCard(QWidget):
    material_toggled = Signal(int, bool)
    hook = Signal(str)  # a key of screens.CASE_HOOKS

    def __init__(self, lang: str):
        super().__init__()
        frame, box = card()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)
        top = QHBoxLayout()
        top.addWidget(label(" ".join(pair("current", lang)), "title", wrap=False))
        top.addStretch(1)
        self.state = label(name="ticketState", wrap=False)
        self.state.setProperty("role", "title")
        top.addWidget(self.state)
        box.addLayout(top)
        self.idle = label(name="idleText")
        self.idle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box.addWidget(self.idle, 1)
        self.details = QWidget()
        details = QVBoxLayout(self.details)
        details.setContentsMargins(0, 0, 0, 0)
        details.setSpacing(6)
        head = QHBoxLayout()
        head.setSpacing(22)
        self.number = label(name="ticketNumber", wrap=False)
        head.addWidget(self.number, 0, Qt.AlignmentFlag.AlignVCenter)
        about = QVBoxLayout()
        about.setSpacing(4)
        self.item = label(name="itemName")
        self.item_secondary = label(name="itemSecondary")
        self.priority = label(name="priority", wrap=False)
        self.facts = label(role="muted", name="facts")  # waited · kind
        about.addStretch(1)
        about.addWidget(self.item)
        about.addWidget(self.item_secondary)
        about.addWidget(self.priority, 0, Qt.AlignmentFlag.AlignLeft)
        about.addWidget(self.facts)
        about.addStretch(1)
        head.addLayout(about, 1)
        details.addLayout(head)
        # history, case and materials scroll together, so a long history or checklist never
        # pushes the case buttons off a 720-pixel screen
        more = QWidget()
        more.setObjectName("ticketMore")
        more_layout = QVBoxLayout(more)
        more_layout.setContentsMargins(0, 0, 0, 0)
        more_layout.setSpacing(6)
        self.history = label(role="muted", name="history")
        more_layout.addWidget(self.history)
        more_layout.addWidget(self._badge())
        materials_head = QHBoxLayout()
        materials_head.addWidget(label(" ".join(pair("materials", lang)), "title", wrap=False))
        materials_head.addStretch(1)
        self.materials_status = label(role="muted", name="materialsStatus", wrap=False)
        materials_head.addWidget(self.materials_status)
        more_layout.addLayout(materials_head)
        self.materials_box = QWidget()
        self.materials_layout = QVBoxLayout(self.materials_box)
        self.materials_layout.setContentsMargins(4, 0, 4, 0)
        self.materials_layout.setSpacing(0)
        more_layout.addWidget(self.materials_box)
        more_layout.addStretch(1)
        self.more = ListScroll(more, least=90, name="ticketScroll")
        details.addWidget(self.more, 1)
        box.addWidget(self.details, 1)
        hooks = QHBoxLayout()
        hooks.setSpacing(8)
        self.hooks: dict[str, TwoLineButton] = {}
        for key in CASE_HOOKS:
            widget = TwoLineButton(" ".join(pair(key, lang)), f"action_{key}", "hook")
            widget.clicked.connect(lambda _=False, k=key: self.hook.emit(k))
            hooks.addWidget(widget)
            self.hooks[key] = widget
        hooks.addStretch(1)
        box.addLayout(hooks)
        self.checkboxes: list[QCheckBox] = []
        self._materials: tuple[str, ...] | None = None
        self.lang = lang

    def _badge(self) -> QFrame:
        """The case accepted for this ticket: acceptance number, deadline, state."""
        self.badge = QFrame()
        self.badge.setObjectName("caseBadge")
        layout = QVBoxLayout(self.badge)
        layout.setContentsMargins(14, 6, 12, 6)
        layout.setSpacing(2)
        self.case_number = label(name="caseNumber", wrap=False)
        layout.addWidget(self.case_number)
        bottom = QHBoxLayout()
        bottom.setSpacing(14)
        self.case_deadline = label(name="caseDeadline", wrap=False)
        self.case_state = ElidedLabel("caseState")  # 待补正：… may be long: one line, elided
        self.case_state.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        bottom.addWidget(self.case_deadline)
        bottom.addWidget(self.case_state, 1)
        layout.addLayout(bottom)
        self.badge.hide()
        return self.badge

    def _set_case(self, case: CaseBadge | None) -> None:
        self.badge.setVisible(case is not None)
        if case is None:
            return
        self.case_number.setText(case.number)
        self.case_deadline.setText(case.deadline)
        self.case_state.setText(case.state)
        set_prop(self.badge, "colour", case.colour or "none")

    def set_ticket(self, ticket: TicketPanel | None, idle_text: str) -> None:
        self.idle.setVisible(ticket is None)
        self.details.setVisible(ticket is not None)
        if ticket is None:
            self.idle.setText(idle_text)
            self.state.setText("")
            self._set_materials((), ())
            self._set_case(None)
            return
        self.state.setText(ticket.state)
        self.number.setText(ticket.number)
        self.item.setText(ticket.item)
        self.item_secondary.setText(ticket.item_secondary)
        self.priority.setText(ticket.priority)
        set_prop(self.priority, "priority", ticket.priority_class)
        self.facts.setText(f"{ticket.waited}\n{ticket.kind}")
        history = "\n".join(ticket.history)
        show_text(
            self.history, f"{' '.join(pair('history', self.lang))}：{history}" if history else ""
        )
        self.materials_status.setText(ticket.materials_status)
        self._set_materials(ticket.materials, ticket.checked)
        self._set_case(ticket.case)

    def set_hooks(self, visible: frozenset[str], print_label: str) -> None:
        for key, widget in self.hooks.items():
            widget.setVisible(key in visible)
        if print_label:
            self.hooks["print_receipt"].setText(print_label)

    def _set_materials(self, materials: tuple[str, ...], checked: tuple[bool, ...]) -> None:
        if materials != self._materials:
            self._materials = materials
            clear_layout(self.materials_layout)
            self.checkboxes = []
            for index, text in enumerate(materials):
                box = QCheckBox(text)
                box.setObjectName(f"material{index}")
                box.toggled.connect(lambda on, i=index: self.material_toggled.emit(i, on))
                self.materials_layout.addWidget(box)
                self.checkboxes.append(box)
        for box, on in zip(self.checkboxes, checked, strict=False):
            if box.isChecked() != on:
                box.blockSignals(True)
                box.setChecked(on)
                box.blockSignals(False)


class LineCard(QWidget):
    def __init__(self, lang: str):
        super().__init__()
        frame, box = card()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)
        top = QHBoxLayout()
        top.addWidget(label(" ".join(pair("line", lang)), "title", wrap=False))
        top.addStretch(1)
        self.summary = label(name="lineSummary", wrap=False)
        top.addWidget(self.summary)
        box.addLayout(top)
        self.per_item = label(role="muted", name="perItem")
        box.addWidget(self.per_item)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("lineTable")
        self.table.setHorizontalHeaderLabels(
            [pair(k, lang)[0] for k in ("col_number", "col_item", "col_class", "col_waited")]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setShowGrid(False)
        self.table.verticalHeader().setDefaultSectionSize(34)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        box.addWidget(self.table, 1)
        self.empty = label(name="lineEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box.addWidget(self.empty, 1)
        self.lang = lang

    def set_line(self, line: LinePanel) -> None:
        self.summary.setText(line.summary)
        per_item = "  ·  ".join(f"{name} {count}" for name, count in line.per_item)
        show_text(self.per_item, per_item)
        self.table.setVisible(bool(line.next))
        show_text(self.empty, "" if line.next else line.empty_text)
        self.table.setRowCount(len(line.next))
        here = pair("transferred_here", self.lang)[0]
        for row, entry in enumerate(line.next):
            kind = " · ".join(
                t for t in (entry.priority, here if entry.transferred_here else "") if t
            )
            for col, text in enumerate((entry.number, entry.item, kind, entry.waited)):
                cell = QTableWidgetItem(text)
                if col == 0:
                    font = cell.font()
                    font.setBold(True)
                    cell.setFont(font)
                self.table.setItem(row, col, cell)


class TodayCard(QWidget):
    def __init__(self, lang: str):
        super().__init__()
        frame, box = card()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)
        box.addWidget(label(" ".join(pair("today", lang)), "title", wrap=False))
        self.grid = QGridLayout()
        self.grid.setColumnStretch(0, 1)
        self.grid.setHorizontalSpacing(18)
        self.grid.setVerticalSpacing(4)
        for col, key in enumerate(("served", "avg", "no_shows", "transfers"), start=1):
            head = label(" ".join(pair(key, lang)), "muted", wrap=False)
            head.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.grid.addWidget(head, 0, col)
        self.cells: list[list] = []
        for r in range(2):
            cells = [label(wrap=False) for _ in range(5)]
            for col, cell in enumerate(cells):
                if col:
                    cell.setAlignment(Qt.AlignmentFlag.AlignCenter)
                self.grid.addWidget(cell, r + 1, col)
            cells[0].setProperty("role", "title")
            self.cells.append(cells)
        box.addLayout(self.grid)

    def set_figures(self, rows: tuple[Figures, ...]) -> None:
        for cells, figures in zip(self.cells, rows, strict=False):
            values = (
                figures.who,
                figures.served,
                figures.avg,
                figures.no_show,
                figures.transferred,
            )
            for cell, value in zip(cells, values, strict=True):
                cell.setText(str(value))
            cells[0].setObjectName(f"today_{figures.who}")


class MainPage(QWidget):
    action = Signal(str)  # a key of screens.ACTIONS or CASE_HOOKS
    material_toggled = Signal(int, bool)

    def __init__(self, lang: str):
        super().__init__()
        self.lang = lang
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 12)
        layout.setSpacing(10)
        body = QHBoxLayout()
        body.setSpacing(12)
        self.ticket = TicketCard(lang)
        self.ticket.material_toggled.connect(self.material_toggled)
        self.ticket.hook.connect(self.action)
        body.addWidget(self.ticket, 3)
        right = QVBoxLayout()
        right.setSpacing(10)
        self.line = LineCard(lang)
        self.today = TodayCard(lang)
        right.addWidget(self.line, 1)
        right.addWidget(self.today)
        body.addLayout(right, 2)
        layout.addLayout(body, 1)
        actions = QHBoxLayout()
        actions.setSpacing(8)
        bar: dict[str, ActionButton] = {}
        for key in ACTIONS:
            title, subtitle = pair(key if key != "pause_toggle" else "pause", lang)
            widget = ActionButton(key, SHORTCUTS[key], title, subtitle, accent=key == "call_next")
            widget.setObjectName(f"action_{key}")
            widget.clicked.connect(lambda _=False, k=key: self.action.emit(k))
            actions.addWidget(widget)
            bar[key] = widget
        layout.addLayout(actions)
        self.pause_toggle = bar["pause_toggle"]
        # every action by key: the bar's buttons and the ticket card's case buttons
        self.buttons: dict[str, QPushButton] = {**bar, **self.ticket.hooks}

    def set_screen(self, screen: MainScreen) -> None:
        self.ticket.set_ticket(screen.ticket, screen.idle_text)
        self.line.set_line(screen.line)
        self.today.set_figures(screen.today)
        self.pause_toggle.set_text(*pair("resume" if screen.paused else "pause", self.lang))
        for key, widget in self.buttons.items():
            widget.setEnabled(key in screen.enabled)
        self.ticket.set_hooks(screen.hooks, screen.print_label)
