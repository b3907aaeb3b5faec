"""Queue status and the wait estimate (people ahead x recent mean service / open windows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from server.domain.calendar import check_can_issue
from server.domain.errors import DomainError
from server.domain.metrics import estimate_wait_minutes, mean_service_seconds, ticket_times
from server.store import events as event_store
from server.store import halls as hall_store
from server.store import queues as queue_store
from server.store import tables as t
from server.store import tickets as ticket_store
from server.store import windows as window_store
from server.store.db import Session

from .calendar import calendar_now
from .hub import Hub


@dataclass(frozen=True)
class QueueStatus:
    code: str
    prefix: str
    name: str
    name_en: str
    waiting: int
    open_windows: int
    mean_service_minutes: float
    estimated_wait_minutes: int | None
    issuing: bool
    not_issuing_code: str | None
    issued_today: int
    remaining_today: int | None
    windows: list[int]


def mean_service(s: Session, hub: Hub, hall_id: int, day: date, queue: t.Queue) -> float:
    assert queue.id is not None
    events = event_store.recent_service_events(
        s, hall_id, day, queue.id, hub.settings.recent_service_sample
    )
    durations = [
        d.service_seconds for d in ticket_times(events).values() if d.service_seconds is not None
    ]
    return mean_service_seconds(
        durations, queue.default_service_minutes * 60, hub.settings.recent_service_sample
    )


def estimate(
    s: Session, hub: Hub, hall_id: int, day: date, queue: t.Queue, ahead: int
) -> int | None:
    assert queue.id is not None
    open_windows = len(window_store.open_window_ids_by_queue(s, hall_id).get(queue.id, []))
    return estimate_wait_minutes(ahead, mean_service(s, hub, hall_id, day, queue), open_windows)


def queue_statuses(s: Session, hub: Hub, hall: t.Hall, now: datetime) -> list[QueueStatus]:
    assert hall.id is not None
    calendar = calendar_now(s, hall, now)
    day = calendar.business_day(now)
    waiting = ticket_store.waiting_counts(s, hall.id, day)
    issued = ticket_store.issued_today(s, hall.id, day)
    open_by_queue = window_store.open_window_ids_by_queue(s, hall.id)
    numbers = {w.id: w.number for w in window_store.window_rows(s, hall.id)}
    serving: dict[int, list[int]] = {}
    for wq in window_store.window_queue_rows(s, hall.id):
        serving.setdefault(wq.queue_id, []).append(numbers[wq.window_id])
    out = []
    for q in queue_store.queues(s, hall.id):
        assert q.id is not None
        rules = queue_store.rules_of(q)
        try:
            check_can_issue(rules, calendar, now)
            issuing, reason = True, None
        except DomainError as err:
            issuing, reason = False, err.code
        count = issued.get(q.id, 0)
        if q.daily_cap is not None and count >= q.daily_cap and issuing:
            issuing, reason = False, "DAILY_CAP_REACHED"
        mean = mean_service(s, hub, hall.id, day, q)
        open_windows = len(open_by_queue.get(q.id, []))
        out.append(
            QueueStatus(
                code=q.code,
                prefix=q.prefix,
                name=q.name,
                name_en=q.name_en,
                waiting=waiting.get(q.id, 0),
                open_windows=open_windows,
                mean_service_minutes=round(mean / 60, 1),
                estimated_wait_minutes=estimate_wait_minutes(
                    waiting.get(q.id, 0), mean, open_windows
                ),
                issuing=issuing,
                not_issuing_code=reason,
                issued_today=count,
                remaining_today=None if q.daily_cap is None else max(0, q.daily_cap - count),
                windows=sorted(serving.get(q.id, [])),
            )
        )
    return out


def hall_queue_status(hub: Hub, hall_code: str) -> tuple[t.Hall, list[QueueStatus]]:
    with hub.db.read() as s:
        hall = hall_store.hall_by_code(s, hall_code)
        return hall, queue_statuses(s, hub, hall, hub.now())


@dataclass(frozen=True)
class WindowSummary:
    number: int
    name: str
    name_en: str
    queues: list[str]
    open: bool
    paused: bool
    pause_reason: str | None
    current: str | None


def window_summaries(hub: Hub, hall_code: str) -> list[WindowSummary]:
    """The hall's windows, what they serve and whom they call, by number."""
    with hub.db.read() as s:
        h = hall_store.hall_by_code(s, hall_code)
        assert h.id is not None
        queues = {q.id: q.code for q in queue_store.queues(s, h.id)}
        wqs = window_store.window_queue_rows(s, h.id)
        out = []
        for w in window_store.window_rows(s, h.id):
            current = ticket_store.ticket_row(s, w.current_ticket_id)
            out.append(
                WindowSummary(
                    number=w.number,
                    name=w.name,
                    name_en=w.name_en,
                    queues=[
                        queues[x.queue_id]
                        for x in wqs
                        if x.window_id == w.id and x.queue_id in queues
                    ],
                    open=w.clerk_id is not None and not w.paused,
                    paused=w.paused,
                    pause_reason=w.pause_reason,
                    current=current.code if current else None,
                )
            )
        return out
