"""Request bodies. Unknown fields are refused, so a typo is an error, not a silent no-op."""

from __future__ import annotations

from datetime import time

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from server.domain.hall_settings import MAX_EXCEPTION_DATES
from server.domain.holidays import MAX_ROWS, NAME_MAX
from server.domain.model import PriorityClass
from server.domain.rating import RATING_TIMEOUT_MAX, RATING_TIMEOUT_MIN
from server.services.accounts import DeviceKind, Role


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _not_null(v: object) -> object:
    """Only the rules that can be switched off (green_channel_age, id_daily_limit,
    rating_timeout_seconds) take null; elsewhere null is a mistake, not a reset."""
    if v is None:
        raise PydanticCustomError("REQUIRED", "must not be null")
    return v


class IssueTicket(Body):
    queue: str | None = Field(default=None, max_length=32, description="queue code")
    item: str | None = Field(default=None, max_length=64, description="service item code")
    priority: PriorityClass = PriorityClass.NORMAL
    # Optional; checked by the hub (server/domain/identity.py), stored masked only.
    id_number: str | None = Field(default=None, max_length=32, description="resident ID number")
    phone: str | None = Field(default=None, max_length=32, description="mainland mobile number")

    @model_validator(mode="after")
    def _one_target(self) -> IssueTicket:
        if not self.queue and not self.item:
            raise ValueError("give a queue or a service item")
        return self


class Login(Body):
    hall: str = Field(min_length=1, max_length=32)
    staff_no: str = Field(min_length=1, max_length=32)
    password: str = Field(min_length=1, max_length=200)
    window: int | None = Field(default=None, ge=1, le=999)


class Pause(Body):
    reason: str = Field(min_length=1, max_length=200)


class CallTicket(Body):
    ticket: str = Field(min_length=2, max_length=16, pattern=r"^[A-Za-z]{1,4}\d{1,6}$")


class CallBack(Body):
    ticket: str | None = Field(
        default=None, min_length=2, max_length=16, pattern=r"^[A-Za-z]{1,4}\d{1,6}$"
    )


class Transfer(Body):
    queue: str | None = Field(default=None, max_length=32)
    window: int | None = Field(default=None, ge=1, le=999)

    @model_validator(mode="after")
    def _target(self) -> Transfer:
        if self.queue is None and self.window is None:
            raise ValueError("give a queue or a window to transfer to")
        return self


def _check_hours(spans: list[str]) -> list[str]:
    for span in spans:
        try:
            a, b = span.split("-")
            if time.fromisoformat(a) >= time.fromisoformat(b):
                raise ValueError
        except ValueError as err:
            raise PydanticCustomError(
                "HOURS_FORMAT", "hours must look like 08:30-12:00, got {span}", {"span": span}
            ) from err
    return spans


class QueueCreate(Body):
    code: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")
    prefix: str = Field(min_length=1, max_length=4, pattern=r"^[A-Z]{1,4}$")
    name: str = Field(min_length=1, max_length=100)
    name_en: str = Field(default="", max_length=200)
    start_number: int = Field(default=1, ge=0, le=9999)
    width: int = Field(default=3, ge=1, le=6)
    daily_cap: int | None = Field(default=None, ge=1, le=99999)
    issue_hours: list[str] = Field(default_factory=list)
    default_service_minutes: float = Field(default=10, gt=0, le=480)
    sort: int = 0
    active: bool = True

    _hours = field_validator("issue_hours")(_check_hours)


VERSION_READ = "the version read; or send it as the If-Match header"


