"""The one QApplication both terminals run in (QtWidgets; the rest of clientlib needs QtCore only)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from .qtgc import collect_in_gui_thread


def qt_app() -> QApplication:
    """The running QApplication, or a new one; garbage is collected in its thread only."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv)
    collect_in_gui_thread(app)
    return app
