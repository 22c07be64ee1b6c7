"""Dialogs for F6 transfer, F7 call a number, F8 re-queue and F9 pause. Each emits `submitted`
with what the clerk entered; OK stays disabled until the required fields are filled."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
)

from ..i18n import pair, tr
from ..screens import PauseChoices, TransferChoices
from .style import STYLE
from .widgets import label


class _Dialog(QDialog):
    def __init__(self, title: str, lang: str, parent=None):
        super().__init__(parent)
        self.setObjectName("counterDialog")
        self.setStyleSheet(STYLE)
        self.setWindowTitle(title)
        self.setModal(True)
        self.setMinimumWidth(620)
        self.lang = lang
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(24, 20, 24, 20)
        self.layout_.setSpacing(14)
        self.layout_.addWidget(label(title, "title"))
        self.form = QVBoxLayout()
        self.form.setSpacing(6)
        self.layout_.addLayout(self.form)
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton(
            " ".join(pair("ok", lang)), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.ok.setObjectName("ok")
        self.ok.setProperty("role", "primary")
        cancel = self.buttons.addButton(
            " ".join(pair("cancel", lang)), QDialogButtonBox.ButtonRole.RejectRole
        )
        cancel.setObjectName("cancel")
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)

    def finish_layout(self) -> None:
        self.layout_.addWidget(self.buttons)
        self._update()

    def add_field(self, key: str, widget) -> None:
        """A label (both languages) above its field."""
        self.form.addWidget(label(tr(key, self.lang), wrap=False))
        self.form.addWidget(widget)
        self.form.addSpacing(6)

    def _update(self) -> None:
        self.ok.setEnabled(self.valid())

    def _accept(self) -> None:
        if self.valid():
            self.emit_submitted()
            self.accept()

    def valid(self) -> bool:
        return True

    def emit_submitted(self) -> None:  # every dialog class emits its own `submitted` signal
        raise NotImplementedError


class TransferDialog(_Dialog):
    submitted = Signal(object, object, str)  # item code or None, window number or None, note

    def __init__(self, choices: TransferChoices, lang: str, parent=None):
        super().__init__(tr("transfer_title", lang, number=choices.number), lang, parent)
        self.item = QComboBox()
        self.item.setObjectName("toItem")
        for choice in choices.items:
            self.item.addItem(choice.text, choice.value)
        self.window = QComboBox()
        self.window.setObjectName("toWindow")
        for choice in choices.windows:
            self.window.addItem(choice.text, choice.value)
        self.note = QLineEdit()
        self.note.setObjectName("note")
        self.note.setMaxLength(200)
        for combo in (self.item, self.window):
            combo.setMaxVisibleItems(14)
            combo.currentIndexChanged.connect(self._update)
        self.add_field("to_item", self.item)
        self.add_field("to_window", self.window)
        self.add_field("note", self.note)
        self.finish_layout()

    def valid(self) -> bool:
        return self.item.currentData() is not None or self.window.currentData() is not None

    def emit_submitted(self) -> None:
        self.submitted.emit(self.item.currentData(), self.window.currentData(), self.note.text())


class CallNumberDialog(_Dialog):
    submitted = Signal(str, str)  # number, reason

    def __init__(self, suggestions: tuple[str, ...], lang: str, parent=None):
        super().__init__(tr("call_number_title", lang), lang, parent)
        self.number = QComboBox()
        self.number.setObjectName("number")
        self.number.setEditable(True)
        self.number.addItems(list(suggestions))
        self.number.setCurrentText("")
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setMaxLength(200)
        self.number.editTextChanged.connect(self._update)
        self.reason.textChanged.connect(self._update)
        self.add_field("ticket_number", self.number)
        self.add_field("reason", self.reason)
        self.finish_layout()

    def valid(self) -> bool:
        return bool(self.number.currentText().strip() and self.reason.text().strip())

    def emit_submitted(self) -> None:
        self.submitted.emit(self.number.currentText().strip(), self.reason.text().strip())


class RequeueDialog(_Dialog):
    submitted = Signal(str)

    def __init__(self, lang: str, parent=None):
        super().__init__(tr("requeue_title", lang), lang, parent)
        self.number = QLineEdit()
        self.number.setObjectName("number")
        self.number.setMaxLength(12)
        self.number.textChanged.connect(self._update)
        self.add_field("ticket_number", self.number)
        self.finish_layout()

    def valid(self) -> bool:
        return bool(self.number.text().strip())

    def emit_submitted(self) -> None:
        self.submitted.emit(self.number.text().strip())


class PauseDialog(_Dialog):
    submitted = Signal(str, str)  # reason, note

    def __init__(self, choices: PauseChoices, lang: str, parent=None):
        super().__init__(tr("pause_title", lang), lang, parent)
        self.group = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        for choice in choices.reasons:
            radio = QRadioButton(choice.text)
            radio.setObjectName(f"reason_{choice.value}")
            self.group.addButton(radio)
            self.radios[choice.value] = radio
            self.layout_.insertWidget(self.layout_.count() - 1, radio)
        self.group.buttonToggled.connect(lambda *_: self._update())
        self.note = QLineEdit()
        self.note.setObjectName("note")
        self.note.setMaxLength(100)
        self.note.textChanged.connect(self._update)
        self.add_field("note", self.note)
        self.finish_layout()

    def reason(self) -> str | None:
        return next((key for key, radio in self.radios.items() if radio.isChecked()), None)

    def valid(self) -> bool:
        reason = self.reason()
        return reason is not None and (reason != "other" or bool(self.note.text().strip()))

    def emit_submitted(self) -> None:
        self.submitted.emit(self.reason(), self.note.text().strip())
