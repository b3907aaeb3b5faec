"""Who is calling: staff (bearer token or session cookie) or a device (its token)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Response

from server.errors import HubError
from server.services import accounts, halls
from server.services.accounts import DeviceKind, DevicePrincipal, Role, StaffPrincipal
from server.services.audit import Actor, ActorKind
from server.services.hub import Hub

SESSION_COOKIE = "hall_session"


def get_hub(request: Request) -> Hub:
    hub: Hub = request.app.state.hub
    return hub


HubDep = Annotated[Hub, Depends(get_hub)]


def _raw_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return request.cookies.get(SESSION_COOKIE)


def set_session_cookie(response: Response, hub: Hub, raw_token: str) -> None:
    """The staff session cookie of the pages (the API also takes the bearer token)."""
    response.set_cookie(
        SESSION_COOKIE,
        raw_token,
        httponly=True,
        samesite="strict",
        secure=hub.settings.cookie_secure,
        max_age=int(hub.settings.session_hours * 3600),
    )


def client_address(request: Request) -> str:
    """The peer's address as the web server gives it. Forwarded-for headers are not read
    here: uvicorn puts a trusted proxy's client in their place (--forwarded-allow-ips,
    FORWARDED_ALLOW_IPS; only 127.0.0.1 by default), and nobody else's are believed."""
    return request.client.host if request.client else ""


def actor_of(request: Request, staff: StaffPrincipal) -> Actor:
    """Who asks for a change, for the audit log."""
    return Actor(
        ActorKind.STAFF,
        label=staff.staff_no,
        address=client_address(request),
        staff_id=staff.staff_id,
        name=staff.name,
    )


def current_staff(request: Request, hub: HubDep) -> StaffPrincipal:
    raw = _raw_token(request)
    if not raw:
        raise HubError("AUTH_REQUIRED")
    return accounts.staff_from_token(hub, raw)


StaffDep = Annotated[StaffPrincipal, Depends(current_staff)]


def require_role(*roles: Role) -> Callable[[StaffPrincipal], StaffPrincipal]:
    def check(staff: StaffDep) -> StaffPrincipal:
        if staff.role not in roles:
            raise HubError("FORBIDDEN", role=staff.role.value)
        return staff

    return check


SupervisorDep = Annotated[StaffPrincipal, Depends(require_role(Role.SUPERVISOR, Role.ADMIN))]
AdminDep = Annotated[StaffPrincipal, Depends(require_role(Role.ADMIN))]


def require_installation_admin(staff: AdminDep) -> StaffPrincipal:
    """An admin of every hall (no hall of her own): creates and closes halls, keeps the
    national calendar."""
    if staff.hall_id is not None:
        raise HubError("INSTALLATION_ADMIN_ONLY")
    return staff


InstallationAdminDep = Annotated[StaffPrincipal, Depends(require_installation_admin)]


def current_device(request: Request, hub: HubDep) -> DevicePrincipal:
    raw = _raw_token(request)
    if not raw:
        raise HubError("AUTH_REQUIRED")
    return accounts.device_from_token(hub, raw)


DeviceDep = Annotated[DevicePrincipal, Depends(current_device)]


def require_device(device: DevicePrincipal, *kinds: DeviceKind, hall_id: int) -> None:
    if device.kind not in kinds:
        raise HubError("FORBIDDEN", device_kind=device.kind.value)
    if device.hall_id != hall_id:
        raise HubError("WRONG_HALL")


def require_hall(staff: StaffPrincipal, hall_id: int) -> None:
    if not staff.may_see_hall(hall_id):
        raise HubError("WRONG_HALL")


def require_at_window(staff: StaffPrincipal, hall_id: int, window_number: int) -> None:
    """A clerk acts only on the window she is signed in at."""
    require_hall(staff, hall_id)
    if staff.window_number is None:
        raise HubError("NOT_AT_WINDOW")
    if staff.window_number != window_number:
        raise HubError("WRONG_WINDOW", window=window_number, signed_in_at=staff.window_number)


@dataclass(frozen=True)
class PageHall:
    """The hall an admin page is about, and the halls its admin may pick from."""

    id: int
    code: str
    choices: list[str]


def page_hall(hub: Hub, staff: StaffPrincipal, asked: str | None) -> PageHall:
    """The one rule of every admin page: a hall's admin sees her own hall (asking for
    another is WRONG_HALL); the installation's admin the hall asked for (``?hall=``; one
    that does not exist is HALL_NOT_FOUND, never another hall in its place), else the
    first; NO_HALL_YET before any hall exists."""
    if staff.hall_id is not None:
        own = halls.hall_by_id(hub, staff.hall_id).code
        if asked and asked != own:
            raise HubError("WRONG_HALL")
        return PageHall(staff.hall_id, own, [own])
    codes = halls.hall_codes(hub)
    if not codes:
        raise HubError("NO_HALL_YET")
    code = asked or codes[0]
    if code not in codes:
        raise HubError("HALL_NOT_FOUND", hall=code)
    return PageHall(halls.hall_id(hub, code), code, codes)


def devices_hall(
    hub: Hub, staff: StaffPrincipal, asked: str | None, configured: list[str]
) -> str | None:
    """The hall whose devices a device page shows: as ``page_hall``, except that the
    installation's admin who asks for none sees the first hall that has a devices file
    (None when none has)."""
    if staff.hall_id is None and not asked:
        return configured[0] if configured else None
    return page_hall(hub, staff, asked).code
