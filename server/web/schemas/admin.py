"""What the admin endpoints answer with: the stored rows, as they are after the change."""

from __future__ import annotations

from pydantic import Field

from .base import Moment, Out


class HallRow(Out):
    id: int
    code: str
    name: str
    name_en: str
    timezone: str
    open_weekdays: str = Field(description='ISO weekdays the hall opens, e.g. "12345"')
    opens: str
    closes: str
    closed_dates: list[str]
    open_dates: list[str]
    class_weights: dict[str, int]
    recall_limit: int
    no_show_reactivate_minutes: int
    address: str
    phone: str
    notice: str
    english_voice: bool
    voice_repeat: int
    green_channel_age: int | None
    id_daily_limit: int | None
    rating_timeout_seconds: int | None


class QueueRow(Out):
    id: int
    hall_id: int
    code: str
    prefix: str
    name: str
    name_en: str
    start_number: int
    width: int
    daily_cap: int | None
    issue_hours: list[str]
    default_service_minutes: float
    sort: int
    active: bool


class WindowRow(Out):
    id: int
    hall_id: int
    number: int
    name: str
    name_en: str
    paused: bool
    pause_reason: str | None
    clerk_id: int | None
    current_ticket_id: int | None
    selection_state: dict[str, object] = Field(description="the engine's fairness counters")
    active: bool
    version: int


class StaffRow(Out):
    id: int
    hall_id: int | None
    staff_no: str
    name: str
    role: str
    photo: str
    active: bool


class DeviceRow(Out):
    id: int
    hall_id: int
    code: str
    kind: str
    name: str
    window_id: int | None
    active: bool
    last_seen: Moment | None
    token: str = Field(description="shown once; only its hash is kept")
