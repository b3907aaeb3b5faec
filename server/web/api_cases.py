"""Cases (办件) over HTTP: registered and moved by staff, listed for supervisors, looked
up by citizens with the receipt number and four digits."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request

from server.services import cases
from server.services.halls import hall_id

from .api_print import PrintingDep
from .auth import HubDep, StaffDep, SupervisorDep, client_address
from .schemas.base import HALL, STAFF, SUPERVISOR, errors
from .schemas.cases import (
    CaseActionName,
    CaseList,
    CaseOpen,
    CaseOut,
    CasePrint,
    CaseStepIn,
    CaseUrgent,
    CitizenLookup,
    CitizenStatus,
)

router = APIRouter(prefix="/api/v1/halls/{hall}", tags=["cases"])
Receipt = Annotated[str, Path(min_length=1, max_length=40)]
OPEN = ("ITEM_NO_TIME_LIMIT", "JOINT_DEPARTMENTS_INVALID", "SERVICE_ITEM_NOT_FOUND")
STEP = ("CASE_NOT_FOUND", "CASE_WRONG_STATE", "STALE_VERSION", "CASE_MISSING_UNKNOWN")


@router.post(
    "/cases",
    status_code=201,
    response_model=CaseOut,
    summary="Register a case (办件): at the window from the ticket being served, or by post or online",
    responses=errors(*HALL, *STAFF, *OPEN, "NOT_AT_WINDOW", "NO_CURRENT_TICKET", "WRONG_HALL"),
)
def open_case(hall: str, body: CaseOpen, hub: HubDep, staff: StaffDep) -> dict[str, Any]:
    opening = cases.Opening(
        item_code=body.item,
        applicant_name=body.applicant_name,
        channel=body.channel,
        id_number=body.id_number,
        phone=body.phone,
        materials=body.materials,
        type=body.type,
        joint_departments=body.joint_departments,
    )
    return cases.open_case(hub, hall_id=hall_id(hub, hall), staff=staff, opening=opening)


@router.get(
    "/cases",
    response_model=CaseList,
    summary="The hall's open cases (or those in the states asked), overdue first",
    responses=errors(*HALL, *SUPERVISOR, "WRONG_HALL", "DEPARTMENT_NOT_FOUND"),
)
def list_cases(
    hall: str,
    hub: HubDep,
    staff: SupervisorDep,
    state: Annotated[list[str] | None, Query(max_length=10)] = None,
    light: Annotated[str | None, Query(pattern="^(none|paused|green|yellow|red)$")] = None,
    department: Annotated[str | None, Query(max_length=32)] = None,
) -> dict[str, Any]:
    found = cases.case_list(
        hub,
        hall_id=hall_id(hub, hall),
        staff=staff,
        states=state or [],
        light=light,
        department=department,
    )
    return {"cases": found}


@router.get(
    "/cases/{receipt}",
    response_model=CaseOut,
    summary="A case with every step (步步留痕), its due date and light",
    responses=errors(*HALL, *STAFF, "CASE_NOT_FOUND", "WRONG_HALL"),
)
def get_case(hall: str, receipt: Receipt, hub: HubDep, staff: StaffDep) -> dict[str, Any]:
    return cases.case_view(hub, hall_id=hall_id(hub, hall), staff=staff, receipt_no=receipt)


@router.post(
    "/cases/{receipt}/urgent",
    response_model=CaseOut,
    summary="急办: the centre designates the case, with an earlier due date",
    responses=errors(
        *HALL,
        *SUPERVISOR,
        "CASE_NOT_FOUND",
        "CASE_WRONG_STATE",
        "DEADLINE_IN_PAST",
        "DEADLINE_NOT_WORKING_DAY",
        "URGENT_AFTER_DUE",
        "WRONG_HALL",
    ),
)
def urgent(
    hall: str, receipt: Receipt, body: CaseUrgent, hub: HubDep, staff: SupervisorDep
) -> dict[str, Any]:
    return cases.set_urgent(
        hub, hall_id=hall_id(hub, hall), staff=staff, receipt_no=receipt, due=body.due
    )


@router.post(
    "/cases/{receipt}/print/{document}",
    response_model=CasePrint,
    summary="Print the 受理回执 (receipt) or 一次性告知书 (notice) on the window's printer",
    responses=errors(*HALL, *STAFF, "CASE_NOT_FOUND", "CASE_NOTHING_MISSING", "WRONG_HALL"),
)
def print_document(
    hall: str,
    receipt: Receipt,
    document: Literal["receipt", "notice"],
    hub: HubDep,
    staff: StaffDep,
    printing: PrintingDep,
) -> dict[str, Any]:
    hid = hall_id(hub, hall)
    route = None
    if printing is not None and staff.window_number is not None:
        route = printing.route_window(hall, staff.window_number)
    job = cases.print_case_document(
        hub, hall_id=hid, staff=staff, receipt_no=receipt, kind=document, route=route
    )
    if job is not None and printing is not None:
        printing.wake(hall)
    number = cases.normalise(receipt)
    return {
        "receipt_no": number,
        "document": document,
        "print": job,
        "page": f"/cases/{hall}/{number}/{document}",
    }


@router.post(
    "/cases/{receipt}/{action}",
    response_model=CaseOut,
    summary="The case's next step: accept, supplement (补办), resume, approve, return (退回), …",
    responses=errors(
        *HALL,
        *STAFF,
        *STEP,
        "CASE_NOT_IMMEDIATE",
        "CASE_REASON_REQUIRED",
        "CASE_MISSING_REQUIRED",
        "JOINT_SUBCASES_OPEN",
        "WRONG_HALL",
    ),
)
def step(
    hall: str,
    receipt: Receipt,
    action: CaseActionName,
    hub: HubDep,
    staff: StaffDep,
    body: CaseStepIn | None = None,
) -> dict[str, Any]:
    body = body or CaseStepIn()
    return cases.act(
        hub,
        hall_id=hall_id(hub, hall),
        staff=staff,
        receipt_no=receipt,
        action=action,
        note=body.note,
        missing=body.missing,
        version=body.version,
    )


@router.post(
    "/case-status",
    response_model=CitizenStatus,
    summary="A citizen's lookup: receipt number and the last four digits of the ID or phone",
    responses=errors(*HALL, "CASE_NOT_FOUND", "TOO_MANY_ATTEMPTS"),
)
def case_status(hall: str, body: CitizenLookup, hub: HubDep, request: Request) -> dict[str, Any]:
    return cases.citizen_status(
        hub,
        hall_code=hall,
        receipt_no=body.receipt_no,
        last4=body.last4,
        address=client_address(request),
    )
