"""Live updates over Socket.IO for desktop clients: snapshot on (re)connect, events in order
(one by one as ``event``, or batched as ``events``, a list), a resync whenever a sequence number
stays missing. Callbacks run on a Socket.IO client thread, one at a time and in sequence order.

python-socketio's threaded client hands each message to a thread of its own, so two frames can
overtake each other on the way to us: an event ahead of a missing one is held for ``HOLD``
seconds (and events that come before the snapshot are kept), and only a gap that outlasts that
costs a resync."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import socketio

log = logging.getLogger(__name__)
NAMESPACE = "/hall"
HOLD = 1.0  # seconds an event ahead of a missing one waits for it
HELD_LIMIT = 1000


class LiveClient:
    def __init__(
        self,
        base_url: str,
        token: str,
        on_snapshot: Callable[[dict], None],
        on_event: Callable[[dict], None],
        on_connection: Callable[[bool], None] | None = None,
    ):
        self.base_url, self.token = base_url, token
        self.on_snapshot, self.on_event = on_snapshot, on_event
        self.on_connection = on_connection or (lambda _up: None)
        self.last_seq: int | None = None
        self.resyncs = 0
        self._lock = threading.RLock()  # also held while callbacks run: they keep seq order
        self._held: dict[int, dict[str, Any]] = {}
        self._gap_timer: threading.Timer | None = None
        self.sio = socketio.Client(
            reconnection=True, reconnection_delay=1, reconnection_delay_max=10
        )
        self.sio.on("snapshot", self._snapshot, namespace=NAMESPACE)
        self.sio.on("event", self._event, namespace=NAMESPACE)
        self.sio.on("events", self._events, namespace=NAMESPACE)
        self.sio.on("connect", lambda: self.on_connection(True), namespace=NAMESPACE)
        self.sio.on("disconnect", lambda *a: self.on_connection(False), namespace=NAMESPACE)

    def connect(self, wait_timeout: float = 10) -> None:
        self.sio.connect(
            self.base_url,
            namespaces=[NAMESPACE],
            auth={"token": self.token},
            wait_timeout=wait_timeout,
        )

    def close(self) -> None:
        self.sio.disconnect()

    @property
    def connected(self) -> bool:
        return self.sio.connected

    def _snapshot(self, data: dict[str, Any]) -> None:
        with self._lock:
            self.last_seq = data.get("seq", 0)
            self.on_snapshot(data)
            self._drain()

    def _events(self, batch: list[dict[str, Any]]) -> None:
        for event in batch if isinstance(batch, list) else []:
            self._event(event)

    def _event(self, event: dict[str, Any]) -> None:
        seq = event.get("seq") if isinstance(event, dict) else None
        if not isinstance(seq, int):
            return
        with self._lock:
            if self.last_seq is not None and seq <= self.last_seq:
                return  # already seen (or covered by the snapshot)
            if len(self._held) < HELD_LIMIT:
                self._held[seq] = event
            self._drain()

    def _drain(self) -> None:
        """Deliver held events that continue the sequence; watch a gap that remains."""
        if self.last_seq is None:
            return  # waiting for the snapshot
        for seq in [s for s in self._held if s <= self.last_seq]:
            del self._held[seq]
        while self.last_seq + 1 in self._held:
            event = self._held.pop(self.last_seq + 1)
            self.last_seq += 1
            if event.get("type") != "skip":
                self.on_event(event)
        if self._held and self._gap_timer is None:
            self._gap_timer = threading.Timer(HOLD, self._gap_outlasted, args=(self.last_seq,))
            self._gap_timer.daemon = True
            self._gap_timer.start()
        elif not self._held and self._gap_timer is not None:
            self._gap_timer.cancel()
            self._gap_timer = None

    def _gap_outlasted(self, seen: int) -> None:
        with self._lock:
            self._gap_timer = None
            if self.last_seq != seen or not self._held:
                self._drain()  # it moved on meanwhile
                return
            log.info("gap after %s held %.1fs; resyncing", seen, HOLD)
            self.last_seq = None  # wait for the fresh snapshot, keep what is held
            self.resyncs += 1
        self.sio.emit("resync", namespace=NAMESPACE)
