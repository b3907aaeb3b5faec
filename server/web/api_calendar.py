"""The national calendar (法定节假日, 调休) year by year, its import from a table, and the
working days of a hall."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, File, Path, Query, Request, UploadFile

from server.services import calendar
from server.services.calendar import MAX_YEAR, MIN_YEAR
from server.services.calendar_import import MAX_BYTES
from server.services.halls import hall_id

from .auth import AdminDep, HubDep, InstallationAdminDep, SupervisorDep, actor_of, require_hall
from .schemas.base import HALL, SUPERVISOR, errors
from .schemas.bodies import CalendarYearIn
from .schemas.calendar import CalendarYear, HallYear, ImportReport, WorkingDayAnswer

router = APIRouter(prefix="/api/v1/admin", tags=["calendar"])
Year = Annotated[int, Path(ge=MIN_YEAR, le=MAX_YEAR)]
Region = Annotated[
    str,
    Query(max_length=32, description='"": installation-wide; else the halls of that region'),
]


@router.get("/calendar/{year}", response_model=CalendarYear, responses=errors(*SUPERVISOR))
def get_year(year: Year, hub: HubDep, staff: AdminDep) -> dict[str, Any]:
    """The year's 放假 and 上班 (调休) days, every region's."""
    return calendar.year_entries(hub, year=year)


@router.put(
    "/calendar/{year}",
    response_model=CalendarYear,
    responses=errors(*SUPERVISOR, "INSTALLATION_ADMIN_ONLY"),
)
def put_year(
    year: Year,
    body: CalendarYearIn,
    hub: HubDep,
    staff: InstallationAdminDep,
    request: Request,
    region: Region = "",
) -> dict[str, Any]:
    """The region's entries of the year become these, all of them or none."""
    items = [e.model_dump() for e in body.entries]
    return calendar.replace_year(
        hub, year=year, region=region, items=items, actor=actor_of(request, staff)
    )


@router.post(
    "/calendar/{year}/import",
    response_model=ImportReport,
    summary="Import a year from CSV or XLSX (日期, 类型(放假/上班), 名称); dry_run first",
    responses=errors(*SUPERVISOR, "INSTALLATION_ADMIN_ONLY", "CALENDAR_IMPORT_INVALID"),
)
def import_year(
    year: Year,
    hub: HubDep,
    staff: InstallationAdminDep,
    request: Request,
    file: Annotated[UploadFile, File(description="CSV (UTF-8 or GB18030) or XLSX")],
    dry_run: Annotated[bool, Query(description="check only: report every bad row")] = True,
    region: Region = "",
) -> dict[str, Any]:
    """A dry run answers the report: every bad row with its row number and column.
    Without it the year is replaced only if every row is right; otherwise nothing is
    saved and the answer is CALENDAR_IMPORT_INVALID with the same problems."""
    content = file.file.read(MAX_BYTES + 1)
    report = calendar.import_year(
        hub,
        year=year,
        region=region,
        filename=file.filename or "",
        content=content,
        dry_run=dry_run,
        actor=actor_of(request, staff),
    )
    return {**asdict(report), "ok": report.ok}


@router.get(
    "/halls/{hall}/calendar/{year}",
    response_model=HallYear,
    responses=errors(*HALL, *SUPERVISOR),
)
def hall_year(hall: str, year: Year, hub: HubDep, staff: AdminDep) -> dict[str, Any]:
    """The hall's year, day by day: working or not, and why."""
    hid = hall_id(hub, hall)
    require_hall(staff, hid)
    return calendar.hall_year(hub, hall_id=hid, year=year)


@router.get(
    "/halls/{hall}/working-days",
    response_model=WorkingDayAnswer,
    summary="The date N working days after a date, for this hall (承诺时限)",
    responses=errors(*HALL, *SUPERVISOR),
)
def working_days(
    hall: str,
    start: date,
    hub: HubDep,
    staff: SupervisorDep,
    days: Annotated[int, Query(ge=0, le=365)],
) -> dict[str, Any]:
    hid = hall_id(hub, hall)
    require_hall(staff, hid)
    found = calendar.add_working_days(hub, hall_id=hid, start=start, days=days)
    return {"hall": hall, "start": start.isoformat(), "days": days, "date": found.isoformat()}
