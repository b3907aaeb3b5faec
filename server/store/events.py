"""The ticket event log: appending, reading back, and what is derived from it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlmodel import Session, col, select

from server.domain.model import Event, EventKind

from . import tables as t
from .db import db_time, to_db_time


def _event_of(r: t.TicketEvent) -> Event:
    return Event(
        kind=EventKind(r.kind),
        at=db_time(r.at),
        ticket_id=r.ticket_id,
        window_id=r.window_id,
        clerk_id=r.clerk_id,
        data=r.data,
    )


def append_events(
    s: Session, hall_id: int, day: date, events: Iterable[Event]
) -> list[t.TicketEvent]:
    rows = [
        t.TicketEvent(
            hall_id=hall_id,
            business_day=day,
            ticket_id=e.ticket_id,
            window_id=e.window_id,
            clerk_id=e.clerk_id,
            kind=e.kind.value,
            at=to_db_time(e.at),
            data=e.data,
        )
        for e in events
    ]
    s.add_all(rows)
    s.flush()
    return rows


def events_of_day(s: Session, hall_id: int, day: date) -> list[Event]:
    rows = s.exec(
        select(t.TicketEvent)
        .where(t.TicketEvent.hall_id == hall_id, t.TicketEvent.business_day == day)
        .order_by(col(t.TicketEvent.id))
    )
    return [_event_of(r) for r in rows]


def events_at_window(
    s: Session, hall_id: int, day: date, window_id: int, ticket_ids: Iterable[int]
) -> list[Event]:
    """A window's own events of the day, plus all events of the given tickets."""
    ids = [i for i in ticket_ids if i is not None]
    cond = col(t.TicketEvent.window_id) == window_id
    if ids:
        cond = cond | col(t.TicketEvent.ticket_id).in_(ids)
    rows = s.exec(
        select(t.TicketEvent)
        .where(t.TicketEvent.hall_id == hall_id, t.TicketEvent.business_day == day, cond)
        .order_by(col(t.TicketEvent.id))
    )
    return [_event_of(r) for r in rows]


def latest_calls(
    s: Session, hall_id: int, day: date, *, kinds: Iterable[str], limit: int
) -> list[tuple[t.TicketEvent, t.Ticket, t.Window]]:
    """The day's last ``limit`` events of these kinds, newest first, each with its ticket
    and its window."""
    return list(
        s.exec(
            select(t.TicketEvent, t.Ticket, t.Window)
            .join(t.Ticket, col(t.Ticket.id) == col(t.TicketEvent.ticket_id))
            .join(t.Window, col(t.Window.id) == col(t.TicketEvent.window_id))
            .where(
                t.TicketEvent.hall_id == hall_id,
                t.TicketEvent.business_day == day,
                col(t.TicketEvent.kind).in_(list(kinds)),
            )
            .order_by(col(t.TicketEvent.id).desc())
            .limit(limit)
        ).all()
    )


def recent_service_events(
    s: Session, hall_id: int, day: date, queue_id: int, n: int
) -> list[Event]:
    """Events of the last ``n`` tickets of a queue finished today, for the wait estimate."""
    finished_ids = list(
        s.exec(
            select(t.TicketEvent.ticket_id)
            .join(t.Ticket, col(t.Ticket.id) == col(t.TicketEvent.ticket_id))
            .where(
                t.TicketEvent.hall_id == hall_id,
                t.TicketEvent.business_day == day,
                t.TicketEvent.kind == EventKind.FINISHED.value,
                t.Ticket.queue_id == queue_id,
            )
            .order_by(col(t.TicketEvent.id).desc())
            .limit(n)
        )
    )
    if not finished_ids:
        return []
    rows = s.exec(
        select(t.TicketEvent)
        .where(col(t.TicketEvent.ticket_id).in_(finished_ids))
        .order_by(col(t.TicketEvent.id))
    )
    return [_event_of(r) for r in rows]
