"""The audit log for admins: a hall's admin reads the hall's, an installation admin any
hall's or all; as JSON pages or as one CSV file (Excel opens it, Chinese and all)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from server.services import audit, halls
from server.services.accounts import StaffPrincipal
from server.services.audit import AuditQuery, EntryView
from server.services.halls import hall_id
from server.services.hub import Hub

from .auth import AdminDep, HubDep, require_hall
from .schemas.audit import AuditPage, DayOrMoment
from .schemas.base import HALL, SUPERVISOR, Responses, errors

router = APIRouter(prefix="/api/v1/admin", tags=["admin"])
PAGE_LIMIT = 500


@dataclass(frozen=True)
class AuditFilters:
    hall: str | None = None
    since: date | datetime | None = None
    until: date | datetime | None = None
    actor: str | None = None
    action: str | None = None
    entity: str | None = None

    def params(self) -> dict[str, str]:
        """As query parameters again (the page's links)."""
        values = {
            "hall": self.hall,
            "from": self.since.isoformat() if self.since else None,
            "to": self.until.isoformat() if self.until else None,
            "actor": self.actor,
            "action": self.action,
            "entity": self.entity,
        }
        return {k: v for k, v in values.items() if v}


def audit_filters(
    hall: Annotated[
        str | None, Query(max_length=32, description="a hall's code; omitted: every hall")
    ] = None,
    since: Annotated[
        DayOrMoment | None, Query(alias="from", description="from (inclusive)")
    ] = None,
    until: Annotated[
        DayOrMoment | None, Query(alias="to", description="up to (a date: the whole day)")
    ] = None,
    actor: Annotated[str | None, Query(max_length=64, description="a staff number")] = None,
    action: Annotated[
        str | None, Query(max_length=48, description='a prefix, e.g. "queue." or "auth"')
    ] = None,
    entity: Annotated[
        str | None, Query(max_length=100, description="e.g. a queue's code, a staff number")
    ] = None,
) -> AuditFilters:
    return AuditFilters(hall or None, since, until, actor, action, entity)


FiltersDep = Annotated[AuditFilters, Depends(audit_filters)]


def audit_query(hub: Hub, staff: StaffPrincipal, filters: AuditFilters) -> AuditQuery:
    """What this admin may read of what was asked: a hall's admin only the own hall."""
    hall_ids: frozenset[int] | None
    if filters.hall:
        hid = hall_id(hub, filters.hall)
        require_hall(staff, hid)
        hall_ids = frozenset({hid})
    elif staff.hall_id is None:
        hall_ids = None  # an installation admin: every hall's and the installation's own
    else:
        hall_ids = frozenset({staff.hall_id})
    return audit.query(
        hub,
        hall_ids=hall_ids,
        since=filters.since,
        until=filters.until,
        actor=filters.actor,
        action=filters.action,
        entity=filters.entity,
    )


READ_ERRORS = (*HALL, *SUPERVISOR)


@router.get(
    "/audit",
    summary="The audit log: configuration changes and sign-ins, newest first",
    response_model=AuditPage,
    responses=errors(*READ_ERRORS),
)
def audit_log(
    hub: HubDep,
    staff: AdminDep,
    filters: FiltersDep,
    limit: Annotated[int, Query(ge=1, le=PAGE_LIMIT)] = 50,
    cursor: Annotated[
        str | None, Query(pattern=r"^[0-9]{1,18}$", description="next_cursor of a page")
    ] = None,
) -> dict[str, Any]:
    found = audit.page(
        hub,
        audit_query(hub, staff, filters),
        limit=limit,
        before_id=int(cursor) if cursor else None,
    )
    return {"entries": [asdict(e) for e in found.entries], "next_cursor": found.next_cursor}


# ---- CSV ---------------------------------------------------------------------------------

CSV_COLUMNS = [
    "时间",
    "大厅",
    "操作人类型",
    "操作人",
    "姓名",
    "来源地址",
    "操作",
    "操作代码",
    "对象类型",
    "对象",
    "变更前",
    "变更后",
    "结果",
    "错误代码",
]
RESULT_TEXT = {"ok": "成功", "refused": "被拒绝"}
# A cell Excel would read as a formula: a typed staff number of "=HYPERLINK(...)" in a
# refused sign-in must reach the spreadsheet as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_row(entry: EntryView) -> list[str]:
    return [
        _cell(v)
        for v in (
            entry.at_local.isoformat(sep=" ", timespec="seconds"),
            entry.hall,
            audit.ACTOR_KINDS.get(entry.actor_kind, (entry.actor_kind,))[0],
            entry.actor,
            entry.actor_name,
            entry.address,
            audit.ACTIONS.get(entry.action, (entry.action,))[0],
            entry.action,
            audit.ENTITIES.get(entry.entity_kind, (entry.entity_kind,))[0],
            entry.entity_key,
            entry.before,
            entry.after,
            RESULT_TEXT.get(entry.result, entry.result),
            entry.error_code,
        )
    ]


def csv_lines(entries: Iterator[EntryView]) -> Iterator[str]:
    """UTF-8 with a BOM, which is how Excel knows it is not in the local code page."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    yield "\ufeff" + buffer.getvalue()
    for entry in entries:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(csv_row(entry))
        yield buffer.getvalue()


CSV_RESPONSES: Responses = {
    200: {
        "content": {"text/csv": {"schema": {"type": "string"}}},
        "description": "UTF-8 with a BOM; Chinese column names; newest first",
    },
    **errors(*READ_ERRORS),
}


@router.get(
    "/audit.csv",
    summary="The audit log as a CSV file, the same filters as /audit",
    response_class=StreamingResponse,
    responses=CSV_RESPONSES,
)
def audit_csv(hub: HubDep, staff: AdminDep, filters: FiltersDep) -> StreamingResponse:
    wanted = audit_query(hub, staff, filters)
    day = hub.now().astimezone(audit.display_zone(hub, wanted.hall_ids)).date()
    scope = filters.hall or (halls.hall_by_id(hub, staff.hall_id).code if staff.hall_id else "all")
    hall = "".join(c for c in scope if c.isalnum() or c in "-_")
    name = f"audit-{hall}-{day.isoformat()}.csv"
    return StreamingResponse(
        (line.encode("utf-8") for line in csv_lines(audit.every_entry(hub, wanted))),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
