"""The one-time notice (一次性告知单) says which materials are optional and their notes."""

from __future__ import annotations

from datetime import UTC, datetime

from server.services.print_documents import notice_document
from server.store import tables as t


def test_the_notice_lists_optional_materials_and_notes() -> None:
    hall = t.Hall(code="demo", name="示范区政务服务中心")
    item = t.ServiceItem(
        hall_id=1,
        department_id=1,
        queue_id=1,
        code="A09",
        name="出版物经营许可",
        guide={
            "materials": [
                {"name": "申请书", "form": "原件", "copies": 1, "required": True},
                {
                    "name": "委托书",
                    "form": "原件",
                    "copies": 1,
                    "required": False,
                    "note": "委托办理时",
                },
            ],
            "contact_phone": "0571-12345109",
        },
    )
    notice = notice_document(hall, item, datetime(2026, 11, 23, 2, 0, tzinfo=UTC))
    assert notice.lines[:2] == ("1. 申请书（原件1份）", "2. 委托书（原件1份，非必需，委托办理时）")
    assert notice.footer == "咨询电话：0571-12345109"
