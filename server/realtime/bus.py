"""The event bus interface and its in-process implementation.

Services publish only after their transaction committed. Each subscriber has its own
bounded queue, so one slow or dead subscriber never stalls the others: when its queue
is full it is marked as lagging and must resynchronise from a snapshot.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class HubEvent:
    hall_id: int
    kind: str
    data: dict[str, Any] = field(default_factory=dict)


class Subscription:
    def __init__(self, loop: asyncio.AbstractEventLoop, hall_id: int | None, maxsize: int) -> None:
        self.loop = loop
        self.hall_id = hall_id
        self.queue: asyncio.Queue[HubEvent] = asyncio.Queue(maxsize=maxsize)
        self.lagged = False

    def _offer(self, event: HubEvent) -> None:
        if self.hall_id is not None and event.hall_id != self.hall_id:
            return
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            self.lagged = True

    async def get(self) -> HubEvent:
        return await self.queue.get()


class EventBus(Protocol):
    def publish(self, events: list[HubEvent]) -> None: ...

    def subscribe(self, hall_id: int | None = None, maxsize: int = 1000) -> Subscription: ...

    def unsubscribe(self, sub: Subscription) -> None: ...


class InProcessBus:
    """For the embedded default: one hub process."""

    def __init__(self) -> None:
        self._subs: set[Subscription] = set()
        self._lock = threading.Lock()
        self.published = 0

    def publish(self, events: list[HubEvent]) -> None:
        # Called from worker threads (sync endpoints) and from the loop alike.
        with self._lock:
            subs = list(self._subs)
            self.published += len(events)
        for sub in subs:
            for event in events:
                if sub.loop.is_closed():
                    continue
                sub.loop.call_soon_threadsafe(sub._offer, event)

    def subscribe(self, hall_id: int | None = None, maxsize: int = 1000) -> Subscription:
        sub = Subscription(asyncio.get_running_loop(), hall_id, maxsize)
        with self._lock:
            self._subs.add(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        with self._lock:
            self._subs.discard(sub)
