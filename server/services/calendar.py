"""Working days: the national calendar (法定节假日, 调休), each hall's exceptions, and the
questions asked of both (is a date a working day for a hall; N working days from a date).

The national calendar is kept a year at a time, written whole: a year typed in, or
imported from a table (calendar_import.py), replaces the year's entries of its region.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from server.domain import deadlines
from server.domain.calendar import HallCalendar
from server.domain.fields import Problem
from server.domain.holidays import KIND_TEXT, DayKind, HolidayEntry, check_entries, read_table
from server.errors import HubError
from server.store import halls as hall_store
from server.store import holidays as store
from server.store import tables as t
from server.store.db import Session

from . import audit, calendar_import
from .audit import Actor
from .hub import Hub

MIN_YEAR, MAX_YEAR = 2000, 2100


def calendar_between(s: Session, hall: t.Hall, first: date, last: date) -> HallCalendar:
    """The hall's calendar, knowing the national entries from ``first`` to ``last``."""
    return hall_store.calendar_of(hall, store.entries_for(s, hall.region, first, last))


def calendar_now(s: Session, hall: t.Hall, now: datetime) -> HallCalendar:
    """The hall's calendar for questions about today (may a ticket be issued now)."""
    day = hall_store.calendar_of(hall).business_day(now)
    return calendar_between(s, hall, day, day)


def check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise HubError(
            "INVALID_REQUEST",
            fields=[
                Problem(
                    "year",
                    "TOO_SMALL" if year < MIN_YEAR else "TOO_LARGE",
                    {"min": MIN_YEAR, "max": MAX_YEAR},
                ).as_dict()
            ],
        )


def invalid(problems: Sequence[Problem]) -> HubError:
    return HubError("INVALID_REQUEST", fields=[p.as_dict() for p in problems])


def entry_dict(entry: HolidayEntry, region: str = "") -> dict[str, Any]:
    zh, en = KIND_TEXT[entry.kind]
    return {
        "date": entry.day.isoformat(),
        "kind": entry.kind.value,
        "kind_zh": zh,
        "kind_en": en,
        "name": entry.name,
        "region": region,
    }


def year_entries(hub: Hub, *, year: int) -> dict[str, Any]:
    """Every region's entries of ``year``, by date, and the years that have any."""
    check_year(year)
    with hub.db.read() as s:
        rows = store.year_rows(s, year)
        known = store.years(s)
    return {
        "year": year,
        "years": known,
        "entries": [
            entry_dict(HolidayEntry(r.day, DayKind(r.kind), r.name), r.region) for r in rows
        ],
    }


def _save_year(
    s: Session,
    hub: Hub,
    *,
    year: int,
    region: str,
    entries: Sequence[HolidayEntry],
    actor: Actor,
    action: str,
) -> None:
    """The region's year replaced, with the audit entry of the days that changed (by
    date: what the day was before, what it is now; a day added or removed is None on
    the side that lacks it)."""

    def days(rows: Sequence[HolidayEntry]) -> dict[str, Any]:
        return {e.day.isoformat(): {"kind": e.kind.value, "name": e.name} for e in rows}

    before = days(
        [
            HolidayEntry(r.day, DayKind(r.kind), r.name)
            for r in store.year_rows(s, year)
            if r.region == region
        ]
    )
    store.replace_year(s, year, region, entries)
    audit.record_change(
        s,
        at=hub.now(),
        actor=actor,
        hall_id=None,
        action=action,
        entity_kind="calendar",
        entity_key=f"{year}/{region}" if region else str(year),
        before=before,
        after=days(entries),
    )


def replace_year(
    hub: Hub, *, year: int, region: str, items: Sequence[Mapping[str, object]], actor: Actor
) -> dict[str, Any]:
    """The region's entries of ``year`` become ``items``, or nothing changes."""
    check_year(year)
    entries, problems = check_entries(items, year)
    if problems:
        raise invalid(problems)

    def work(s: Session) -> None:
        _save_year(
            s,
            hub,
            year=year,
            region=region,
            entries=entries,
            actor=actor,
            action="calendar.replace",
        )

    hub.db.write(work)
    return year_entries(hub, year=year)


@dataclass
class ImportReport:
    year: int
    region: str
    dry_run: bool
    saved: bool
    entries: list[dict[str, Any]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _report_problem(p: Problem) -> dict[str, Any]:
    zh, en = p.messages
    return {
        "row": p.row,
        "field": p.field,
        "column": calendar_import.column_label(p.field),
        "code": p.code,
        "value": str(p.details.get("value", "")),
        "message_zh": zh,
        "message_en": en,
    }


def import_year(
    hub: Hub,
    *,
    year: int,
    region: str,
    filename: str,
    content: bytes,
    dry_run: bool,
    actor: Actor,
) -> ImportReport:
    """Check a table of the year (CSV or XLSX: 日期, 类型, 名称); unless ``dry_run``,
    save it whole, and only if every row is right (HubError CALENDAR_IMPORT_INVALID
    with the report's problems otherwise)."""
    check_year(year)
    rows, problem = calendar_import.read_rows(filename, content)
    entries, problems = ([], [problem]) if problem else read_table(rows, year)
    report = ImportReport(
        year=year,
        region=region,
        dry_run=dry_run,
        saved=False,
        entries=[entry_dict(e, region) for e in entries],
        problems=[_report_problem(p) for p in problems],
    )
    if dry_run:
        return report
    if problems:
        raise HubError("CALENDAR_IMPORT_INVALID", problems=report.problems)

    def work(s: Session) -> None:
        _save_year(
            s,
            hub,
            year=year,
            region=region,
            entries=entries,
            actor=actor,
            action="calendar.import",
        )

    hub.db.write(work)
    report.saved = True
    return report


# ---- questions about a hall's working days ---------------------------------------------


def is_working_day(hub: Hub, *, hall_id: int, day: date) -> bool:
    with hub.db.read() as s:
        hall = hall_store.hall_by_id(s, hall_id)
        return calendar_between(s, hall, day, day).is_open_day(day)


def add_working_days(hub: Hub, *, hall_id: int, start: date, days: int) -> date:
    """The due date of ``days`` working days from ``start`` for this hall (承诺时限): the
    rule cases are timed by (domain/deadlines.py), so a working day even for 0 days."""
    # Enough national entries for any hall that works at least one day a week.
    last = start + timedelta(days=7 * days + 60)
    with hub.db.read() as s:
        hall = hall_store.hall_by_id(s, hall_id)
        calendar = calendar_between(s, hall, start, last)
    return deadlines.deadline(calendar, start, days)


def hall_year(hub: Hub, *, hall_id: int, year: int) -> dict[str, Any]:
    """The hall's year, day by day: whether it works, and why (its own exception, the
    national calendar's entry, or the weekday)."""
    check_year(year)
    first, last = date(year, 1, 1), date(year, 12, 31)
    with hub.db.read() as s:
        hall = hall_store.hall_by_id(s, hall_id)
        national = {e.day: e for e in store.entries_for(s, hall.region, first, last)}
        calendar = calendar_between(s, hall, first, last)
    days = []
    day = first
    while day <= last:
        if day in calendar.closed_dates or day in calendar.open_dates:
            source, name = "hall", ""
        elif day in national:
            source, name = national[day].kind.value, national[day].name
        else:
            source, name = "weekday", ""
        days.append(
            {
                "date": day.isoformat(),
                "working": calendar.is_open_day(day),
                "source": source,
                "name": name,
            }
        )
        day += timedelta(days=1)
    return {"hall": hall.code, "year": year, "version": hall.version, "days": days}
