"""Dialogs for F6 transfer, F7 call a number, F8 re-queue and F9 pause. Each emits `submitted`
with what the clerk entered; OK stays disabled until the required fields are filled."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRect, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
)

from clientlib.widgets import label

from ..i18n import pair, tr
from ..screens import PauseChoices, TransferChoices
from .style import STYLE

MARGIN = 12  # between a dialog and the edge of the counter window


class _Dialog(QDialog):
    """Title, form, OK and Cancel; shown centred on the counter window and never bigger than it
    (long lists in a dialog scroll, the buttons stay in sight)."""

    preferred_width = 640

    def __init__(self, title: str, lang: str, parent=None):
        super().__init__(parent)
        self.setObjectName("counterDialog")
        self.setStyleSheet(STYLE)
        self.setWindowTitle(title)
        self.setModal(True)
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

    def available(self) -> QRect:
        """Where the dialog may go: over the counter window (maximized, it has the screen's
        available geometry), or the screen's available geometry without one."""
        parent = self.parentWidget()
        if parent is not None and parent.window().isVisible():
            area = parent.window().geometry()
        else:
            area = self.screen().availableGeometry()
        return area.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)

    def fit(self, grow_only: bool = False) -> None:
        """As wide as it likes up to the area, as tall as its content needs, centred."""
        area = self.available()
        self.setMaximumSize(area.size())
        hint = self.sizeHint()
        width = min(max(self.preferred_width, hint.width()), area.width())
        if grow_only:
            width = self.width()
        height = self.heightForWidth(width) if self.hasHeightForWidth() else hint.height()
        height = min(max(height, hint.height()), area.height())
        if grow_only and height <= self.height():
            return
        self.resize(width, height)
        frame = self.frameGeometry().size() - self.geometry().size()
        left = area.center().x() - (width + frame.width()) // 2
        top = area.center().y() - (height + frame.height()) // 2
        self.move(QPoint(left, top))

    def event(self, event) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest and self.isVisible():
            self.fit(grow_only=True)  # an error shown, a material added: room for it if any
        return handled

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self.fit()
        super().showEvent(event)

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
        self.to_window = QComboBox()
        self.to_window.setObjectName("toWindow")
        for choice in choices.windows:
            self.to_window.addItem(choice.text, choice.value)
        self.note = QLineEdit()
        self.note.setObjectName("note")
        self.note.setMaxLength(200)
        for combo in (self.item, self.to_window):
            combo.setMaxVisibleItems(14)
            combo.currentIndexChanged.connect(self._update)
        self.add_field("to_item", self.item)
        self.add_field("to_window", self.to_window)
        self.add_field("note", self.note)
        self.finish_layout()

    def valid(self) -> bool:
        return self.item.currentData() is not None or self.to_window.currentData() is not None

    def emit_submitted(self) -> None:
        self.submitted.emit(self.item.currentData(), self.to_window.currentData(), self.note.text())


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
            self.radios[str(choice.value)] = radio  # the reason codes are strings
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
