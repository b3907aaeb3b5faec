"""The catalogue of service items and their public guides (办事指南) for kiosks."""

from __future__ import annotations

from typing import Any

from server.store import catalogue as store
from server.store import halls as hall_store
from server.store import life_events as life_event_store
from server.store import queues as queue_store
from server.store import tables as t

from . import attachments
from .hub import Hub

# The guide's public elements, in the order a kiosk shows them.
GUIDE_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("legal_basis", "设定依据", "Legal basis"),
    ("conditions", "受理条件", "Conditions"),
    ("quantity_limits", "数量限制", "Quantity limits"),
    ("materials", "申请材料", "Materials"),
    ("procedure", "办理流程", "Procedure"),
    ("statutory_limit_days", "法定办结时限", "Statutory time limit"),
    ("promised_limit_days", "承诺办结时限", "Promised time limit"),
    ("case_type", "办件类型", "Case type"),
    ("fees", "收费标准", "Fees"),
    ("fee_basis", "收费依据", "Fee basis"),
    ("location", "办理地点", "Where"),
    ("hours", "办理时间", "Hours"),
    ("responsible", "责任人/责任科室", "Responsible office"),
    ("online_url", "网上办理", "Apply online"),
    ("contact_phone", "咨询电话", "Enquiries"),
    ("complaint_phone", "投诉电话", "Complaints"),
)


def item_summary(
    item: t.ServiceItem,
    dept: t.Department | None,
    queue: t.Queue | None,
    life_events: list[str] | None = None,
) -> dict[str, Any]:
    """``life_events``: the names of the hall's active life events (一件事) the item is
    in (store/life_events.py names_by_item)."""
    return {
        "code": item.code,
        "name": item.name,
        "name_en": item.name_en,
        "department": dept.code if dept else None,
        "department_name": dept.name if dept else None,
        "queue": queue.code if queue else None,
        "queue_name": queue.name if queue else None,
        "pinyin_initials": item.pinyin_initials,
        "life_events": life_events or [],
        "aliases": item.aliases,
        "keywords": item.keywords,
        "hot": item.hot,
        "case_type": item.guide.get("case_type"),
    }


def catalogue(hub: Hub, hall_code: str) -> dict[str, Any]:
    with hub.db.read() as s:
        hall = hall_store.hall_by_code(s, hall_code)
        assert hall.id is not None
        depts = {d.id: d for d in store.departments(s, hall.id)}
        queues = {q.id: q for q in queue_store.queues(s, hall.id)}
        items = store.active_items(s, hall.id)
        events = life_event_store.names_by_item(s, hall.id)
        return {
            "hall": {"code": hall.code, "name": hall.name, "name_en": hall.name_en},
            "departments": [
                {"code": d.code, "name": d.name, "name_en": d.name_en}
                for d in sorted(depts.values(), key=lambda d: d.code)
            ],
            "queues": [
                {
                    "code": q.code,
                    "prefix": q.prefix,
                    "name": q.name,
                    "name_en": q.name_en,
                    # So a kiosk can say when tickets are issued before anyone starts.
                    "issue_hours": q.issue_hours,
                    "daily_cap": q.daily_cap,
                }
                for q in queues.values()
            ],
            "items": [
                item_summary(
                    i, depts.get(i.department_id), queues.get(i.queue_id), events.get(i.id or 0)
                )
                for i in items
            ],
        }


def guide(hub: Hub, hall_code: str, item_code: str) -> dict[str, Any]:
    with hub.db.read() as s:
        hall = hall_store.hall_by_code(s, hall_code)
        assert hall.id is not None
        item = store.service_item_by_code(s, hall.id, item_code)
        dept = store.department_row(s, item.department_id)
        queue = queue_store.queue_row(s, item.queue_id)
        events = life_event_store.names_by_item(s, hall.id).get(item.id or 0)
        return {
            **item_summary(item, dept, queue, events),
            # Each material's attachments (示范文本, 空白表格) with their names and URLs.
            "guide": attachments.guide_with_files(s, hall.id, hall.code, item.guide),
            "sections": [
                {"key": key, "title": zh, "title_en": en}
                for key, zh, en in GUIDE_FIELDS
                if key in item.guide
            ],
        }
