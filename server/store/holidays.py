"""The national calendar (HolidayCalendar rows): 法定节假日 and 调休 working days."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlmodel import Session, col, delete, select

from server.domain.holidays import DayKind, HolidayEntry

from . import tables as t


def _entry(row: t.HolidayCalendar) -> HolidayEntry:
    return HolidayEntry(row.day, DayKind(row.kind), row.name)


def year_rows(s: Session, year: int) -> list[t.HolidayCalendar]:
    """Every region's entries of ``year``, by date."""
    return list(
        s.exec(
            select(t.HolidayCalendar)
            .where(
                col(t.HolidayCalendar.day) >= date(year, 1, 1),
                col(t.HolidayCalendar.day) <= date(year, 12, 31),
            )
            .order_by(col(t.HolidayCalendar.day), col(t.HolidayCalendar.region))
        )
    )


def entries_for(s: Session, region: str, first: date, last: date) -> list[HolidayEntry]:
    """The entries that apply to a hall of ``region`` from ``first`` to ``last``: the
    installation-wide ones, and the region's own, which win on the same date."""
    rows = s.exec(
        select(t.HolidayCalendar).where(
            col(t.HolidayCalendar.day) >= first,
            col(t.HolidayCalendar.day) <= last,
            col(t.HolidayCalendar.region).in_(sorted({"", region})),
        )
    )
    by_day: dict[date, t.HolidayCalendar] = {}
    for row in sorted(rows, key=lambda r: (r.day, r.region != "")):
        by_day[row.day] = row
    return [_entry(row) for _, row in sorted(by_day.items())]


def years(s: Session) -> list[int]:
    """The years that have entries, in order."""
    days = s.exec(select(col(t.HolidayCalendar.day)).distinct())
    return sorted({d.year for d in days})


def replace_year(s: Session, year: int, region: str, entries: Sequence[HolidayEntry]) -> None:
    """The region's entries of ``year`` become ``entries``, all at once."""
    s.execute(
        delete(t.HolidayCalendar).where(
            col(t.HolidayCalendar.region) == region,
            col(t.HolidayCalendar.day) >= date(year, 1, 1),
            col(t.HolidayCalendar.day) <= date(year, 12, 31),
        )
    )
    s.flush()
    s.add_all(
        t.HolidayCalendar(day=e.day, kind=e.kind.value, name=e.name, region=region) for e in entries
    )
    s.flush()
