"""A hall's attachments: the files its guides' materials name (示范文本, blank forms).

Lists never read the files' bytes; only ``attachment_file`` does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select, update

from server.domain.attachments import referenced_ids

from . import tables as t
from .db import ConcurrentUpdate


@dataclass(frozen=True)
class AttachmentInfo:
    """An attachment without its bytes."""

    id: int
    hall_id: int
    name: str
    kind: str
    filename: str
    content_type: str
    size: int
    sha256: str
    created_at: datetime
    version: int


_INFO: tuple[Any, ...] = (
    t.Attachment.id,
    t.Attachment.hall_id,
    t.Attachment.name,
    t.Attachment.kind,
    t.Attachment.filename,
    t.Attachment.content_type,
    t.Attachment.size,
    t.Attachment.sha256,
    t.Attachment.created_at,
    t.Attachment.version,
)


def _info(row: Any) -> AttachmentInfo:
    return AttachmentInfo(*row)


def attachments(s: Session, hall_id: int) -> list[AttachmentInfo]:
    """The hall's attachments, the newest first."""
    rows = s.exec(
        select(*_INFO).where(t.Attachment.hall_id == hall_id).order_by(col(t.Attachment.id).desc())
    )
    return [_info(r) for r in rows]


def attachment_ids(s: Session, hall_id: int) -> set[int]:
    """The ids of the hall's attachments: what a guide's materials may name."""
    return {i for i in s.exec(select(t.Attachment.id).where(t.Attachment.hall_id == hall_id)) if i}


def attachment_info(s: Session, hall_id: int, attachment_id: int) -> AttachmentInfo | None:
    row = s.execute(
        select_columns(*_INFO).where(
            col(t.Attachment.hall_id) == hall_id, col(t.Attachment.id) == attachment_id
        )
    ).first()
    return _info(row) if row is not None else None


def attachments_by_ids(s: Session, hall_id: int, ids: set[int]) -> dict[int, AttachmentInfo]:
    if not ids:
        return {}
    rows = s.execute(
        select_columns(*_INFO).where(
            col(t.Attachment.hall_id) == hall_id, col(t.Attachment.id).in_(ids)
        )
    )
    return {info.id: info for info in map(_info, rows)}


def attachment_row(s: Session, hall_id: int, attachment_id: int) -> t.Attachment | None:
    """The whole row, bytes and all."""
    row = s.get(t.Attachment, attachment_id)
    return row if row is not None and row.hall_id == hall_id else None


def add_attachment(s: Session, row: t.Attachment) -> AttachmentInfo:
    s.add(row)
    s.flush()
    assert row.id is not None
    info = attachment_info(s, row.hall_id, row.id)
    assert info is not None
    return info


def save_attachment(s: Session, info: AttachmentInfo, values: dict[str, Any]) -> AttachmentInfo:
    """Write ``values`` if the row is still at the version ``info`` was read at."""
    result = s.execute(
        update(t.Attachment)
        .where(col(t.Attachment.id) == info.id, col(t.Attachment.version) == info.version)
        .values(**values, version=info.version + 1)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise ConcurrentUpdate(f"attachment {info.id}")
    saved = attachment_info(s, info.hall_id, info.id)
    assert saved is not None
    return saved


def delete_attachment(s: Session, info: AttachmentInfo) -> None:
    row = s.get(t.Attachment, info.id)
    if row is not None:
        s.delete(row)
        s.flush()


def usage(s: Session, hall_id: int) -> dict[int, list[tuple[str, str]]]:
    """Per attachment id, (code, name) of the hall's service items, active or not, whose
    guide materials name it. The guides are JSON: read and looked through here, the
    same on every database."""
    rows = s.exec(
        select(t.ServiceItem.code, t.ServiceItem.name, t.ServiceItem.guide)
        .where(t.ServiceItem.hall_id == hall_id)
        .order_by(col(t.ServiceItem.code))
    )
    found: dict[int, list[tuple[str, str]]] = {}
    for code, name, guide in rows:
        for attachment_id in sorted(referenced_ids(guide or {})):
            found.setdefault(attachment_id, []).append((code, name))
    return found


def items_using(s: Session, hall_id: int, attachment_id: int) -> list[tuple[str, str]]:
    return usage(s, hall_id).get(attachment_id, [])


def published_ids(s: Session, hall_id: int) -> set[int]:
    """The attachments the hall's active items' guides name: what citizens may fetch."""
    rows = s.exec(
        select(t.ServiceItem.guide).where(
            t.ServiceItem.hall_id == hall_id, col(t.ServiceItem.active).is_(True)
        )
    )
    found: set[int] = set()
    for guide in rows:
        found |= referenced_ids(guide or {})
    return found
