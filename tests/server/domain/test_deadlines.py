"""限时办结 in working days over the real calendars: 2026 (国务院办公厅 notice) and the
shipped 2027 example; the 补办 pause; the lights; a due date is always a working day."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.domain.calendar import HallCalendar
from server.domain.deadlines import CaseClock, Light, deadline
from server.domain.holidays import national_days, read_table

CALENDARS = Path(__file__).resolve().parents[3] / "server" / "demo" / "calendars"


def national() -> HallCalendar:
    off: set[date] = set()
    worked: set[date] = set()
    for name, year in (("2026.csv", 2026), ("2027-example.csv", 2027)):
        with (CALENDARS / name).open(encoding="utf-8") as f:
            entries, problems = read_table([list(r) for r in csv.reader(f)], year)
        assert problems == []
        o, w = national_days(entries)
        off |= o
        worked |= w
    return HallCalendar(holidays=frozenset(off), workdays=frozenset(worked))


CAL = national()


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # An ordinary week: Monday + 1 is Tuesday; Friday + 1 is Monday.
        (date(2026, 11, 23), 1, date(2026, 11, 24)),
        (date(2026, 11, 27), 1, date(2026, 11, 30)),
        (date(2026, 11, 23), 5, date(2026, 11, 30)),
        # 0 days: the day itself, or the next working day when it is a day off.
        (date(2026, 11, 23), 0, date(2026, 11, 23)),
        (date(2026, 11, 28), 0, date(2026, 11, 30)),
        # 国庆 and 中秋 2026: 9-25..27 and 10-1..7 off, Sunday 9-20 and Saturday 10-10 worked.
        (date(2026, 9, 18), 1, date(2026, 9, 20)),  # Friday -> the 调休 Sunday
        (date(2026, 9, 24), 1, date(2026, 9, 28)),  # over 中秋
        (date(2026, 9, 30), 1, date(2026, 10, 8)),  # over 国庆
        (date(2026, 9, 30), 3, date(2026, 10, 10)),  # 10-8, 10-9, then the 调休 Saturday
        (date(2026, 9, 21), 15, date(2026, 10, 19)),
        # 春节 2026: 2-15..23 off, Saturdays 2-14 and 2-28 worked.
        (date(2026, 2, 13), 1, date(2026, 2, 14)),
        (date(2026, 2, 14), 1, date(2026, 2, 24)),
        (date(2026, 2, 13), 10, date(2026, 3, 5)),
        # Over the year's end: 元旦 2027 (1-1..3 off).
        (date(2026, 12, 31), 1, date(2027, 1, 4)),
        (date(2026, 12, 25), 20, date(2027, 1, 25)),
        # 春节 2027 (example): 2-5..13 off, Sunday 1-31 and Saturday 2-20 worked.
        (date(2027, 1, 29), 1, date(2027, 1, 31)),
        (date(2027, 2, 4), 1, date(2027, 2, 15)),
        (date(2027, 2, 18), 2, date(2027, 2, 20)),
    ],
)
def test_a_due_date_counts_working_days_of_the_real_calendar(
    start: date, days: int, due: date
) -> None:
    assert deadline(CAL, start, days) == due
    assert CaseClock(days).start(CAL, start).due(CAL, start) == due


def test_a_pause_for_missing_materials_moves_the_due_date() -> None:
    # Accepted Monday 21 Sep 2026 with 5 working days: due Tuesday 29 Sep (中秋 in between).
    clock = CaseClock(5).start(CAL, date(2026, 9, 21))
    assert clock.due(CAL, date(2026, 9, 21)) == date(2026, 9, 29)
    # 补办 on Tuesday 22 Sep; the file is complete on Tuesday 29 Sep. The pause covered
    # 23, 24, 28, 29 Sep (four working days; 25-27 were off anyway).
    paused = clock.pause(date(2026, 9, 22))
    assert paused.light(CAL, date(2026, 9, 24)) is Light.PAUSED
    # While paused the due date moves day by day: on the 24th by two days (23, 24).
    assert paused.due(CAL, date(2026, 9, 24)) == date(2026, 10, 8)
    resumed = paused.resume(CAL, date(2026, 9, 29))
    assert resumed.paused_days == 4
    assert resumed.used(CAL, date(2026, 9, 29)) == 1
    # 5 + 4 working days after 21 Sep: 22, 23, 24, 28, 29, 30 Sep, then 国庆, then 8, 9, 10 Oct.
    assert resumed.due(CAL, date(2026, 9, 29)) == date(2026, 10, 10)
    assert resumed.used(CAL, date(2026, 10, 9)) == 4
    finished = resumed.stop(CAL, date(2026, 10, 10))
    assert not finished.late(CAL) and finished.light(CAL, date(2026, 10, 12)) is Light.NONE
    assert resumed.stop(CAL, date(2026, 10, 12)).late(CAL)


def test_the_light_turns_yellow_at_the_share_and_red_when_overdue() -> None:
    clock = CaseClock(5).start(CAL, date(2026, 11, 23))  # due Monday 30 Nov
    assert [clock.light(CAL, date(2026, 11, 23) + timedelta(days=n)) for n in range(9)] == [
        Light.GREEN,  # Mon 23, 0 used
        Light.GREEN,  # Tue, 1
        Light.GREEN,  # Wed, 2
        Light.GREEN,  # Thu, 3
        Light.YELLOW,  # Fri, 4 of 5 = 80 %
        Light.YELLOW,  # Sat
        Light.YELLOW,  # Sun
        Light.YELLOW,  # Mon 30, due today
        Light.RED,  # Tue 1 Dec
    ]
    assert clock.light(CAL, date(2026, 11, 26), share=0.6) is Light.YELLOW
    immediate = CaseClock(0).start(CAL, date(2026, 11, 23))
    assert immediate.light(CAL, date(2026, 11, 23)) is Light.GREEN
    assert immediate.light(CAL, date(2026, 11, 24)) is Light.RED
    assert CaseClock(5).light(CAL, date(2026, 11, 23)) is Light.NONE  # not started


days_2026_2027 = st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31))


@settings(max_examples=300, deadline=None)
@given(start=days_2026_2027, days=st.integers(min_value=0, max_value=60))
def test_a_due_date_is_always_a_working_day(start: date, days: int) -> None:
    due = deadline(CAL, start, days)
    assert CAL.is_open_day(due)
    assert due >= start


@settings(max_examples=200, deadline=None)
@given(
    start=days_2026_2027,
    days=st.integers(min_value=1, max_value=30),
    pause_after=st.integers(min_value=0, max_value=10),
    pause_for=st.integers(min_value=0, max_value=20),
)
def test_a_pause_never_shortens_the_time_and_the_due_date_stays_a_working_day(
    start: date, days: int, pause_after: int, pause_for: int
) -> None:
    clock = CaseClock(days).start(CAL, start)
    stop = start + timedelta(days=pause_after)
    back = stop + timedelta(days=pause_for)
    resumed = clock.pause(stop).resume(CAL, back)
    due = resumed.due(CAL, back)
    assert CAL.is_open_day(due)
    assert due >= clock.due(CAL, start)
    # The working days counted by the due date are the limit, exactly.
    assert resumed.used(CAL, due) == days
