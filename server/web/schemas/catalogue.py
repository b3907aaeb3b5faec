"""What anyone may read about a hall: its queues, windows, service items and guides."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from .base import Out


class HallBrief(Out):
    code: str
    name: str
    name_en: str
    timezone: str


class QueueStatus(Out):
    code: str
    prefix: str
    name: str
    name_en: str
    waiting: int
    open_windows: int
    mean_service_minutes: float
    estimated_wait_minutes: int | None
    issuing: bool
    not_issuing_code: str | None = Field(description="why not issuing: an error code")
    issued_today: int
    remaining_today: int | None = Field(description="null: no daily cap")
    windows: list[int] = Field(description="open windows serving the queue")


class HallQueues(Out):
    hall: str
    closed: bool = Field(description="closed by an admin: no queue issues (HALL_CLOSED)")
    closed_reason: str
    at: str = Field(description="the hub's time of the figures, ISO 8601")
    estimate_method: str
    queues: list[QueueStatus]


class WindowSummary(Out):
    number: int
    name: str
    name_en: str
    queues: list[str] = Field(description="queue codes")
    open: bool = Field(description="a clerk is signed in and the window is not paused")
    paused: bool
    pause_reason: str | None
    current: str | None = Field(description="the ticket called or being served")


class Named(Out):
    code: str
    name: str
    name_en: str


class CatalogueQueue(Out):
    code: str
    prefix: str
    name: str
    name_en: str
    issue_hours: list[str] = Field(description='spans like "08:30-12:00"; empty: all day')
    daily_cap: int | None


class ItemSummary(Out):
    code: str
    name: str
    name_en: str
    department: str | None
    department_name: str | None
    queue: str | None
    queue_name: str | None
    pinyin_initials: str
    life_events: list[str] = Field(description="the active life events (一件事) it is in")
    aliases: list[str] = Field(description="what citizens call the item: 营业执照, 社保卡, 低保")
    keywords: list[str] = Field(description="words that lead to the item: 过户, 出国, 退税")
    hot: int
    case_type: Any = Field(description="the guide's case_type, if it has one")


class Catalogue(Out):
    hall: Named
    departments: list[Named]
    queues: list[CatalogueQueue]
    items: list[ItemSummary]


class GuideSection(Out):
    key: str
    title: str
    title_en: str


class Guide(ItemSummary):
    guide: dict[str, Any] = Field(
        description="the 办事指南 elements present, keyed as in sections (GUIDE_FIELDS)"
    )
    sections: list[GuideSection] = Field(description="the guide's elements, in kiosk order")


class FoundItem(ItemSummary):
    recent_tickets: int = Field(description="tickets for the item in the last days")
    match: str | None = Field(
        default=None,
        description="why the query found the item: name, alias, keyword, pinyin, initials, "
        "english, fuzzy (a typo or a same-sounding character) or related (a life event, "
        "the department or the queue); absent when there is no query",
    )
    matched: str | None = Field(
        default=None,
        description="the item's word the query matched (its name, an alias, a keyword…); "
        "absent when there is no query",
    )


class SearchResult(Out):
    q: str
    items: list[FoundItem]


class LifeEventMember(FoundItem):
    note: str = Field(description='when the item applies, e.g. "如需刻制印章"; "": always')


class LifeEvent(Out):
    code: str
    name: str
    name_en: str
    description: str
    items: list[LifeEventMember] = Field(description="in the order they are done")
