"""Plain data the engine works on. Datetimes are timezone-aware UTC."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any


class TicketStatus(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    HELD = "held"
    NO_SHOW = "no_show"
    DONE = "done"
    CANCELLED = "cancelled"
    EXPIRED = "expired"  # closed as not served at the end of the business day


OPEN_STATUSES = frozenset(
    {
        TicketStatus.WAITING,
        TicketStatus.CALLED,
        TicketStatus.SERVING,
        TicketStatus.HELD,
        TicketStatus.NO_SHOW,
    }
)
AT_WINDOW_STATUSES = frozenset({TicketStatus.CALLED, TicketStatus.SERVING})


class PriorityClass(StrEnum):
    NORMAL = "normal"
    GREEN = "green"  # 绿色通道: elderly, disabled, military, pregnant women
    APPOINTMENT = "appointment"


# Tie-break order when two classes have equal credit.
CLASS_ORDER: tuple[PriorityClass, ...] = (
    PriorityClass.GREEN,
    PriorityClass.APPOINTMENT,
    PriorityClass.NORMAL,
)


class EventKind(StrEnum):
    ISSUED = "issued"
    CALLED = "called"
    RECALLED = "recalled"
    STARTED = "started"
    FINISHED = "finished"
    NO_SHOW = "no_show"
    REACTIVATED = "reactivated"
    HELD = "held"
    CALLED_BACK = "called_back"
    TRANSFERRED = "transferred"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    WINDOW_PAUSED = "window_paused"
    WINDOW_RESUMED = "window_resumed"


@dataclass
class Ticket:
    id: int
    queue_id: int
    code: str
    number: int
    priority: PriorityClass
    status: TicketStatus
    business_day: date
    issued_at: datetime
    # Arrival used for ordering: the issue time, kept on transfer, reset on reactivation.
    rank_at: datetime
    window_id: int | None = None  # the window that called, serves or holds it
    target_window_id: int | None = None  # transferred to one window only
    recall_count: int = 0
    no_show_at: datetime | None = None
    service_item_id: int | None = None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


@dataclass(frozen=True)
class WindowQueue:
    queue_id: int
    weight: int = 1


@dataclass
class Window:
    id: int
    number: int
    queues: list[WindowQueue]
    paused: bool = False
    pause_reason: str | None = None
    current_ticket_id: int | None = None
    # Smooth weighted round-robin credits, kept between calls so ratios hold over a day.
    class_credits: dict[str, int] = field(default_factory=dict)
    queue_credits: dict[str, int] = field(default_factory=dict)

    def serves(self, queue_id: int) -> bool:
        return any(q.queue_id == queue_id for q in self.queues)


@dataclass(frozen=True)
class Policy:
    """Hall rules that decide who is called next; data, not code."""

    class_weights: dict[PriorityClass, int] = field(
        default_factory=lambda: {
            PriorityClass.GREEN: 2,
            PriorityClass.APPOINTMENT: 2,
            PriorityClass.NORMAL: 1,
        }
    )
    recall_limit: int = 3
    no_show_reactivate_minutes: int = 30


@dataclass(frozen=True)
class Event:
    kind: EventKind
    at: datetime
    ticket_id: int | None = None
    window_id: int | None = None
    clerk_id: int | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class QueueRules:
    """What the engine needs to know to issue a ticket for a queue."""

    prefix: str
    start_number: int = 1
    width: int = 3
    daily_cap: int | None = None
    # Ticket-issuing periods of a business day, local time.
    issue_hours: tuple[tuple[time, time], ...] = ((time(0, 0), time(23, 59, 59)),)
    active: bool = True
