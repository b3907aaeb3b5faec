"""好差评 over HTTP: the clerk's 评价, the window tablet, the phone page behind the
ticket's QR code, and the supervisors' figures and pages."""

from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import Field

from server.domain.errors import DomainError
from server.domain.rating import BAD_LEVELS, LEVELS, REASONS
from server.errors import HubError
from server.services import accounts, halls, rating_figures, rating_requests, ratings, windows
from server.services.accounts import DeviceKind, Role, StaffPrincipal
from server.services.halls import hall_id
from server.services.hub import Hub

from .auth import SESSION_COOKIE, HubDep, StaffDep, SupervisorDep, require_at_window, require_hall
from .pages import templates
from .schemas import Body
from .schemas.base import HALL, STAFF, SUPERVISOR, errors
from .schemas.ratings import (
    BadRating,
    DayRatings,
    PhoneRating,
    RatingOutcome,
    RequestAnswer,
    WindowRating,
)

log = logging.getLogger(__name__)
router = APIRouter(tags=["ratings"])
API = "/api/v1"
DEVICE_COOKIE = "hall_device"
DEVICE_COOKIE_DAYS = 365
# The window's tablet (a rating_pad token) or the clerk signed in at the window.
RATER = (
    *HALL,
    *STAFF,
    "FORBIDDEN",
    "DEVICE_WRONG_WINDOW",
    "NOT_AT_WINDOW",
    "WRONG_WINDOW",
    "WINDOW_NOT_FOUND",
)
# A rating refused is stored all the same, and answered as the error.
RATING_REFUSALS = (
    "RATING_NOT_OPEN",
    "RATING_ALREADY_GIVEN",
    "RATING_NOT_AVAILABLE",
    "RATING_REASON_NOT_ALLOWED",
)


class Rate(Body):
    level: int = Field(ge=1, le=5, description="5 非常满意 … 1 非常不满意")
    reason: int | None = Field(
        default=None, ge=1, le=6, description="only with levels 1-2: 1 服务态度 … 6 其他"
    )


def _choices() -> dict[str, Any]:
    return {
        "levels": [
            {"level": level, "name": zh, "name_en": en} for level, (zh, en) in LEVELS.items()
        ],
        "reasons": [
            {"reason": reason, "name": zh, "name_en": en} for reason, (zh, en) in REASONS.items()
        ],
    }


def _open(request: rating_requests.OpenRequest | None) -> dict[str, Any] | None:
    return asdict(request) if request else None


# ---- the clerk asks for a rating -------------------------------------------------------


@router.post(
    API + "/halls/{hall}/windows/{number}/rate",
    summary="评价: finish the current service and light the window's rating pad",
    response_model=RequestAnswer,
    responses=errors(
        *HALL,
        *STAFF,
        "NOT_AT_WINDOW",
        "WRONG_WINDOW",
        "WINDOW_NOT_FOUND",
        "NO_CURRENT_TICKET",
        "TICKET_NOT_CALLED",
        "NOTHING_TO_RATE",
        "RATING_ALREADY_GIVEN",
    ),
)
def request_rating(hall: str, number: int, hub: HubDep, staff: StaffDep) -> dict[str, Any]:
    hid = hall_id(hub, hall)
    require_at_window(staff, hid, number)
    windows.request_rating(hub, hall_id=hid, window_number=number, clerk_id=staff.staff_id)
    return {"open": _open(rating_requests.open_request(hub, hall_id=hid, window_number=number))}


# ---- the window's tablet (or the clerk's own session) -----------------------------------


def _window_rater(request: Request, hub: Hub, hall_code: str, number: int) -> int:
    """A rating tablet of this window (a rating_pad device token, as bearer or cookie),
    or the clerk signed in at the window. Returns the hall id."""
    hid = hall_id(hub, hall_code)
    header = request.headers.get("authorization", "")
    bearer = header[7:].strip() if header.lower().startswith("bearer ") else ""
    device_raw = bearer or request.cookies.get(DEVICE_COOKIE, "")
    if device_raw:
        try:
            device = accounts.device_from_token(hub, device_raw)
        except HubError:
            device = None
        if device is not None:
            _check_device(hub, device, hid, number)
            return hid
    staff_raw = bearer or request.cookies.get(SESSION_COOKIE, "")
    if not staff_raw:
        raise HubError("AUTH_REQUIRED")
    require_at_window(accounts.staff_from_token(hub, staff_raw), hid, number)
    return hid


