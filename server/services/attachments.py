"""A hall's attachments: upload, rename, delete (refused while a guide's materials name
it), and the files themselves, for admins and for kiosks.

Citizens (the public route) may fetch only what the hall publishes: the attachments its
active items' guides name. An upload is a draft until a guide names it: an admin may
upload a filled-in sample before it is checked for personal data, and nobody outside
sees it meanwhile. The check reads the hall's guides (a few hundred rows at most); the
answer carries an ETag and may be cached, so a kiosk asks again only for new files."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from server.domain import attachments as rules
from server.domain.fields import Problem
from server.errors import HubError
from server.store import attachments as store
from server.store import halls as hall_store
from server.store import tables as t
from server.store.attachments import AttachmentInfo
from server.store.db import Session

from . import audit
from .audit import Actor
from .hub import Hub

MAX_BYTES = rules.MAX_BYTES
KIND_NAMES: dict[str, tuple[str, str]] = {
    "sample": ("示范文本", "Filled-in sample"),
    "blank_form": ("空白表格", "Blank form"),
    "other": ("其他", "Other"),
}
UPDATABLE = ("name", "kind")


def public_url(hall_code: str, attachment_id: int) -> str:
    return f"/api/v1/halls/{hall_code}/attachments/{attachment_id}"


def _invalid(problems: list[Problem]) -> HubError:
    return HubError("INVALID_REQUEST", fields=[p.as_dict() for p in problems])


def _audit_view(info: AttachmentInfo) -> dict[str, Any]:
    return {
        "name": info.name,
        "kind": info.kind,
        "filename": info.filename,
        "content_type": info.content_type,
        "size": info.size,
        "sha256": info.sha256,
    }


def _row(info: AttachmentInfo, used_by: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        **dataclasses.asdict(info),
        "used_by": [{"code": c, "name": n} for c, n in used_by],
    }


def _clean_filename(filename: str) -> str:
    """The name without any folder a browser sent (C:\\Users\\…\\表.pdf)."""
    name = PureWindowsPath(PurePosixPath(filename).name).name.strip()
    return name[-200:] or "file"


def _found(s: Session, hall_id: int, attachment_id: int) -> AttachmentInfo:
    info = store.attachment_info(s, hall_id, attachment_id)
    if info is None:
        raise HubError("ATTACHMENT_NOT_FOUND", id=attachment_id)
    return info


def attachment_rows(hub: Hub, *, hall_id: int) -> list[dict[str, Any]]:
    with hub.db.read() as s:
        rows = store.attachments(s, hall_id)
        usage = store.usage(s, hall_id)
    return [_row(info, usage.get(info.id, [])) for info in rows]


def attachment_row(hub: Hub, *, hall_id: int, attachment_id: int) -> dict[str, Any]:
    with hub.db.read() as s:
        info = _found(s, hall_id, attachment_id)
        return _row(info, store.items_using(s, hall_id, attachment_id))


def upload(
    hub: Hub,
    *,
    hall_id: int,
    name: str,
    kind: str,
    filename: str,
    data: bytes,
    actor: Actor,
) -> dict[str, Any]:
    """A new attachment; the file's type is what its bytes are (PDF, PNG, JPEG)."""
    name = name.strip()
    content_type, problems = rules.check_file(data)
    problems = rules.check_name(name) + rules.check_kind(kind) + problems
    if problems or content_type is None:
        raise _invalid(problems)
    now = hub.now()
    content: dict[str, Any] = dict(
        name=name,
        kind=kind,
        filename=_clean_filename(filename),
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )

    def work(s: Session) -> dict[str, Any]:
        row = t.Attachment(hall_id=hall_id, data=data, created_at=now, **content)
        info = store.add_attachment(s, row)
        audit.record(
            s,
            at=now,
            actor=actor,
            hall_id=hall_id,
            action="attachment.create",
            entity_kind="attachment",
            entity_key=str(info.id),
            after=_audit_view(info),
        )
        return _row(info, [])

    result: dict[str, Any] = hub.db.write(work)
    return result


