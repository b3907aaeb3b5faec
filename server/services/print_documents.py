"""What a print job prints: ticket and notice documents, and their stored form."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from printer.document import DEFAULT_TICKET_NOTE, Document, NoticeData, TicketData
from server.store import tables as t

if TYPE_CHECKING:
    # Only a type: services.tickets writes the print job inside its own unit of work.
    from .tickets import TicketView


def _local(hall: t.Hall, moment: datetime) -> datetime:
    """Tickets show the hall's wall-clock time, without a zone."""
    return moment.astimezone(ZoneInfo(hall.timezone)).replace(tzinfo=None)


def ticket_document(hall: t.Hall, view: TicketView) -> TicketData:
    return TicketData(
        hall_name=hall.name,
        queue_name=view.queue_name,
        number=view.code,
        people_ahead=view.people_ahead,
        wait_minutes=view.estimated_wait_minutes,
        windows=tuple(f"{n}号" for n in view.windows),
        issued_at=_local(hall, view.issued_at),
        status_url=view.status_url,
        note=hall.ticket_notice or DEFAULT_TICKET_NOTE,
    )


def notice_document(hall: t.Hall, item: t.ServiceItem, now: datetime) -> NoticeData:
    guide = item.guide
    lines = []
    for n, material in enumerate(guide.get("materials") or [], start=1):
        if isinstance(material, dict):
            form = f"{material.get('form', '')}{material.get('copies', 1)}份"
            if material.get("required") is False:
                form += "，非必需"
            if material.get("note"):
                form += f"，{material['note']}"
            lines.append(f"{n}. {material.get('name', '')}（{form}）")
        else:
            lines.append(f"{n}. {material}")
    if not lines:
        lines.append("无需提交材料")
    for key, title in (("location", "办理地点"), ("hours", "办理时间")):
        if guide.get(key):
            lines.append(f"{title}：{guide[key]}")
    phone = guide.get("contact_phone")
    return NoticeData(
        title=item.name,
        lines=tuple(lines),
        hall_name=hall.name,
        issued_at=_local(hall, now),
        footer=f"咨询电话：{phone}" if phone else "",
    )


def encode_document(document: Document) -> dict[str, Any]:
    data = dataclasses.asdict(document)
    for key in ("issued_at",):
        if isinstance(data.get(key), datetime):
            data[key] = data[key].isoformat()
    kind = "ticket" if isinstance(document, TicketData) else "notice"
    return {"kind": kind, **data}


def decode_document(data: Mapping[str, Any]) -> Document:
    fields = dict(data)
    kind = fields.pop("kind")
    if fields.get("issued_at"):
        fields["issued_at"] = datetime.fromisoformat(fields["issued_at"])
    for key in ("windows", "lines"):
        if key in fields:
            fields[key] = tuple(fields[key])
    return TicketData(**fields) if kind == "ticket" else NoticeData(**fields)
