"""The A4 pages of a case's 受理回执 and 一次性告知书, for a window without a receipt
printer or a file copy; the same content as the printed slip."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from server.errors import HubError
from server.services import cases, print_documents
from server.services.halls import hall_id

from .auth import HubDep, current_staff
from .pages import templates

router = APIRouter(include_in_schema=False)
TITLES = {"receipt": "受理回执", "notice": "一次性告知书"}


@router.get("/cases/{hall}/{receipt}/{kind}", response_class=HTMLResponse)
def case_page(
    hall: str, receipt: str, kind: Literal["receipt", "notice"], request: Request, hub: HubDep
) -> HTMLResponse:
    try:
        staff = current_staff(request, hub)
        view, _, row = cases.case_document(
            hub, hall_id=hall_id(hub, hall), staff=staff, receipt_no=receipt, kind=kind
        )
    except HubError as err:
        return HTMLResponse(
            f"<!doctype html><html lang='zh-CN'><title>{err.code}</title>"
            f"<p>{err.message_zh} / {err.message_en}</p></html>",
            status_code=err.status,
        )
    guide = cases.item_guide(hub, hall_id=row.id or 0, item_code=view["item"])
    materials = {m.get("name"): m for m in guide.get("materials") or [] if isinstance(m, dict)}
    zone = ZoneInfo(row.timezone)
    context: dict[str, Any] = {
        "title": TITLES[kind],
        "kind": kind,
        "case": view,
        "hall": row,
        "guide": guide,
        "missing": [
            {
                "name": name,
                "form": (
                    f"{materials[name].get('form', '')} {materials[name].get('copies', 1)} 份"
                    if name in materials
                    else ""
                ),
            }
            for name in view["missing"]
        ],
        "received": datetime.fromisoformat(view["received_at"])
        .astimezone(zone)
        .strftime("%Y-%m-%d %H:%M"),
        "today": hub.now().astimezone(zone).strftime("%Y-%m-%d"),
        "footer": print_documents.case_footer(row, guide),
    }
    return templates.TemplateResponse(request, "case_document.html", context)
