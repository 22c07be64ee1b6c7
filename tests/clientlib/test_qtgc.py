"""Garbage is collected on the GUI thread's timer, never by a background thread's allocation."""

from __future__ import annotations

import gc
import threading
import weakref

from clientlib.qtgc import GuiCollector


class Node:
    def __init__(self):
        self.me = self  # a cycle: only the collector frees it


def test_automatic_collection_is_off_and_the_timer_collects(qtbot):
    was_enabled = gc.isenabled()  # another collector of the session may be running
    collector = GuiCollector(interval_ms=20)
    try:
        assert not gc.isenabled()
        made_in: list[str] = []

        def worker():
            for _ in range(5000):  # far past generation 0's threshold
                Node()
            made_in.append(threading.current_thread().name)

        probe = Node()
        gone = weakref.ref(probe)
        del probe
        thread = threading.Thread(target=worker, name="request")
        thread.start()
        thread.join()
        assert gone() is not None  # the worker's allocations collected nothing
        qtbot.waitUntil(lambda: gone() is None, timeout=3000)  # the GUI thread's timer did
        assert made_in == ["request"]
    finally:
        collector.timer.stop()
        if was_enabled:
            gc.enable()
