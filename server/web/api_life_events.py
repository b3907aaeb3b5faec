"""Life events (一件事) of a hall, as bundles of its service items; admins only. The
kiosk reads them from /api/v1/halls/{hall}/life-events (api_public.py)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import Response as RawResponse

from server.domain.life_events import MIN_ITEMS
from server.services import life_events
from server.services.halls import hall_id

from .api_admin import ADMIN, EDIT, IfMatch, _tagged, _version
from .auth import AdminDep, HubDep, actor_of, require_hall
from .schemas.base import errors
from .schemas.bundles import LifeEventCreate, LifeEventList, LifeEventRow, LifeEventUpdate

router = APIRouter(prefix="/api/v1/admin/halls/{hall}/life-events", tags=["life events"])


@router.get("", response_model=LifeEventList, responses=errors(*ADMIN))
def list_events(hall: str, hub: HubDep, staff: AdminDep) -> dict[str, Any]:
    hid = hall_id(hub, hall)
    require_hall(staff, hid)
    return {"life_events": life_events.event_rows(hub, hall_id=hid), "min_items": MIN_ITEMS}


@router.post(
    "",
    status_code=201,
    response_model=LifeEventRow,
    responses=errors(*ADMIN, "LIFE_EVENT_CODE_TAKEN"),
)
def create_event(
    hall: str,
    body: LifeEventCreate,
    hub: HubDep,
    staff: AdminDep,
    request: Request,
    response: Response,
) -> dict[str, Any]:
    """Refused field by field: a code not like start-business (LIFE_EVENT_CODE_FORMAT),
    an item the hall lacks (ITEM_UNKNOWN) or listed twice (DUPLICATE), an active one of
    fewer than two items (BUNDLE_TOO_SMALL)."""
    hid = hall_id(hub, hall)
    require_hall(staff, hid)
    row = life_events.create(
        hub, hall_id=hid, values=body.model_dump(), actor=actor_of(request, staff)
    )
    return _tagged(response, row)


@router.get(
    "/{code}", response_model=LifeEventRow, responses=errors(*ADMIN, "LIFE_EVENT_NOT_FOUND")
)
def get_event(
    hall: str, code: str, hub: HubDep, staff: AdminDep, response: Response
) -> dict[str, Any]:
    hid = hall_id(hub, hall)
    require_hall(staff, hid)
    return _tagged(response, life_events.event_row(hub, hall_id=hid, code=code))


@router.patch(
    "/{code}",
    response_model=LifeEventRow,
    responses=errors(*ADMIN, *EDIT, "LIFE_EVENT_NOT_FOUND"),
)
def update_event(
    hall: str,
    code: str,
    body: LifeEventUpdate,
    hub: HubDep,
    staff: AdminDep,
    request: Request,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """``items``, when given, replaces the bundle's items: their order and notes."""
    hid = hall_id(hub, hall)
    require_hall(staff, hid)
    changes = body.model_dump(exclude_unset=True, exclude_none=True)
    changes["version"] = _version(body.version, if_match)
    row = life_events.update(
        hub, hall_id=hid, code=code, changes=changes, actor=actor_of(request, staff)
    )
    return _tagged(response, row)


@router.delete(
    "/{code}",
    status_code=204,
    response_class=RawResponse,
    responses=errors(*ADMIN, "LIFE_EVENT_NOT_FOUND"),
)
def delete_event(
    hall: str, code: str, hub: HubDep, staff: AdminDep, request: Request
) -> RawResponse:
    """The bundle goes; its service items stay."""
    hid = hall_id(hub, hall)
    require_hall(staff, hid)
    life_events.delete(hub, hall_id=hid, code=code, actor=actor_of(request, staff))
    return RawResponse(status_code=204)
