"""Attachments (示范文本, blank forms) and life events (一件事): answers and bodies."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from server.domain.attachments import MAX_NAME

from .base import Moment, Out
from .bodies import Body

AttachmentKind = Literal["sample", "blank_form", "other"]


class ItemRef(Out):
    code: str
    name: str


class AttachmentRow(Out):
    id: int
    hall_id: int
    name: str = Field(description="the title a citizen reads")
    kind: AttachmentKind
    filename: str
    content_type: str = Field(description="application/pdf, image/png or image/jpeg")
    size: int = Field(description="bytes")
    sha256: str = Field(description="of the file; its public ETag")
    created_at: Moment
    version: int
    used_by: list[ItemRef] = Field(description="the items whose guide materials name it")


class AttachmentKindName(Out):
    kind: AttachmentKind
    name: str
    name_en: str


class AttachmentList(Out):
    attachments: list[AttachmentRow]
    max_bytes: int = Field(description="the largest file accepted")
    content_types: list[str]
    kinds: list[AttachmentKindName]


class AttachmentUpdate(Body):
    name: str | None = Field(default=None, min_length=1, max_length=MAX_NAME)
    kind: AttachmentKind | None = None
    version: int | None = Field(
        default=None, ge=1, description="the version read; or send it as the If-Match header"
    )
