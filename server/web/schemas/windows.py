"""Sign-in, a window as the clerk screen shows it, and the day's report."""

from __future__ import annotations

from pydantic import Field

from .base import Moment, Out


class Me(Out):
    staff_no: str
    name: str
    role: str = Field(description="clerk, supervisor or admin")
    hall_id: int | None = Field(description="null: an admin of every hall")
    window: int | None = Field(description="the window signed in at")
    must_change_password: bool = Field(
        description="an admin reset the password: choose one's own (POST /api/v1/auth/password)"
    )


class LoginAnswer(Out):
    token: str = Field(description="bearer token; the same as the session cookie")
    token_type: str
    staff: Me


class TicketBrief(Out):
    """server.services.windows.TicketBrief."""

    code: str
    status: str
    queue_code: str
    priority: str
    service_item: str | None
    issued_at: Moment
    called_at: Moment | None
    started_at: Moment | None
    recall_count: int


class WindowQueue(Out):
    code: str
    name: str
    weight: int
    waiting: int


class WindowView(Out):
    """server.services.windows.WindowView: what a window action answers with."""

    hall_code: str
    number: int
    name: str
    name_en: str
    paused: bool
    pause_reason: str | None
    clerk_name: str | None
    clerk_staff_no: str | None
    current: TicketBrief | None
    queues: list[WindowQueue]
    waiting: list[TicketBrief]
    held: list[TicketBrief]
    served_today: int
    mean_service_seconds: float | None
    called: str | None = Field(description="the ticket this action called, if any")
    events: list[str] = Field(description="kinds of the events the action produced")
    # Optional, and left out when the service does not give it (the routes exclude unset
    # fields): the view's hall seq is being added alongside (issue #10, item 3), and the
    # model must fit the views from before and after that change.
    seq: int | None = Field(
        default=None,
        description="the hall seq the view is at least as new as (its action's last event)",
    )


class Minutes(Out):
    mean: float | None
    max: float | None


class DaySummary(Out):
    called: int
    served: int
    wait_minutes: Minutes
    service_minutes: Minutes
    walk_up_minutes: Minutes


class QueueDay(DaySummary):
    code: str
    name: str


class WindowDay(DaySummary):
    number: int
    name: str


class DailyReport(Out):
    hall: str
    day: str = Field(description="the business day, YYYY-MM-DD")
    issued: int
    statuses: dict[str, int] = Field(description="tickets of the day per status")
    no_shows: int
    transfers: int
    total: DaySummary
    queues: list[QueueDay]
    windows: list[WindowDay]
