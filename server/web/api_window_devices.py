"""The hall's window buses as supervisors and admins see them: each bus online or not,
its line quality, each keypad and rating pad; and, for simulated buses, the devices
themselves, with their keys, so the demo can be driven from a browser.

Only the hub process that owns the buses has their figures; another process says so.
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, cast
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from server.devices.window_devices import WindowDevices
from server.devices.window_sim import KEYPAD_KEYS, BadPress, UnknownDevice
from server.devices.windowbus.protocol import RatingLevel, RatingReason
from server.errors import HubError
from server.services.accounts import Role, StaffPrincipal
from server.store import repositories as repo

from .auth import HubDep, SupervisorDep, current_staff, require_hall
from .halls import hall_id

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


def get_window_devices(request: Request) -> WindowDevices | None:
    devices: WindowDevices | None = getattr(request.app.state, "window_devices", None)
    return devices


WindowDevicesDep = Annotated[WindowDevices | None, Depends(get_window_devices)]


def _clock(moment: float | None) -> str | None:
    if moment is None:
        return None
    return datetime.fromtimestamp(moment, UTC).isoformat(timespec="seconds")


def status(devices: WindowDevices | None) -> dict[str, Any]:
    """The buses of this process: ``owner`` False when another process drives them."""
    adapter = devices.adapter if devices is not None else None
    out: dict[str, Any] = {
        "configured": devices is not None,
        "owner": adapter is not None,
        "buses": [],
        "simulated": [],
    }
    if adapter is None:
        return out
    for stats in adapter.stats():
        bus: dict[str, Any] = stats.as_dict()
        line = stats.line
        bus["line"] = {
            **line.as_dict(),
            "frames_rejected": line.frames_rejected,
            "drop_ratio": round(line.drop_ratio, 4),
        }
        for device in cast(list[dict[str, Any]], bus["devices"]):
            device["last_seen"] = _clock(device["last_seen"])
            device["last_push"] = _clock(device["last_push"])
        out["buses"].append(bus)
    simulated = devices.simulated if devices is not None else None
    if simulated is not None:
        out["simulated"] = [
            {
                "bus": d.bus_id,
                "window": d.window,
                **{k: v for k, v in asdict(d.view).items() if k != "kind"},
                "kind": d.view.kind.config_name,
            }
            for d in simulated.devices()
        ]
    return out


@router.get(
    "/api/v1/halls/{hall}/window-devices",
    tags=["devices"],
    summary="The hall's window buses: online, line quality, keypads and rating pads",
)
def window_devices_status(
    hall: str, hub: HubDep, staff: SupervisorDep, devices: WindowDevicesDep
) -> dict[str, Any]:
    hid = hall_id(hub, hall)
    require_hall(staff, hid)
    if devices is not None and devices.hall_code != hall:
        devices = None  # this installation's buses belong to another hall
    return status(devices)


def _admin(request: Request, hub: HubDep, devices: WindowDevices | None) -> StaffPrincipal:
    staff = current_staff(request, hub)
    if staff.role is not Role.ADMIN:
        raise HubError("FORBIDDEN", role=staff.role.value)
    if devices is not None:
        require_hall(staff, hall_id(hub, devices.hall_code))
    return staff


@router.get(PAGE, response_class=HTMLResponse, include_in_schema=False)
def window_devices_page(request: Request, hub: HubDep, devices: WindowDevicesDep) -> Response:
    try:
        _admin(request, hub, devices)
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
    state = status(devices)
    if devices is not None:
        with hub.db.read() as s:
            tz = ZoneInfo(repo.hall_by_code(s, devices.hall_code).timezone)
        for bus in state["buses"]:
            for device in bus["devices"]:
                seen = device["last_seen"]
                device["last_seen_local"] = (
                    datetime.fromisoformat(seen).astimezone(tz).strftime("%H:%M:%S")
                    if seen
                    else None
                )
    context = {
        "status": state,
        "hall": devices.hall_code if devices is not None else None,
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
    devices: WindowDevicesDep,
    key: Annotated[str, Form(max_length=8)],
) -> Response:
    """A key pressed on a simulated keypad or rating pad (demo and training)."""
    await asyncio.to_thread(_admin, request, hub, devices)
    simulated = devices.simulated if devices is not None else None
    if simulated is None:
        raise HubError("DEVICE_NOT_SIMULATED", bus=bus_id, address=address)
    try:
        await simulated.press(bus_id, address, key)
    except UnknownDevice:
        raise HubError("DEVICE_NOT_SIMULATED", bus=bus_id, address=address) from None
    except BadPress:
        raise HubError("DEVICE_KEY_INVALID", key=key) from None
    return RedirectResponse(PAGE, status_code=303)
