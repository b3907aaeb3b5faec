"""好差评, the requests: a finished service asks for a rating, which is given or not.

A request opens when a service finishes (finish, or call-next finishing the current
ticket) or when the clerk asks for a rating; the window's rating pad or tablet then
shows the ticket. An unanswered request closes as "not rated" after the hall's timeout
(``Hall.rating_timeout_seconds``, or the installation's
``Settings.rating_timeout_seconds`` where the hall sets none), or when a newer service
at the window replaces it. The states and steps are server/domain/rating.py's.

Every change is stamped inside its transaction and published after commit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from server.domain.model import Event, EventKind
from server.domain.model import Window as DWindow
from server.domain.rating import RatingStatus, RatingStep, may_step, sources, step
from server.errors import HubError
from server.realtime.bus import HubEvent
from server.realtime.journal import stamp
from server.store import halls as hall_store
from server.store import rating_requests as store
from server.store import ratings as rating_rows
from server.store import tables as t
from server.store import windows as window_store
from server.store.db import Session, from_db_time, to_db_time

from .hub import Hub

Status = RatingStatus

# Marks the finish a clerk asked for with 评价 (kept in the event's data).
RATE_MARK = "rating_requested"


@dataclass(frozen=True)
class OpenRequest:
    request_id: int
    ticket: str
    window: int
    service_item: str | None
    opened_at: datetime
    deadline: datetime


def timeout_of(hub: Hub, hall: t.Hall) -> float:
    """The hall's rating timeout in seconds: its own, else the installation's default."""
    if hall.rating_timeout_seconds is not None:
        return float(hall.rating_timeout_seconds)
    return hub.settings.rating_timeout_seconds


# ---- opening and closing ----------------------------------------------------------------


def finish_and_request(events: list[Event]) -> list[Event]:
    """Mark a finish the clerk asked for with 评价 (the request records who opened it)."""
    return [
        replace(e, data={**e.data, RATE_MARK: True}) if e.kind is EventKind.FINISHED else e
        for e in events
    ]


def on_window_events(
    s: Session, hub: Hub, hall_id: int, window: DWindow, events: list[Event], now: datetime
) -> list[HubEvent]:
    """Called by a window command inside its transaction, after its events are stored:
    every finished service opens a rating request at that window. Returns the stamped
    rating events to publish with the command's own."""
    out: list[HubEvent] = []
    for e in events:
        if e.kind is EventKind.FINISHED and e.ticket_id is not None:
            by = "clerk" if e.data.get(RATE_MARK) else "finish"
            out += _open(s, hub, hall_id, window.number, e.ticket_id, e.clerk_id, now, by)
    return stamp(s, hall_id, out) if out else []


def request_data(r: t.RatingRequest, window: int | None, **extra: Any) -> dict[str, Any]:
    return {"window": window, "ticket": r.ticket_code, "request_id": r.id, **extra}


def close(
    s: Session, r: t.RatingRequest, window: int | None, now: datetime, why: str
) -> list[HubEvent]:
    """Close an open request as not rated; nothing if someone closed it meanwhile."""
    assert r.id is not None
    if not may_step(Status(r.status), RatingStep.CLOSE) or not store.move(
        s,
        r.id,
        sources=sources(RatingStep.CLOSE),
        to=step(Status(r.status), RatingStep.CLOSE).value,
        closed_at=to_db_time(now),
    ):
        return []
    data = request_data(r, window, outcome=Status.NOT_RATED.value, why=why)
    return [HubEvent(hall_id=r.hall_id, kind="rating_closed", data=data)]


