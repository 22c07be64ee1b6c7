"""Python's garbage collector runs in the GUI thread only.

The collector runs in whichever thread happens to allocate when a generation fills up: a
background request (clientlib.qtasync) may then destroy a cycle holding Qt widgets outside the
GUI thread, and Qt crashes (seen as a segmentation fault "Garbage-collecting" in a worker).
`GuiCollector` turns automatic collection off and collects from a timer in the GUI thread
instead, generation by generation as the thresholds say (the pattern pyqtgraph uses)."""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class GuiCollector(QObject):
    """Collects garbage every INTERVAL_MS on the thread that created it (the GUI thread)."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS):
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(interval_ms)

    def check(self) -> None:
        """Collect the generations whose counts passed their thresholds, oldest first."""
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self.thresholds[generation]:
                gc.collect(generation)
                return


_collector: GuiCollector | None = None


def collect_in_gui_thread(app: QObject) -> GuiCollector:
    """Start the one collector of this process, owned by the QApplication ``app``."""
    global _collector
    if _collector is None:
        _collector = GuiCollector(app)
    return _collector


def stop_collecting() -> None:
    """Back to Python's own collection (a test package done with Qt, or shutdown)."""
    global _collector
    if _collector is not None:
        _collector.timer.stop()
        _collector.deleteLater()
        _collector = None
    gc.enable()
