"""The national calendar and a hall's working days, as the admin endpoints answer."""

from __future__ import annotations

from pydantic import Field

from .base import Out


class CalendarEntry(Out):
    date: str = Field(description="YYYY-MM-DD")
    kind: str = Field(description="holiday (放假) | workday (上班, 调休)")
    kind_zh: str
    kind_en: str
    name: str = Field(description="e.g. 春节")
    region: str = Field(description='"": installation-wide')


class CalendarYear(Out):
    year: int
    years: list[int] = Field(description="every year that has entries")
    entries: list[CalendarEntry]


class ImportProblem(Out):
    row: int | None = Field(description="as the spreadsheet numbers it: the header is row 1")
    field: str = Field(description="date | kind | name, or file")
    column: str = Field(description="the column's name: 日期, 类型, 名称")
    code: str
    value: str = Field(description="what the cell held")
    message_zh: str
    message_en: str


class ImportReport(Out):
    year: int
    region: str
    dry_run: bool
    saved: bool = Field(description="the year was replaced by the file's entries")
    ok: bool = Field(description="no problems: the file can be imported as it is")
    entries: list[CalendarEntry] = Field(description="the rows read without a problem")
    problems: list[ImportProblem]


class HallDay(Out):
    date: str
    working: bool
    source: str = Field(
        description="hall (its own exception) | holiday | workday (national calendar) | weekday"
    )
    name: str


class HallYear(Out):
    hall: str
    year: int
    version: int = Field(description="the hall's settings version, for editing its exceptions")
    days: list[HallDay]


class WorkingDayAnswer(Out):
    hall: str
    start: str
    days: int
    date: str = Field(description="the date that many working days after start")
