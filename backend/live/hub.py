"""The push side of one app: python-socketio's AsyncServer holding the sockets on one asyncio
loop, the relay that orders events per hall, and the fan-out to rooms.

Blocking work (database reads and writes) runs in the hub's worker threads, never on the loop.
Without a message queue ``publisher`` hands events straight to this process's relay; with
``message_queue`` (a redis:// URL) they go through its ``channel`` and every process's relay
listens."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

import socketio

from ..db.engine import Database
from ..db.uow import Publisher
from . import bus, store
from .fanout import BATCH_SECONDS, Fanout
from .handlers import Handlers
from .relay import HOLD_SECONDS, TAIL_SECONDS, Relay, RelayPublisher
from .status_watch import StatusWatch, deliver_both

log = logging.getLogger(__name__)
DB_THREADS = 8
SUBSCRIBE_WAIT = 5.0


class LiveHub:
    def __init__(
        self,
        db: Database,
        clock: Callable[[], datetime],
        message_queue: str | None = None,
        channel: str = bus.CHANNEL,
        *,
        hold: float = HOLD_SECONDS,
        batch: float = BATCH_SECONDS,
        tail: float = TAIL_SECONDS,
    ):
        self.db, self.clock = db, clock
        self.message_queue, self.channel = message_queue, channel
        self.sio = socketio.AsyncServer(
            async_mode="asgi", cors_allowed_origins=[], logger=False, engineio_logger=False
        )
        self.status_watch = StatusWatch(self)  # residents' phones, one room per ticket
        self.handlers = Handlers(self)
        self.handlers.register(self.sio)
        self.fanout = Fanout(
            self.sio,
            self.handlers.display_areas,
            batch,
            pad_windows=self.handlers.pad_windows,
            hall_code=self.handlers.hall_code,
        )
        self.relay = Relay(
            deliver_both(self.fanout.deliver, self.status_watch.on_event),
            functools.partial(store.committed_seqs, db),
            functools.partial(store.outbox, db),
            self.blocking,
            hold=hold,
            tail=tail,
        )
        # Where committed events go; create_app replaces it when the app is given its own.
        self.publisher: Publisher = (
            bus.RedisPublisher(message_queue, channel)
            if message_queue
            else RelayPublisher(self.relay)
        )
        self._executor: ThreadPoolExecutor | None = None
        self._listener: asyncio.Task | None = None

    async def blocking(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run ``fn(*args)`` in a worker thread and wait for it without blocking the loop."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(DB_THREADS, thread_name_prefix="live-db")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(fn, *args))

    async def start(self) -> None:
        """ASGI startup: read where each hall stands, then start relaying."""
        try:
            self.fanout.start()
            await self.relay.start()
            if self.message_queue:
                subscribed = asyncio.Event()
                self._listener = asyncio.create_task(
                    bus.listen(self.message_queue, self.channel, self.relay, subscribed)
                )
                try:
                    await asyncio.wait_for(subscribed.wait(), timeout=SUBSCRIBE_WAIT)
                except TimeoutError:  # keeps trying; the relay's tail check fills the gap
                    log.warning("not yet subscribed to %s; serving anyway", self.channel)
        except Exception:
            log.exception("the live hub could not start")
            raise

    async def stop(self) -> None:
        """ASGI shutdown."""
        await self.handlers.stop()
        await self.status_watch.stop()
        if self._listener is not None:
            self._listener.cancel()
            await asyncio.gather(self._listener, return_exceptions=True)
        await self.relay.stop()
        await self.fanout.stop()
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    def connected_count(self) -> int:
        return self.handlers.connected_count() + self.status_watch.count()
