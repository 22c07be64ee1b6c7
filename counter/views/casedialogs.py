"""Dialogs of the case workflow: 受理 (accept as a case), 一次性告知 (missing materials) and the
actions on a case from My cases. Unlike the queue dialogs they stay open after OK until the
backend has answered: the presenter closes them on success, or shows its refusal next to the
field it names (error.field), keeping everything typed."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from clientlib.widgets import button, label, show_text

from ..i18n import pair, tr
from ..screens import AcceptForm, CaseActionForm, MissingForm
from .dialogs import _Dialog
from .widgets import ListScroll


class FormDialog(_Dialog):
    """A dialog whose OK sends a request and waits: `show_error` or the presenter closes it."""

    form_name = ""  # the presenter's name for this dialog

    def __init__(self, title: str, lang: str, parent=None, ok_key: str = "ok"):
        super().__init__(title, lang, parent)
        self.ok_text = " ".join(pair(ok_key, lang))
        self.ok.setText(self.ok_text)
        self.error = label(role="error", name="formError")
        self.error.hide()
        self.layout_.insertWidget(1, self.error)
        self.field_errors: dict[str, QLabel] = {}
        self.field_widgets: dict[str, QWidget] = {}
        self.sending = False

    def hint(self, text: str) -> None:
        hint = label(text, "info", "formHint")
        self.layout_.insertWidget(1, hint)

    def error_label(self, *fields: str, widget: QWidget | None = None) -> QLabel:
        """A red label (hidden until needed) for the backend's error.field names `fields`."""
        error = label(role="error", name="error_" + fields[0].replace(".", "_"))
        error.hide()
        for field in fields:
            self.field_errors[field] = error
            if widget is not None:
                self.field_widgets[field] = widget
        return error

    def _update(self) -> None:
        self.ok.setEnabled(self.valid() and not self.sending)

    def _accept(self) -> None:
        if self.sending or not self.valid():
            return
        self.sending = True
        for error in (self.error, *self.field_errors.values()):
            show_text(error, "")
        self.ok.setText(" ".join(pair("submitting", self.lang)))
        self._update()
        self.emit_submitted()

    def show_error(self, field: str | None, text: str) -> None:
        """The refusal: next to `field` if this dialog has it, else above the form."""
        self.sending = False
        self.ok.setText(self.ok_text)
        self._update()
        target = self.field_errors.get(field or "", self.error)
        show_text(target, text)
        widget = self.field_widgets.get(field or "")
        if widget is not None:
            widget.setFocus()


def _checklist(texts, ticks, name: str) -> tuple[ListScroll, QVBoxLayout, list[QCheckBox]]:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(4, 2, 4, 2)
    layout.setSpacing(2)
    boxes = []
    for index, (text, on) in enumerate(zip(texts, ticks, strict=True)):
        check = QCheckBox(text)
        check.setObjectName(f"{name}{index}")
        check.setChecked(on)
        layout.addWidget(check)
        boxes.append(check)
    layout.addStretch(1)
    return ListScroll(box, name=name), layout, boxes