def _check_device(hub: Hub, device: accounts.DevicePrincipal, hid: int, number: int) -> None:
    if device.kind is not DeviceKind.RATING_PAD:
        raise HubError("FORBIDDEN", device_kind=device.kind.value)
    if device.hall_id != hid:
        raise HubError("WRONG_HALL")
    window = halls.window_of(hub, hid, number)
    if device.window_id != window.id:
        raise HubError("DEVICE_WRONG_WINDOW", window=number)


@router.get(
    API + "/halls/{hall}/windows/{number}/rating",
    summary="The rating request open at a window (for its tablet), with the choices",
    response_model=WindowRating,
    responses=errors(*RATER),
)
def window_rating(hall: str, number: int, request: Request, hub: HubDep) -> dict[str, Any]:
    hid = _window_rater(request, hub, hall, number)
    current = rating_requests.open_request(hub, hall_id=hid, window_number=number)
    return {"window": number, "open": _open(current), **_choices()}


@router.post(
    API + "/halls/{hall}/windows/{number}/rating",
    status_code=201,
    summary="The citizen rates at the window's tablet",
    response_model=RatingOutcome,
    responses=errors(*RATER, *RATING_REFUSALS),
)
def rate_at_window(
    hall: str, number: int, body: Rate, request: Request, hub: HubDep
) -> dict[str, Any]:
    hid = _window_rater(request, hub, hall, number)
    outcome = ratings.rate_at_window(
        hub,
        hall_id=hid,
        window_number=number,
        level=body.level,
        reason=body.reason,
        channel=ratings.Channel.TABLET,
    )
    outcome.raise_if_rejected()  # stored as rejected all the same
    return asdict(outcome)


# ---- the citizen's phone ------------------------------------------------------------------


@router.get(
    API + "/tickets/{token}/rating",
    summary="Whether this ticket's service can be rated",
    response_model=PhoneRating,
    responses=errors("TICKET_NOT_FOUND"),
)
def phone_rating(token: str, hub: HubDep) -> dict[str, Any]:
    state = ratings.phone_rating(hub, token)
    if state is None:
        raise DomainError("TICKET_NOT_FOUND")
    return {**asdict(state), **_choices()}


@router.post(
    API + "/tickets/{token}/rating",
    status_code=201,
    summary="Rate a finished service by the ticket's QR code (once per ticket)",
    response_model=RatingOutcome,
    responses=errors("TICKET_NOT_FOUND", *RATING_REFUSALS),
)
def rate_by_phone(token: str, body: Rate, hub: HubDep) -> dict[str, Any]:
    outcome = ratings.rate_by_token(hub, token=token, level=body.level, reason=body.reason)
    outcome.raise_if_rejected()
    return asdict(outcome)


@router.get("/t/{token}/rate", response_class=HTMLResponse, include_in_schema=False)
def phone_page(request: Request, token: str, hub: HubDep) -> HTMLResponse:
    state = ratings.phone_rating(hub, token)
    if state is None:
        return templates.TemplateResponse(request, "ticket_missing.html", {}, status_code=404)
    return templates.TemplateResponse(
        request, "rate_phone.html", {"r": state, "token": token, "step": "levels", **_choices()}
    )


@router.post("/t/{token}/rate", response_class=HTMLResponse, include_in_schema=False)
def phone_submit(
    request: Request,
    token: str,
    hub: HubDep,
    level: Annotated[int, Form(ge=1, le=5)],
    reason: Annotated[int | None, Form(ge=1, le=6)] = None,
    no_reason: Annotated[bool, Form()] = False,
) -> HTMLResponse:
    state = ratings.phone_rating(hub, token)
    if state is None:
        return templates.TemplateResponse(request, "ticket_missing.html", {}, status_code=404)
    context: dict[str, Any] = {"r": state, "token": token, **_choices()}
    if level in BAD_LEVELS and reason is None and not no_reason and state.can_rate:
        # A 差评 may say why; the citizen may also send it without a reason.
        chosen = LEVELS[level]
        context.update(step="reasons", level=level, level_name=chosen[0], level_en=chosen[1])
        return templates.TemplateResponse(request, "rate_phone.html", context)
    outcome = ratings.rate_by_token(
        hub, token=token, level=level, reason=reason if level in BAD_LEVELS else None
    )
    context.update(step="done", outcome=outcome, level_name=LEVELS[level][0])
    status = 201 if outcome.accepted else 409
    return templates.TemplateResponse(request, "rate_phone.html", context, status_code=status)


