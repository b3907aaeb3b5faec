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


# How the notice names a material's attachment (services/attachments.py guide_with_files).
FILE_ROLES = {"sample": "示范文本", "blank_form": "空白表格"}


def notice_document(
    hall: t.Hall, item: t.ServiceItem, now: datetime, guide: Mapping[str, Any] | None = None
) -> NoticeData:
    """``guide``: the item's guide with its materials' attachments (``files``), so the
    notice tells where to see a 示范文本; the item's own guide when not given."""
    guide = item.guide if guide is None else guide
    lines = []
    for n, material in enumerate(guide.get("materials") or [], start=1):
        if isinstance(material, dict):
            form = f"{material.get('form', '')}{material.get('copies', 1)}份"
            if material.get("required") is False:
                form += "，非必需"
            if material.get("note"):
                form += f"，{material['note']}"
            lines.append(f"{n}. {material.get('name', '')}（{form}）")
            for file in material.get("files") or []:
                role = FILE_ROLES.get(file.get("role"), "附件")
                lines.append(f"   {role}：{file.get('name', '')}（可在自助终端查看）")
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


# ---- cases (办件): the 受理回执 and the 一次性告知书 -----------------------------------------


def _material_line(n: int, name: str, listed: Mapping[str, Any]) -> str:
    found = listed.get(name)
    if isinstance(found, Mapping):
        return f"{n}. {name}（{found.get('form', '')}{found.get('copies', 1)}份）"
    return f"{n}. {name}"


def _lookup_line() -> str:
    return "查询：凭受理编号及身份证或手机号后四位，在大厅自助终端或手机上查询办理进度"


def case_receipt_lines(case: Mapping[str, Any], hall_tz: str) -> list[str]:
    """The 受理回执's lines (shared by the ESC/POS document and the A4 page)."""
    received = datetime.fromisoformat(case["received_at"]).astimezone(ZoneInfo(hall_tz))
    lines = [
        f"受理编号：{case['receipt_no']}",
        f"事项：{case['item_name']}",
        f"受理部门：{case['department_name'] or ''}",
        f"办件类型：{case['type_text']['zh']}",
        f"申请人：{case['applicant_name']}",
    ]
    if case["id_masked"]:
        lines.append(f"证件号码：{case['id_masked']}")
    lines.append(f"收件时间：{received:%Y-%m-%d %H:%M}")
    lines.append(f"承诺办结时限：{case['limit_days']}个工作日")
    if case["due"]:
        title = "受理决定期限" if case["state"] == "received" else "预计办结日期"
        lines.append(f"{title}：{case['due']}")
    lines.append("已收材料：" + ("" if case["materials"] else "无"))
    lines += [f"{n}. {m}" for n, m in enumerate(case["materials"], start=1)]
    lines.append(_lookup_line())
    return lines


def case_notice_lines(case: Mapping[str, Any], guide: Mapping[str, Any]) -> list[str]:
    """The 一次性告知书's lines: what is missing, once and completely."""
    materials = guide.get("materials") or []
    listed = {str(m.get("name")): m for m in materials if isinstance(m, Mapping)}
    lines = [
        f"受理编号：{case['receipt_no']}",
        f"事项：{case['item_name']}",
        f"申请人：{case['applicant_name']}",
        "经审查，您的申请材料不齐全，请一次性补齐以下材料：",
    ]
    lines += [_material_line(n, m, listed) for n, m in enumerate(case["missing"], start=1)]
    lines.append("材料补齐之日起计算办理时限。")
    for key, title in (("location", "办理地点"), ("hours", "办理时间")):
        if guide.get(key):
            lines.append(f"{title}：{guide[key]}")
    lines.append(_lookup_line())
    return lines


def case_footer(hall: t.Hall, guide: Mapping[str, Any]) -> str:
    phone = guide.get("complaint_phone") or hall.phone
    return f"投诉电话：{phone}" if phone else ""


def case_document(
    hall: t.Hall, case: Mapping[str, Any], guide: Mapping[str, Any], kind: str, now: datetime
) -> NoticeData:
    """The 受理回执 (``receipt``) or 一次性告知书 (``notice``) for a window's printer."""
    if kind == "receipt":
        title, lines = "受理回执", case_receipt_lines(case, hall.timezone)
    else:
        title, lines = "一次性告知书", case_notice_lines(case, guide)
    lines.append(f"经办人：{case['clerk_name']}" if case.get("clerk_name") else "")
    return NoticeData(
        title=title,
        lines=tuple(line for line in lines if line),
        hall_name=hall.name,
        issued_at=_local(hall, now),
        footer=case_footer(hall, guide),
        heading="",
    )
