"""Sign-in, window actions for clerks, views and reports for supervisors."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from fastapi import APIRouter, Request, Response

from server.services import accounts, reports, tickets, windows
from server.services.accounts import Role, StaffPrincipal
from server.services.audit import Actor
from server.services.halls import hall_id

from .auth import (
    SESSION_COOKIE,
    HubDep,
    StaffDep,
    SupervisorDep,
    actor_of,
    client_address,
    require_at_window,
    require_hall,
    set_session_cookie,
)
from .schemas import CallBack, CallTicket, Login, Pause, Transfer
from .schemas.base import HALL, STAFF, SUPERVISOR, errors
from .schemas.bodies import PasswordChange
from .schemas.tickets import Ticket
from .schemas.windows import DailyReport, LoginAnswer, Me, WindowView

# A clerk acts only at the window she is signed in at.
AT_WINDOW = (*HALL, *STAFF, "NOT_AT_WINDOW", "WRONG_WINDOW", "WINDOW_NOT_FOUND")
# What the queue rules can refuse to each window action (server/domain/engine.py).
CURRENT = ("NO_CURRENT_TICKET",)
CALLED = (*CURRENT, "TICKET_NOT_CALLED")
REFUSALS: dict[str, tuple[str, ...]] = {
    "call-next": ("WINDOW_PAUSED",),
    "recall": (*CALLED, "RECALL_LIMIT_REACHED"),
    "start": CALLED,
    "finish": CURRENT,
    "no-show": CALLED,
    "hold": CURRENT,
    "call-back": ("TICKET_NOT_FOUND", "TICKET_NOT_HELD", "TICKET_HELD_ELSEWHERE", "WINDOW_PAUSED"),
    "call": (
        "TICKET_NOT_FOUND",
        "WINDOW_PAUSED",
        "TICKET_NOT_WAITING",
        "WINDOW_DOES_NOT_SERVE_QUEUE",
        "TICKET_FOR_OTHER_WINDOW",
    ),
    "transfer": (
        *CURRENT,
        "TRANSFER_TARGET_REQUIRED",
        "QUEUE_NOT_FOUND",
        "WINDOW_DOES_NOT_SERVE_QUEUE",
    ),
    "pause": ("PAUSE_REASON_REQUIRED", "WINDOW_ALREADY_PAUSED"),
    "resume": ("WINDOW_NOT_PAUSED",),
}


def action(name: str) -> dict[str, Any]:
    return {
        "response_model": WindowView,
        "response_model_exclude_unset": True,  # WindowView.seq: absent, not null
        "responses": errors(*AT_WINDOW, *REFUSALS[name]),
    }


router = APIRouter(prefix="/api/v1", tags=["staff"])


def _me(p: StaffPrincipal) -> dict[str, Any]:
    return {
        "staff_no": p.staff_no,
        "name": p.name,
        "role": p.role.value,
        "hall_id": p.hall_id,
        "window": p.window_number,
        "must_change_password": p.must_change_password,
    }


@router.post(
    "/auth/login",
    summary="Staff sign-in; returns an API token and sets a session cookie",
    response_model=LoginAnswer,
    responses=errors(
        *HALL,
        "BAD_CREDENTIALS",
        "ACCOUNT_LOCKED",
        "WINDOW_NOT_FOUND",
        "WINDOW_TAKEN",
        "WINDOW_NOT_ALLOWED",
    ),
)
def login(body: Login, hub: HubDep, request: Request, response: Response) -> dict[str, Any]:
    raw, principal = accounts.login(
        hub,
        hall_code=body.hall,
        staff_no=body.staff_no,
        password=body.password,
        window_number=body.window,
        actor=Actor.anonymous(client_address(request)),
    )
    set_session_cookie(response, hub, raw)
    return {"token": raw, "token_type": "bearer", "staff": _me(principal)}


@router.post(
    "/auth/logout",
    status_code=204,
    summary="Sign out, leaving the window",
    responses=errors("AUTH_REQUIRED", "AUTH_INVALID", validated=False),
)
def logout(staff: StaffDep, hub: HubDep, request: Request, response: Response) -> Response:
    accounts.logout(hub, staff, actor=actor_of(request, staff))
    response.delete_cookie(SESSION_COOKIE)
    response.status_code = 204
    return response


@router.post(
    "/auth/password",
    status_code=204,
    summary="Change one's own password (after a reset, the old one is the temporary one)",
    responses=errors("AUTH_REQUIRED", "AUTH_INVALID", "BAD_CREDENTIALS"),
)
def change_password(
    body: PasswordChange, staff: StaffDep, hub: HubDep, request: Request
) -> Response:
    accounts.change_password(
        hub,
        staff,
        old=body.old_password,
        new=body.new_password,
        actor=actor_of(request, staff),
    )
    return Response(status_code=204)


@router.get(
    "/auth/me",
    response_model=Me,
    responses=errors("AUTH_REQUIRED", "AUTH_INVALID", validated=False),
)
def me(staff: StaffDep) -> dict[str, Any]:
    return _me(staff)


@router.get(
    "/halls/{hall}/windows/{number}",
    summary="A window's state, as the clerk screen shows it",
    response_model=WindowView,
    response_model_exclude_unset=True,
    responses=errors(*HALL, *STAFF, "WINDOW_NOT_FOUND"),
)
def window_state(hall: str, number: int, hub: HubDep, staff: StaffDep) -> dict[str, Any]:
    hid = hall_id(hub, hall)
    require_hall(staff, hid)
    return asdict(windows.get_window_view(hub, hall_id=hid, number=number))


def _act(
    hub: Any, staff: StaffPrincipal, hall: str, number: int, command: windows.Command
) -> dict[str, Any]:
    hid = hall_id(hub, hall)
    require_at_window(staff, hid, number)
    view = windows.run_command(
        hub, hall_id=hid, window_number=number, clerk_id=staff.staff_id, command=command
    )
    return asdict(view)


@router.post(
    "/halls/{hall}/windows/{number}/call-next",
    summary="Finish the current ticket and call the next",
    **action("call-next"),
)
def call_next(hall: str, number: int, hub: HubDep, staff: StaffDep) -> dict[str, Any]:
    return _act(hub, staff, hall, number, windows.call_next)


@router.post(
    "/halls/{hall}/windows/{number}/recall",
    summary="Call the current ticket again",
    **action("recall"),
)
def recall(hall: str, number: int, hub: HubDep, staff: StaffDep) -> dict[str, Any]:
    return _act(hub, staff, hall, number, windows.recall)


@router.post(
    "/halls/{hall}/windows/{number}/start",
    summary="The citizen arrived: service starts",
    **action("start"),
)
def start(hall: str, number: int, hub: HubDep, staff: StaffDep) -> dict[str, Any]:
    return _act(hub, staff, hall, number, windows.start)


@router.post(
    "/halls/{hall}/windows/{number}/finish", summary="Service finished", **action("finish")
)
def finish(hall: str, number: int, hub: HubDep, staff: StaffDep) -> dict[str, Any]:
    return _act(hub, staff, hall, number, windows.finish)


@router.post(
    "/halls/{hall}/windows/{number}/no-show",
    summary="过号: the citizen did not come",
    **action("no-show"),
)
def no_show(hall: str, number: int, hub: HubDep, staff: StaffDep) -> dict[str, Any]:
    return _act(hub, staff, hall, number, windows.no_show)


@router.post(
    "/halls/{hall}/windows/{number}/hold",
    summary="挂起: put the current ticket on hold",
    **action("hold"),
)
def hold(hall: str, number: int, hub: HubDep, staff: StaffDep) -> dict[str, Any]:
    return _act(hub, staff, hall, number, windows.hold)


@router.post(
    "/halls/{hall}/windows/{number}/call-back",
    summary="回呼: call a held ticket back",
    **action("call-back"),
)
def call_back(
    hall: str, number: int, body: CallBack, hub: HubDep, staff: StaffDep
) -> dict[str, Any]:
    return _act(hub, staff, hall, number, windows.call_back(body.ticket))


@router.post(
    "/halls/{hall}/windows/{number}/call",
    summary="Call a specific waiting ticket",
    **action("call"),
)
def call_specific(
    hall: str, number: int, body: CallTicket, hub: HubDep, staff: StaffDep
) -> dict[str, Any]:
    return _act(hub, staff, hall, number, windows.call_specific(body.ticket))


@router.post(
    "/halls/{hall}/windows/{number}/transfer",
    summary="转移: to another queue and/or window",
    **action("transfer"),
)
def transfer(
    hall: str, number: int, body: Transfer, hub: HubDep, staff: StaffDep
) -> dict[str, Any]:
    return _act(
        hub, staff, hall, number, windows.transfer(queue_code=body.queue, window_number=body.window)
    )


@router.post(
    "/halls/{hall}/windows/{number}/pause", summary="暂停服务, with a reason", **action("pause")
)
def pause(hall: str, number: int, body: Pause, hub: HubDep, staff: StaffDep) -> dict[str, Any]:
    return _act(hub, staff, hall, number, windows.pause(body.reason))


@router.post("/halls/{hall}/windows/{number}/resume", summary="恢复服务", **action("resume"))
def resume(hall: str, number: int, hub: HubDep, staff: StaffDep) -> dict[str, Any]:
    return _act(hub, staff, hall, number, windows.resume)


@router.post(
    "/halls/{hall}/windows/{number}/release",
    status_code=204,
    summary="Sign a clerk out of a window",
    responses=errors(*HALL, *SUPERVISOR, "WINDOW_NOT_FOUND"),
)
def release(
    hall: str, number: int, hub: HubDep, staff: SupervisorDep, request: Request
) -> Response:
    hid = hall_id(hub, hall)
    require_hall(staff, hid)
    accounts.release_window(hub, hall_id=hid, number=number, actor=actor_of(request, staff))
    return Response(status_code=204)


@router.get(
    "/halls/{hall}/tickets/{code}",
    summary="A ticket of today, by its number",
    response_model=Ticket,
    responses=errors(*HALL, *STAFF, "TICKET_NOT_FOUND"),
)
def ticket(hall: str, code: str, hub: HubDep, staff: StaffDep) -> dict[str, Any]:
    hid = hall_id(hub, hall)
    require_hall(staff, hid)
    return asdict(tickets.ticket_by_code(hub, hall_id=hid, code=code))


def _staff_of_hall_at_work(staff: StaffPrincipal, hid: int) -> None:
    require_hall(staff, hid)
    if staff.role is Role.CLERK and staff.window_number is None:
        from server.errors import HubError

        raise HubError("NOT_AT_WINDOW")


@router.post(
    "/halls/{hall}/tickets/{code}/cancel",
    summary="Cancel a ticket",
    response_model=Ticket,
    responses=errors(*HALL, *STAFF, "NOT_AT_WINDOW", "TICKET_NOT_FOUND", "TICKET_CLOSED"),
)
def cancel(hall: str, code: str, hub: HubDep, staff: StaffDep) -> dict[str, Any]:
    hid = hall_id(hub, hall)
    _staff_of_hall_at_work(staff, hid)
    return asdict(tickets.cancel_ticket(hub, hall_id=hid, code=code, clerk_id=staff.staff_id))


@router.post(
    "/halls/{hall}/tickets/{code}/reactivate",
    summary="A no-show came back in time: back in line",
    response_model=Ticket,
    responses=errors(
        *HALL, *STAFF, "NOT_AT_WINDOW", "TICKET_NOT_FOUND", "TICKET_NOT_NO_SHOW", "NO_SHOW_EXPIRED"
    ),
)
def reactivate(hall: str, code: str, hub: HubDep, staff: StaffDep) -> dict[str, Any]:
    hid = hall_id(hub, hall)
    _staff_of_hall_at_work(staff, hid)
    return asdict(tickets.reactivate_ticket(hub, hall_id=hid, code=code, clerk_id=staff.staff_id))


@router.get(
    "/halls/{hall}/report",
    summary="The day's waits and service times per queue and window",
    response_model=DailyReport,
    responses=errors(*HALL, *SUPERVISOR),
)
def report(hall: str, hub: HubDep, staff: SupervisorDep, day: date | None = None) -> dict[str, Any]:
    hid = hall_id(hub, hall)
    require_hall(staff, hid)
    return reports.daily_report(hub, hall_id=hid, day=day)
