"""The national calendar's entries, typed in or read from a table: every bad cell named
by its row and column, the good ones in date order."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from server.domain.holidays import (
    MAX_ROWS,
    DayKind,
    HolidayEntry,
    check_entries,
    national_days,
    parse_day,
    read_table,
)

HEADER = ["日期", "类型(放假/上班)", "名称"]
CALENDARS = Path(__file__).resolve().parents[3] / "server" / "demo" / "calendars"


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-10-01", date(2026, 10, 1)),
        ("2026/10/1", date(2026, 10, 1)),
        ("2026.10.01", date(2026, 10, 1)),
        ("2026年10月1日", date(2026, 10, 1)),
        (" 2026-2-14 ", date(2026, 2, 14)),
        (datetime(2026, 2, 14, 0, 0), date(2026, 2, 14)),  # an XLSX date cell
        (date(2026, 2, 14), date(2026, 2, 14)),
        ("2026-02-30", None),
        ("26-10-01", None),
        ("10/01/2026", None),
        ("国庆", None),
        (20261001, None),
        (None, None),
    ],
)
def test_dates_as_people_type_them(text: object, day: date | None) -> None:
    assert parse_day(text) == day


def test_a_table_reads_into_entries_in_date_order() -> None:
    entries, problems = read_table(
        [HEADER, ["2026-02-15", "放假", "春节"], ["2026/2/14", "上班", "春节调休"], ["", "", ""]],
        2026,
    )
    assert problems == []
    assert entries == [
        HolidayEntry(date(2026, 2, 14), DayKind.WORKDAY, "春节调休"),
        HolidayEntry(date(2026, 2, 15), DayKind.HOLIDAY, "春节"),
    ]
    assert national_days(entries) == (
        frozenset({date(2026, 2, 15)}),
        frozenset({date(2026, 2, 14)}),
    )


def test_every_bad_row_is_reported_with_its_row_and_column() -> None:
    rows = [
        HEADER,
        ["2026-10-01", "放假", "国庆节"],  # row 2: right
        ["2026-10-32", "放假", "国庆节"],  # row 3: no such date
        ["2027-01-01", "放假", "元旦"],  # row 4: another year
        ["2026-10-01", "放假", "国庆节"],  # row 5: listed twice
        ["2026-10-12", "上班", "国庆节调休"],  # row 6: a Monday is no swapped working day
        ["2026-10-02", "休假吧", "国庆节"],  # row 7: no such kind
        ["2026-10-03", "放假", "国" * 51],  # row 8: name too long
        [],  # a blank line: skipped
        ["2026-10-04", "", ""],  # row 10: kind missing
    ]
    entries, problems = read_table(rows, 2026)
    assert [(p.row, p.field, p.code) for p in problems] == [
        (3, "date", "DATE_INVALID"),
        (4, "date", "DATE_OTHER_YEAR"),
        (5, "date", "DUPLICATE"),
        (6, "date", "WORKDAY_ON_WEEKDAY"),
        (7, "kind", "KIND_INVALID"),
        (8, "name", "TOO_LONG"),
        (10, "kind", "KIND_INVALID"),
    ]
    assert [e.day for e in entries] == [date(2026, 10, 1)]
    zh, en = problems[1].messages
    assert zh == "日期不在 2026 年" and en == "The date is not in 2026"


def test_a_table_without_its_columns_is_refused_whole() -> None:
    _, problems = read_table([["date", "name"], ["2026-10-01", "国庆节"]], 2026)
    assert [(p.row, p.field, p.code) for p in problems] == [(1, "kind", "COLUMN_MISSING")]
    assert problems[0].messages[0].startswith("缺少“类型”列")
    assert [p.code for p in read_table([], 2026)[1]] == ["FILE_EMPTY"]
    assert [p.code for p in read_table([HEADER], 2026)[1]] == ["FILE_EMPTY"]
    many = [HEADER] + [["2026-01-01", "放假", ""]] * (MAX_ROWS + 1)
    assert [p.code for p in read_table(many, 2026)[1]] == ["TOO_MANY_ROWS"]


def test_english_headers_and_kinds_are_read_too() -> None:
    entries, problems = read_table(
        [["Date", "Kind", "Name"], ["2026-05-09", "workday", "Labour Day swap"]], 2026
    )
    assert problems == [] and entries[0].kind is DayKind.WORKDAY


def test_entries_typed_in_are_checked_the_same_way() -> None:
    entries, problems = check_entries(
        [
            {"date": "2026-01-01", "kind": "holiday", "name": "元旦"},
            {"date": "2026-01-04", "kind": "workday", "name": ""},
            {"date": "2026-13-01", "kind": "holiday"},
            {"date": "2026-01-02", "kind": "weekend"},
        ],
        2026,
    )
    assert [(p.field, p.code) for p in problems] == [
        ("entries.2.date", "DATE_INVALID"),
        ("entries.3.kind", "KIND_INVALID"),
    ]
    assert len(entries) == 2


@pytest.mark.parametrize("name", ["2026.csv", "2027-example.csv"])
def test_the_shipped_calendars_read_without_a_problem(name: str) -> None:
    import csv

    year = int(name[:4])
    with (CALENDARS / name).open(encoding="utf-8") as f:
        rows: list[list[object]] = [list(r) for r in csv.reader(f)]
    entries, problems = read_table(rows, year)
    assert problems == []
    off, worked = national_days(entries)
    if year == 2026:
        # 国务院办公厅 2025-11-04: 元旦 3, 春节 9, 清明 3, 劳动节 5, 端午 3, 中秋 3, 国庆 7.
        assert len(off) == 33
        assert worked == {
            date(2026, 1, 4),
            date(2026, 2, 14),
            date(2026, 2, 28),
            date(2026, 5, 9),
            date(2026, 9, 20),
            date(2026, 10, 10),
        }
    else:
        assert all("示例" in e.name for e in entries)  # an example until the notice is out
