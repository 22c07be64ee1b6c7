"""Several server processes: events travel through one Redis pub/sub channel.

Every process publishes its committed events to the channel (``onestop:events`` unless
ONESTOP_MESSAGE_CHANNEL names another: pub/sub ignores Redis database numbers, so deployments
sharing a Redis need their own) and every push process subscribes and feeds its own relay (its
own events come back the same way). Redis pub/sub may drop a message (a reconnect, a process
dying between commit and publish); the relay's reorder, outbox backfill and tail check make
every client see every seq in order regardless."""

from __future__ import annotations

import asyncio
import json
import logging
import queue
import threading
from datetime import datetime

from ..db.uow import PublishedEvent
from .relay import Relay

log = logging.getLogger(__name__)

CHANNEL = "onestop:events"
RECONNECT_SECONDS = 1.0


def encode(event: PublishedEvent) -> str:
    return json.dumps(event.to_json() | {"hall_id": event.hall_id}, ensure_ascii=False)


def decode(raw: bytes | str) -> PublishedEvent:
    data = json.loads(raw)
    return PublishedEvent(
        data["hall_id"], data["seq"], data["type"], data["data"], datetime.fromisoformat(data["at"])
    )


class RedisPublisher:
    """Hands events to a background thread that publishes them; never blocks the caller."""

    def __init__(self, url: str, channel: str = CHANNEL):
        self.url, self.channel = url, channel
        self._queue: queue.SimpleQueue[list[PublishedEvent]] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def publish(self, events: list[PublishedEvent]) -> None:
        if not events:
            return
        if self._thread is None:
            with self._start_lock:
                if self._thread is None:
                    self._thread = threading.Thread(
                        target=self._run, name="redis-publish", daemon=True
                    )
                    self._thread.start()
        self._queue.put(list(events))

    def _run(self) -> None:
        import redis

        client = redis.Redis.from_url(self.url, socket_timeout=5, socket_connect_timeout=5)
        while True:
            events = self._queue.get()
            try:
                pipe = client.pipeline(transaction=False)
                for event in events:
                    pipe.publish(self.channel, encode(event))
                pipe.execute()
            except Exception:  # subscribers read lost events from the outbox
                log.warning("could not publish %d event(s) to Redis", len(events), exc_info=True)


async def listen(
    url: str, channel: str, relay: Relay, subscribed: asyncio.Event | None = None
) -> None:
    """Feed the relay from the channel until cancelled; reconnects after a failure."""
    import redis.asyncio as aioredis

    while True:
        client = aioredis.Redis.from_url(url)
        try:
            async with client.pubsub() as pubsub:
                await pubsub.subscribe(channel)
                if subscribed is not None:
                    subscribed.set()
                async for message in pubsub.listen():
                    if message.get("type") != "message":
                        continue
                    try:
                        relay.accept([decode(message["data"])])
                    except (ValueError, KeyError, TypeError):
                        log.warning("ignoring a malformed message on %s", channel)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.warning("Redis subscription lost; reconnecting", exc_info=True)
            await asyncio.sleep(RECONNECT_SECONDS)
        finally:
            await client.aclose()
