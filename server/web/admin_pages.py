"""The admin pages of halls (/admin/halls) and of the national calendar (/admin/calendar).

Server-rendered; their forms post to the JSON API (admin_halls.js, admin_calendar.js),
so a page, the API and a script meet the same rules and the same errors. Admins sign in
on the page itself (the session cookie the other admin pages use).
"""

from __future__ import annotations

import calendar as months
import csv
import io
import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from server.domain.errors import DomainError
from server.errors import HubError
from server.services import accounts, admin, halls
from server.services import calendar as working_days
from server.services.accounts import Role, StaffPrincipal
from server.services.audit import Actor
from server.services.calendar import MAX_YEAR, MIN_YEAR

from .auth import HubDep, client_address, current_staff, require_hall, set_session_cookie
from .errors import DOMAIN_STATUS

templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
router = APIRouter(include_in_schema=False)

# Where the sign-in may send the admin back to: these pages, nowhere else.
_NEXT = re.compile(
    r"^/admin/(halls(/[a-z0-9-]{1,32})?|calendar|departments|catalogue"
    r"|items(/[A-Za-z0-9][A-Za-z0-9_.-]{0,40})?|attachments|life-events"
    r"|queues|windows|staff|devices)"
    r"(\?hall=[a-z0-9-]{1,32})?$"
)
WEEKDAYS = (
    (1, "周一", "Mon"),
    (2, "周二", "Tue"),
    (3, "周三", "Wed"),
    (4, "周四", "Thu"),
    (5, "周五", "Fri"),
    (6, "周六", "Sat"),
    (7, "周日", "Sun"),
)
PRIORITY_CLASSES = (("normal", "普通", "normal"), ("green", "绿色通道", "green channel"),
                    ("appointment", "预约", "appointment"))  # fmt: skip


def _admin(request: Request, hub: HubDep) -> StaffPrincipal:
    staff = current_staff(request, hub)
    if staff.role is not Role.ADMIN:
        raise HubError("FORBIDDEN", role=staff.role.value)
    return staff


def _login_page(
    request: Request, hub: HubDep, err: HubError | DomainError, next_page: str, hall: str = ""
) -> HTMLResponse:
    """The sign-in form; a signed-in admin of the wrong kind is told why (403), a locked
    account that it is locked (423)."""
    codes = halls.hall_codes(hub)
    status = err.status if isinstance(err, HubError) else DOMAIN_STATUS.get(err.code, 409)
    return templates.TemplateResponse(
        request,
        "admin_printers_login.html",
        {
            "error": err.message_zh if status != 401 or err.code == "BAD_CREDENTIALS" else "",
            "next": next_page,
            "heading": ("大厅管理", "Hall administration"),
            "action": "/admin/login",
            "halls": codes,
            # A new installation has no hall yet: its admin signs in without one.
            "installation_choice": True,
            "hall": hall if hall is not None else (codes[0] if codes else ""),
        },
        status_code=status,
    )


