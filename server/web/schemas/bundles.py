"""Attachments (示范文本, blank forms) and life events (一件事): answers and bodies."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from server.domain.attachments import MAX_NAME
from server.domain.life_events import DESCRIPTION_MAX, MAX_ITEMS, NAME_EN_MAX, NAME_MAX, NOTE_MAX

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


class LifeEventMemberRow(Out):
    item: str = Field(description="the service item's code")
    name: str
    active: bool = Field(description="an inactive item is not offered at the kiosk")
    note: str


class LifeEventRow(Out):
    code: str
    name: str
    name_en: str
    description: str
    sort: int = Field(description="kiosk order, smallest first")
    active: bool
    version: int
    items: list[LifeEventMemberRow] = Field(description="in the order they are done")


class LifeEventList(Out):
    life_events: list[LifeEventRow]
    min_items: int = Field(description="the fewest items of an active life event")


class MemberIn(Body):
    item: str = Field(min_length=1, max_length=64, description="a service item's code")
    note: str = Field(default="", max_length=NOTE_MAX, description='e.g. "如需刻制印章"')


class LifeEventUpdate(Body):
    name: str | None = Field(default=None, min_length=1, max_length=NAME_MAX)
    name_en: str | None = Field(default=None, max_length=NAME_EN_MAX)
    description: str | None = Field(default=None, max_length=DESCRIPTION_MAX)
    sort: int | None = Field(default=None, ge=0, le=9999)
    active: bool | None = None
    items: list[MemberIn] | None = Field(
        default=None, max_length=MAX_ITEMS, description="the items in order; replaces them all"
    )
    version: int | None = Field(
        default=None, ge=1, description="the version read; or send it as the If-Match header"
    )


class LifeEventCreate(Body):
    code: str = Field(min_length=1, max_length=32, description="e.g. start-business")
    name: str = Field(min_length=1, max_length=NAME_MAX)
    name_en: str = Field(default="", max_length=NAME_EN_MAX)
    description: str = Field(default="", max_length=DESCRIPTION_MAX)
    sort: int = Field(default=0, ge=0, le=9999)
    active: bool = True
    items: list[MemberIn] = Field(default_factory=list, max_length=MAX_ITEMS)
