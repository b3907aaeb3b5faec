"""A hall's queues, windows, staff and devices, for its admins: list, create, edit with
the version read (body "version" or If-Match; the answer's ETag is the new one), remove
(refused with the reason while in use), and the actions: disable, reset a password,
unlock, rotate or revoke a device's token."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Query, Request, Response

from server.services import admin, admin_config
from server.services.accounts import StaffPrincipal
from server.services.halls import hall_id

from .api_admin import ADMIN, EDIT, IfMatch, _tagged, _version
from .auth import AdminDep, HubDep, actor_of, require_hall
from .schemas import DeviceCreate, QueueCreate, QueueUpdate, StaffCreate, WindowCreate
from .schemas.admin import (
    DeviceList,
    DeviceRow,
    DeviceToken,
    QueueList,
    QueueRow,
    StaffList,
    StaffPassword,
    StaffRow,
    WindowList,
    WindowRow,
)
from .schemas.base import HALL, errors
from .schemas.bodies import DeviceUpdate, PasswordReset, StaffUpdate, WindowUpdate

router = APIRouter(prefix="/api/v1/admin/halls/{hall}", tags=["admin"])
public = APIRouter(prefix="/api/v1/halls/{hall}", tags=["admin"])
REMOVE = ("VERSION_REQUIRED", "STALE_VERSION")
VersionQuery = Annotated[
    int | None, Query(ge=1, description="the version read; or send it as If-Match")
]
PHOTO_TYPES: dict[str, Any] = {"image/png": {}, "image/jpeg": {}}


def _hall(hub: HubDep, hall: str, staff: StaffPrincipal) -> int:
    hid = hall_id(hub, hall)
    require_hall(staff, hid)
    return hid


def _no_content() -> Response:
    return Response(status_code=204)


# ---- queues --------------------------------------------------------------------------


@router.get("/queues", response_model=QueueList, responses=errors(*ADMIN))
def list_queues(hall: str, hub: HubDep, staff: AdminDep) -> dict[str, Any]:
    return {"queues": admin_config.queue_rows(hub, hall_id=_hall(hub, hall, staff))}


@router.post(
    "/queues",
    status_code=201,
    response_model=QueueRow,
    responses=errors(*ADMIN, "QUEUE_CODE_TAKEN"),
)
def create_queue(
    hall: str,
    body: QueueCreate,
    hub: HubDep,
    staff: AdminDep,
    request: Request,
    response: Response,
) -> dict[str, Any]:
    row = admin.create_queue(
        hub,
        hall_id=_hall(hub, hall, staff),
        values=body.model_dump(),
        actor=actor_of(request, staff),
    )
    return _tagged(response, row)


@router.get("/queues/{code}", response_model=QueueRow, responses=errors(*ADMIN, "QUEUE_NOT_FOUND"))
def get_queue(
    hall: str, code: str, hub: HubDep, staff: AdminDep, response: Response
) -> dict[str, Any]:
    hid = _hall(hub, hall, staff)
    return _tagged(response, admin_config.queue_row(hub, hall_id=hid, code=code))


@router.patch(
    "/queues/{code}",
    response_model=QueueRow,
    responses=errors(*ADMIN, *EDIT, "QUEUE_NOT_FOUND", "QUEUE_CODE_TAKEN"),
)
def update_queue(
    hall: str,
    code: str,
    body: QueueUpdate,
    hub: HubDep,
    staff: AdminDep,
    request: Request,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Any of its settings; ``active`` false stops new tickets (the kiosks show the queue
    as not issuing) and leaves the waiting ones to be served."""
    hid = _hall(hub, hall, staff)
    changes = body.model_dump(exclude_unset=True)
    changes["version"] = _version(body.version, if_match)
    row = admin_config.update_queue(
        hub, hall_id=hid, code=code, changes=changes, actor=actor_of(request, staff)
    )
    return _tagged(response, row)


@router.delete(
    "/queues/{code}",
    status_code=204,
    responses=errors(*ADMIN, *REMOVE, "QUEUE_NOT_FOUND", "QUEUE_IN_USE"),
)
def remove_queue(
    hall: str,
    code: str,
    hub: HubDep,
    staff: AdminDep,
    request: Request,
    version: VersionQuery = None,
    if_match: IfMatch = None,
) -> Response:
    """Refused (QUEUE_IN_USE, ``details.reasons``) while tickets wait or are served
    today, service items or windows point at it, or earlier tickets name it."""
    admin_config.remove_queue(
        hub,
        hall_id=_hall(hub, hall, staff),
        code=code,
        version=_version(version, if_match),
        actor=actor_of(request, staff),
    )
    return _no_content()


# ---- windows -------------------------------------------------------------------------


