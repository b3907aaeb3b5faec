"""What the admin endpoints answer with: the stored rows, as they are after the change."""

from __future__ import annotations

from pydantic import Field

from .base import Moment, Out

Week = dict[str, list[list[str]]]


class HallRow(Out):
    id: int
    code: str
    name: str
    name_en: str
    timezone: str
    region: str = Field(
        description='whose national calendar entries apply besides the installation-wide ones; "" for those alone'
    )
    office_hours: Week = Field(
        description='per ISO weekday, e.g. {"1": [["09:00", "12:00"], ["13:30", "17:00"]]}: '
        "the gaps are breaks; a weekday not listed is a day off"
    )
    ticket_hours: Week = Field(
        description="when tickets may be taken, per weekday, in the same form; a weekday not "
        "listed has no hall-wide limit (the queues' issue hours decide)"
    )
    closed_dates: list[str] = Field(description="this hall's own days off, YYYY-MM-DD")
    open_dates: list[str] = Field(description="this hall's own extra working days")
    class_weights: dict[str, int]
    recall_limit: int
    no_show_reactivate_minutes: int
    address: str
    phone: str
    notice: str
    ticket_notice: str = Field(description="printed on each ticket")
    languages: list[str] = Field(description='what the kiosks offer: ["zh"] or ["zh", "en"]')
    english_voice: bool
    voice_repeat: int
    green_channel_age: int | None
    id_daily_limit: int | None
    rating_timeout_seconds: int | None
    unrated_stays_unrated: bool
    receipt_pattern: str = Field(description="办件 receipt numbers, e.g. {hall}{year}{seq:6}")
    case_warning_percent: int = Field(description="黄灯 at this share of a time limit used")
    promised_share_percent: int = Field(
        description="承诺办结时限 may be at most this share (1-100 %) of 法定办结时限, rounded down"
    )
    closed_at: Moment | None = Field(description="closed by an admin since; null: open")
    closed_reason: str
    version: int = Field(description="send it back with an edit (version or If-Match)")


class HallList(Out):
    halls: list[HallRow]
    may_create: bool = Field(description="the caller is an installation-wide admin")


VERSION = "send it back with an edit (version or If-Match)"


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
    active: bool = Field(description="false: no new tickets, the kiosks show it as not issuing")
    version: int = Field(description=VERSION)


class QueueList(Out):
    queues: list[QueueRow]


class WindowQueueOut(Out):
    queue: str
    weight: int


class WindowRow(Out):
    id: int
    hall_id: int
    number: int
    name: str
    name_en: str
    paused: bool
    pause_reason: str | None
    clerk_id: int | None
    clerk: str | None = Field(description="the staff number of whoever is signed in there")
    current_ticket_id: int | None
    queues: list[WindowQueueOut] = Field(description="what it serves, in order, with weights")
    active: bool
    version: int = Field(description="its settings' version (calls at the window keep it)")


class WindowList(Out):
    windows: list[WindowRow]


class StaffRow(Out):
    id: int
    hall_id: int | None
    staff_no: str
    name: str
    role: str
    photo: str = Field(description="the photo's URL (亮牌); empty: none")
    title: str
    windows: list[int] = Field(description="the window numbers she may sit at; []: any")
    must_change_password: bool
    locked: bool = Field(description="locked after wrong passwords; an admin may unlock")
    locked_until: Moment | None
    active: bool
    version: int = Field(description=VERSION)


class StaffList(Out):
    staff: list[StaffRow]


class StaffPassword(Out):
    staff: StaffRow
    password: str = Field(description="the temporary password, shown once")


class DeviceRow(Out):
    id: int
    hall_id: int
    code: str
    kind: str
    name: str
    window_id: int | None
    window: int | None = Field(description="its window's number")
    active: bool = Field(description="false: revoked, its token is refused")
    last_seen: Moment | None = Field(description="its last request")
    version: int = Field(description=VERSION)


class DeviceList(Out):
    devices: list[DeviceRow]


class DeviceToken(DeviceRow):
    token: str = Field(description="shown once; only its hash is kept")
