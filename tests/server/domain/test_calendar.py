"""Business days, issuing hours and working days follow the hall's time zone, its office
hours and the national calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from server.domain.calendar import (
    HallCalendar,
    add_working_days,
    check_can_issue,
    check_cap,
    ticket_code,
    ticket_hours_from_json,
    ticket_number,
    week_from_json,
    week_to_json,
    working_days_between,
)
from server.domain.errors import DomainError
from server.domain.model import QueueRules

RULES = QueueRules(
    prefix="A",
    start_number=1,
    width=3,
    daily_cap=2,
    issue_hours=((time(8, 45), time(11, 45)), (time(13, 30), time(16, 45))),
)


def test_business_day_is_the_halls_not_the_servers() -> None:
    late_utc = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)  # Monday 07:30 in Shanghai
    assert HallCalendar("Asia/Shanghai").business_day(late_utc) == date(2026, 11, 23)
    assert HallCalendar("Europe/London").business_day(late_utc) == date(2026, 11, 22)


@pytest.mark.parametrize(
    ("utc", "code"),
    [
        (datetime(2026, 11, 23, 1, 0, tzinfo=UTC), None),  # Mon 09:00
        (datetime(2026, 11, 23, 4, 0, tzinfo=UTC), "OUT_OF_HOURS"),  # Mon 12:00 lunch
        (datetime(2026, 11, 23, 6, 0, tzinfo=UTC), None),  # Mon 14:00
        (datetime(2026, 11, 23, 9, 0, tzinfo=UTC), "OUT_OF_HOURS"),  # Mon 17:00
        (datetime(2026, 11, 22, 2, 0, tzinfo=UTC), "HALL_CLOSED_TODAY"),  # Sunday
        (datetime(2026, 10, 1, 2, 0, tzinfo=UTC), "HALL_CLOSED_TODAY"),  # National Day holiday
        (datetime(2026, 10, 10, 2, 0, tzinfo=UTC), None),  # Saturday made a working day
    ],
)
def test_issuing_hours(utc: datetime, code: str | None) -> None:
    cal = HallCalendar(
        "Asia/Shanghai",
        closed_dates=frozenset({date(2026, 10, 1)}),
        open_dates=frozenset({date(2026, 10, 10)}),
    )
    if code is None:
        assert check_can_issue(RULES, cal, utc) == utc.astimezone(cal.zone).date()
    else:
        with pytest.raises(DomainError) as err:
            check_can_issue(RULES, cal, utc)
        assert err.value.code == code


def test_inactive_queue_and_cap() -> None:
    with pytest.raises(DomainError) as err:
        check_can_issue(
            QueueRules(prefix="A", active=False),
            HallCalendar(),
            datetime(2026, 11, 23, 2, tzinfo=UTC),
        )
    assert err.value.code == "QUEUE_INACTIVE"
    check_cap(RULES, 2)
    with pytest.raises(DomainError) as err:
        check_cap(RULES, 3)
    assert err.value.code == "DAILY_CAP_REACHED"


@pytest.mark.parametrize(
    ("start", "width", "seq", "code"),
    [(1, 3, 1, "A001"), (1, 3, 23, "A023"), (101, 3, 1, "A101"), (1, 4, 7, "A0007")],
)
def test_numbering(start: int, width: int, seq: int, code: str) -> None:
    rules = QueueRules(prefix="A", start_number=start, width=width)
    assert ticket_code(rules, ticket_number(rules, seq)) == code


# ---- office hours with a lunch break, ticket hours, a closed hall ----------------------

NO_LIMIT = QueueRules(prefix="A")  # issues at any hour: the hall's hours decide
LUNCH = ((time(9, 0), time(12, 0)), (time(13, 30), time(17, 0)))
WEEK_WITH_LUNCH = (LUNCH,) * 5 + ((),) * 2
EARLY_TICKETS = ((time(8, 30), time(11, 45)), (time(13, 30), time(16, 30)))


def at(hour: int, minute: int = 0, day: int = 23) -> datetime:
    """A Shanghai wall-clock time in the week of Monday 2026-11-23, as UTC."""
    return datetime(2026, 11, day, hour - 8, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("moment", "ticket_hours", "code"),
    [
        (at(11, 59), None, None),
        (at(12, 0), None, None),  # the morning's last minute
        (at(12, 1), None, "LUNCH_BREAK"),
        (at(13, 29), None, "LUNCH_BREAK"),
        (at(13, 30), None, None),
        (at(8, 30), None, None),  # before opening: no ticket hours, the queue decides
        (at(8, 30), EARLY_TICKETS, None),  # ticket hours may start before the doors open
        (at(8, 29), EARLY_TICKETS, "OUTSIDE_TICKET_HOURS"),
        (at(11, 50), EARLY_TICKETS, "OUTSIDE_TICKET_HOURS"),
        (at(12, 30), EARLY_TICKETS, "LUNCH_BREAK"),  # the break is named first
        (at(16, 31), EARLY_TICKETS, "OUTSIDE_TICKET_HOURS"),  # stops before closing
        (at(16, 31, day=27), None, None),  # Friday, no ticket hours of its own
        (at(10, 0, day=28), EARLY_TICKETS, "HALL_CLOSED_TODAY"),  # Saturday
    ],
)
def test_lunch_break_and_ticket_hours(
    moment: datetime, ticket_hours: tuple[tuple[time, time], ...] | None, code: str | None
) -> None:
    cal = HallCalendar(
        office_hours=WEEK_WITH_LUNCH,
        ticket_hours=(ticket_hours,) * 4 + (None, None, None),  # Monday to Thursday
    )
    if code is None:
        assert check_can_issue(NO_LIMIT, cal, moment) == moment.astimezone(cal.zone).date()
    else:
        with pytest.raises(DomainError) as err:
            check_can_issue(NO_LIMIT, cal, moment)
        assert err.value.code == code


def test_a_refusal_says_when_issuing_resumes() -> None:
    cal = HallCalendar(office_hours=WEEK_WITH_LUNCH)
    with pytest.raises(DomainError) as err:
        check_can_issue(NO_LIMIT, cal, at(12, 30))
    assert err.value.details == {"resumes": "13:30", "hours": ["09:00-12:00", "13:30-17:00"]}


def test_without_a_break_the_hall_behaves_as_before() -> None:
    """The standard week (no break, no ticket hours): only the queue's hours refuse."""
    cal = HallCalendar()
    assert cal.open_weekdays == {1, 2, 3, 4, 5} and cal.breaks_on(date(2026, 11, 23)) == ()
    for moment, code in [
        (at(12, 30), "OUT_OF_HOURS"),
        (at(8, 50), None),
        (at(17, 30), "OUT_OF_HOURS"),
    ]:
        if code is None:
            check_can_issue(RULES, cal, moment)
        else:
            with pytest.raises(DomainError) as err:
                check_can_issue(RULES, cal, moment)
            assert err.value.code == code


