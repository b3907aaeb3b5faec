"""Configuration endpoints; admins only. Halls are created and closed by an
installation-wide admin; each hall's own admin edits it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, Response

from server.errors import HubError
from server.services import admin
from server.services.halls import hall_id

from .auth import AdminDep, HubDep, InstallationAdminDep, actor_of, require_hall
from .schemas.admin import HallList, HallRow
from .schemas.base import HALL, SUPERVISOR, errors
from .schemas.bodies import HallClose, HallCreate, HallExceptions, HallUpdate

ADMIN = (*HALL, *SUPERVISOR)
EDIT = ("VERSION_REQUIRED", "STALE_VERSION", "INVALID_REQUEST")

router = APIRouter(prefix="/api/v1/admin", tags=["admin"])
IfMatch = Annotated[
    str | None,
    Header(description='the version read, as its ETag ("3"); or give "version" in the body'),
]


def _version(body_version: int | None, if_match: str | None) -> int | None:
    if body_version is not None or if_match is None:
        return body_version
    text = if_match.strip().removeprefix("W/").strip('"')
    if not text.isdigit():
        raise HubError(
            "INVALID_REQUEST",
            fields=[
                {
                    "field": "If-Match",
                    "code": "FORMAT",
                    "problem": 'If-Match is the version read, e.g. "3"',
                    "message_zh": 'If-Match 应为读取到的版本号，如 "3"',
                    "message_en": 'If-Match is the version read, e.g. "3"',
                }
            ],
        )
    return int(text)


def _tagged(response: Response, row: dict[str, Any]) -> dict[str, Any]:
    response.headers["ETag"] = f'"{row["version"]}"'
    return row


@router.get("/halls", response_model=HallList, responses=errors(*SUPERVISOR))
def list_halls(hub: HubDep, staff: AdminDep) -> dict[str, Any]:
    """Every hall for an installation-wide admin; a hall's admin sees her own."""
    ids = None if staff.hall_id is None else [staff.hall_id]
    return {"halls": admin.hall_rows(hub, hall_ids=ids), "may_create": staff.hall_id is None}


@router.post(
    "/halls",
    status_code=201,
    response_model=HallRow,
    responses=errors(*SUPERVISOR, "INSTALLATION_ADMIN_ONLY", "HALL_CODE_TAKEN"),
)
def create_hall(
    body: HallCreate,
    hub: HubDep,
    staff: InstallationAdminDep,
    response: Response,
    request: Request,
) -> dict[str, Any]:
    return _tagged(
        response,
        admin.create_hall(
            hub,
            values=body.model_dump(exclude_unset=True, mode="json"),
            actor=actor_of(request, staff),
        ),
    )


@router.get("/halls/{hall}", response_model=HallRow, responses=errors(*ADMIN))
def get_hall(hall: str, hub: HubDep, staff: AdminDep, response: Response) -> dict[str, Any]:
    hid = hall_id(hub, hall)
    require_hall(staff, hid)
    return _tagged(response, admin.hall_row(hub, hall_id=hid))


@router.patch(
    "/halls/{hall}",
    response_model=HallRow,
    responses=errors(*ADMIN, *EDIT, "HALL_CODE_TAKEN"),
)
def update_hall(
    hall: str,
    body: HallUpdate,
    hub: HubDep,
    staff: AdminDep,
    response: Response,
    request: Request,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Every setting; the edit names the version it read (body "version" or If-Match),
    and a hall changed since is refused with STALE_VERSION."""
    hid = hall_id(hub, hall)
    require_hall(staff, hid)
    changes = body.model_dump(exclude_unset=True, mode="json")
    changes["version"] = _version(body.version, if_match)
    return _tagged(
        response,
        admin.update_hall(hub, hall_id=hid, changes=changes, actor=actor_of(request, staff)),
    )


@router.put(
    "/halls/{hall}/exceptions",
    response_model=HallRow,
    responses=errors(*ADMIN, *EDIT),
)
def put_exceptions(
    hall: str,
    body: HallExceptions,
    hub: HubDep,
    staff: AdminDep,
    response: Response,
    request: Request,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """The hall's own exceptions to the national calendar: its days off and extra
    working days (a hall's settings: the same version check as any edit)."""
    hid = hall_id(hub, hall)
    require_hall(staff, hid)
    changes = body.model_dump(mode="json")
    changes["version"] = _version(body.version, if_match)
    return _tagged(
        response,
        admin.update_hall(hub, hall_id=hid, changes=changes, actor=actor_of(request, staff)),
    )


@router.post(
    "/halls/{hall}/close",
    response_model=HallRow,
    responses=errors(*ADMIN, "INSTALLATION_ADMIN_ONLY", "HALL_ALREADY_CLOSED"),
)
def close_hall(
    hall: str,
    hub: HubDep,
    staff: InstallationAdminDep,
    response: Response,
    request: Request,
    body: HallClose | None = None,
) -> dict[str, Any]:
    """No tickets from now on; kiosks and boards say the hall is closed (HALL_CLOSED).
    Its data stays. A single day off is a closed date instead (the hall's own admin)."""
    hid = hall_id(hub, hall)
    reason = body.reason if body else ""
    return _tagged(
        response, admin.close_hall(hub, hall_id=hid, reason=reason, actor=actor_of(request, staff))
    )


@router.post(
    "/halls/{hall}/reopen",
    response_model=HallRow,
    responses=errors(*ADMIN, "INSTALLATION_ADMIN_ONLY", "HALL_NOT_CLOSED"),
)
def reopen_hall(
    hall: str, hub: HubDep, staff: InstallationAdminDep, response: Response, request: Request
) -> dict[str, Any]:
    return _tagged(
        response, admin.reopen_hall(hub, hall_id=hall_id(hub, hall), actor=actor_of(request, staff))
    )
