"""The touch query kiosk (触摸查询机 + 取号机): one page, its static files, ticket QR codes.

The page's template and static files live in ``kiosk_ui/`` (the fixed layout); this
module is the web layer that serves them.

The page is a shell with the kiosk's configuration; everything else comes from the
public API (/api/v1/halls/{hall}/…) and, to issue and print, the kiosk's device token.

Provisioning: open ``/kiosk/{hall}?device=K01&token=<token>`` once (the token from
``hall device-token --hall demo --device K01``, or printed by ``hall demo``). The page
keeps the token in the browser's localStorage for that hall and device and removes it
from the address bar; afterwards ``/kiosk/{hall}?device=K01`` is enough.

Other query parameters: ``orientation=portrait|landscape`` (default: the device's
[[kiosk]] entry in devices.toml, else the screen's shape), ``idle=<seconds>`` before an
unattended screen returns home (5-600, default 90), ``lang=en``, ``elder=1``.

``/launcher.html`` is static/launcher.html, which a kiosk's or board's chromium opens from
disk at boot and which waits for ``/launcher/ready.js`` before opening the hub's page.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import qrcode
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from qrcode.constants import ERROR_CORRECT_M

import kiosk_ui
from server.domain.errors import MESSAGES, DomainError
from server.errors import CATALOGUE
from server.hardware import HallsHardware
from server.services import halls, tickets
from server.services.catalogue import GUIDE_FIELDS
from server.services.hub import Hub

from .auth import HubDep
from .static_files import MEDIA, static_file

log = logging.getLogger(__name__)
HERE = Path(kiosk_ui.__file__).resolve().parent
STATIC = HERE / "static"
# What a kiosk's or board's chromium opens from disk at boot (README: "Start kiosks and
# boards on the launcher"); the hub serves it for installers to download.
LAUNCHER = STATIC / "launcher.html"
templates = Jinja2Templates(directory=str(HERE / "templates"))
router = APIRouter(include_in_schema=False)

_DEVICE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
ORIENTATIONS = ("portrait", "landscape")
IDLE_DEFAULT, IDLE_MIN, IDLE_MAX = 90, 5, 600
# The smallest touch target, in CSS pixels: 15 mm on a 21.5" 1920x1080 panel
# (102 px per inch) is 60 px; 64 px leaves a margin and is 17 mm on a 24" panel.
MIN_TARGET_PX = 64


def _configured_orientation(halls: HallsHardware, hall_code: str, device: str | None) -> str | None:
    hardware = halls.for_hall(hall_code)
    config = hardware.config if hardware else None
    if not device or config is None:
        # A broken devices file is reported at start and by `hall check-config`; the
        # kiosk then follows the screen's shape rather than refusing to show anything.
        return None
    for kiosk in config.kiosk:
        if kiosk.id == device:
            return kiosk.orientation
    return None


def _idle_seconds(raw: str | None) -> int:
    try:
        value = int(raw) if raw else IDLE_DEFAULT
    except ValueError:
        value = IDLE_DEFAULT
    return max(IDLE_MIN, min(IDLE_MAX, value))


def kiosk_config(hub: Hub, request: Request, hall_code: str) -> dict[str, Any]:
    hall = halls.hall_by_code(hub, hall_code)
    q = request.query_params
    device = q.get("device") or None
    if device is not None and not _DEVICE.match(device):
        device = None
    orientation = q.get("orientation")
    if orientation not in ORIENTATIONS:
        hardware: HallsHardware = request.app.state.hardware
        orientation = _configured_orientation(hardware, hall.code, device) or "auto"
    return {
        "hall": {
            "code": hall.code,
            "name": hall.name,
            "name_en": hall.name_en,
            "notice": hall.notice,
            "phone": hall.phone,
            "address": hall.address,
            "timezone": hall.timezone,
            "green_channel_age": hall.green_channel_age,
            "languages": hall.languages,
        },
        "device": device,
        "orientation": orientation,
        "idle_seconds": _idle_seconds(q.get("idle")),
        "lang": "en" if q.get("lang") == "en" and "en" in hall.languages else "zh",
        "elder": q.get("elder") == "1",
        "api": f"/api/v1/halls/{hall.code}",
        "min_target_px": MIN_TARGET_PX,
        # The hub's time: the kiosk shows it and checks IDs' birth dates against it (a
        # hall PC's own clock drifts, and a test's hub runs on the test's clock).
        "now_ms": int(hub.now().timestamp() * 1000),
        "guide_fields": [{"key": k, "zh": zh, "en": en} for k, zh, en in GUIDE_FIELDS],
        # One source for every message the hub can answer with, Chinese first.
        "messages": {
            **{code: [zh, en] for code, (zh, en) in MESSAGES.items()},
            **{code: [zh, en] for code, (_status, zh, en) in CATALOGUE.items()},
        },
    }


@router.get("/kiosk/{hall_code}", response_class=HTMLResponse)
def kiosk_page(request: Request, hall_code: str, hub: HubDep) -> HTMLResponse:
    try:
        config = kiosk_config(hub, request, hall_code)
    except DomainError as err:
        return templates.TemplateResponse(
            request,
            "kiosk_error.html",
            {"zh": err.message_zh, "en": err.message_en},
            status_code=404,
        )
    return templates.TemplateResponse(
        request,
        "kiosk.html",
        {"config": config},
        # The page must never be served stale from a cache after an upgrade.
        headers={"Cache-Control": "no-cache"},
    )


def qr_svg(text: str, *, border: int = 2) -> str:
    """A QR code as one SVG path: crisp at any size, no image library needed."""
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=border)
    qr.add_data(text)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    size = len(matrix)
    path = "".join(
        f"M{x},{y}h1v1h-1z" for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'shape-rendering="crispEdges" role="img"><title>{escape(text)}</title>'
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path d="{path}" fill="#000"/></svg>'
    )


@router.get("/kiosk/{hall_code}/tickets/{token}/qr.svg")
def ticket_qr(hall_code: str, token: str, hub: HubDep) -> Response:
    """The QR code of a ticket's status page, for the kiosk screen to show."""
    view = tickets.ticket_by_token(hub, token)
    if view.hall_code != hall_code:
        raise DomainError("TICKET_NOT_FOUND")
    return Response(
        qr_svg(view.status_url),
        media_type="image/svg+xml",
        headers={"Cache-Control": "private, max-age=86400"},
    )


@router.get("/kiosk/static/{name}")
def static(name: str) -> Response:
    return static_file(STATIC, name)


@router.get("/launcher.html")
def launcher() -> FileResponse:
    """The launcher, for installers: ``curl -o /opt/hall/launcher.html http://hub:8000/launcher.html``."""
    return FileResponse(
        LAUNCHER, media_type="text/html; charset=utf-8", headers={"Cache-Control": "no-cache"}
    )


@router.get("/launcher/ready.js")
def launcher_ready(hub: HubDep) -> Response:
    """Whether the hub can serve pages: 200 when its database answers, else 503.

    launcher.html loads this as a ``<script>`` from file://, where it cannot read an
    answer: a script fires "load" only on a 2xx answer, so the status is what counts (a
    proxy's 502 is "not ready" too). Hence JavaScript, and a body that does nothing.
    Copies of the launcher on the devices rely on this path: keep it.
    """
    headers = {"Cache-Control": "no-store"}
    problem = hub.db.problem()
    if problem is not None:
        log.warning("launcher readiness: the database does not answer: %s", problem)
        return Response(
            "/* not ready */\n", status_code=503, media_type=MEDIA["js"], headers=headers
        )
    return Response("/* ready */\n", media_type=MEDIA["js"], headers=headers)
