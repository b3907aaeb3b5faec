"""The catalogue's admin pages: /admin/departments, /admin/items (the list, its filters
and order), /admin/items/new and /admin/items/{code} (the whole 办事指南), and
/admin/catalogue (the template, the export, an import with its dry run).

Server-rendered; their forms talk to the JSON API (admin_items.js), so a page, the API
and the import meet the same rules and the same errors. A hall's admin sees her hall; an
installation-wide admin picks one (``?hall=``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from server.domain.errors import DomainError
from server.domain.guide import MATERIAL_FORMS
from server.errors import HubError
from server.services import catalogue_admin as catalogue

from .admin_pages import _admin, _base, _login_page, templates
from .auth import HubDep, page_hall

router = APIRouter(include_in_schema=False)
API = "/api/v1/admin/halls/{hall}"


def _page(request: Request, hub: HubDep, template: str, next_page: str, build: Any) -> Response:
    try:
        staff = _admin(request, hub)
        hall = page_hall(hub, staff, request.query_params.get("hall"))
        hid, code = hall.id, hall.code
        values = build(hid, code)
    except HubError as err:
        return _login_page(request, hub, err, next_page)
    choices = catalogue.form_choices(hub, hall_id=hid)
    return templates.TemplateResponse(
        request,
        template,
        {
            **_base(staff),
            "hall": code,
            "halls": hall.choices,
            "choices": choices,
            "saved": request.query_params.get("saved") == "1",
            **values,
        },
    )


@router.get("/admin/departments", response_class=HTMLResponse)
def departments_page(request: Request, hub: HubDep) -> Response:
    def build(hid: int, code: str) -> dict[str, Any]:
        rows = catalogue.department_rows(hub, hall_id=hid)
        return {
            "departments": rows,
            "config": {"page": "departments", "api": API.format(hall=code), "rows": rows},
        }

    return _page(request, hub, "admin_departments.html", "/admin/departments", build)


def _flag(raw: str | None) -> bool | None:
    return {"1": True, "0": False}.get(raw or "")


@router.get("/admin/items", response_class=HTMLResponse)
def items_page(request: Request, hub: HubDep) -> Response:
    params = request.query_params
    department = params.get("department") or None
    active = _flag(params.get("active"))
    q = (params.get("q") or "")[:50] or None
    filters: dict[str, Any] = {"department": department, "active": active, "q": q}

    def build(hid: int, code: str) -> dict[str, Any]:
        rows = catalogue.item_rows(hub, hall_id=hid, department=department, active=active, q=q)
        filtered = any(v is not None for v in filters.values())
        return {
            "items": rows,
            "filters": {**filters, "active": params.get("active", "")},
            "filtered": filtered,
            "config": {
                "page": "items",
                "api": API.format(hall=code),
                "order": [i["code"] for i in rows],
                "reorderable": not filtered,
            },
        }

    return _page(request, hub, "admin_items.html", "/admin/items", build)


def _item_form(request: Request, hub: HubDep, code: str | None) -> Response:
    target = f"/admin/items/{code}" if code else "/admin/items"

    def build(hid: int, hall: str) -> dict[str, Any]:
        if code is None:
            item: dict[str, Any] = {
                "code": "",
                "name": "",
                "name_en": "",
                "department": None,
                "queue": None,
                "active": False,
                "sort": 0,
                "hot": 0,
                "aliases": [],
                "keywords": [],
                "pinyin_initials": "",
                "guide": {
                    "materials": [{"name": "", "form": "原件", "copies": 1}],
                    "procedure": ["取号", "窗口受理"],
                },
                "version": None,
            }
        else:
            try:
                item = catalogue.item_row(hub, hall_id=hid, code=code)
            except DomainError as err:
                raise HubError("NOT_FOUND", item=code) from err
        return {
            "item": item,
            "creating": code is None,
            "config": {
                "page": "item",
                "api": API.format(hall=hall),
                "mode": "create" if code is None else "edit",
                "code": item["code"],
                "version": item["version"],
                "hall": hall,
                "forms": list(MATERIAL_FORMS),
                "materials": item["guide"].get("materials") or [],
                "procedure": item["guide"].get("procedure") or [],
            },
        }

    return _page(request, hub, "admin_item_form.html", target, build)


@router.get("/admin/items/new", response_class=HTMLResponse)
def new_item_page(request: Request, hub: HubDep) -> Response:
    return _item_form(request, hub, None)


@router.get("/admin/items/{code}", response_class=HTMLResponse)
def item_page(request: Request, hub: HubDep, code: str) -> Response:
    return _item_form(request, hub, code)


@router.get("/admin/catalogue", response_class=HTMLResponse)
def catalogue_page(request: Request, hub: HubDep) -> Response:
    def build(hid: int, code: str) -> dict[str, Any]:
        return {"config": {"page": "catalogue", "api": API.format(hall=code), "hall": code}}

    return _page(request, hub, "admin_catalogue.html", "/admin/catalogue", build)