class QueueUpdate(Body):
    name: str | None = Field(default=None, min_length=1, max_length=100)
    name_en: str | None = Field(default=None, max_length=200)
    prefix: str | None = Field(default=None, min_length=1, max_length=4, pattern=r"^[A-Z]{1,4}$")
    start_number: int | None = Field(default=None, ge=0, le=9999)
    width: int | None = Field(default=None, ge=1, le=6)
    daily_cap: int | None = Field(default=None, ge=1, le=99999, description="null: no cap")
    issue_hours: list[str] | None = None
    default_service_minutes: float | None = Field(default=None, gt=0, le=480)
    sort: int | None = Field(default=None, ge=-9999, le=9999)
    active: bool | None = Field(default=None, description="false: no new tickets")
    version: int | None = Field(default=None, ge=1, description=VERSION_READ)

    _required = field_validator(
        "name", "prefix", "start_number", "width", "default_service_minutes", "sort", "active"
    )(_not_null)

    @field_validator("issue_hours")
    @classmethod
    def _hours(cls, v: list[str] | None) -> list[str] | None:
        return None if v is None else _check_hours(v)


class WindowQueueIn(Body):
    queue: str
    weight: int = Field(default=1, ge=1, le=100)


class WindowCreate(Body):
    number: int = Field(ge=1, le=999)
    name: str = Field(min_length=1, max_length=100)
    name_en: str = Field(default="", max_length=200)
    queues: list[WindowQueueIn] = Field(min_length=1)


class WindowUpdate(Body):
    number: int | None = Field(default=None, ge=1, le=999)
    name: str | None = Field(default=None, min_length=1, max_length=100)
    name_en: str | None = Field(default=None, max_length=200)
    queues: list[WindowQueueIn] | None = Field(
        default=None, min_length=1, description="the queues it serves, in order, with weights"
    )
    active: bool | None = None
    version: int | None = Field(default=None, ge=1, description=VERSION_READ)

    _required = field_validator("number", "name", "queues", "active")(_not_null)


class StaffCreate(Body):
    staff_no: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")
    name: str = Field(min_length=1, max_length=50)
    role: Role
    password: str = Field(min_length=8, max_length=200)
    photo: str = Field(default="", max_length=300)
    title: str = Field(default="", max_length=50, description="职务/岗位, shown on the tablet")
    windows: list[int] = Field(
        default_factory=list, max_length=100, description="window numbers she may sit at; []: any"
    )


class StaffUpdate(Body):
    name: str | None = Field(default=None, min_length=1, max_length=50)
    role: Role | None = None
    title: str | None = Field(default=None, max_length=50)
    windows: list[int] | None = Field(default=None, max_length=100)
    active: bool | None = Field(default=None, description="false signs her out at once")
    version: int | None = Field(default=None, ge=1, description=VERSION_READ)

    _required = field_validator("name", "role", "title", "windows", "active")(_not_null)


class PasswordReset(Body):
    password: str | None = Field(
        default=None, min_length=8, max_length=200, description="none: the hub makes one up"
    )


class PasswordChange(Body):
    old_password: str = Field(min_length=1, max_length=200)
    new_password: str = Field(min_length=8, max_length=200)


class DeviceUpdate(Body):
    name: str | None = Field(default=None, max_length=100)
    window: int | None = Field(default=None, ge=1, le=999, description="null: no window")
    version: int | None = Field(default=None, ge=1, description=VERSION_READ)

    _required = field_validator("name")(_not_null)


class DeviceCreate(Body):
    code: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")
    kind: DeviceKind
    name: str = Field(default="", max_length=100)
    window: int | None = Field(default=None, ge=1, le=999)


Week = dict[str, list[list[str]]]
Dates = list[str]


