"""The audit log as the admin API answers it, and the dates its filters take."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import Field, PlainValidator, WithJsonSchema

from .base import Moment, Out


def day_or_moment(value: Any) -> date | datetime:
    """ "2026-11-23" is that whole day in the hall's time zone; anything longer is an ISO
    datetime (without an offset: the hall's time zone). Never a day read as midnight."""
    if isinstance(value, datetime | date):
        return value
    text = str(value).strip()
    if len(text) == 10:
        return date.fromisoformat(text)
    return datetime.fromisoformat(text)


DayOrMoment = Annotated[
    date | datetime,
    PlainValidator(day_or_moment),
    WithJsonSchema(
        {
            "type": "string",
            "description": "a date (YYYY-MM-DD, a day in the hall's time zone) or an ISO datetime",
            "examples": ["2026-11-23", "2026-11-23T09:30:00+08:00"],
        }
    ),
]


class AuditEntry(Out):
    id: int
    hall: str | None = Field(description="the hall's code; null: installation-wide")
    at: Moment = Field(description="UTC")
    at_local: Moment = Field(description="in the hall's time zone")
    actor_kind: str = Field(description="staff | device | cli | system")
    actor_staff_id: int | None
    actor: str = Field(description="staff number, device code, or cli")
    actor_name: str
    address: str = Field(description="the client's address; cli for the command line")
    action: str = Field(description="stable code, e.g. queue.update, auth.login_failed")
    entity_kind: str = Field(description="hall | queue | window | staff | device")
    entity_key: str = Field(description="e.g. the queue's code, the staff number")
    before: dict[str, Any] | None = Field(description="the changed fields as they were")
    after: dict[str, Any] | None = Field(description="the changed fields as they are")
    result: str = Field(description="ok | refused")
    error_code: str | None = Field(description="why an attempt was refused")


class AuditPage(Out):
    entries: list[AuditEntry] = Field(description="newest first")
    next_cursor: str | None = Field(
        description="pass as cursor for the older entries; null: there are no more"
    )
