"""Buses that carry events between hub processes: PostgreSQL LISTEN/NOTIFY and Redis.

Both deliver a process's own events locally at once (lowest latency) and hear every
process's events, their own included, through the listener; the fan-out drops what it
already has by sequence number. A listener that loses its connection reconnects with
backoff, listens again and announces ``resync_all``, since events may have passed while
it was deaf; the fan-out then sends its clients fresh snapshots. A connection that dies
silently is caught by the fan-out's periodic sequence check.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import random
from collections.abc import Awaitable, Callable

import redis
import redis.asyncio as aioredis

from server.store import notifications
from server.store.db import normalise_url

from .bus import HubEvent, InProcessBus
from .journal import NOTIFY_CHANNEL, decode, encode

log = logging.getLogger(__name__)

RESYNC_ALL = "resync_all"


def resync_all() -> HubEvent:
    return HubEvent(hall_id=0, kind=RESYNC_ALL)


class Backoff:
    def __init__(self, first: float = 0.5, cap: float = 10.0) -> None:
        self.first = first
        self.cap = cap
        self.delay = first

    def reset(self) -> None:
        self.delay = self.first

    def next(self) -> float:
        d = self.delay * random.uniform(0.8, 1.2)
        self.delay = min(self.delay * 2, self.cap)
        return d


class _ListeningBus(InProcessBus):
    name = "remote"

    def __init__(self) -> None:
        super().__init__()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self.connected: asyncio.Event | None = None  # created in start(), on the loop
        self.reconnects = 0

    async def start(self) -> None:
        self._stopping = False
        self.connected = asyncio.Event()
        self._task = asyncio.create_task(self._run(), name=f"{self.name}-listener")

    async def stop(self) -> None:
        self._stopping = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def _heard(self, payload: str | bytes) -> None:
        try:
            event = decode(payload.decode() if isinstance(payload, bytes) else payload)
        except (ValueError, KeyError, TypeError):
            log.warning("%s bus: ignoring a malformed message", self.name)
            return
        self.deliver([event])

    async def _run(self) -> None:
        backoff = Backoff()
        first = True
        while not self._stopping:
            try:
                await self._listen(functools.partial(self._on_listening, first, backoff))
            except asyncio.CancelledError:
                raise
            except Exception as err:  # any failure: reconnect
                log.warning("%s bus listener lost (%s); reconnecting", self.name, err)
            if self.connected is not None:
                self.connected.clear()
            first = False
            if self._stopping:
                break
            await asyncio.sleep(backoff.next())

    async def _on_listening(self, first: bool, backoff: Backoff) -> None:
        backoff.reset()
        if self.connected is not None:
            self.connected.set()
        if not first:
            self.reconnects += 1
            log.info("%s bus listening again; resynchronising clients", self.name)
        # Events may have passed before we listened (or while we were deaf).
        self.deliver([resync_all()])

    async def _listen(self, on_listening: Callable[[], Awaitable[None]]) -> None:
        raise NotImplementedError


class PgNotifyBus(_ListeningBus):
    """Events are NOTIFYed by the writing transaction itself (see journal.stamp)."""

    name = "postgresql"

    def __init__(self, database_url: str) -> None:
        super().__init__()
        url = normalise_url(database_url).replace("postgresql+psycopg://", "postgresql://")
        self.url = url

    def publish(self, events: list[HubEvent]) -> None:
        self.deliver(events)

    async def _listen(self, on_listening: Callable[[], Awaitable[None]]) -> None:
        await notifications.listen(
            self.url, NOTIFY_CHANNEL, on_listening=on_listening, heard=self._heard
        )


class RedisBus(_ListeningBus):
    """Events are published to Redis after commit (never before)."""

    name = "redis"

    def __init__(self, redis_url: str, channel: str = NOTIFY_CHANNEL) -> None:
        super().__init__()
        self.url = redis_url
        self.channel = channel
        self._sync = redis.Redis.from_url(redis_url, socket_timeout=1.0, socket_connect_timeout=1.0)
        self.send_failures = 0

    def publish(self, events: list[HubEvent]) -> None:
        self.deliver(events)
        for e in events:
            try:
                self._sync.publish(self.channel, encode(e))
            except redis.RedisError as err:
                # Other processes miss it until their periodic sequence check resyncs them.
                self.send_failures += 1
                log.warning("redis publish failed (%s); other hub processes will resync", err)
                return

    async def _listen(self, on_listening: Callable[[], Awaitable[None]]) -> None:
        client = aioredis.Redis.from_url(
            self.url,
            socket_connect_timeout=5,
            socket_keepalive=True,
            health_check_interval=5,
            client_name=f"hall-hub-{self.channel}",
        )
        try:
            pubsub = client.pubsub(ignore_subscribe_messages=True)
            await pubsub.subscribe(self.channel)
            await on_listening()
            while True:
                msg = await pubsub.get_message(timeout=5.0)
                if msg is None:
                    await pubsub.ping()
                    continue
                if msg.get("type") == "message":
                    self._heard(msg["data"])
        finally:
            with contextlib.suppress(Exception):
                await client.aclose()

    async def stop(self) -> None:
        await super().stop()
        self._sync.close()
