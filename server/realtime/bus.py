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
    """One change in a hall. ``seq`` is the hall's change sequence number (0 = not yet
    stamped); ``patch`` is the board state it changed (see PROTOCOL.md)."""

    hall_id: int
    kind: str
    data: dict[str, Any] = field(default_factory=dict)
    seq: int = 0
    patch: dict[str, Any] | None = None

    def to_message(self) -> dict[str, Any]:
        return {
            "type": "event",
            "seq": self.seq,
            "kind": self.kind,
            "data": self.data,
            "patch": self.patch,
        }


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
    name: str

    def publish(self, events: list[HubEvent]) -> None: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    def subscribe(self, hall_id: int | None = None, maxsize: int = 1000) -> Subscription: ...

    def unsubscribe(self, sub: Subscription) -> None: ...


class InProcessBus:
    """For the embedded default: one hub process."""

    name = "in-process"

    def __init__(self) -> None:
        self._subs: set[Subscription] = set()
        self._lock = threading.Lock()
        self.published = 0

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    def publish(self, events: list[HubEvent]) -> None:
        self.deliver(events)

    def deliver(self, events: list[HubEvent]) -> None:
        """Hand events to this process's subscribers (from any thread)."""
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