class AcceptDialog(FormDialog):
    """受理: applicant, materials received, decision, handling unit, note."""

    form_name = "accept"
    submitted = Signal(object)  # {"name", "phone", "id_number", "materials", ...}
    preferred_width = 1180

    def __init__(self, form: AcceptForm, lang: str, parent=None):
        super().__init__(form.title, lang, parent, ok_key="accept_ok")
        self.hint(form.hint)
        self.required = form.required
        applicant = QGridLayout()
        applicant.setHorizontalSpacing(16)
        applicant.setVerticalSpacing(4)
        self.name, self.phone, self.id_number = QLineEdit(), QLineEdit(), QLineEdit()
        fields = (
            (self.name, "name", "applicant_name", 40, form.required, 2),
            (self.phone, "phone", "applicant_phone", 20, form.required, 2),
            (self.id_number, "id_number", "applicant_id", 18, False, 3),
        )
        for col, (widget, name, key, length, required, stretch) in enumerate(fields):
            widget.setObjectName(name)
            widget.setMaxLength(length)
            applicant.addWidget(label(_field_label(key, lang, required), wrap=False), 0, col)
            applicant.addWidget(widget, 1, col)
            error = self.error_label(f"applicant.{name}", widget=widget)
            applicant.addWidget(error, 2, col, Qt.AlignmentFlag.AlignTop)
            applicant.setColumnStretch(col, stretch)
        self.id_number.setPlaceholderText("18 位 / 18 characters")
        self.form.addLayout(applicant)
        radios = QHBoxLayout()
        radios.setSpacing(26)
        radios.addWidget(label(tr("decision", lang), wrap=False))
        self.decisions = QButtonGroup(self)
        for index, choice in enumerate(form.decisions):
            radio = QRadioButton(choice.text)
            radio.setObjectName(f"decision_{choice.value}")
            radio.setProperty("value", choice.value)
            radio.setChecked(index == 0)
            self.decisions.addButton(radio)
            radios.addWidget(radio)
        radios.addStretch(1)
        self.form.addLayout(radios)
        self.form.addWidget(self.error_label("decision"))
        more = QGridLayout()
        more.setHorizontalSpacing(16)
        more.setVerticalSpacing(4)
        self.unit = QComboBox()
        self.unit.setObjectName("unit")
        self.unit.setMaxVisibleItems(14)
        for choice in form.units:
            self.unit.addItem(choice.text, choice.value)
        self.unit.setCurrentIndex(max(0, self.unit.findData(form.unit)))
        self.note = QLineEdit()
        self.note.setObjectName("note")
        self.note.setMaxLength(400)
        extras: tuple[tuple[str, QWidget, str], ...] = (
            ("handling_unit", self.unit, "handling_unit"),
            ("note", self.note, "note"),
        )
        for col, (key, entry, field) in enumerate(extras):
            more.addWidget(label(tr(key, lang), wrap=False), 0, col)
            more.addWidget(entry, 1, col)
            more.addWidget(self.error_label(field, widget=entry), 2, col)
        more.setColumnStretch(0, 2)
        more.setColumnStretch(1, 3)
        self.form.addLayout(more)
        self.form.addWidget(label(tr("materials_received", lang), "title", wrap=False))
        received = QWidget()
        grid = QGridLayout(received)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(2)
        half = (len(form.materials) + 1) // 2
        self.materials: list[QCheckBox] = []
        for index, (text, on) in enumerate(zip(form.materials, form.received, strict=True)):
            check = QCheckBox(text)
            check.setObjectName(f"received{index}")
            check.setChecked(on)
            grid.addWidget(check, index % half, index // half)
            self.materials.append(check)
        self.form.addWidget(ListScroll(received, least=70, name="receivedList"), 1)
        self.form.addWidget(self.error_label("materials_received"))
        for widget in (self.name, self.phone):
            widget.textChanged.connect(self._update)
        self.finish_layout()
        self.name.setFocus()

    def valid(self) -> bool:
        if not self.required:
            return True
        return bool(self.name.text().strip() and self.phone.text().strip())

    def values(self) -> dict:
        decision = self.decisions.checkedButton()
        return {
            "name": self.name.text().strip(),
            "phone": self.phone.text().strip(),
            "id_number": self.id_number.text().strip(),
            "materials": [b.text() for b in self.materials if b.isChecked()],
            "decision": decision.property("value") if decision else "done_now",
            "unit": self.unit.currentData(),
            "note": self.note.text().strip(),
        }

    def emit_submitted(self) -> None:
        self.submitted.emit(self.values())


def _field_label(key: str, lang: str, required: bool) -> str:
    """'申请人姓名＊  Name': the required mark after the primary language."""
    first, second = pair(key, lang)
    return f"{first}{'＊' if required else ''}  {second}"


class MissingDialog(FormDialog):
    """一次性告知: every missing material at once, including ones typed in."""

    form_name = "missing"
    submitted = Signal(object, str)  # the missing materials, note
    preferred_width = 820

    def __init__(self, form: MissingForm, lang: str, parent=None):
        super().__init__(form.title, lang, parent, ok_key="missing_ok")
        self.hint(tr("missing_hint", lang))
        scroll, self.list_layout, self.boxes = _checklist(form.materials, form.missing, "missing")
        self.list = scroll
        self.form.addWidget(scroll, 1)
        for box in self.boxes:
            box.toggled.connect(self._update)
        self.form.addWidget(self.error_label("missing", widget=scroll))
        self.other = QLineEdit()
        self.other.setObjectName("other")
        self.other.setMaxLength(100)
        self.add_button = button(" ".join(pair("add", lang)), "addMissing")
        self.add_button.clicked.connect(self.add_other)
        self.other.returnPressed.connect(self.add_other)
        self.form.addWidget(label(tr("missing_other", lang), wrap=False))
        row = QHBoxLayout()
        row.addWidget(self.other, 1)
        row.addWidget(self.add_button)
        self.form.addLayout(row)
        self.form.addSpacing(6)
        self.note = QLineEdit()
        self.note.setObjectName("note")
        self.note.setMaxLength(400)
        self.add_field("note", self.note)
        self.finish_layout()

    def add_other(self) -> None:
        text = self.other.text().strip()
        if not text:
            return
        box = QCheckBox(text)
        box.setObjectName(f"missing{len(self.boxes)}")
        box.setChecked(True)
        box.toggled.connect(self._update)
        self.list_layout.insertWidget(len(self.boxes), box)
        self.boxes.append(box)
        self.list_layout.activate()
        self.list.updateGeometry()
        self.list.ensureWidgetVisible(box)  # the one just added, at the end of a long list
        self.other.clear()
        self._update()

    def missing(self) -> list[str]:
        return [box.text() for box in self.boxes if box.isChecked()]

    def valid(self) -> bool:
        return bool(self.missing())

    def emit_submitted(self) -> None:
        self.submitted.emit(self.missing(), self.note.text().strip())


class CaseActionDialog(FormDialog):
    """补正到件 / 申请延期 / 办结 / 不予办理 / 上报县级 for one case."""

    form_name = "case_action"
    submitted = Signal(str, str, object)  # kind, case number, values

    TEXT_KEYS = {
        "extension": "extension_reason",
        "finish": "finish_result",
        "refuse": "refuse_reason",
        "refer": "refer_reason",
    }
    TEXT_FIELDS = {"extension": "reason", "finish": "result", "refuse": "reason", "refer": "reason"}
    preferred_width = 820

    def __init__(self, form: CaseActionForm, lang: str, parent=None):
        super().__init__(form.title, lang, parent, ok_key=f"case_{form.kind}")
        self.kind, self.number = form.kind, form.case_number
        self.hint(form.summary)
        self.boxes: list[QCheckBox] = []
        self.days = QButtonGroup(self)
        self.text = QLineEdit()
        self.text.setObjectName("text")
        self.text.setMaxLength(400)
        self.unit = QComboBox()
        self.unit.setObjectName("unit")
        if form.kind == "refer":  # 上报县级: where to, and optionally which department there
            self.form.addWidget(label(form.target, "title", wrap=True, name="referTarget"))
            self.form.addWidget(label(tr("refer_unit", lang), wrap=False))
            for choice in form.units:
                self.unit.addItem(choice.text, choice.value)
            self.form.addWidget(self.unit)
            self.form.addWidget(self.error_label("to_unit", widget=self.unit))
        if form.kind == "supplement":
            self.form.addWidget(label(tr("supplement_hint", lang), wrap=True))
            scroll, _, self.boxes = _checklist(
                form.materials, [True] * len(form.materials), "received"
            )
            self.form.addWidget(scroll, 1)
            self.form.addWidget(self.error_label("received", widget=scroll))
        if form.kind == "extension":
            self.form.addWidget(label(tr("extension_days", lang), wrap=False))
            row = QHBoxLayout()
            for days in form.days:
                radio = QRadioButton(" ".join(pair("days", lang, days=days)))
                radio.setObjectName(f"days{days}")
                radio.setProperty("value", days)
                self.days.addButton(radio)
                row.addWidget(radio)
            row.addStretch(1)
            self.form.addLayout(row)
            self.form.addWidget(self.error_label("days"))
            self.days.buttonToggled.connect(lambda *_: self._update())
        if form.kind in self.TEXT_KEYS:
            self.form.addWidget(label(tr(self.TEXT_KEYS[form.kind], lang), wrap=False))
            self.form.addWidget(self.text)
            self.form.addWidget(
                self.error_label(self.TEXT_FIELDS[form.kind], "text", widget=self.text)
            )
            self.text.textChanged.connect(self._update)
        if form.kind == "refuse":
            self.ok.setProperty("role", "danger")
        self.finish_layout()

    def chosen_days(self) -> int | None:
        radio = self.days.checkedButton()
        return radio.property("value") if radio else None

    def valid(self) -> bool:
        if self.kind == "extension" and self.chosen_days() is None:
            return False
        return self.kind == "supplement" or bool(self.text.text().strip())

    def values(self) -> dict:
        return {
            "received": [box.text() for box in self.boxes if box.isChecked()],
            "days": self.chosen_days(),
            "text": self.text.text().strip(),
            "unit": self.unit.currentData() or "",
        }

    def emit_submitted(self) -> None:
        self.submitted.emit(self.kind, self.number, self.values())
