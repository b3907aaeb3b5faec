"""What every service needs: the database, the event bus, the clock and the settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from server.clock import Clock, system_clock
from server.config import Settings
from server.realtime.bus import EventBus, HubEvent, InProcessBus
from server.store.db import Database


@dataclass
class Hub:
    db: Database
    settings: Settings
    bus: EventBus
    clock: Clock = system_clock

    @classmethod
    def create(
        cls, settings: Settings, *, clock: Clock = system_clock, bus: EventBus | None = None
    ) -> Hub:
        return cls(
            db=Database(settings.database_url),
            settings=settings,
            bus=bus or InProcessBus(),
            clock=clock,
        )

    def now(self) -> datetime:
        return self.clock()

    def publish(self, events: list[HubEvent]) -> None:
        """Only ever called after the transaction that made the events committed."""
        if events:
            self.bus.publish(events)
