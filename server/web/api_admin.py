"""Configuration endpoints; admins only."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from server.services import admin
from server.services.halls import hall_id

from .auth import AdminDep, HubDep, require_hall
from .schemas import DeviceCreate, HallUpdate, QueueCreate, QueueUpdate, StaffCreate, WindowCreate
from .schemas.admin import DeviceRow, HallRow, QueueRow, StaffRow, WindowRow
from .schemas.base import HALL, SUPERVISOR, errors

ADMIN = (*HALL, *SUPERVISOR)

router = APIRouter(prefix="/api/v1/admin", tags=["admin"])


@router.patch("/halls/{hall}", response_model=HallRow, responses=errors(*ADMIN))
def update_hall(hall: str, body: HallUpdate, hub: HubDep, staff: AdminDep) -> dict[str, Any]:
    hid = hall_id(hub, hall)
    require_hall(staff, hid)
    changes = body.model_dump(exclude_unset=True, mode="json")
    return admin.update_hall(hub, hall_id=hid, changes=changes)


@router.post(
    "/halls/{hall}/queues",
    status_code=201,
    response_model=QueueRow,
    responses=errors(*ADMIN, "CONFLICT"),
)
def create_queue(hall: str, body: QueueCreate, hub: HubDep, staff: AdminDep) -> dict[str, Any]:
    hid = hall_id(hub, hall)
    require_hall(staff, hid)
    return admin.create_queue(hub, hall_id=hid, values=body.model_dump())


@router.patch(
    "/halls/{hall}/queues/{code}",
    response_model=QueueRow,
    responses=errors(*ADMIN, "QUEUE_NOT_FOUND"),
)
def update_queue(
    hall: str, code: str, body: QueueUpdate, hub: HubDep, staff: AdminDep
) -> dict[str, Any]:
    hid = hall_id(hub, hall)
    require_hall(staff, hid)
    return admin.update_queue(
        hub, hall_id=hid, code=code, changes=body.model_dump(exclude_unset=True)
    )


@router.post(
    "/halls/{hall}/windows",
    status_code=201,
    response_model=WindowRow,
    responses=errors(*ADMIN, "QUEUE_NOT_FOUND", "CONFLICT"),
)
def create_window(hall: str, body: WindowCreate, hub: HubDep, staff: AdminDep) -> dict[str, Any]:
    hid = hall_id(hub, hall)
    require_hall(staff, hid)
    return admin.create_window(
        hub,
        hall_id=hid,
        number=body.number,
        name=body.name,
        name_en=body.name_en,
        queues=[(q.queue, q.weight) for q in body.queues],
    )


@router.post(
    "/halls/{hall}/staff",
    status_code=201,
    response_model=StaffRow,
    responses=errors(*ADMIN, "CONFLICT"),
)
def create_staff(hall: str, body: StaffCreate, hub: HubDep, staff: AdminDep) -> dict[str, Any]:
    hid = hall_id(hub, hall)
    require_hall(staff, hid)
    return admin.add_staff(
        hub,
        hall_id=hid,
        staff_no=body.staff_no,
        name=body.name,
        role=body.role,
        password=body.password,
        photo=body.photo,
    )


@router.post(
    "/halls/{hall}/devices",
    status_code=201,
    summary="Register a device; its token is shown once",
    response_model=DeviceRow,
    responses=errors(*ADMIN, "WINDOW_NOT_FOUND", "CONFLICT"),
)
def create_device(hall: str, body: DeviceCreate, hub: HubDep, staff: AdminDep) -> dict[str, Any]:
    hid = hall_id(hub, hall)
    require_hall(staff, hid)
    device, token = admin.add_device(
        hub, hall_id=hid, code=body.code, kind=body.kind, name=body.name, window_number=body.window
    )
    return {**device, "token": token}
