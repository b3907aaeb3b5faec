"""The admin pages of a hall's attachments (/admin/attachments) and life events
(/admin/life-events). Server-rendered; they change things through the JSON API
(admin_bundles.js), so the page meets the same rules and errors as any client.

A hall's admin sees her hall; an installation admin picks one (?hall=code)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from server.domain.attachments import CONTENT_TYPES, MAX_BYTES
from server.domain.life_events import MIN_ITEMS
from server.errors import HubError
from server.services import attachments, catalogue, life_events
from server.services.accounts import StaffPrincipal

from .admin_pages import _admin, _base, _login_page, templates
from .auth import HubDep, page_hall

router = APIRouter(include_in_schema=False)


def _page(request: Request, hub: HubDep) -> tuple[StaffPrincipal, str, int, list[str]]:
    staff = _admin(request, hub)
    hall = page_hall(hub, staff, request.query_params.get("hall"))
    return staff, hall.code, hall.id, hall.choices


@router.get("/admin/attachments", response_class=HTMLResponse)
def attachments_page(request: Request, hub: HubDep) -> Response:
    try:
        staff, code, hid, codes = _page(request, hub)
    except HubError as err:
        return _login_page(request, hub, err, "/admin/attachments")
    rows = attachments.attachment_rows(hub, hall_id=hid)
    api = f"/api/v1/admin/halls/{code}/attachments"
    return templates.TemplateResponse(
        request,
        "admin_attachments.html",
        {
            **_base(staff),
            "hall": code,
            "halls": codes,
            "rows": rows,
            "kinds": attachments.KIND_NAMES,
            "max_mb": MAX_BYTES // (1024 * 1024),
            "accept": ",".join(CONTENT_TYPES),
            "api": api,
            "config": {"page": "attachments", "api": api, "hall": code},
        },
    )


@router.get("/admin/life-events", response_class=HTMLResponse)
def life_events_page(request: Request, hub: HubDep) -> Response:
    try:
        staff, code, hid, codes = _page(request, hub)
    except HubError as err:
        return _login_page(request, hub, err, "/admin/life-events")
    rows = life_events.event_rows(hub, hall_id=hid)
    items: dict[str, dict[str, Any]] = {
        i["code"]: {"code": i["code"], "name": i["name"], "active": True}
        for i in catalogue.catalogue(hub, code)["items"]
    }
    for row in rows:  # an inactive item still in a bundle can be kept, or removed
        for m in row["items"]:
            items.setdefault(m["item"], {"code": m["item"], "name": m["name"], "active": False})
    api = f"/api/v1/admin/halls/{code}/life-events"
    return templates.TemplateResponse(
        request,
        "admin_life_events.html",
        {
            **_base(staff),
            "hall": code,
            "halls": codes,
            "rows": rows,
            "min_items": MIN_ITEMS,
            "config": {
                "page": "life-events",
                "api": api,
                "hall": code,
                "events": rows,
                "items": sorted(items.values(), key=lambda i: i["code"]),
                "min_items": MIN_ITEMS,
            },
        },
    )
