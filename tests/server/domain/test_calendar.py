"""Business days and issuing hours follow the hall's time zone and calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from server.domain.calendar import (
    HallCalendar,
    check_can_issue,
    check_cap,
    ticket_code,
    ticket_number,
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