@router.get("/windows", response_model=WindowList, responses=errors(*ADMIN))
def list_windows(hall: str, hub: HubDep, staff: AdminDep) -> dict[str, Any]:
    return {"windows": admin_config.window_rows(hub, hall_id=_hall(hub, hall, staff))}


@router.post(
    "/windows",
    status_code=201,
    response_model=WindowRow,
    responses=errors(*ADMIN, "QUEUE_NOT_FOUND", "WINDOW_NUMBER_TAKEN"),
)
def create_window(
    hall: str,
    body: WindowCreate,
    hub: HubDep,
    staff: AdminDep,
    request: Request,
    response: Response,
) -> dict[str, Any]:
    row = admin.create_window(
        hub,
        hall_id=_hall(hub, hall, staff),
        number=body.number,
        name=body.name,
        name_en=body.name_en,
        queues=[(q.queue, q.weight) for q in body.queues],
        actor=actor_of(request, staff),
    )
    return _tagged(response, row)


@router.get(
    "/windows/{number}", response_model=WindowRow, responses=errors(*ADMIN, "WINDOW_NOT_FOUND")
)
def get_window(
    hall: str, number: int, hub: HubDep, staff: AdminDep, response: Response
) -> dict[str, Any]:
    hid = _hall(hub, hall, staff)
    return _tagged(response, admin_config.window_row(hub, hall_id=hid, number=number))


@router.patch(
    "/windows/{number}",
    response_model=WindowRow,
    responses=errors(*ADMIN, *EDIT, "WINDOW_NOT_FOUND", "QUEUE_NOT_FOUND", "WINDOW_NUMBER_TAKEN"),
)
def update_window(
    hall: str,
    number: int,
    body: WindowUpdate,
    hub: HubDep,
    staff: AdminDep,
    request: Request,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Number, names, the queues it serves (order and weights), ``active``. The version
    is the window's settings' (calls at the window do not change it)."""
    hid = _hall(hub, hall, staff)
    changes = body.model_dump(exclude_unset=True, exclude={"queues"})
    if body.queues is not None:
        changes["queues"] = [(q.queue, q.weight) for q in body.queues]
    changes["version"] = _version(body.version, if_match)
    row = admin_config.update_window(
        hub, hall_id=hid, number=number, changes=changes, actor=actor_of(request, staff)
    )
    return _tagged(response, row)


@router.delete(
    "/windows/{number}",
    status_code=204,
    responses=errors(*ADMIN, *REMOVE, "WINDOW_NOT_FOUND", "WINDOW_IN_USE"),
)
def remove_window(
    hall: str,
    number: int,
    hub: HubDep,
    staff: AdminDep,
    request: Request,
    version: VersionQuery = None,
    if_match: IfMatch = None,
) -> Response:
    """Refused (WINDOW_IN_USE, ``details.reasons``) while a clerk is signed in there, a
    ticket is being served, devices belong to it, or tickets and ratings name it."""
    admin_config.remove_window(
        hub,
        hall_id=_hall(hub, hall, staff),
        number=number,
        version=_version(version, if_match),
        actor=actor_of(request, staff),
    )
    return _no_content()


# ---- staff ---------------------------------------------------------------------------

STAFF_ONE = (*ADMIN, "STAFF_NOT_FOUND")


@router.get("/staff", response_model=StaffList, responses=errors(*ADMIN))
def list_staff(hall: str, hub: HubDep, staff: AdminDep) -> dict[str, Any]:
    """The hall's own staff (an installation-wide admin is nobody's to edit here)."""
    return {"staff": admin_config.staff_rows(hub, hall_id=_hall(hub, hall, staff))}


@router.post(
    "/staff",
    status_code=201,
    response_model=StaffRow,
    responses=errors(*ADMIN, "STAFF_NO_TAKEN", "WINDOW_NOT_FOUND"),
)
def create_staff(
    hall: str,
    body: StaffCreate,
    hub: HubDep,
    staff: AdminDep,
    request: Request,
    response: Response,
) -> dict[str, Any]:
    row = admin.add_staff(
        hub,
        hall_id=_hall(hub, hall, staff),
        staff_no=body.staff_no,
        name=body.name,
        role=body.role,
        password=body.password,
        photo=body.photo,
        title=body.title,
        windows=body.windows,
        actor=actor_of(request, staff),
    )
    return _tagged(response, row)


@router.get("/staff/{staff_no}", response_model=StaffRow, responses=errors(*STAFF_ONE))
def get_staff(
    hall: str, staff_no: str, hub: HubDep, staff: AdminDep, response: Response
) -> dict[str, Any]:
    hid = _hall(hub, hall, staff)
    return _tagged(response, admin_config.staff_row(hub, hall_id=hid, staff_no=staff_no))


@router.patch(
    "/staff/{staff_no}",
    response_model=StaffRow,
    responses=errors(*STAFF_ONE, *EDIT, "WINDOW_NOT_FOUND", "OWN_ACCOUNT"),
)
def update_staff(
    hall: str,
    staff_no: str,
    body: StaffUpdate,
    hub: HubDep,
    staff: AdminDep,
    request: Request,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Name, role, title (职务), the windows she may sit at (numbers; []: any),
    ``active`` (false signs her out at once)."""
    hid = _hall(hub, hall, staff)
    changes = body.model_dump(exclude_unset=True)
    changes["version"] = _version(body.version, if_match)
    row = admin_config.update_staff(
        hub, hall_id=hid, staff_no=staff_no, changes=changes, actor=actor_of(request, staff)
    )
    return _tagged(response, row)


