"""Attachments: admins upload, rename and delete a hall's files; anyone fetches the
ones its guides publish (see server/services/attachments.py for which)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, Response, UploadFile
from fastapi.responses import Response as RawResponse

from server.domain.attachments import CONTENT_TYPES
from server.services import attachments
from server.services.halls import hall_id

from .api_admin import ADMIN, EDIT, IfMatch, _tagged, _version
from .auth import AdminDep, HubDep, actor_of, require_hall
from .schemas.base import HALL, errors
from .schemas.bundles import AttachmentKind, AttachmentList, AttachmentRow, AttachmentUpdate

router = APIRouter(prefix="/api/v1", tags=["attachments"])
BASE = "/admin/halls/{hall}/attachments"
# A file never changes under its id (only its name and kind do): a kiosk may keep it.
CACHE = "public, max-age=3600"
FILE_ANSWER: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The file",
        "content": {
            kind: {"schema": {"type": "string", "format": "binary"}} for kind in CONTENT_TYPES
        },
    },
    304: {"description": "Not modified (If-None-Match gave its ETag)"},
}


def _file_response(file: attachments.File, request: Request, *, cache: str) -> RawResponse:
    etag = f'"{file.sha256}"'
    headers = {"ETag": etag, "Cache-Control": cache, "X-Content-Type-Options": "nosniff"}
    asked = [tag.strip() for tag in request.headers.get("if-none-match", "").split(",")]
    if etag in asked or f"W/{etag}" in asked:
        return RawResponse(status_code=304, headers=headers)
    # Shown in the browser (a kiosk's viewer, an admin's preview), never run as a page.
    headers["Content-Disposition"] = "inline"
    return RawResponse(file.data, media_type=file.content_type, headers=headers)


@router.get(BASE, response_model=AttachmentList, responses=errors(*ADMIN))
def list_attachments(hall: str, hub: HubDep, staff: AdminDep) -> dict[str, Any]:
    hid = hall_id(hub, hall)
    require_hall(staff, hid)
    return {
        "attachments": attachments.attachment_rows(hub, hall_id=hid),
        "max_bytes": attachments.MAX_BYTES,
        "content_types": list(CONTENT_TYPES),
        "kinds": [
            {"kind": kind, "name": zh, "name_en": en}
            for kind, (zh, en) in attachments.KIND_NAMES.items()
        ],
    }


@router.post(
    BASE,
    status_code=201,
    summary="Upload a file (multipart: name, kind, file); PDF, PNG or JPEG, at most 5 MB",
    response_model=AttachmentRow,
    responses=errors(*ADMIN, "INVALID_REQUEST"),
)
def upload_attachment(
    hall: str,
    hub: HubDep,
    staff: AdminDep,
    request: Request,
    response: Response,
    file: Annotated[UploadFile, File(description="PDF, PNG or JPEG, told by its content")],
    name: Annotated[str, Form(max_length=200, description="the title a citizen reads")] = "",
    kind: Annotated[AttachmentKind, Form()] = "sample",
) -> dict[str, Any]:
    """Refused field by field: ATTACHMENT_TYPE (not a PDF, PNG or JPEG by its first
    bytes), ATTACHMENT_TOO_LARGE; no name: the file's name without its extension."""
    hid = hall_id(hub, hall)
    require_hall(staff, hid)
    data = file.file.read(attachments.MAX_BYTES + 1)
    filename = file.filename or ""
    title = name.strip() or filename.rsplit(".", 1)[0].strip()
    row = attachments.upload(
        hub,
        hall_id=hid,
        name=title,
        kind=kind,
        filename=filename,
        data=data,
        actor=actor_of(request, staff),
    )
    return _tagged(response, row)


@router.get(
    BASE + "/{attachment_id}",
    response_model=AttachmentRow,
    responses=errors(*ADMIN, "ATTACHMENT_NOT_FOUND"),
)
def get_attachment(
    hall: str, attachment_id: int, hub: HubDep, staff: AdminDep, response: Response
) -> dict[str, Any]:
    hid = hall_id(hub, hall)
    require_hall(staff, hid)
    return _tagged(
        response, attachments.attachment_row(hub, hall_id=hid, attachment_id=attachment_id)
    )


@router.get(
    BASE + "/{attachment_id}/file",
    summary="The file, published or not (the admin's preview)",
    response_class=RawResponse,
    responses={**FILE_ANSWER, **errors(*ADMIN, "ATTACHMENT_NOT_FOUND")},
)
def admin_file(
    hall: str, attachment_id: int, hub: HubDep, staff: AdminDep, request: Request
) -> RawResponse:
    hid = hall_id(hub, hall)
    require_hall(staff, hid)
    file = attachments.admin_file(hub, hall_id=hid, attachment_id=attachment_id)
    return _file_response(file, request, cache="private, no-cache")


@router.patch(
    BASE + "/{attachment_id}",
    response_model=AttachmentRow,
    responses=errors(*ADMIN, *EDIT, "ATTACHMENT_NOT_FOUND"),
)
def update_attachment(
    hall: str,
    attachment_id: int,
    body: AttachmentUpdate,
    hub: HubDep,
    staff: AdminDep,
    request: Request,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Rename it or change its kind; the file itself never changes (upload a new one)."""
    hid = hall_id(hub, hall)
    require_hall(staff, hid)
    changes = body.model_dump(exclude_unset=True, exclude_none=True)
    changes["version"] = _version(body.version, if_match)
    row = attachments.update(
        hub,
        hall_id=hid,
        attachment_id=attachment_id,
        changes=changes,
        actor=actor_of(request, staff),
    )
    return _tagged(response, row)


@router.delete(
    BASE + "/{attachment_id}",
    status_code=204,
    response_class=RawResponse,
    responses=errors(*ADMIN, "ATTACHMENT_NOT_FOUND", "ATTACHMENT_IN_USE"),
)
def delete_attachment(
    hall: str, attachment_id: int, hub: HubDep, staff: AdminDep, request: Request
) -> RawResponse:
    """Refused with ATTACHMENT_IN_USE (details.items: code and name of each item) while
    a guide's materials name it."""
    hid = hall_id(hub, hall)
    require_hall(staff, hid)
    attachments.delete(
        hub, hall_id=hid, attachment_id=attachment_id, actor=actor_of(request, staff)
    )
    return RawResponse(status_code=204)


@router.get(
    "/halls/{hall}/attachments/{attachment_id}",
    summary="A file the hall's guides publish (示范文本, 空白表格), for kiosks",
    response_class=RawResponse,
    responses={**FILE_ANSWER, **errors(*HALL, "ATTACHMENT_NOT_FOUND")},
)
def public_file(hall: str, attachment_id: int, hub: HubDep, request: Request) -> RawResponse:
    """Only what an active item's guide names; ETag is the file's sha256."""
    file = attachments.public_file(hub, hall_code=hall, attachment_id=attachment_id)
    return _file_response(file, request, cache=CACHE)