class _HallSettings(Body):
    """Every setting an admin edits. Their rules (times that exist, spans in order,
    ticket hours within the day, a real time zone, dates) are the domain's
    (domain/hall_settings.py), checked by the service whatever the caller."""

    name_en: str | None = Field(default=None, max_length=200)
    region: str | None = Field(default=None, max_length=32)
    timezone: str | None = Field(default=None, max_length=64)
    address: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=40)
    notice: str | None = Field(default=None, max_length=500)
    ticket_notice: str | None = Field(default=None, max_length=60)
    office_hours: Week | None = None
    ticket_hours: Week | None = None
    languages: list[str] | None = Field(default=None, max_length=2)
    closed_dates: Dates | None = Field(default=None, max_length=MAX_EXCEPTION_DATES)
    open_dates: Dates | None = Field(default=None, max_length=MAX_EXCEPTION_DATES)
    class_weights: dict[PriorityClass, int] | None = None
    recall_limit: int | None = Field(default=None, ge=0, le=10)
    no_show_reactivate_minutes: int | None = Field(default=None, ge=0, le=480)
    english_voice: bool | None = None
    voice_repeat: int | None = Field(default=None, ge=1, le=3)
    # null switches the rule off: no green channel by age / no per-ID daily limit.
    green_channel_age: int | None = Field(default=None, ge=50, le=120)
    id_daily_limit: int | None = Field(default=None, ge=1, le=50)
    # 好差评: seconds before an unanswered rating request closes; null: the installation's
    # default (HALL_RATING_TIMEOUT_SECONDS).
    rating_timeout_seconds: int | None = Field(
        default=None, ge=RATING_TIMEOUT_MIN, le=RATING_TIMEOUT_MAX
    )
    unrated_stays_unrated: bool | None = None
    # 办件: the receipt number's pattern (fields {hall} {year} {yy} {month} {dept} {seq:N})
    # and the share of a time limit used at which a case turns yellow (黄灯).
    receipt_pattern: str | None = Field(default=None, min_length=1, max_length=64)
    case_warning_percent: int | None = Field(default=None, ge=50, le=95)
    # 承诺办结时限 at most this share of 法定办结时限, rounded down (domain/guide.py).
    promised_share_percent: int | None = Field(default=None, ge=1, le=100)

    @field_validator("class_weights")
    @classmethod
    def _weights(cls, v: dict[PriorityClass, int] | None) -> dict[PriorityClass, int] | None:
        if v is not None and any(w < 1 or w > 100 for w in v.values()):
            raise PydanticCustomError(
                "TOO_LARGE", "class weights are whole numbers from 1 to 100", {"min": 1, "max": 100}
            )
        return v

    _nulls_refused = field_validator(
        *[
            "name_en",
            "region",
            "timezone",
            "address",
            "phone",
            "notice",
            "ticket_notice",
            "office_hours",
            "ticket_hours",
            "languages",
            "closed_dates",
            "open_dates",
            "class_weights",
            "recall_limit",
            "no_show_reactivate_minutes",
            "english_voice",
            "voice_repeat",
            "unrated_stays_unrated",
            "receipt_pattern",
            "case_warning_percent",
            "promised_share_percent",
        ]
    )(_not_null)


class HallCreate(_HallSettings):
    code: str = Field(
        min_length=1, max_length=32, description="lowercase letters, digits, -; e.g. east-1"
    )
    name: str = Field(min_length=1, max_length=100)


class HallUpdate(_HallSettings):
    code: str | None = Field(default=None, min_length=1, max_length=32)
    name: str | None = Field(default=None, min_length=1, max_length=100)
    version: int | None = Field(
        default=None, ge=1, description="the version read; or send it as the If-Match header"
    )

    _required = field_validator("code", "name")(_not_null)


class HallClose(Body):
    reason: str = Field(default="", max_length=200, description="shown on the screens")


class HallExceptions(Body):
    closed_dates: Dates = Field(max_length=MAX_EXCEPTION_DATES)
    open_dates: Dates = Field(max_length=MAX_EXCEPTION_DATES)
    version: int | None = Field(default=None, ge=1)


class CalendarEntryIn(Body):
    date: str = Field(max_length=20, description="YYYY-MM-DD")
    kind: str = Field(max_length=16, description="holiday (放假) or workday (上班)")
    name: str = Field(default="", max_length=NAME_MAX)


class CalendarYearIn(Body):
    entries: list[CalendarEntryIn] = Field(max_length=MAX_ROWS)
