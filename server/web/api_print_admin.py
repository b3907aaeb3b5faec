"""The admin page of the hall's printers: status, alerts, and what they printed.

The fake and virtual printers of the demo keep what they printed; the page shows it
drawn from the very bytes the printer received, so the demo shows exactly what would
come out of a real printer. Admins sign in on the page itself (session cookie).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from printer.status import PrinterStatus
from server.devices import printing_demo
from server.devices.printing import HallsPrinting, PrintingSupervisor
from server.devices.printing_demo import SIMULATED
from server.devices.printing_text import MOMENTARY, PRINTER_STATE_TEXT
from server.errors import HubError
from server.services import accounts, device_alerts, device_status, halls
from server.services.accounts import Role, StaffPrincipal
from server.services.audit import Actor
from server.services.halls import hall_id

from .api_print import PrintingDep
from .auth import HubDep, client_address, current_staff, devices_hall, set_session_cookie

templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
router = APIRouter(prefix="/admin/printers", include_in_schema=False)

# The admin pages that share this sign-in, and the heading of their sign-in form.
ADMIN_PAGES = {
    "/admin/printers": ("打印机管理", "Printers"),
    "/admin/window-devices": ("窗口设备", "Window devices"),
    "/admin/audit": ("操作日志", "Audit log"),
}
SIMULATE_TEXT = {
    "ok": "恢复正常 / all well",
    "paper_near_end": "纸将用完 / paper near end",
    "paper_out": "缺纸 / paper out",
    "cover_open": "打开纸仓盖 / open the cover",
    "offline": "断开网络 / unplug (fake printer)",
}


def _admin(
    request: Request, hub: HubDep, printing: HallsPrinting | None
) -> tuple[StaffPrincipal, str | None, PrintingSupervisor | None]:
    """The signed-in admin, the hall whose printers the page shows (``?hall=`` for the
    installation's admin) and that hall's supervisor (None: the hall has no devices file)."""
    staff = current_staff(request, hub)
    if staff.role is not Role.ADMIN:
        raise HubError("FORBIDDEN", role=staff.role.value)
    configured = [c.hall for c in printing.halls.configs] if printing else []
    hall = devices_hall(hub, staff, request.query_params.get("hall"), configured)
    supervisor = printing.for_hall(hall) if printing and hall else None
    return staff, hall, supervisor


def _back(hall: str | None) -> str:
    return f"/admin/printers?hall={hall}" if hall else "/admin/printers"


def _login_page(
    request: Request, error: str = "", status: int = 401, next: str = "/admin/printers"
) -> HTMLResponse:
    """A refused sign-in goes back to the form of the page that asked for it."""
    page = next if next in ADMIN_PAGES else "/admin/printers"
    context = {"error": error, "next": page, "heading": ADMIN_PAGES[page]}
    return templates.TemplateResponse(
        request, "admin_printers_login.html", context, status_code=status
    )


def _printer_rows(
    supervisor: PrintingSupervisor,
    seen: dict[str, Any],
    alerts: list[dict[str, Any]],
    tz: ZoneInfo,
) -> list[dict[str, Any]]:
    """``seen``: the supervisor's shared view (its own, or the driving process's)."""
    assert supervisor.hardware is not None
    kiosks = supervisor.kiosk_of_printer()
    statuses = {k: PrinterStatus(**v) for k, v in seen["statuses"].items()}
    rows = []
    for config in supervisor.hardware.printer:
        status = statuses.get(config.id)
        state = status.state if status else "unknown"
        rows.append(
            {
                "config": config,
                "kiosk": kiosks.get(config.id),
                "state": state,
                "state_zh": PRINTER_STATE_TEXT[state][0],
                "state_en": PRINTER_STATE_TEXT[state][1],
                "near_end": bool(status and status.paper_near_end and state != "paper_near_end"),
                "error": (status.error if status else None) or seen["not_started"].get(config.id),
                "alerts": [a for a in alerts if a["device"] == config.id and a["active"]],
                "printed": [
                    {
                        "sequence": p.sequence,
                        "at": datetime.fromtimestamp(p.printed_at, UTC)
                        .astimezone(tz)
                        .strftime("%H:%M:%S"),
                    }
                    for p in printing_demo.printed(supervisor, config.id)
                ],
                "simulate": config.driver in ("fake", "virtual") and supervisor.leader,
            }
        )
    return rows


@router.get("", response_class=HTMLResponse)
def printers_page(request: Request, hub: HubDep, printing: PrintingDep) -> HTMLResponse:
    try:
        _, hall, supervisor = _admin(request, hub, printing)
    except HubError as err:
        return _login_page(request, err.message_zh if err.status == 403 else "", err.status)
    if supervisor is not None:
        problem = supervisor.problem
    elif printing is None:
        problem = "printing is not running"
    else:
        problem = (
            printing.problem or f"大厅 {hall} 没有设备配置 / hall {hall!r} has no devices file"
        )
    context: dict[str, Any] = {
        "supervisor": supervisor,
        "hall": hall,
        "halls": [c.hall for c in printing.halls.configs] if printing else [],
        "query": f"?hall={hall}" if hall else "",
        "problem": problem,
        "printers": [],
        "alerts": [],
        "simulate": SIMULATE_TEXT,
        "momentary": MOMENTARY,
        "holder": "",
        "shared": None,
    }
    if supervisor is not None and supervisor.hardware is not None:
        hid = hall_id(hub, supervisor.hardware.hall)
        tz = ZoneInfo(halls.hall_by_id(hub, hid).timezone)
        alerts = device_alerts.open_alerts(hub, hall_id=hid)
        if supervisor.leader:
            seen = supervisor.shared_view()
        else:
            # Another process drives the printers: show what it last reported.
            shared = device_status.read(hub, hall_id=hid, role="printers")
            seen = shared.data if shared else {"statuses": {}, "not_started": {}}
            if shared is not None:
                context["shared"] = {
                    "by": shared.owner,
                    "at": shared.updated_at.astimezone(tz).strftime("%H:%M:%S"),
                    "stale": shared.stale,
                }
        context["alerts"] = alerts
        context["printers"] = _printer_rows(supervisor, seen, alerts, tz)
    return templates.TemplateResponse(
        request, "admin_printers.html", context, headers={"Refresh": "5"}
    )


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    hub: HubDep,
    printing: PrintingDep,
    staff_no: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/admin/printers",
    hall: Annotated[str, Form()] = "",
) -> Response:
    # The hall asked for, else the first that has devices (a city's admin signs in at
    # /admin/login, which asks).
    configured = [c.hall for c in printing.halls.configs] if printing else []
    hall = hall or (configured[0] if configured else "demo")
    try:
        raw, staff = accounts.login(
            hub,
            hall_code=hall,
            staff_no=staff_no,
            password=password,
            window_number=None,
            actor=Actor.anonymous(client_address(request)),
        )
    except HubError as err:
        return _login_page(request, err.message_zh, err.status, next)
    if staff.role is not Role.ADMIN:
        return _login_page(request, "需要管理员账号 / an admin account is needed", 403, next)
    # Back to the admin page that asked; never anywhere else (no open redirect).
    target = next if next in ADMIN_PAGES else "/admin/printers"
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(response, hub, raw)
    return response


def _printer(supervisor: PrintingSupervisor | None, printer_id: str) -> PrintingSupervisor:
    if supervisor is None or printer_id not in supervisor.printers:
        raise HubError("PRINTER_NOT_FOUND", printer=printer_id)
    return supervisor


@router.get("/{printer_id}/printed/{sequence}.png")
def printed_image(
    printer_id: str, sequence: int, request: Request, hub: HubDep, printing: PrintingDep
) -> Response:
    _, _, supervisor = _admin(request, hub, printing)
    found = printing_demo.printed(_printer(supervisor, printer_id), printer_id, last=10_000)
    for image in found:
        if image.sequence == sequence:
            return Response(
                image.png(),
                media_type="image/png",
                headers={"Cache-Control": "private, max-age=3600"},
            )
    raise HubError("NOT_FOUND")


@router.post("/{printer_id}/simulate")
def simulate(
    printer_id: str,
    request: Request,
    hub: HubDep,
    printing: PrintingDep,
    condition: Annotated[str, Form()],
) -> Response:
    """Demo printers only: put one in a condition to watch the alerts and the failover."""
    _, hall, supervisor = _admin(request, hub, printing)
    if condition not in SIMULATED:
        raise HubError("INVALID_REQUEST", condition=condition)
    printing_demo.simulate(_printer(supervisor, printer_id), printer_id, condition)
    return RedirectResponse(_back(hall), status_code=303)


@router.post("/check")
async def check(request: Request, hub: HubDep, printing: PrintingDep) -> Response:
    """Ask every printer of the hall for its status now."""
    _, hall, supervisor = await asyncio.to_thread(_admin, request, hub, printing)
    if supervisor is not None:
        await supervisor.check_now()
    return RedirectResponse(_back(hall), status_code=303)