@router.delete(
    "/staff/{staff_no}",
    status_code=204,
    responses=errors(*STAFF_ONE, *REMOVE, "STAFF_IN_USE", "OWN_ACCOUNT"),
)
def remove_staff(
    hall: str,
    staff_no: str,
    hub: HubDep,
    staff: AdminDep,
    request: Request,
    version: VersionQuery = None,
    if_match: IfMatch = None,
) -> Response:
    """Only an account that never served anyone; the others are disabled."""
    admin_config.remove_staff(
        hub,
        hall_id=_hall(hub, hall, staff),
        staff_no=staff_no,
        version=_version(version, if_match),
        actor=actor_of(request, staff),
    )
    return _no_content()


@router.post(
    "/staff/{staff_no}/disable",
    response_model=StaffRow,
    responses=errors(*STAFF_ONE, "OWN_ACCOUNT"),
)
def disable_staff(
    hall: str, staff_no: str, hub: HubDep, staff: AdminDep, request: Request, response: Response
) -> dict[str, Any]:
    """Signed out at once: every session ends, she leaves her window."""
    row = admin_config.set_staff_active(
        hub,
        hall_id=_hall(hub, hall, staff),
        staff_no=staff_no,
        active=False,
        actor=actor_of(request, staff),
    )
    return _tagged(response, row)


@router.post("/staff/{staff_no}/enable", response_model=StaffRow, responses=errors(*STAFF_ONE))
def enable_staff(
    hall: str, staff_no: str, hub: HubDep, staff: AdminDep, request: Request, response: Response
) -> dict[str, Any]:
    row = admin_config.set_staff_active(
        hub,
        hall_id=_hall(hub, hall, staff),
        staff_no=staff_no,
        active=True,
        actor=actor_of(request, staff),
    )
    return _tagged(response, row)


@router.post(
    "/staff/{staff_no}/reset-password",
    response_model=StaffPassword,
    responses=errors(*STAFF_ONE),
)
def reset_password(
    hall: str,
    staff_no: str,
    hub: HubDep,
    staff: AdminDep,
    request: Request,
    body: PasswordReset | None = None,
) -> dict[str, Any]:
    """A temporary password, shown once (the one given, or one the hub makes up); she
    chooses her own at the next sign-in (POST /api/v1/auth/password). Her sessions end
    and a lockout is lifted."""
    row, password = admin_config.reset_password(
        hub,
        hall_id=_hall(hub, hall, staff),
        staff_no=staff_no,
        password=body.password if body else None,
        actor=actor_of(request, staff),
    )
    return {"staff": row, "password": password}


@router.post("/staff/{staff_no}/unlock", response_model=StaffRow, responses=errors(*STAFF_ONE))
def unlock_staff(
    hall: str, staff_no: str, hub: HubDep, staff: AdminDep, request: Request, response: Response
) -> dict[str, Any]:
    """Lift the lockout that wrong passwords in a row set (ACCOUNT_LOCKED)."""
    row = admin_config.unlock_staff(
        hub, hall_id=_hall(hub, hall, staff), staff_no=staff_no, actor=actor_of(request, staff)
    )
    return _tagged(response, row)


@router.put(
    "/staff/{staff_no}/photo",
    response_model=StaffRow,
    responses=errors(*STAFF_ONE, "PHOTO_INVALID"),
)
def put_photo(
    hall: str,
    staff_no: str,
    hub: HubDep,
    staff: AdminDep,
    request: Request,
    response: Response,
    data: Annotated[bytes, Body(media_type="image/png")],
    content_type: Annotated[str, Header()] = "",
) -> dict[str, Any]:
    """The photo for 亮牌 (a PNG or JPEG of at most 1 MB, the request's body); the row's
    ``photo`` is then its URL."""
    row = admin_config.set_photo(
        hub,
        hall_id=_hall(hub, hall, staff),
        hall_code=hall,
        staff_no=staff_no,
        content_type=content_type.split(";")[0].strip().lower(),
        data=data,
        actor=actor_of(request, staff),
    )
    return _tagged(response, row)


