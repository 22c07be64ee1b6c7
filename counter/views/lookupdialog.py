"""解除查询锁定: pick a lock in force (an acceptance number or a kiosk) or type a number."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox

from clientlib.widgets import label, show_text

from ..i18n import tr
from ..lookuplocks import LookupUnlockForm
from .dialogs import _Dialog


class LookupUnlockDialog(_Dialog):
    submitted = Signal(str, str)  # scope (number | device), key

    def __init__(self, form: LookupUnlockForm, lang: str, parent=None):
        super().__init__(tr("lookup_unlock_title", lang), lang, parent)
        self.choices = {c.text: (c.scope, c.key) for c in form.locks}
        self.target = QComboBox()
        self.target.setObjectName("lockTarget")
        self.target.setEditable(True)
        self.target.addItems([c.text for c in form.locks])
        self.target.setCurrentText(form.number or (form.locks[0].text if form.locks else ""))
        self.target.editTextChanged.connect(self._update)
        self.add_field("lookup_target", self.target)
        self.info = label(role="muted", name="lockInfo")
        show_text(self.info, form.info)
        self.form.addWidget(self.info)
        self.finish_layout()

    def chosen(self) -> tuple[str, str]:
        text = self.target.currentText().strip()
        return self.choices.get(text, ("number", text))

    def valid(self) -> bool:
        return bool(self.chosen()[1])

    def emit_submitted(self) -> None:
        self.submitted.emit(*self.chosen())
