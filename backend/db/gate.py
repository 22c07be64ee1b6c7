"""A first-come, first-served writer gate for SQLite.

SQLite allows one writer at a time. Left to itself, every waiting thread polls in SQLite's busy
handler (sleeping 1, 2, 5 … 100 ms between tries), so whoever polls at the right moment wins and
the tail latency is a hundred times the median. The gate queues a process's writers in arrival
order and hands the lock directly to the next one when a transaction ends; the busy handler then
only ever waits for another *process* (the command line, a second server).
"""

from __future__ import annotations

import sqlite3
import threading
from collections import deque


class GateTimeout(Exception):
    """A writer waited longer than the gate's timeout for its turn."""


class FairLock:
    """A FIFO mutex: ownership passes from the holder straight to the longest waiter."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._owner: int | None = None
        self._waiters: deque[tuple[threading.Lock, int]] = deque()

    def acquire(self, timeout: float = -1) -> None:
        me = threading.get_ident()
        with self._mutex:
            if self._owner == me:
                raise RuntimeError("this thread already holds the writer gate (nested write)")
            if self._owner is None:
                self._owner = me
                return
            turn = threading.Lock()
            turn.acquire()
            entry = (turn, me)
            self._waiters.append(entry)
        if turn.acquire(timeout=timeout):
            return  # the releasing thread made us the owner
        with self._mutex:
            if entry in self._waiters:
                self._waiters.remove(entry)
                raise GateTimeout(f"waited more than {timeout}s for the database writer")
        # Handed over just as we gave up: we own it after all.
        turn.acquire()

    def release(self) -> None:
        with self._mutex:
            if self._waiters:
                turn, owner = self._waiters.popleft()
                self._owner = owner
                turn.release()
            else:
                self._owner = None

    @property
    def waiting(self) -> int:
        return len(self._waiters)


_gates: dict[str, FairLock] = {}
_gates_lock = threading.Lock()


def gate_for(path: str) -> FairLock:
    """One gate per database file in this process, whichever engine opens it."""
    with _gates_lock:
        return _gates.setdefault(path, FairLock())


class GatedConnection(sqlite3.Connection):
    """A sqlite3 connection that gives the writer gate back when its transaction ends: after
    the COMMIT or ROLLBACK has run, so the next writer's BEGIN IMMEDIATE never meets a lock."""

    gate: FairLock | None = None
    holds_gate = False

    def take_gate(self, timeout: float) -> None:
        if self.gate is not None and not self.holds_gate:
            self.gate.acquire(timeout)
            self.holds_gate = True

    def give_back_gate(self) -> None:
        if self.holds_gate and self.gate is not None:
            self.holds_gate = False
            self.gate.release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.give_back_gate()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.give_back_gate()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.give_back_gate()
