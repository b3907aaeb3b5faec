"""The hall's window buses as supervisors and admins see them: each bus online or not,
its line quality, each keypad and rating pad; and, for simulated buses, the devices
themselves, with their keys, so the demo can be driven from a browser.

Only the hub process that owns the buses has their figures; another process says so.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from server.devices.window_devices import ROLE, WindowDevices
from server.devices.window_sim import KEYPAD_KEYS, BadPress, UnknownDevice
from server.devices.windowbus.protocol import RatingLevel, RatingReason
from server.errors import HubError
from server.services import device_status, halls
from server.services.accounts import Role, StaffPrincipal
from server.services.halls import hall_id
from server.services.hub import Hub

from .auth import HubDep, SupervisorDep, current_staff, devices_hall, require_hall
from .schemas.base import HALL, SUPERVISOR, errors
from .schemas.devices import WindowDevicesStatus

templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
router = APIRouter()
PAGE = "/admin/window-devices"

RATING_KEYS = (
    (5, "非常满意", "very satisfied"),
    (4, "满意", "satisfied"),
    (3, "基本满意", "basically satisfied"),
    (2, "不满意", "dissatisfied"),
    (1, "非常不满意", "very dissatisfied"),
)
assert {level for level, _, _ in RATING_KEYS} == {int(level) for level in RatingLevel}
REASONS = (
    (1, "服务态度", "attitude"),
    (2, "办事效率", "efficiency"),
    (3, "办事指南/材料", "guide or materials"),
    (4, "多次跑动", "repeat trips"),
    (5, "超时未办结", "not finished in time"),
    (6, "其他", "other"),
)
assert {reason for reason, _, _ in REASONS} == {int(reason) for reason in RatingReason}


def get_window_devices(request: Request) -> dict[str, WindowDevices]:
    """Every hall's window buses this hub started, by hall code."""
    devices: dict[str, WindowDevices] = getattr(request.app.state, "window_devices", None) or {}
    return devices


WindowDevicesDep = Annotated[dict[str, WindowDevices], Depends(get_window_devices)]


def _local(moment: str | None, tz: ZoneInfo) -> str | None:
    return datetime.fromisoformat(moment).astimezone(tz).strftime("%H:%M:%S") if moment else None


def status(hub: Hub, devices: WindowDevices | None) -> dict[str, Any]:
    """The hall's buses: live in the process that drives them (``owner``), otherwise
    as that process last reported them (``stale`` when it stopped reporting)."""
    out: dict[str, Any] = {
        "configured": devices is not None,
        "owner": False,
        "source": None,
        "reported_at": None,
        "reported_by": None,
        "stale": False,
        "buses": [],
        "simulated": [],
    }
    if devices is None:
        return out
    live = devices.live_status()
    if live is not None:
        return {**out, **live, "owner": True, "source": "live"}
    shared = device_status.read(hub, hall_id=hall_id(hub, devices.hall_code), role=ROLE)
    if shared is None:
        return out
    return {
        **out,
        **shared.data,
        "source": "shared",
        "reported_at": shared.updated_at.isoformat(timespec="seconds"),
        "reported_by": shared.owner,
        "stale": shared.stale,
    }


@router.get(
    "/api/v1/halls/{hall}/window-devices",
    tags=["devices"],
    summary="The hall's window buses: online, line quality, keypads and rating pads",
    response_model=WindowDevicesStatus,
    responses=errors(*HALL, *SUPERVISOR),
)
def window_devices_status(
    hall: str, hub: HubDep, staff: SupervisorDep, devices: WindowDevicesDep
) -> dict[str, Any]:
    hid = hall_id(hub, hall)
    require_hall(staff, hid)
    return status(hub, devices.get(hall))


def _admin(
    request: Request, hub: HubDep, devices: dict[str, WindowDevices]
) -> tuple[StaffPrincipal, str | None, WindowDevices | None]:
    """The signed-in admin, the hall the page shows (``?hall=`` for the installation's
    admin) and that hall's buses (None: it has none)."""
    staff = current_staff(request, hub)
    if staff.role is not Role.ADMIN:
        raise HubError("FORBIDDEN", role=staff.role.value)
    hall = devices_hall(hub, staff, request.query_params.get("hall"), sorted(devices))
    return staff, hall, devices.get(hall) if hall else None


@router.get(PAGE, response_class=HTMLResponse, include_in_schema=False)
def window_devices_page(request: Request, hub: HubDep, buses: WindowDevicesDep) -> Response:
    try:
        _, hall, devices = _admin(request, hub, buses)
    except HubError as err:
        return templates.TemplateResponse(
            request,
            "admin_printers_login.html",
            {
                "error": err.message_zh if err.status == 403 else "",
                "next": PAGE,
                "heading": ("窗口设备", "Window devices"),
            },
            status_code=err.status,
        )
    state = status(hub, devices)
    if devices is not None:
        tz = ZoneInfo(halls.hall_by_code(hub, devices.hall_code).timezone)
        for bus in state["buses"]:
            for device in bus["devices"]:
                device["last_seen_local"] = _local(device["last_seen"], tz)
        state["reported_at_local"] = _local(state["reported_at"], tz)
    context = {
        "status": state,
        "hall": hall,
        "halls": sorted(buses),
        "query": f"?hall={hall}" if hall else "",
        "keypad_keys": KEYPAD_KEYS,
        "rating_keys": RATING_KEYS,
        "reasons": REASONS,
    }
    return templates.TemplateResponse(
        request, "admin_window_devices.html", context, headers={"Refresh": "3"}
    )


@router.post(PAGE + "/{bus_id}/{address}/press", include_in_schema=False)
async def press(
    bus_id: str,
    address: int,
    request: Request,
    hub: HubDep,
    buses: WindowDevicesDep,
    key: Annotated[str, Form(max_length=8)],
) -> Response:
    """A key pressed on a simulated keypad or rating pad (demo and training)."""
    _, hall, devices = await asyncio.to_thread(_admin, request, hub, buses)
    simulated = devices.simulated if devices is not None else None
    if simulated is None:
        raise HubError("DEVICE_NOT_SIMULATED", bus=bus_id, address=address)
    try:
        await simulated.press(bus_id, address, key)
    except UnknownDevice:
        raise HubError("DEVICE_NOT_SIMULATED", bus=bus_id, address=address) from None
    except BadPress:
        raise HubError("DEVICE_KEY_INVALID", key=key) from None
    return RedirectResponse(f"{PAGE}?hall={hall}" if hall else PAGE, status_code=303)
