"""Business days, office hours and working days, in the hall's own time zone.

A hall's week is the office hours of each ISO weekday (1 = Monday): a list of spans, and
the gaps between a day's spans are its breaks (午休). A weekday without spans is a day off.
Whether a date is a working day is decided in this order: the hall's own exceptions
(``closed_dates``, then ``open_dates``), the national calendar (法定节假日 closed, 调休
working days open), then the weekday. A working day whose weekday has no hours of its
own (a 调休 Saturday) keeps the hours of the hall's first weekday that has some, usually
Monday's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .errors import DomainError
from .model import QueueRules

Span = tuple[time, time]
DaySpans = tuple[Span, ...]

NINE_TO_FIVE: DaySpans = ((time(9, 0), time(17, 0)),)
# Monday to Friday, 09:00-17:00, no break: what a hall had before office hours per weekday.
STANDARD_WEEK: tuple[DaySpans, ...] = (NINE_TO_FIVE,) * 5 + ((),) * 2
NO_TICKET_HOURS: tuple[DaySpans | None, ...] = (None,) * 7
WEEKDAYS = range(1, 8)


@dataclass(frozen=True)
class HallCalendar:
    timezone: str = "Asia/Shanghai"
    # Index 0 is Monday. Spans are ordered and do not overlap (hall_settings.py checks).
    office_hours: tuple[DaySpans, ...] = STANDARD_WEEK
    # Exceptions of the hall itself: closed (a local holiday, a move) and open days.
    closed_dates: frozenset[date] = field(default_factory=frozenset)
    open_dates: frozenset[date] = field(default_factory=frozenset)
    # When tickets may be taken, per weekday; None: no hall-wide limit that weekday (the
    # queues' own issue hours decide, as before halls had ticket hours).
    ticket_hours: tuple[DaySpans | None, ...] = NO_TICKET_HOURS
    # The national calendar (for the hall's region): 放假 days and 调休 working days.
    holidays: frozenset[date] = field(default_factory=frozenset)
    workdays: frozenset[date] = field(default_factory=frozenset)
    # Closed by an admin until reopened: no tickets at all.
    closed: bool = False

    def __post_init__(self) -> None:
        if len(self.office_hours) != 7 or len(self.ticket_hours) != 7:
            raise ValueError("office_hours and ticket_hours have one entry per weekday")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def open_weekdays(self) -> frozenset[int]:
        return frozenset(d for d in WEEKDAYS if self.office_hours[d - 1])

    def local(self, now: datetime) -> datetime:
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        return now.astimezone(self.zone)

    def business_day(self, now: datetime) -> date:
        return self.local(now).date()

    def is_open_day(self, day: date) -> bool:
        """Is ``day`` a working day of the hall (whether or not it is closed just now)."""
        if day in self.closed_dates:
            return False
        if day in self.open_dates:
            return True
        if day in self.holidays:
            return False
        if day in self.workdays:
            return True
        return day.isoweekday() in self.open_weekdays

    def _weekday_of(self, day: date) -> int:
        """The weekday whose hours ``day`` keeps."""
        weekday = day.isoweekday()
        if self.office_hours[weekday - 1]:
            return weekday
        return min(self.open_weekdays, default=weekday)

    def hours_on(self, day: date) -> DaySpans:
        """The office hours of ``day``; none on a day off."""
        return self.office_hours[self._weekday_of(day) - 1] if self.is_open_day(day) else ()

    def breaks_on(self, day: date) -> DaySpans:
        """The gaps between the day's spans: the lunch break, if any."""
        spans = self.hours_on(day)
        return tuple((spans[i][1], spans[i + 1][0]) for i in range(len(spans) - 1))

    def ticket_hours_on(self, day: date) -> DaySpans | None:
        return self.ticket_hours[self._weekday_of(day) - 1]


def in_hours(moment: time, hours: Iterable[Span]) -> bool:
    return any(start <= moment <= end for start, end in hours)


def _spans_text(spans: Iterable[Span]) -> list[str]:
    return [f"{a:%H:%M}-{b:%H:%M}" for a, b in spans]


