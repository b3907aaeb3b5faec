"""The audit log page (操作日志) for admins: filters, the entries newest first, paging,
and the CSV export. Admins sign in on the admin pages' form (session cookie)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from server.domain.errors import DomainError
from server.errors import HubError
from server.services import audit, halls
from server.services.accounts import Role
from server.services.audit import EntryView

from .api_audit import AuditFilters, audit_query
from .auth import HubDep, current_staff
from .schemas.audit import day_or_moment

templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
router = APIRouter(prefix="/admin/audit", include_in_schema=False)
PAGE = "/admin/audit"
PER_PAGE = 50
ACTION_CHOICES = [
    ("", "全部", "all"),
    ("hall.", "大厅设置", "hall settings"),
    ("queue.", "队列", "queues"),
    ("window.", "窗口", "windows"),
    ("staff.", "工作人员", "staff"),
    ("device.", "设备", "devices"),
    ("auth.", "登录与退出", "sign-in and sign-out"),
    ("auth.login_failed", "登录失败", "refused sign-ins"),
]
# What a secret's field says instead of the secret (services/audit.py).
SECRET_WORDS = {
    audit.SECRET_SET: "已设置 / set",
    audit.TOKEN_ISSUED: "已生成 / issued",
    audit.TOKEN_ROTATED: "已更换 / replaced",
}


def _value(field: str, value: Any) -> str:
    if value is None:
        return "—"
    if field in ("password", "token") and value in SECRET_WORDS:
        return SECRET_WORDS[value]
    if isinstance(value, bool):
        return "是 yes" if value else "否 no"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value) if value != "" else "（空 empty）"


def _changes(entry: EntryView) -> list[dict[str, str]]:
    before, after = entry.before or {}, entry.after or {}
    return [
        {
            "field": field,
            "before": _value(field, before.get(field)) if entry.before is not None else "—",
            "after": _value(field, after.get(field)),
        }
        # By name: PostgreSQL's jsonb keeps no key order, so the stored order is no order.
        for field in sorted({*before, *after})
    ]


def _row(entry: EntryView) -> dict[str, Any]:
    action = audit.ACTIONS.get(entry.action, (entry.action, entry.action))
    entity = audit.ENTITIES.get(entry.entity_kind, (entry.entity_kind, entry.entity_kind))
    kind = audit.ACTOR_KINDS.get(entry.actor_kind, (entry.actor_kind, entry.actor_kind))
    return {
        "entry": entry,
        "at": entry.at_local.strftime("%Y-%m-%d %H:%M:%S"),
        "action_zh": action[0],
        "action_en": action[1],
        "entity_zh": entity[0],
        "entity_en": entity[1],
        "kind_zh": kind[0],
        "kind_en": kind[1],
        "changes": _changes(entry),
    }


def _login_page(request: Request, error: str, status: int) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        "admin_printers_login.html",
        {"error": error, "next": PAGE, "heading": ("操作日志", "Audit log")},
        status_code=status,
    )


@router.get("", response_class=HTMLResponse)
def audit_page(
    request: Request,
    hub: HubDep,
    hall: str = Query("", max_length=32),
    since: str = Query("", alias="from", max_length=40),
    until: str = Query("", alias="to", max_length=40),
    actor: str = Query("", max_length=64),
    action: str = Query("", max_length=48),
    entity: str = Query("", max_length=100),
    cursor: str = Query("", pattern=r"^[0-9]{0,18}$"),
) -> HTMLResponse:
    try:
        staff = current_staff(request, hub)
        if staff.role is not Role.ADMIN:
            raise HubError("FORBIDDEN", role=staff.role.value)
    except HubError as err:
        return _login_page(request, err.message_zh if err.status == 403 else "", err.status)
    problems = []
    moments = {}
    for name, text in (("from", since), ("to", until)):
        try:
            moments[name] = day_or_moment(text) if text.strip() else None
        except ValueError:
            problems.append(name)
            moments[name] = None
    filters = AuditFilters(
        hall=hall.strip() or None,
        since=moments["from"],
        until=moments["to"],
        actor=actor.strip() or None,
        action=action.strip() or None,
        entity=entity.strip() or None,
    )
    context: dict[str, Any] = {
        "staff": staff,
        "form": {
            "hall": hall,
            "from": since,
            "to": until,
            "actor": actor,
            "action": action,
            "entity": entity,
        },
        "problems": problems,
        "actions": ACTION_CHOICES,
        "halls": halls.halls(hub) if staff.hall_id is None else [],
        "own_hall": halls.hall_by_id(hub, staff.hall_id).code if staff.hall_id else None,
        "rows": [],
        "error": "",
    }
    try:
        wanted = audit_query(hub, staff, filters)
    except (HubError, DomainError) as err:
        status = err.status if isinstance(err, HubError) else 404
        context["error"] = f"{err.message_zh} / {err.message_en}"
        return templates.TemplateResponse(request, "admin_audit.html", context, status_code=status)
    found = audit.page(hub, wanted, limit=PER_PAGE, before_id=int(cursor) if cursor else None)
    params = filters.params()
    context.update(
        rows=[_row(e) for e in found.entries],
        zone=str(audit.display_zone(hub, wanted.hall_ids)),
        paged=cursor != "",
        newest=PAGE + ("?" + urlencode(params) if params else ""),
        older=PAGE + "?" + urlencode({**params, "cursor": found.next_cursor})
        if found.next_cursor
        else None,
        export="/api/v1/admin/audit.csv" + ("?" + urlencode(params) if params else ""),
    )
    return templates.TemplateResponse(request, "admin_audit.html", context)
