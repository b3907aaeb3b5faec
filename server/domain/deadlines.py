"""限时办结: a case's clock in working days, its due date and its light.

The clock starts on the day a case is accepted (the file complete) and counts working
days of the hall's calendar (its exceptions, the national holidays and 调休 working days,
its weekdays). The day it starts is not counted: accepted on Monday with 1 working day,
the case is due on Tuesday. A 补办 pause stops it: the working days after the day it
stopped, up to and including the day the file is complete again, are not counted, so
the due date moves by as many working days. A due date is always a working day.

The light: 黄灯 (yellow) once the share of the time limit used reaches the hall's
warning share (default 80 %), 红灯 (red) once the due date has passed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from .calendar import HallCalendar, add_working_days, working_days_between

DEFAULT_WARNING_SHARE = 0.8


class Light(StrEnum):
    NONE = "none"  # no clock: not started, or stopped
    PAUSED = "paused"  # 补办: stopped until the file is complete
    GREEN = "green"
    YELLOW = "yellow"  # 黄灯: most of the time used
    RED = "red"  # 红灯: overdue


LIGHT_TEXT: dict[Light, tuple[str, str]] = {
    Light.NONE: ("—", "—"),
    Light.PAUSED: ("暂停计时（补办）", "clock stopped (materials missing)"),
    Light.GREEN: ("正常", "on time"),
    Light.YELLOW: ("黄灯预警", "yellow: due soon"),
    Light.RED: ("红灯超期", "red: overdue"),
}


def deadline(calendar: HallCalendar, start: date, days: int) -> date:
    """``days`` working days after ``start``; a working day even for 0 days (a case
    accepted on a day off is due on the next working day)."""
    if days == 0 and not calendar.is_open_day(start):
        return add_working_days(calendar, start, 1)
    return add_working_days(calendar, start, days)


@dataclass(frozen=True)
class CaseClock:
    limit_days: int
    started: date | None = None
    paused_since: date | None = None
    paused_days: int = 0  # working days of the pauses already over
    stopped: date | None = None

    def __post_init__(self) -> None:
        if self.limit_days < 0:
            raise ValueError("limit_days must be >= 0")

    def start(self, calendar: HallCalendar, day: date) -> CaseClock:
        return replace(self, started=day, paused_since=None, stopped=None)

    def pause(self, day: date) -> CaseClock:
        if self.started is None or self.paused_since is not None:
            return self
        return replace(self, paused_since=day)

    def resume(self, calendar: HallCalendar, day: date) -> CaseClock:
        if self.paused_since is None:
            return self
        more = working_days_between(calendar, self.paused_since, day)
        return replace(self, paused_since=None, paused_days=self.paused_days + more)

    def reopen(self) -> CaseClock:
        """Running again after a stop that was undone (a return overturned on review):
        the days in between count, as if it had never stopped."""
        return replace(self, stopped=None)

    def stop(self, calendar: HallCalendar, day: date) -> CaseClock:
        if self.started is None:
            return self
        return replace(self.resume(calendar, day), stopped=day)

    def paused_total(self, calendar: HallCalendar, today: date) -> int:
        """Working days not counted: the pauses over, and the current one so far."""
        current = (
            working_days_between(calendar, self.paused_since, today) if self.paused_since else 0
        )
        return self.paused_days + current

    def used(self, calendar: HallCalendar, today: date) -> int:
        """Working days counted against the limit by ``today`` (or the day it stopped)."""
        if self.started is None:
            return 0
        end = self.stopped if self.stopped is not None and self.stopped < today else today
        return max(
            0, working_days_between(calendar, self.started, end) - self.paused_total(calendar, end)
        )

    def due(self, calendar: HallCalendar, today: date) -> date:
        """The due date as it stands on ``today`` (a pause going on moves it each day)."""
        if self.started is None:
            raise ValueError("the clock has not started")
        end = self.stopped if self.stopped is not None and self.stopped < today else today
        return deadline(calendar, self.started, self.limit_days + self.paused_total(calendar, end))

    def late(self, calendar: HallCalendar) -> bool:
        """Stopped after its due date (finished or decided late)."""
        if self.started is None or self.stopped is None:
            return False
        return self.stopped > self.due(calendar, self.stopped)

    def light(
        self, calendar: HallCalendar, today: date, share: float = DEFAULT_WARNING_SHARE
    ) -> Light:
        if self.started is None or self.stopped is not None:
            return Light.NONE
        if self.paused_since is not None:
            return Light.PAUSED
        if today > self.due(calendar, today):
            return Light.RED
        # A limit of 0 (即办) has no share to use up: green until it is overdue.
        if self.limit_days and self.used(calendar, today) >= math.ceil(share * self.limit_days):
            return Light.YELLOW
        return Light.GREEN


def check_share(share: float) -> None:
    if not 0 < share < 1:
        raise ValueError("the warning share is between 0 and 1")
