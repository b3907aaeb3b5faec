"""What every service needs: the database, the event bus, the clock and the settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from server.clock import Clock, clock_from_spec, system_clock
from server.config import Settings
from server.realtime.bus import EventBus, HubEvent, InProcessBus
from server.realtime.remote import PgNotifyBus, RedisBus
from server.store.db import Database, is_sqlite, normalise_url


def make_bus(settings: Settings) -> EventBus:
    """Redis when REDIS_URL is set, PostgreSQL NOTIFY on PostgreSQL, else in-process."""
    if settings.redis_url:
        return RedisBus(settings.redis_url, settings.redis_channel)
    if not is_sqlite(normalise_url(settings.database_url)):
        return PgNotifyBus(settings.database_url)
    return InProcessBus()


@dataclass
class Hub:
    db: Database
    settings: Settings
    bus: EventBus
    clock: Clock = system_clock

    @classmethod
    def create(
        cls, settings: Settings, *, clock: Clock | None = None, bus: EventBus | None = None
    ) -> Hub:
        """``clock`` defaults to the one the settings name (``HALL_CLOCK``)."""
        return cls(
            db=Database(settings.database_url),
            settings=settings,
            bus=bus or make_bus(settings),
            clock=clock or clock_from_spec(settings.clock),
        )

    def now(self) -> datetime:
        return self.clock()

    def publish(self, events: list[HubEvent]) -> None:
        """Only ever called after the transaction that made the events committed."""
        if events:
            self.bus.publish(events)