def check_can_issue(rules: QueueRules, calendar: HallCalendar, now: datetime) -> date:
    """Raise if a ticket of this queue cannot be issued now; return the business day."""
    if calendar.closed:
        raise DomainError("HALL_CLOSED")
    if not rules.active:
        raise DomainError("QUEUE_INACTIVE")
    local = calendar.local(now)
    day = local.date()
    if not calendar.is_open_day(day):
        raise DomainError("HALL_CLOSED_TODAY", day=day.isoformat())
    moment = local.time()
    for start, end in calendar.breaks_on(day):
        if start < moment < end:
            raise DomainError(
                "LUNCH_BREAK",
                resumes=f"{end:%H:%M}",
                hours=_spans_text(calendar.hours_on(day)),
            )
    ticket_hours = calendar.ticket_hours_on(day)
    if ticket_hours is not None and not in_hours(moment, ticket_hours):
        raise DomainError("OUTSIDE_TICKET_HOURS", hours=_spans_text(ticket_hours))
    if not in_hours(moment, rules.issue_hours):
        raise DomainError("OUT_OF_HOURS", hours=_spans_text(rules.issue_hours))
    return day


def check_cap(rules: QueueRules, seq: int) -> None:
    """``seq`` is this ticket's position in the day (1-based)."""
    if rules.daily_cap is not None and seq > rules.daily_cap:
        raise DomainError("DAILY_CAP_REACHED", cap=rules.daily_cap)


def ticket_number(rules: QueueRules, seq: int) -> int:
    return rules.start_number + seq - 1


def ticket_code(rules: QueueRules, number: int) -> str:
    return f"{rules.prefix}{number:0{rules.width}d}"


# ---- working days (工作日), e.g. for a case's promised time limit (承诺时限) -----------

# A calendar with no working day at all would count for ever: give up after this many
# days without finding the next one (ten years).
_SEARCH_LIMIT_DAYS = 3660


def add_working_days(calendar: HallCalendar, start: date, days: int) -> date:
    """The date that is ``days`` working days after ``start``.

    ``start`` itself is not counted (a period counted in days begins on the next day,
    民法典 第二百零一条), so 0 gives ``start`` and 1 the next working day. Dates beyond
    the national calendar the hall was given count by their weekday alone.
    """
    if days < 0:
        raise ValueError("days must be >= 0")
    day, left, idle = start, days, 0
    while left:
        day += timedelta(days=1)
        if calendar.is_open_day(day):
            left, idle = left - 1, 0
        else:
            idle += 1
            if idle > _SEARCH_LIMIT_DAYS:
                raise ValueError("the calendar has no working day left")
    return day


def working_days_between(calendar: HallCalendar, start: date, end: date) -> int:
    """How many working days lie after ``start`` up to and including ``end``."""
    if end <= start:
        return 0
    return sum(
        calendar.is_open_day(start + timedelta(days=n)) for n in range(1, (end - start).days + 1)
    )


# ---- the stored form: {"1": [["09:00", "12:00"], ["13:30", "17:00"]], ...} ------------


def week_from_json(value: Mapping[str, Sequence[Sequence[str]]]) -> tuple[DaySpans, ...]:
    """Office hours as stored (checked when saved: hall_settings.check_week)."""
    return tuple(
        tuple(
            (time.fromisoformat(a), time.fromisoformat(b)) for a, b in value.get(str(weekday), ())
        )
        for weekday in WEEKDAYS
    )


def ticket_hours_from_json(
    value: Mapping[str, Sequence[Sequence[str]]],
) -> tuple[DaySpans | None, ...]:
    week = week_from_json(value)
    return tuple(week[d - 1] if value.get(str(d)) else None for d in WEEKDAYS)


def week_to_json(week: Sequence[DaySpans]) -> dict[str, list[list[str]]]:
    return {
        str(weekday): [[f"{a:%H:%M}", f"{b:%H:%M}"] for a, b in spans]
        for weekday, spans in zip(WEEKDAYS, week, strict=True)
        if spans
    }