@router.get("/rate/{hall}/{number}", response_class=HTMLResponse, include_in_schema=False)
def tablet_page(
    request: Request, hall: str, number: int, hub: HubDep, token: str | None = None
) -> Response:
    """The rating tablet of a window. Opened once as ``?token=<rating_pad device token>``,
    it keeps the token in a cookie and drops it from the address."""
    if token:
        try:
            device = accounts.device_from_token(hub, token)
            _check_device(hub, device, hall_id(hub, hall), number)
        except HubError as err:
            context = {"error": err, "hall": hall, "window": number}
            return templates.TemplateResponse(request, "rate_tablet.html", context, err.status)
        response = RedirectResponse(f"/rate/{hall}/{number}", status_code=303)
        response.set_cookie(
            DEVICE_COOKIE,
            token,
            httponly=True,
            samesite="strict",
            secure=hub.settings.cookie_secure,
            max_age=DEVICE_COOKIE_DAYS * 86400,
            path="/",
        )
        return response
    try:
        hid = _window_rater(request, hub, hall, number)
    except HubError as err:
        context = {"error": err, "hall": hall, "window": number}
        return templates.TemplateResponse(request, "rate_tablet.html", context, err.status)
    hall_row = halls.hall_by_id(hub, hid)
    window = halls.window_of(hub, hid, number)
    return templates.TemplateResponse(
        request,
        "rate_tablet.html",
        {
            "error": None,
            "hall": hall,
            "hall_name": hall_row.name,
            "window": number,
            "window_name": window.name,
            **_choices(),
        },
    )


# ---- supervisors ---------------------------------------------------------------------


@router.get(
    API + "/halls/{hall}/ratings",
    summary="The day's ratings per window and per clerk (levels, satisfaction, not rated)",
    response_model=DayRatings,
    responses=errors(*HALL, *SUPERVISOR),
)
def day_ratings(
    hall: str, hub: HubDep, staff: SupervisorDep, day: date | None = None
) -> dict[str, Any]:
    hid = hall_id(hub, hall)
    require_hall(staff, hid)
    return rating_figures.day_summary(hub, hall_id=hid, day=day)


@router.get(
    API + "/halls/{hall}/ratings/bad",
    summary="Every 差评 of the day, newest first",
    response_model=list[BadRating],
    responses=errors(*HALL, *SUPERVISOR),
)
def bad_ratings(
    hall: str, hub: HubDep, staff: SupervisorDep, day: date | None = None
) -> list[dict[str, Any]]:
    hid = hall_id(hub, hall)
    require_hall(staff, hid)
    return rating_figures.bad_ratings(hub, hall_id=hid, day=day)


def _page_staff(request: Request, hub: HubDep) -> StaffPrincipal | None:
    raw = request.cookies.get(SESSION_COOKIE)
    if not raw:
        return None
    try:
        return accounts.staff_from_token(hub, raw)
    except HubError:
        return None


PageStaff = Annotated[StaffPrincipal | None, Depends(_page_staff)]


@router.get("/supervisor/ratings", response_class=HTMLResponse, include_in_schema=False)
def supervisor_page(
    request: Request, hub: HubDep, staff: PageStaff, hall: str | None = None
) -> HTMLResponse:
    """The day's tables and every 差评 as it comes in; signs in first if needed."""
    allowed = staff is not None and staff.role in (Role.SUPERVISOR, Role.ADMIN)
    code = hall
    if allowed and staff is not None and staff.hall_id is not None:
        code = halls.hall_by_id(hub, staff.hall_id).code
    return templates.TemplateResponse(
        request,
        "supervisor_ratings.html",
        {
            "signed_in": allowed,
            "denied": staff is not None and not allowed,
            "hall": code,
            "staff": staff,
        },
    )
