"""The national calendar: 法定节假日 (days off) and 调休 working days, year by year, as
the State Council's yearly notice (国务院办公厅关于某年部分节假日安排的通知) gives them.

An admin types a year once, or imports it as a table with the columns 日期, 类型
(放假/上班) and 名称. Every bad cell is reported with its row and column; a year is
saved whole or not at all (services/calendar.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType

from .fields import Problem


class DayKind(StrEnum):
    HOLIDAY = "holiday"  # 放假
    WORKDAY = "workday"  # 上班 (调休: a Saturday or Sunday worked)


KIND_WORDS: Mapping[str, DayKind] = MappingProxyType(
    {
        "放假": DayKind.HOLIDAY,
        "休息": DayKind.HOLIDAY,
        "休": DayKind.HOLIDAY,
        "假": DayKind.HOLIDAY,
        "holiday": DayKind.HOLIDAY,
        "上班": DayKind.WORKDAY,
        "班": DayKind.WORKDAY,
        "补班": DayKind.WORKDAY,
        "调休上班": DayKind.WORKDAY,
        "workday": DayKind.WORKDAY,
    }
)
KIND_TEXT: Mapping[DayKind, tuple[str, str]] = MappingProxyType(
    {DayKind.HOLIDAY: ("放假", "day off"), DayKind.WORKDAY: ("上班", "working day")}
)
# The import's columns: what the header may say (Chinese first), and the label reported.
COLUMNS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {"date": ("日期", "date"), "kind": ("类型", "kind", "type"), "name": ("名称", "name")}
)
COLUMN_LABELS: Mapping[str, str] = MappingProxyType(
    {"date": "日期", "kind": "类型", "name": "名称"}
)
NAME_MAX = 50
MAX_ROWS = 366


@dataclass(frozen=True, order=True)
class HolidayEntry:
    day: date
    kind: DayKind
    name: str = ""


def parse_day(value: object) -> date | None:
    """A date as people type it in a table: 2026-10-01, 2026/10/1, 2026.10.1 or
    2026年10月1日; or a spreadsheet's own date cell."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip().replace("年", "-").replace("月", "-").removesuffix("日")
    for sep in "/.":
        text = text.replace(sep, "-")
    parts = text.split("-")
    if len(parts) != 3 or len(parts[0]) != 4 or not all(p.isascii() and p.isdigit() for p in parts):
        return None
    if not (1 <= len(parts[1]) <= 2 and 1 <= len(parts[2]) <= 2):
        return None
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


def parse_kind(value: object) -> DayKind | None:
    if not isinstance(value, str):
        return None
    return KIND_WORDS.get(value.strip().lower())


def _check(
    raw_day: object, raw_kind: object, raw_name: object, year: int, seen: set[date]
) -> tuple[HolidayEntry | None, list[tuple[str, str, dict[str, object]]]]:
    """One entry's problems, as (column key, code, details)."""
    found: list[tuple[str, str, dict[str, object]]] = []
    day = parse_day(raw_day)
    kind = parse_kind(raw_kind)
    name = "" if raw_name is None else str(raw_name).strip()
    shown = "" if raw_day is None else str(raw_day)
    if day is None:
        found.append(("date", "DATE_INVALID", {"value": shown}))
    elif day.year != year:
        found.append(("date", "DATE_OTHER_YEAR", {"value": shown, "year": year}))
    elif day in seen:
        found.append(("date", "DUPLICATE", {"value": shown}))
    if kind is None:
        found.append(("kind", "KIND_INVALID", {"value": "" if raw_kind is None else str(raw_kind)}))
    elif kind is DayKind.WORKDAY and day is not None and day.isoweekday() < 6:
        found.append(("date", "WORKDAY_ON_WEEKDAY", {"value": shown}))
    if len(name) > NAME_MAX:
        found.append(("name", "TOO_LONG", {"max": NAME_MAX}))
    if found or day is None or kind is None:
        return None, found
    seen.add(day)
    return HolidayEntry(day, kind, name), []


def check_entries(
    items: Sequence[Mapping[str, object]], year: int
) -> tuple[list[HolidayEntry], list[Problem]]:
    """A year's entries as the API gives them: ``[{"date", "kind", "name"}, ...]``."""
    entries: list[HolidayEntry] = []
    problems: list[Problem] = []
    if len(items) > MAX_ROWS:
        return [], [Problem("entries", "TOO_MANY_ROWS", {"max": MAX_ROWS})]
    seen: set[date] = set()
    for n, item in enumerate(items):
        entry, found = _check(item.get("date"), item.get("kind"), item.get("name"), year, seen)
        problems += [Problem(f"entries.{n}.{key}", code, details) for key, code, details in found]
        if entry is not None:
            entries.append(entry)
    return sorted(entries), problems


def _columns(header: Sequence[object]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, cell in enumerate(header):
        text = "" if cell is None else str(cell).strip().lower()
        for key, words in COLUMNS.items():
            if key not in found and text and any(text.startswith(w) for w in words):
                found[key] = i
    return found


def _cell(row: Sequence[object], index: int | None) -> object:
    if index is None or index >= len(row):
        return None
    value = row[index]
    return None if isinstance(value, str) and not value.strip() else value


def read_table(
    rows: Sequence[Sequence[object]], year: int
) -> tuple[list[HolidayEntry], list[Problem]]:
    """A table's rows, the first naming the columns. Problems carry the row number a
    spreadsheet shows (the header is row 1) and the column's key; blank rows are skipped."""
    if not rows or not any(_cell(rows[0], i) is not None for i in range(len(rows[0]))):
        return [], [Problem("file", "FILE_EMPTY", row=1)]
    columns = _columns(rows[0])
    missing = [
        Problem(key, "COLUMN_MISSING", {"column": COLUMN_LABELS[key]}, row=1)
        for key in ("date", "kind")
        if key not in columns
    ]
    if missing:
        return [], missing
    data = [
        (number, row)
        for number, row in enumerate(rows[1:], start=2)
        if any(_cell(row, i) is not None for i in range(len(row)))
    ]
    if not data:
        return [], [Problem("file", "FILE_EMPTY", row=2)]
    if len(data) > MAX_ROWS:
        return [], [Problem("file", "TOO_MANY_ROWS", {"max": MAX_ROWS}, row=data[MAX_ROWS][0])]
    entries: list[HolidayEntry] = []
    problems: list[Problem] = []
    seen: set[date] = set()
    for number, row in data:
        entry, found = _check(
            _cell(row, columns["date"]),
            _cell(row, columns["kind"]),
            _cell(row, columns.get("name")),
            year,
            seen,
        )
        problems += [Problem(key, code, details, row=number) for key, code, details in found]
        if entry is not None:
            entries.append(entry)
    return sorted(entries), problems


def national_days(entries: Sequence[HolidayEntry]) -> tuple[frozenset[date], frozenset[date]]:
    """(days off, working days) for calendar.HallCalendar."""
    return (
        frozenset(e.day for e in entries if e.kind is DayKind.HOLIDAY),
        frozenset(e.day for e in entries if e.kind is DayKind.WORKDAY),
    )
