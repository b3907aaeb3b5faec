"""The tests' clock: one per test, shared by every process the test starts."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from server.clock import SharedClock

MONDAY_10AM = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


class FakeClock(SharedClock):
    """A clock the test moves by hand, frozen unless it says otherwise; it starts on a
    Monday, 10:00 in Shanghai. Every process the test starts reads the same clock
    (``spec``, the value of their HALL_CLOCK)."""

    def __init__(self, path: Path, start: datetime | None = None) -> None:
        super().__init__(path)
        self.set(start or MONDAY_10AM, ticking=False)

    @property
    def now(self) -> datetime:
        return self()

    @now.setter
    def now(self, instant: datetime) -> None:
        self.set(instant)

    def tick(self) -> FakeClock:
        """From now on the clock runs at the wall clock's pace, for hub processes whose
        timers (heartbeats, timeouts) must see time pass; ``set`` and ``advance`` still jump."""
        self.set(self(), ticking=True)
        return self