def test_a_closed_hall_issues_nothing() -> None:
    with pytest.raises(DomainError) as err:
        check_can_issue(RULES, HallCalendar(closed=True), at(10))
    assert err.value.code == "HALL_CLOSED"


def test_a_swapped_working_day_keeps_mondays_hours() -> None:
    saturday = date(2026, 10, 10)
    cal = HallCalendar(office_hours=WEEK_WITH_LUNCH, workdays=frozenset({saturday}))
    assert cal.is_open_day(saturday) and cal.hours_on(saturday) == LUNCH
    with pytest.raises(DomainError) as err:
        check_can_issue(NO_LIMIT, cal, datetime(2026, 10, 10, 4, 30, tzinfo=UTC))  # 12:30
    assert err.value.code == "LUNCH_BREAK"


# ---- working days: the hall's own exceptions, then the national calendar ---------------

SPRING_2026 = frozenset(date(2026, 2, d) for d in range(15, 24))  # 春节 15-23 Feb
NATIONAL_2026 = HallCalendar(
    holidays=SPRING_2026 | frozenset(date(2026, 10, d) for d in range(1, 8)),
    workdays=frozenset(
        {date(2026, 2, 14), date(2026, 2, 28), date(2026, 9, 20), date(2026, 10, 10)}
    ),
)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 2, 13), True),  # Friday before the Spring Festival
        (date(2026, 2, 14), True),  # Saturday worked (调休)
        (date(2026, 2, 16), False),  # Monday, 除夕
        (date(2026, 2, 23), False),  # Monday, the last day off
        (date(2026, 2, 24), True),
        (date(2026, 2, 21), False),  # Saturday within the holiday
        (date(2026, 3, 7), False),  # an ordinary Saturday
        (date(2026, 9, 20), True),  # Sunday worked before National Day
    ],
)
def test_working_days_follow_the_national_calendar(day: date, working: bool) -> None:
    assert NATIONAL_2026.is_open_day(day) is working


