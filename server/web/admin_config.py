"""The admin pages of a hall's queues, windows, staff and devices (/admin/queues,
/admin/windows, /admin/staff, /admin/devices).

Server-rendered tables; their dialogs post to the JSON API (admin_config.js), so the
page meets the API's rules and errors: fields refused beside their inputs, a stale
version, an in-use refusal with its reasons, a token or password shown once. A hall's
admin sees her hall; an installation admin picks one (?hall=).
"""

from __future__ import annotations

import json
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from pydantic_core import to_jsonable_python

from server.errors import HubError
from server.services import admin_config, halls
from server.services.accounts import DeviceKind, Role

from .admin_pages import _admin, _base, _login_page, templates
from .auth import HubDep, page_hall

router = APIRouter(include_in_schema=False)

ROLES = (
    (Role.CLERK.value, "窗口工作人员", "clerk"),
    (Role.SUPERVISOR.value, "值班长", "supervisor"),
    (Role.ADMIN.value, "大厅管理员", "hall admin"),
)
KINDS = {
    DeviceKind.KIOSK.value: ("触摸取号机", "kiosk"),
    DeviceKind.DISPENSER.value: ("取号机", "dispenser"),
    DeviceKind.BOARD.value: ("显示屏", "board"),
    DeviceKind.KEYPAD.value: ("呼叫器", "keypad"),
    DeviceKind.RATING_PAD.value: ("评价器/评价平板", "rating pad or tablet"),
}
PAGES = {
    "queues": ("队列", "Queues"),
    "windows": ("窗口", "Windows"),
    "staff": ("工作人员", "Staff"),
    "devices": ("设备", "Devices"),
}


def _page(request: Request, hub: HubDep, page: str, build: Any, template: str) -> Response:
    """Sign-in, the hall (the admin's own; an installation admin's choice), the rows."""
    target = f"/admin/{page}"
    try:
        staff = _admin(request, hub)
        hall = page_hall(hub, staff, request.query_params.get("hall"))
        hid, code = hall.id, hall.code
    except HubError as err:
        return _login_page(request, hub, err, target)
    context = build(hid)
    config = {"page": page, "hall": code, "api": f"/api/v1/admin/halls/{code}/{page}"}
    return templates.TemplateResponse(
        request,
        template,
        {
            **_base(staff),
            **context,
            "hall_code": code,
            "halls": hall.choices,
            "config": config,
            "page": page,
            "title": PAGES[page],
            "as_json": _as_json,
        },
    )


def _as_json(row: dict[str, Any]) -> str:
    """A row for the page's script (a data- attribute; the template escapes it)."""
    return json.dumps(to_jsonable_python(row), ensure_ascii=False)


@router.get("/admin/queues", response_class=HTMLResponse)
def queues_page(request: Request, hub: HubDep) -> Response:
    def build(hid: int) -> dict[str, Any]:
        return {"queues": admin_config.queue_rows(hub, hall_id=hid)}

    return _page(request, hub, "queues", build, "admin_queues.html")


@router.get("/admin/windows", response_class=HTMLResponse)
def windows_page(request: Request, hub: HubDep) -> Response:
    def build(hid: int) -> dict[str, Any]:
        return {
            "windows": admin_config.window_rows(hub, hall_id=hid),
            "queues": admin_config.queue_rows(hub, hall_id=hid),
        }

    return _page(request, hub, "windows", build, "admin_windows.html")


@router.get("/admin/staff", response_class=HTMLResponse)
def staff_page(request: Request, hub: HubDep) -> Response:
    def build(hid: int) -> dict[str, Any]:
        return {
            "people": admin_config.staff_rows(hub, hall_id=hid),
            "windows": admin_config.window_rows(hub, hall_id=hid),
            "roles": ROLES,
            "role_names": {r: (zh, en) for r, zh, en in ROLES},
        }

    return _page(request, hub, "staff", build, "admin_staff.html")


@router.get("/admin/devices", response_class=HTMLResponse)
def devices_page(request: Request, hub: HubDep) -> Response:
    def build(hid: int) -> dict[str, Any]:
        return {
            "devices": admin_config.device_rows(hub, hall_id=hid),
            "windows": admin_config.window_rows(hub, hall_id=hid),
            "kinds": KINDS,
            "tz": ZoneInfo(halls.hall_by_id(hub, hid).timezone),
        }

    return _page(request, hub, "devices", build, "admin_devices.html")
