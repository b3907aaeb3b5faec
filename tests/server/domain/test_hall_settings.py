"""A hall's settings are checked whole, every problem named by its field and code."""

from __future__ import annotations

from typing import Any

import pytest

from server.domain.errors import DomainError
from server.domain.fields import FIELD_MESSAGES, Problem
from server.domain.hall_settings import (
    MAX_EXCEPTION_DATES,
    check_close,
    check_hall,
    check_reopen,
    normalised,
    parse_clock,
)

LUNCH = [["09:00", "12:00"], ["13:30", "17:00"]]


def codes(values: dict[str, Any]) -> list[tuple[str, str]]:
    return [(p.field, p.code) for p in check_hall(values)]


def test_a_good_hall_has_no_problem() -> None:
    assert (
        codes(
            {
                "code": "east-1",
                "timezone": "Asia/Shanghai",
                "office_hours": {"1": LUNCH, "6": [["09:00", "12:00"]]},
                "ticket_hours": {"1": [["08:30", "16:30"]]},
                "languages": ["zh", "en"],
                "closed_dates": ["2026-12-31"],
                "open_dates": ["2026-10-10"],
            }
        )
        == []
    )


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"code": "East"}, [("code", "HALL_CODE_FORMAT")]),
        ({"code": "1east"}, [("code", "HALL_CODE_FORMAT")]),
        ({"code": "e"}, [("code", "HALL_CODE_FORMAT")]),
        ({"code": "east-"}, [("code", "HALL_CODE_FORMAT")]),
        ({"code": "东区"}, [("code", "HALL_CODE_FORMAT")]),
        ({"timezone": "Asia/Beijing"}, [("timezone", "TIMEZONE_UNKNOWN")]),
        ({"timezone": "../../etc/passwd"}, [("timezone", "TIMEZONE_UNKNOWN")]),
        ({"office_hours": {"8": LUNCH}}, [("office_hours.8", "WEEKDAY_UNKNOWN")]),
        ({"office_hours": {"1": [["9:00", "12:00"]]}}, [("office_hours.1.0.0", "TIME_INVALID")]),
        ({"office_hours": {"1": [["09:00", "24:00"]]}}, [("office_hours.1.0.1", "TIME_INVALID")]),
        ({"office_hours": {"1": [["09:00", "12:60"]]}}, [("office_hours.1.0.1", "TIME_INVALID")]),
        ({"office_hours": {"1": [["09:00"]]}}, [("office_hours.1.0", "SPAN_FORMAT")]),
        ({"office_hours": {"1": "09:00-17:00"}}, [("office_hours.1", "NOT_A_LIST")]),
        ({"office_hours": {"1": [["12:00", "09:00"]]}}, [("office_hours.1.0", "SPAN_EMPTY")]),
        # A lunch break that starts before the morning ends, or overlaps it.
        (
            {"office_hours": {"1": [["09:00", "12:00"], ["11:30", "17:00"]]}},
            [("office_hours.1.1", "SPANS_OVERLAP")],
        ),
        (
            {"office_hours": {"1": [["13:30", "17:00"], ["09:00", "12:00"]]}},
            [("office_hours.1.1", "SPANS_OVERLAP")],
        ),
        (
            {"office_hours": {"1": [["09:00", "12:00"], ["12:00", "17:00"]]}},
            [("office_hours.1.1", "SPANS_OVERLAP")],
        ),
        ({"office_hours": {"1": [["08:00", "09:00"]] * 5}}, [("office_hours.1", "TOO_MANY_SPANS")]),
        ({"office_hours": []}, [("office_hours", "NOT_AN_OBJECT")]),
        (
            {"office_hours": {"1": LUNCH}, "ticket_hours": {"2": [["09:00", "12:00"]]}},
            [("ticket_hours.2", "TICKET_HOURS_ON_DAY_OFF")],
        ),
        (
            {"office_hours": {"1": LUNCH}, "ticket_hours": {"1": [["09:00", "17:30"]]}},
            [("ticket_hours.1.0", "TICKET_HOURS_AFTER_CLOSING")],
        ),
        ({"languages": ["en"]}, [("languages", "LANGUAGE_ZH_REQUIRED")]),
        ({"languages": ["zh", "fr"]}, [("languages.1", "LANGUAGE_UNKNOWN")]),
        ({"languages": ["zh", "zh"]}, [("languages.1", "DUPLICATE")]),
        ({"closed_dates": ["2026-02-30"]}, [("closed_dates.0", "DATE_INVALID")]),
        ({"closed_dates": ["20261001"]}, [("closed_dates.0", "DATE_INVALID")]),
        ({"closed_dates": ["2026-10-01", "2026-10-01"]}, [("closed_dates.1", "DUPLICATE")]),
        ({"closed_dates": "2026-10-01"}, [("closed_dates", "NOT_A_LIST")]),
        (
            {"closed_dates": ["2026-01-01"] * (MAX_EXCEPTION_DATES + 1)},
            [("closed_dates", "TOO_MANY_DATES")],
        ),
        (
            {"closed_dates": ["2026-10-10"], "open_dates": ["2026-10-10"]},
            [("open_dates.0", "DATE_IN_BOTH")],
        ),
    ],
)
def test_each_mistake_is_named_by_its_field(
    values: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    assert codes(values) == expected


def test_ticket_hours_are_not_judged_by_office_hours_that_are_wrong_themselves() -> None:
    """A bad afternoon is the mistake to show, not the ticket hours it seems to cut short."""
    found = codes(
        {
            "office_hours": {"1": [["09:00", "12:00"], ["11:00", "17:00"]], "2": LUNCH},
            "ticket_hours": {"1": [["08:45", "16:30"]], "2": [["08:45", "17:30"]]},
        }
    )
    assert found == [
        ("office_hours.1.1", "SPANS_OVERLAP"),
        ("ticket_hours.2.0", "TICKET_HOURS_AFTER_CLOSING"),
    ]


def test_every_mistake_of_a_form_is_reported_at_once() -> None:
    found = codes(
        {
            "code": "X",
            "timezone": "Mars/Olympus",
            "office_hours": {"1": [["09:00", "25:00"]], "2": [["17:00", "09:00"]]},
            "closed_dates": ["tomorrow"],
        }
    )
    assert [code for _, code in found] == [
        "HALL_CODE_FORMAT",
        "TIMEZONE_UNKNOWN",
        "TIME_INVALID",
        "SPAN_EMPTY",
        "DATE_INVALID",
    ]


def test_messages_are_chinese_and_english_with_their_figures() -> None:
    for zh, en in FIELD_MESSAGES.values():
        assert zh and en and zh != en
    p = Problem("closed_dates", "TOO_MANY_DATES", {"max": 400})
    assert p.messages == ("最多 400 个日期", "At most 400 dates")
    assert p.as_dict()["code"] == "TOO_MANY_DATES"
    with pytest.raises(KeyError):
        Problem("x", "NO_SUCH_CODE")


def test_clock_times_must_exist() -> None:
    assert parse_clock("00:00") is not None and parse_clock("23:59") is not None
    for bad in ("24:00", "9:00", "09:0", "09-00", "０９:００", 900, None, "12:60"):
        assert parse_clock(bad) is None, bad


def test_saved_settings_are_put_in_order() -> None:
    out = normalised(
        {
            "closed_dates": ["2026-10-02", "2026-10-01"],
            "office_hours": {"3": [["09:00", "17:00"]], "1": LUNCH, "6": []},
        }
    )
    assert out["closed_dates"] == ["2026-10-01", "2026-10-02"]
    assert list(out["office_hours"]) == ["1", "3"]


def test_a_hall_closes_once_and_reopens_once() -> None:
    check_close(False)
    check_reopen(True)
    with pytest.raises(DomainError) as err:
        check_close(True)
    assert err.value.code == "HALL_ALREADY_CLOSED"
    with pytest.raises(DomainError) as err:
        check_reopen(False)
    assert err.value.code == "HALL_NOT_CLOSED"