def _open(
    s: Session,
    hub: Hub,
    hall_id: int,
    window_number: int,
    ticket_id: int,
    clerk_id: int | None,
    now: datetime,
    opened_by: str,
) -> list[HubEvent]:
    ticket = rating_rows.ticket(s, ticket_id)
    if ticket is None or ticket.window_id is None:
        return []
    events: list[HubEvent] = []
    # A window's pad shows one ticket: a newer service replaces an unanswered one.
    for other in store.open_at_window(s, hall_id, ticket.window_id):
        if other.ticket_id != ticket_id:
            events += close(s, other, window_number, now, "superseded")
    # The caller's transaction has loaded the hall already: this is no second query.
    timeout = timeout_of(hub, hall_store.hall_by_id(s, hall_id))
    deadline = now + timedelta(seconds=timeout)
    request = store.of_ticket(s, ticket_id)
    if request is None:
        request = store.add(
            s,
            t.RatingRequest(
                hall_id=hall_id,
                business_day=ticket.business_day,
                ticket_id=ticket_id,
                ticket_code=ticket.code,
                queue_id=ticket.queue_id,
                service_item_id=ticket.service_item_id,
                window_id=ticket.window_id,
                clerk_id=clerk_id,
                status=Status.OPEN.value,
                opened_by=opened_by,
                opened_at=to_db_time(now),
                deadline=to_db_time(deadline),
            ),
        )
    elif not may_step(Status(request.status), RatingStep.REOPEN):
        return events  # one rating per service
    else:
        assert request.id is not None
        if not store.move(
            s,
            request.id,
            sources=sources(RatingStep.REOPEN),
            to=step(Status(request.status), RatingStep.REOPEN).value,
            opened_by=opened_by,
            deadline=to_db_time(deadline),
            closed_at=None,
        ):
            return events  # rated by phone in the meantime
    data = request_data(request, window_number, deadline=deadline.isoformat(), opened_by=opened_by)
    events.append(HubEvent(hall_id=hall_id, kind="rating_opened", data=data))
    return events


def ask_again(hub: Hub, *, hall_id: int, window_number: int) -> None:
    """评价 with nobody at the window: open the window's last service of the day again."""
    now = hub.now()

    def work(s: Session) -> list[HubEvent]:
        hall = hall_store.hall_by_id(s, hall_id)
        window = window_store.window_row(s, hall_id, window_number)
        assert window.id is not None
        day = hall_store.calendar_of(hall).business_day(now)
        last = store.last_of_window_day(s, hall_id, window.id, day)
        if last is None:
            raise HubError("NOTHING_TO_RATE", window=window_number)
        if last.status == Status.RATED:
            raise HubError("RATING_ALREADY_GIVEN", ticket=last.ticket_code)
        events = _open(s, hub, hall_id, window_number, last.ticket_id, last.clerk_id, now, "clerk")
        return stamp(s, hall_id, events)

    hub.publish(hub.db.write(work))


def close_expired(hub: Hub) -> int:
    """Close every request whose time is up as not rated; returns how many."""
    return sweep_expired(hub)[0]


def sweep_expired(hub: Hub) -> tuple[int, float]:
    """Close every request whose time is up as not rated. Returns how many, and the
    shortest timeout any hall has now (how soon the closer should come round again)."""
    now = hub.now()
    default = hub.settings.rating_timeout_seconds
    # Looked for first in a read: on SQLite a write transaction every second would
    # take the one write lock from the window commands for nothing.
    # Two queries whatever the number of halls (a city's installation has many).
    with hub.db.read() as s:
        timeouts = store.hall_timeouts(s)
        halls = store.halls_with_due(s, to_db_time(now))
    shortest = min([default, *(float(v) for v in timeouts)])
    if not halls:
        return 0, shortest

    def work(s: Session) -> list[HubEvent]:
        out: list[HubEvent] = []
        for hall_id in halls:
            closed: list[HubEvent] = []
            for r in store.due(s, hall_id, to_db_time(now)):
                closed += close(s, r, rating_rows.window_number(s, r.window_id), now, "timeout")
            out += stamp(s, hall_id, closed)
        return out

    events = hub.db.write(work)
    hub.publish(events)
    return len(events), shortest


# ---- reading ----------------------------------------------------------------------------


def open_request(hub: Hub, *, hall_id: int, window_number: int) -> OpenRequest | None:
    """The request the window's pad or tablet should show now, if any."""
    now = hub.now()
    with hub.db.read() as s:
        return open_request_in(s, hall_id, window_number, now)


def open_request_in(
    s: Session, hall_id: int, window_number: int, now: datetime
) -> OpenRequest | None:
    window = window_store.window_row(s, hall_id, window_number)
    assert window.id is not None
    for r in store.open_at_window(s, hall_id, window.id):
        deadline = from_db_time(r.deadline)
        opened = from_db_time(r.opened_at)
        assert deadline is not None and opened is not None and r.id is not None
        if deadline > now:
            item = rating_rows.service_item(s, r.service_item_id)
            return OpenRequest(
                r.id, r.ticket_code, window_number, item.name if item else None, opened, deadline
            )
    return None