@public.get(
    "/staff/{staff_no}/photo",
    summary="A staff member's photo, as the rating tablet shows it (亮牌)",
    response_class=Response,
    responses={200: {"content": PHOTO_TYPES}, **errors(*HALL, "STAFF_NOT_FOUND", "NOT_FOUND")},
)
def get_photo(hall: str, staff_no: str, hub: HubDep) -> Response:
    media, data = admin_config.photo_of(hub, hall_id=hall_id(hub, hall), staff_no=staff_no)
    return Response(data, media_type=media, headers={"Cache-Control": "max-age=86400"})


# ---- devices -------------------------------------------------------------------------

DEVICE_ONE = (*ADMIN, "DEVICE_NOT_FOUND")


@router.get("/devices", response_model=DeviceList, responses=errors(*ADMIN))
def list_devices(hall: str, hub: HubDep, staff: AdminDep) -> dict[str, Any]:
    """Every device with its last contact (``last_seen``)."""
    return {"devices": admin_config.device_rows(hub, hall_id=_hall(hub, hall, staff))}


@router.post(
    "/devices",
    status_code=201,
    summary="Register a device; its token is shown once",
    response_model=DeviceToken,
    responses=errors(*ADMIN, "WINDOW_NOT_FOUND", "DEVICE_CODE_TAKEN"),
)
def create_device(
    hall: str, body: DeviceCreate, hub: HubDep, staff: AdminDep, request: Request
) -> dict[str, Any]:
    device, token = admin.add_device(
        hub,
        hall_id=_hall(hub, hall, staff),
        code=body.code,
        kind=body.kind,
        name=body.name,
        window_number=body.window,
        actor=actor_of(request, staff),
    )
    return {**device, "token": token}


@router.get("/devices/{code}", response_model=DeviceRow, responses=errors(*DEVICE_ONE))
def get_device(
    hall: str, code: str, hub: HubDep, staff: AdminDep, response: Response
) -> dict[str, Any]:
    hid = _hall(hub, hall, staff)
    return _tagged(response, admin_config.device_row(hub, hall_id=hid, code=code))


@router.patch(
    "/devices/{code}",
    response_model=DeviceRow,
    responses=errors(*DEVICE_ONE, *EDIT, "WINDOW_NOT_FOUND"),
)
def update_device(
    hall: str,
    code: str,
    body: DeviceUpdate,
    hub: HubDep,
    staff: AdminDep,
    request: Request,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    hid = _hall(hub, hall, staff)
    changes = body.model_dump(exclude_unset=True)
    changes["version"] = _version(body.version, if_match)
    row = admin_config.update_device(
        hub, hall_id=hid, code=code, changes=changes, actor=actor_of(request, staff)
    )
    return _tagged(response, row)


@router.delete(
    "/devices/{code}",
    status_code=204,
    responses=errors(*DEVICE_ONE, *REMOVE, "DEVICE_IN_USE"),
)
def remove_device(
    hall: str,
    code: str,
    hub: HubDep,
    staff: AdminDep,
    request: Request,
    version: VersionQuery = None,
    if_match: IfMatch = None,
) -> Response:
    """Only a device that never issued a ticket; the others are revoked."""
    admin_config.remove_device(
        hub,
        hall_id=_hall(hub, hall, staff),
        code=code,
        version=_version(version, if_match),
        actor=actor_of(request, staff),
    )
    return _no_content()


@router.post(
    "/devices/{code}/rotate",
    summary="A new token, shown once; the old one is refused at once",
    response_model=DeviceToken,
    responses=errors(*DEVICE_ONE),
)
def rotate_device(
    hall: str, code: str, hub: HubDep, staff: AdminDep, request: Request
) -> dict[str, Any]:
    row, token = admin_config.rotate_token(
        hub, hall_id=_hall(hub, hall, staff), code=code, actor=actor_of(request, staff)
    )
    return {**row, "token": token}


@router.post("/devices/{code}/revoke", response_model=DeviceRow, responses=errors(*DEVICE_ONE))
def revoke_device(
    hall: str, code: str, hub: HubDep, staff: AdminDep, request: Request, response: Response
) -> dict[str, Any]:
    """Its token is refused (DEVICE_TOKEN_INVALID) from its next request on."""
    row = admin_config.set_device_active(
        hub,
        hall_id=_hall(hub, hall, staff),
        code=code,
        active=False,
        actor=actor_of(request, staff),
    )
    return _tagged(response, row)


@router.post("/devices/{code}/enable", response_model=DeviceRow, responses=errors(*DEVICE_ONE))
def enable_device(
    hall: str, code: str, hub: HubDep, staff: AdminDep, request: Request, response: Response
) -> dict[str, Any]:
    row = admin_config.set_device_active(
        hub,
        hall_id=_hall(hub, hall, staff),
        code=code,
        active=True,
        actor=actor_of(request, staff),
    )
    return _tagged(response, row)
