"""Business days and opening hours, in the hall's own time zone."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from .errors import DomainError
from .model import QueueRules


@dataclass(frozen=True)
class HallCalendar:
    timezone: str = "Asia/Shanghai"
    # ISO weekdays (1 = Monday) on which the hall works.
    open_weekdays: frozenset[int] = frozenset({1, 2, 3, 4, 5})
    # Exceptions: public holidays (closed) and swapped working days (调休, open).
    closed_dates: frozenset[date] = field(default_factory=frozenset)
    open_dates: frozenset[date] = field(default_factory=frozenset)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def local(self, now: datetime) -> datetime:
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        return now.astimezone(self.zone)

    def business_day(self, now: datetime) -> date:
        return self.local(now).date()

    def is_open_day(self, day: date) -> bool:
        if day in self.closed_dates:
            return False
        if day in self.open_dates:
            return True
        return day.isoweekday() in self.open_weekdays


def in_hours(moment: time, hours: tuple[tuple[time, time], ...]) -> bool:
    return any(start <= moment <= end for start, end in hours)


def check_can_issue(rules: QueueRules, calendar: HallCalendar, now: datetime) -> date:
    """Raise if a ticket of this queue cannot be issued now; return the business day."""
    if not rules.active:
        raise DomainError("QUEUE_INACTIVE")
    local = calendar.local(now)
    day = local.date()
    if not calendar.is_open_day(day):
        raise DomainError("HALL_CLOSED_TODAY", day=day.isoformat())
    if not in_hours(local.time(), rules.issue_hours):
        raise DomainError(
            "OUT_OF_HOURS",
            hours=[f"{a:%H:%M}-{b:%H:%M}" for a, b in rules.issue_hours],
        )
    return day


def check_cap(rules: QueueRules, seq: int) -> None:
    """``seq`` is this ticket's position in the day (1-based)."""
    if rules.daily_cap is not None and seq > rules.daily_cap:
        raise DomainError("DAILY_CAP_REACHED", cap=rules.daily_cap)


def ticket_number(rules: QueueRules, seq: int) -> int:
    return rules.start_number + seq - 1


def ticket_code(rules: QueueRules, number: int) -> str:
    return f"{rules.prefix}{number:0{rules.width}d}"
