"""Serve a test's own app (same app object, same fake clock) through uvicorn in a background
thread, and a small synchronous Socket.IO client that records what it receives.

Delivery is asynchronous, so reading what a client got first waits until it has caught up with
its hall's committed sequence (and with every snapshot it asked for)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable

import socketio
import uvicorn
from sqlalchemy import select

from backend.asgi import build
from backend.db.engine import Database
from backend.db.models import Hall
from backend.db.uow import current_seq
from backend.live.publisher import NAMESPACE
from tests.live_server import free_port

WAIT = 10.0  # seconds before a wait fails the test


def hall_seq(db: Database, hall: str) -> int:
    """The hall's last committed sequence number."""
    with db.reader() as session:
        return current_seq(session, session.scalar(select(Hall.id).where(Hall.code == hall)))


class ServedApp:
    def __init__(self, flask_app, workers: int = 32):
        self.app = flask_app
        self.hub = flask_app.extensions["onestop"].live
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            build(flask_app, workers=workers),
            host="127.0.0.1",
            port=self.port,
            lifespan="on",
            log_level="warning",
            timeout_graceful_shutdown=2,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="uvicorn", daemon=True)
        self.sockets: list[LiveSocket] = []

    def start(self) -> ServedApp:
        self.thread.start()
        deadline = time.monotonic() + WAIT
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        for sock in self.sockets:
            sock.close()
        self.server.should_exit = True
        self.thread.join(timeout=WAIT)

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        return self.hub.relay.loop

    def seq(self, hall: str) -> int:
        return hall_seq(self.app.extensions["onestop"].db, hall)

    def connect(self, token: str | None, hall: str = "town", **auth) -> LiveSocket:
        sock = LiveSocket(self.url, token, lambda: self.seq(hall), **auth)
        self.sockets.append(sock)
        return sock


class LiveSocket:
    """Records frames as Flask-SocketIO's test client did (``{"name", "args"}``), with each
    ``events`` batch flattened into single ``event`` messages; ``frames`` keeps the frames as
    they came (name, payload, arrival time). Built on python-socketio's AsyncClient in a thread
    of its own: the threaded ``socketio.Client`` runs every message handler in a new thread, so
    the order it records in is not the order of the wire."""

    def __init__(self, url: str, token: str | None, hall_seq: Callable[[], int], **auth):
        self.hall_seq = hall_seq
        self.messages: list[dict] = []
        self.frames: list[tuple[str, object, float]] = []
        self.last_seq = 0
        self.snapshots = 0
        self.snapshots_wanted = 1
        self._cond = threading.Condition()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self.sio = socketio.AsyncClient(reconnection=False)
        for name in ("snapshot", "event", "events"):
            self.sio.on(name, self._recorder(name), namespace=NAMESPACE)
        self.connected = self._call(self._connect(url, token, auth))
        if self.connected:
            self._wait(lambda: self.snapshots >= 1, "the first snapshot")

    async def _connect(self, url: str, token: str | None, auth: dict) -> bool:
        try:
            await self.sio.connect(
                url,
                namespaces=[NAMESPACE],
                auth={"token": token} | auth if token else None,
                transports=["websocket"],
                wait_timeout=WAIT,
            )
        except socketio.exceptions.ConnectionError:
            return False
        return True

    def _recorder(self, name: str):
        def record(data):
            with self._cond:
                self.frames.append((name, data, time.monotonic()))
                if name == "snapshot":
                    self.snapshots += 1
                    self.messages.append({"name": "snapshot", "args": [data]})
                    self.last_seq = max(self.last_seq, data.get("seq", 0))
                else:
                    for event in data if name == "events" else [data]:
                        self.messages.append({"name": "event", "args": [event]})
                        self.last_seq = max(self.last_seq, event["seq"])
                self._cond.notify_all()

        return record

    def received(self, name: str | None = None) -> list[dict]:
        """What arrived since the last call (all of it, or frames called ``name``), once the
        client has caught up with its hall and got every snapshot it asked for."""
        self.settle()
        with self._cond:
            taken, self.messages = self.messages, []
        return [m for m in taken if name is None or m["name"] == name]

    def settle(self) -> None:
        target = self.hall_seq()
        self._wait(
            lambda: self.last_seq >= target and self.snapshots >= self.snapshots_wanted,
            f"seq {target} and {self.snapshots_wanted} snapshot(s)",
        )

    def wait_for(self, predicate: Callable[[list[dict]], bool], what: str = "a condition"):
        """Wait until ``predicate(messages not yet taken)`` holds."""
        self._wait(lambda: predicate(list(self.messages)), what)

    def emit(self, name: str, data=None) -> None:
        if name == "resync":
            with self._cond:
                self.snapshots_wanted = self.snapshots + 1
        self._call(self.sio.emit(name, data, namespace=NAMESPACE))

    def disconnect(self) -> None:
        if self.sio.connected:
            self._call(self.sio.disconnect())

    def close(self) -> None:
        if self._loop.is_closed():
            return
        self.disconnect()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=WAIT)
        self._loop.close()

    def _call(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=WAIT * 2)

    def _wait(self, done: Callable[[], bool], what: str) -> None:
        with self._cond:
            if not self._cond.wait_for(done, timeout=WAIT):
                raise AssertionError(f"socket did not get {what} within {WAIT}s: {self.frames}")