@router.post("/admin/login", response_class=HTMLResponse)
def login(
    request: Request,
    hub: HubDep,
    staff_no: Annotated[str, Form(max_length=32)],
    password: Annotated[str, Form(max_length=200)],
    next: Annotated[str, Form(max_length=60)] = "/admin/halls",
    hall: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    target = next if _NEXT.match(next) else "/admin/halls"
    try:
        raw, staff = accounts.login(
            hub,
            hall_code=hall,
            staff_no=staff_no,
            password=password,
            window_number=None,
            actor=Actor.anonymous(client_address(request)),
        )
    except (HubError, DomainError) as err:
        told = isinstance(err, HubError) or err.code == "ACCOUNT_LOCKED"
        failed: HubError | DomainError = err if told else HubError("BAD_CREDENTIALS")
        return _login_page(request, hub, failed, target, hall)
    if staff.role is not Role.ADMIN:
        return _login_page(request, hub, HubError("FORBIDDEN"), target, hall)
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(response, hub, raw)
    return response


def _base(staff: StaffPrincipal) -> dict[str, Any]:
    return {"staff": staff, "installation": staff.hall_id is None}


@router.get("/admin/halls", response_class=HTMLResponse)
def halls_page(request: Request, hub: HubDep) -> Response:
    try:
        staff = _admin(request, hub)
    except HubError as err:
        return _login_page(request, hub, err, "/admin/halls")
    ids = None if staff.hall_id is None else [staff.hall_id]
    rows = admin.hall_rows(hub, hall_ids=ids)
    return templates.TemplateResponse(
        request, "admin_halls.html", {**_base(staff), "halls": rows, "weekdays": WEEKDAYS}
    )


def _form(
    request: Request, staff: StaffPrincipal, row: dict[str, Any], *, creating: bool
) -> Response:
    config = {
        "mode": "create" if creating else "edit",
        "code": row["code"],
        "version": row.get("version"),
        "api": "/api/v1/admin/halls",
    }
    return templates.TemplateResponse(
        request,
        "admin_hall_form.html",
        {
            **_base(staff),
            "hall": row,
            "creating": creating,
            "config": config,
            "weekdays": WEEKDAYS,
            "classes": PRIORITY_CLASSES,
            "saved": request.query_params.get("saved") == "1",
        },
    )


@router.get("/admin/halls/new", response_class=HTMLResponse)
def new_hall_page(request: Request, hub: HubDep) -> Response:
    try:
        staff = _admin(request, hub)
        if staff.hall_id is not None:
            raise HubError("INSTALLATION_ADMIN_ONLY")
    except HubError as err:
        return _login_page(request, hub, err, "/admin/halls")
    return _form(request, staff, admin.hall_defaults(), creating=True)


@router.get("/admin/halls/{code}", response_class=HTMLResponse)
def hall_page(request: Request, hub: HubDep, code: str) -> Response:
    next_page = f"/admin/halls/{code}" if _NEXT.match(f"/admin/halls/{code}") else "/admin/halls"
    try:
        staff = _admin(request, hub)
        hid = halls.hall_id(hub, code)
        require_hall(staff, hid)
    except HubError as err:
        return _login_page(request, hub, err, next_page)
    return _form(request, staff, admin.hall_row(hub, hall_id=hid), creating=False)


def _month_grids(year: int, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_day: dict[str, list[dict[str, Any]]] = {}
    for e in entries:
        by_day.setdefault(e["date"], []).append(e)
    grids = []
    for month in range(1, 13):
        weeks = []
        for week in months.Calendar(firstweekday=0).monthdatescalendar(year, month):
            cells = []
            for day in week:
                found = by_day.get(day.isoformat(), []) if day.month == month else []
                cells.append(
                    {
                        "day": day.day if day.month == month else None,
                        "date": day.isoformat(),
                        "weekend": day.isoweekday() >= 6,
                        "kind": found[0]["kind"] if found else None,
                        "name": " / ".join(e["name"] or e["kind_zh"] for e in found),
                        "regional": any(e["region"] for e in found),
                    }
                )
            weeks.append(cells)
        grids.append({"month": month, "weeks": weeks})
    return grids


def _year(raw: str | None, today: date) -> int:
    if raw and raw.isdigit() and MIN_YEAR <= int(raw) <= MAX_YEAR:
        return int(raw)
    return today.year


@router.get("/admin/calendar", response_class=HTMLResponse)
def calendar_page(request: Request, hub: HubDep) -> Response:
    try:
        staff = _admin(request, hub)
    except HubError as err:
        return _login_page(request, hub, err, "/admin/calendar")
    today = hub.now().date()
    year = _year(request.query_params.get("year"), today)
    data = working_days.year_entries(hub, year=year)
    years = sorted(set(data["years"]) | {today.year, today.year + 1, year})
    return templates.TemplateResponse(
        request,
        "admin_calendar.html",
        {
            **_base(staff),
            "year": year,
            "years": years,
            "entries": data["entries"],
            "grids": _month_grids(year, data["entries"]),
            "weekdays": WEEKDAYS,
            "config": {"year": year, "api": f"/api/v1/admin/calendar/{year}"},
            "example": any("示例" in e["name"] for e in data["entries"]),
            "imported": request.query_params.get("imported", ""),
        },
    )


@router.get("/admin/calendar/{year}.csv")
def calendar_csv(request: Request, hub: HubDep, year: int) -> Response:
    """The year as a table the import reads back (日期, 类型, 名称), for Excel (BOM)."""
    _admin(request, hub)
    data = working_days.year_entries(hub, year=year)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["日期", "类型", "名称"])
    for e in data["entries"]:
        if not e["region"]:
            writer.writerow([e["date"], e["kind_zh"], e["name"]])
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="calendar-{year}.csv"'},
    )