def test_the_halls_own_exceptions_win_over_the_national_calendar() -> None:
    cal = HallCalendar(
        holidays=frozenset({date(2026, 10, 5)}),
        workdays=frozenset({date(2026, 10, 10)}),
        open_dates=frozenset({date(2026, 10, 5)}),  # the hall works a holiday
        closed_dates=frozenset({date(2026, 10, 10)}),  # and rests on a swapped Saturday
    )
    assert cal.is_open_day(date(2026, 10, 5)) and not cal.is_open_day(date(2026, 10, 10))


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (date(2026, 11, 23), 0, date(2026, 11, 23)),  # the start itself
        (date(2026, 11, 23), 1, date(2026, 11, 24)),  # the next day (期间自次日起算)
        (date(2026, 11, 27), 1, date(2026, 11, 30)),  # Friday + 1: over the weekend
        (date(2026, 11, 23), 5, date(2026, 11, 30)),
        (date(2026, 2, 12), 1, date(2026, 2, 13)),
        (date(2026, 2, 13), 1, date(2026, 2, 14)),  # the Saturday worked counts
        (date(2026, 2, 13), 2, date(2026, 2, 24)),  # the nine days off do not
        (date(2026, 2, 10), 5, date(2026, 2, 24)),
        (date(2026, 2, 24), 4, date(2026, 2, 28)),  # Saturday 28 Feb is worked
        (date(2026, 9, 18), 1, date(2026, 9, 20)),  # Sunday 20 Sep is worked
        (date(2026, 9, 30), 1, date(2026, 10, 8)),  # National Day
        (date(2026, 9, 30), 2, date(2026, 10, 9)),
        (date(2026, 9, 30), 3, date(2026, 10, 10)),  # Saturday 10 Oct is worked
        (date(2026, 1, 30), 20, date(2026, 3, 5)),  # a 20-day promise over the festival
    ],
)
def test_adding_working_days(start: date, days: int, due: date) -> None:
    assert add_working_days(NATIONAL_2026, start, days) == due


def test_counting_working_days_between_two_dates() -> None:
    assert working_days_between(NATIONAL_2026, date(2026, 2, 13), date(2026, 2, 24)) == 2
    assert working_days_between(NATIONAL_2026, date(2026, 2, 24), date(2026, 2, 13)) == 0
    # The two answer the same question from either end.
    for days in range(0, 30):
        due = add_working_days(NATIONAL_2026, date(2026, 2, 1), days)
        assert working_days_between(NATIONAL_2026, date(2026, 2, 1), due) == days


def test_a_calendar_without_working_days_is_refused() -> None:
    never = HallCalendar(office_hours=((),) * 7)
    with pytest.raises(ValueError):
        add_working_days(never, date(2026, 1, 1), 1)
    with pytest.raises(ValueError):
        add_working_days(NATIONAL_2026, date(2026, 1, 1), -1)


def test_the_stored_week_reads_back() -> None:
    stored = {"1": [["09:00", "12:00"], ["13:30", "17:00"]], "6": [["09:00", "12:00"]]}
    week = week_from_json(stored)
    assert week[0] == LUNCH and week[5] == ((time(9), time(12)),) and week[6] == ()
    assert week_to_json(week) == stored
    tickets = ticket_hours_from_json({"2": [["08:30", "16:30"]]})
    assert tickets[1] == ((time(8, 30), time(16, 30)),) and tickets[0] is None
