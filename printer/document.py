"""The two kinds of printed document: a queue ticket and a one-time notice.

Both are plain data. The hub fills them in; nothing here knows how they are
stored or where the numbers come from.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime

DEFAULT_TICKET_NOTE = "过号请重新取号"
REPRINT_MARK = "补打"


@dataclass(frozen=True, slots=True)
class TicketData:
    """Everything printed on one queue ticket (排队小票)."""

    hall_name: str
    queue_name: str
    number: str
    people_ahead: int
    wait_minutes: int | None
    windows: tuple[str, ...]
    issued_at: datetime
    status_url: str
    note: str = DEFAULT_TICKET_NOTE
    reprint: bool = False

    def __post_init__(self) -> None:
        if not self.number.strip():
            raise ValueError("ticket number must not be empty")
        if self.people_ahead < 0:
            raise ValueError("people_ahead must be >= 0")
        if self.wait_minutes is not None and self.wait_minutes < 0:
            raise ValueError("wait_minutes must be >= 0 or None (unknown)")

    def as_reprint(self) -> TicketData:
        return dataclasses.replace(self, reprint=True)


@dataclass(frozen=True, slots=True)
class NoticeData:
    """A one-time notice (一次性告知单): the materials list of a service item."""

    title: str
    lines: tuple[str, ...]
    hall_name: str = ""
    issued_at: datetime | None = None
    footer: str = ""
    reprint: bool = False
    # The line above the title: what kind of slip it is ("" when the title says it,
    # as a case's 受理回执 does).
    heading: str = "一次性告知单"

    def as_reprint(self) -> NoticeData:
        return dataclasses.replace(self, reprint=True)


Document = TicketData | NoticeData
