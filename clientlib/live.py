"""Live updates over Socket.IO for desktop clients: snapshot on (re)connect, events in order,
a resync whenever a sequence number is missing. Callbacks run on the Socket.IO client thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import socketio

log = logging.getLogger(__name__)
NAMESPACE = "/hall"


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
        self._lock = threading.Lock()
        self.sio = socketio.Client(
            reconnection=True, reconnection_delay=1, reconnection_delay_max=10
        )
        self.sio.on("snapshot", self._snapshot, namespace=NAMESPACE)
        self.sio.on("event", self._event, namespace=NAMESPACE)
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

    def _event(self, event: dict[str, Any]) -> None:
        with self._lock:
            if self.last_seq is None or event["seq"] <= self.last_seq:
                return  # before our snapshot, or already seen
            if event["seq"] != self.last_seq + 1:
                log.info("gap: expected %s, got %s; resyncing", self.last_seq + 1, event["seq"])
                self.last_seq = None  # ignore everything until the fresh snapshot arrives
                self.resyncs += 1
                gap = True
            else:
                self.last_seq = event["seq"]
                gap = False
        if gap:
            self.sio.emit("resync", namespace=NAMESPACE)
        elif event.get("type") != "skip":
            self.on_event(event)
