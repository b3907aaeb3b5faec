"""What anyone may read, and what kiosks may do."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response

from server.services import catalogue, halls, search, status, tickets
from server.services.accounts import DeviceKind
from server.services.halls import hall_id

from .api_print import PrintingDep
from .auth import DeviceDep, HubDep, require_device
from .schemas import IssueTicket
from .schemas.base import DEVICE, HALL, errors
from .schemas.catalogue import (
    Catalogue,
    Guide,
    HallBrief,
    HallQueues,
    LifeEvent,
    SearchResult,
    WindowSummary,
)
from .schemas.tickets import IdentityCheck, IssuedTicket, Ticket

# What issuing can refuse: the queue or item, the calendar, and the citizen's identity.
ISSUE_RULES = (
    "QUEUE_NOT_FOUND",
    "SERVICE_ITEM_NOT_FOUND",
    "HALL_CLOSED",
    "HALL_CLOSED_TODAY",
    "LUNCH_BREAK",
    "OUTSIDE_TICKET_HOURS",
    "OUT_OF_HOURS",
    "QUEUE_INACTIVE",
    "DAILY_CAP_REACHED",
)
IDENTITY_RULES = (
    "ID_NUMBER_FORMAT",
    "ID_NUMBER_BIRTH_DATE",
    "ID_NUMBER_CHECK_DIGIT",
    "PHONE_INVALID",
    "ID_ALREADY_WAITING",
    "ID_DAILY_LIMIT",
    "GREEN_CHANNEL_NOT_ALLOWED",
)

router = APIRouter(prefix="/api/v1", tags=["public"])


@router.get("/halls", response_model=list[HallBrief])
def list_halls(hub: HubDep) -> list[dict[str, Any]]:
    return [
        {"code": h.code, "name": h.name, "name_en": h.name_en, "timezone": h.timezone}
        for h in halls.halls(hub)
    ]


@router.get(
    "/halls/{hall}/queues",
    summary="Waiting count and estimated wait per queue",
    response_model=HallQueues,
    responses=errors(*HALL),
)
def queue_status(hall: str, hub: HubDep) -> dict[str, Any]:
    row, queues = status.hall_queue_status(hub, hall)
    return {
        "hall": row.code,
        "closed": row.closed_at is not None,
        "closed_reason": row.closed_reason,
        "at": hub.now().isoformat(),
        "estimate_method": "people ahead x mean of the last services (or the queue default) / open windows",
        "queues": [asdict(q) for q in queues],
    }


@router.get(
    "/halls/{hall}/windows",
    summary="Windows, what they serve and whom they call",
    response_model=list[WindowSummary],
    responses=errors(*HALL),
)
def list_windows(hall: str, hub: HubDep) -> list[dict[str, Any]]:
    return [asdict(w) for w in status.window_summaries(hub, hall)]


@router.get(
    "/halls/{hall}/catalogue",
    summary="Departments, queues and service items for kiosks",
    response_model=Catalogue,
    responses=errors(*HALL),
)
def get_catalogue(hall: str, hub: HubDep) -> dict[str, Any]:
    return catalogue.catalogue(hub, hall)


@router.get(
    "/halls/{hall}/items/{code}",
    summary="The public guide (办事指南) of a service item",
    response_model=Guide,
    responses=errors(*HALL, "SERVICE_ITEM_NOT_FOUND"),
)
def get_guide(hall: str, code: str, hub: HubDep) -> dict[str, Any]:
    return catalogue.guide(hub, hall, code)


@router.get(
    "/halls/{hall}/search",
    summary="Find service items by Chinese words, pinyin (initials: bdc -> 不动产) or English",
    response_model=SearchResult,
    # "match" is there only when there is a query: absent, not null.
    response_model_exclude_unset=True,
    responses=errors(*HALL),
)
def search_items(
    hall: str,
    hub: HubDep,
    q: Annotated[str, Query(max_length=search.MAX_QUERY)] = "",
    limit: Annotated[int, Query(ge=1, le=100)] = 30,
) -> dict[str, Any]:
    return search.search(hub, hall, q, limit=limit)


@router.get(
    "/halls/{hall}/life-events",
    summary="Service items by life event (一件事)",
    response_model=list[LifeEvent],
    responses=errors(*HALL),
)
def life_events(hall: str, hub: HubDep) -> list[dict[str, Any]]:
    return search.life_events(hub, hall)


@router.get(
    "/tickets/{token}",
    summary="A ticket's status, by the token in its QR code",
    response_model=Ticket,
    responses=errors("TICKET_NOT_FOUND"),
)
def ticket_status(token: str, hub: HubDep) -> dict[str, Any]:
    return asdict(tickets.ticket_by_token(hub, token))


# A kiosk's request id: a double tap on 取号 sends the same key and gets the same ticket.
IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$"),
]


@router.post(
    "/halls/{hall}/tickets",
    status_code=201,
    summary="Issue a ticket (kiosks and dispensers); 200 when the Idempotency-Key replays one",
    response_model=IssuedTicket,
    responses={
        200: {"model": IssuedTicket, "description": "The ticket this Idempotency-Key issued"},
        **errors(*HALL, *DEVICE, *ISSUE_RULES, *IDENTITY_RULES, "IDEMPOTENCY_KEY_REUSED"),
    },
)
def issue(
    hall: str,
    body: IssueTicket,
    hub: HubDep,
    device: DeviceDep,
    response: Response,
    printing: PrintingDep,
    idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    hid = hall_id(hub, hall)
    require_device(device, DeviceKind.KIOSK, DeviceKind.DISPENSER, hall_id=hid)
    issued = tickets.issue(
        hub,
        hall_id=hid,
        queue_code=body.queue,
        item_code=body.item,
        priority=body.priority,
        device_id=device.device_id,
        id_number=body.id_number,
        phone=body.phone,
        request_key=idempotency_key,
        # None when the kiosk has no printer: "print" is then null.
        print_route=printing.route(hall, device.code) if printing else None,
    )
    if issued.ticket.replayed:
        # The ticket already exists (and was already sent to the printer): nothing new.
        response.status_code = 200
    elif issued.print is not None and printing is not None:
        printing.wake(hall)
    return {**asdict(issued.ticket), "print": issued.print}


@router.post(
    "/halls/{hall}/tickets/check",
    summary="Before issuing: can this citizen take a ticket, and is 绿色通道 offered?",
    response_model=IdentityCheck,
    responses=errors(*HALL, *DEVICE, *ISSUE_RULES, *IDENTITY_RULES),
)
def check_issue(hall: str, body: IssueTicket, hub: HubDep, device: DeviceDep) -> dict[str, Any]:
    hid = hall_id(hub, hall)
    require_device(device, DeviceKind.KIOSK, DeviceKind.DISPENSER, hall_id=hid)
    return asdict(
        tickets.check_identity(
            hub,
            hall_id=hid,
            queue_code=body.queue,
            item_code=body.item,
            id_number=body.id_number,
            phone=body.phone,
        )
    )