def update(
    hub: Hub, *, hall_id: int, attachment_id: int, changes: dict[str, Any], actor: Actor
) -> dict[str, Any]:
    """Rename it or change its kind; ``changes["version"]``: the version read."""
    expected = changes.get("version")
    if expected is None:
        raise HubError("VERSION_REQUIRED")
    values = {k: changes[k] for k in UPDATABLE if k in changes}
    if "name" in values:
        values["name"] = str(values["name"]).strip()
    problems = (rules.check_name(values["name"]) if "name" in values else []) + (
        rules.check_kind(values["kind"]) if "kind" in values else []
    )
    if problems:
        raise _invalid(problems)
    now = hub.now()

    def work(s: Session) -> dict[str, Any]:
        info = _found(s, hall_id, attachment_id)
        if info.version != expected:
            raise HubError("STALE_VERSION", version=info.version, yours=expected)
        saved = store.save_attachment(s, info, values)
        audit.record_change(
            s,
            at=now,
            actor=actor,
            hall_id=hall_id,
            action="attachment.update",
            entity_kind="attachment",
            entity_key=str(info.id),
            before=_audit_view(info),
            after=_audit_view(saved),
        )
        return _row(saved, store.items_using(s, hall_id, attachment_id))

    result: dict[str, Any] = hub.db.write(work)
    return result


def delete(hub: Hub, *, hall_id: int, attachment_id: int, actor: Actor) -> None:
    """Gone, unless a guide's materials still name it: ATTACHMENT_IN_USE names the items."""
    now = hub.now()

    def work(s: Session) -> None:
        info = _found(s, hall_id, attachment_id)
        used = store.items_using(s, hall_id, attachment_id)
        if used:
            raise HubError(
                "ATTACHMENT_IN_USE",
                id=attachment_id,
                items=[{"code": c, "name": n} for c, n in used],
            )
        store.delete_attachment(s, info)
        audit.record(
            s,
            at=now,
            actor=actor,
            hall_id=hall_id,
            action="attachment.delete",
            entity_kind="attachment",
            entity_key=str(info.id),
            before=_audit_view(info),
        )

    hub.db.write(work)


@dataclasses.dataclass(frozen=True)
class File:
    content_type: str
    filename: str
    sha256: str
    data: bytes


def _file(row: t.Attachment) -> File:
    return File(row.content_type, row.filename, row.sha256, row.data)


def admin_file(hub: Hub, *, hall_id: int, attachment_id: int) -> File:
    """Any of the hall's attachments, published or not (the admins' preview)."""
    with hub.db.read() as s:
        row = store.attachment_row(s, hall_id, attachment_id)
        if row is None:
            raise HubError("ATTACHMENT_NOT_FOUND", id=attachment_id)
        return _file(row)


def public_file(hub: Hub, *, hall_code: str, attachment_id: int) -> File:
    """An attachment the hall's active items' guides name; any other is not found."""
    with hub.db.read() as s:
        hall = hall_store.hall_by_code(s, hall_code)
        assert hall.id is not None
        row = store.attachment_row(s, hall.id, attachment_id)
        if row is None or attachment_id not in store.published_ids(s, hall.id):
            raise HubError("ATTACHMENT_NOT_FOUND", id=attachment_id)
        return _file(row)


def check_material_refs(s: Session, hall_id: int, guide: Mapping[str, Any]) -> list[Problem]:
    """What is wrong with the attachments a guide's materials name (ids the hall has
    none of), field by field: for the item editor's checks, in its own transaction."""
    if not rules.material_refs(guide):
        return []
    return rules.check_refs(guide, store.attachment_ids(s, hall_id))


def guide_with_files(
    s: Session, hall_id: int, hall_code: str, guide: Mapping[str, Any]
) -> dict[str, Any]:
    """The guide with, on each material that names attachments, ``files``: each one's
    role (sample | blank_form), name, kind, URL and content type, in kiosk order. An id
    the hall has no attachment for is left out."""
    out = dict(guide)
    found = store.attachments_by_ids(s, hall_id, rules.referenced_ids(guide))
    materials = []
    for material in guide.get("materials") or []:
        if not isinstance(material, Mapping):
            materials.append(material)
            continue
        files = []
        for role in rules.MATERIAL_ROLES:
            info = found.get(material.get(role))  # type: ignore[arg-type]
            if info is not None:
                files.append(
                    {
                        "role": role,
                        "id": info.id,
                        "name": info.name,
                        "kind": info.kind,
                        "url": public_url(hall_code, info.id),
                        "content_type": info.content_type,
                    }
                )
        materials.append({**material, "files": files} if files else dict(material))
    if "materials" in guide:
        out["materials"] = materials
    return out
