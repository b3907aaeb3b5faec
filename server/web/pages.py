"""Server-rendered pages: the front door, the ticket status page behind the QR code, and
the clerk screen (窗口工作台) with its static files."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from server.domain.errors import DomainError
from server.services import halls, tickets

from .auth import HubDep
from .static_files import static_file

templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
STATIC = Path(__file__).with_name("static")
router = APIRouter(include_in_schema=False)

STATUS_TEXT = {
    "waiting": ("等候中", "Waiting"),
    "called": ("请到窗口办理", "Please go to the window"),
    "serving": ("办理中", "Being served"),
    "held": ("已挂起，请留意叫号", "On hold; listen for your number"),
    "no_show": ("已过号，请到咨询台", "Missed; please ask at the guide desk"),
    "done": ("已办结", "Done"),
    "cancelled": ("已取消", "Cancelled"),
    "expired": ("已过期", "Expired"),
}


@router.get("/", response_class=HTMLResponse)
def index(request: Request, hub: HubDep) -> HTMLResponse:
    return templates.TemplateResponse(request, "index.html", {"halls": halls.halls(hub)})


@router.get("/t/{token}", response_class=HTMLResponse)
def ticket_page(request: Request, token: str, hub: HubDep) -> HTMLResponse:
    try:
        view = tickets.ticket_by_token(hub, token)
    except DomainError:
        return templates.TemplateResponse(request, "ticket_missing.html", {}, status_code=404)
    zh, en = STATUS_TEXT.get(view.status, (view.status, view.status))
    hall = halls.hall_by_code(hub, view.hall_code)
    issued_local = view.issued_at.astimezone(ZoneInfo(hall.timezone))
    return templates.TemplateResponse(
        request,
        "ticket.html",
        {"t": view, "status_zh": zh, "status_en": en, "issued_local": issued_local},
        headers={"Refresh": "15"},
    )


@router.get("/clerk", response_class=HTMLResponse)
def clerk_screen(
    request: Request, hub: HubDep, hall: str | None = None, window: int | None = None
) -> HTMLResponse:
    """窗口工作台: sign in at a window, then every window action, with shortcuts."""
    if hall is None:
        codes = halls.hall_codes(hub)
        hall = codes[0] if len(codes) == 1 else None
    return templates.TemplateResponse(
        request, "clerk.html", {"config": {"hall": hall, "window": window}}
    )


@router.get("/static/kit/{name}")
def static_kit(name: str) -> Response:
    """The front-end kit every screen imports (websocket, API calls, DOM, words)."""
    return static_file(STATIC / "kit", name)


@router.get("/static/{name}")
def static(name: str) -> Response:
    return static_file(STATIC, name)
