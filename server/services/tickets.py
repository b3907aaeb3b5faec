"""Issuing tickets, and what a citizen can ask about their own ticket."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from server.domain import engine
from server.domain.calendar import check_can_issue, check_cap, ticket_code, ticket_number
from server.domain.engine import Actor
from server.domain.errors import DomainError
from server.domain.model import PriorityClass, TicketStatus
from server.domain.model import Ticket as DTicket
from server.realtime.bus import HubEvent
from server.store import repositories as repo
from server.store import tables as t

from .events import to_hub_events
from .hub import Hub
from .status import estimate


@dataclass(frozen=True)
class TicketView:
    id: int
    code: str
    token: str
    hall_code: str
    hall_name: str
    queue_code: str
    queue_name: str
    queue_name_en: str
    service_item_code: str | None
    service_item_name: str | None
    priority: str
    status: str
    business_day: date
    issued_at: datetime
    people_ahead: int
    estimated_wait_minutes: int | None
    windows: list[int]
    called_to_window: int | None
    status_url: str


def _view(s: Session, hub: Hub, hall: t.Hall, row: t.Ticket, tickets: repo.Tickets) -> TicketView:
    assert row.id is not None and hall.id is not None
    queue = s.get(t.Queue, row.queue_id)
    assert queue is not None
    item = s.get(t.ServiceItem, row.service_item_id) if row.service_item_id else None
    domain = tickets.get(row.id)
    waiting = domain.status is TicketStatus.WAITING
    ahead = repo.people_ahead(s, hall.id, domain) if waiting else 0
    # One query for the window-queue links, not one per window (this is on the issue path).
    serving_ids = {
        wq.window_id for wq in repo.window_queue_rows(s, hall.id) if wq.queue_id == queue.id
    }
    serving_windows = sorted(w.number for w in repo.window_rows(s, hall.id) if w.id in serving_ids)
    called_to = None
    if row.window_id and domain.status in (TicketStatus.CALLED, TicketStatus.SERVING):
        w = s.get(t.Window, row.window_id)
        called_to = w.number if w else None
    return TicketView(
        id=row.id,
        code=row.code,
        token=row.token,
        hall_code=hall.code,
        hall_name=hall.name,
        queue_code=queue.code,
        queue_name=queue.name,
        queue_name_en=queue.name_en,
        service_item_code=item.code if item else None,
        service_item_name=item.name if item else None,
        priority=row.priority,
        status=domain.status.value,
        business_day=row.business_day,
        issued_at=domain.issued_at,
        people_ahead=ahead,
        estimated_wait_minutes=estimate(s, hub, hall.id, row.business_day, queue, ahead)
        if waiting
        else None,
        windows=serving_windows,
        called_to_window=called_to,
        status_url=f"{hub.settings.public_url.rstrip('/')}/t/{row.token}",
    )


def issue_ticket(
    hub: Hub,
    *,
    hall_id: int,
    queue_code: str | None = None,
    item_code: str | None = None,
    priority: PriorityClass = PriorityClass.NORMAL,
    device_id: int | None = None,
) -> TicketView:
    """Issue the next number of a queue. The number and the ticket commit together."""
    now = hub.now()

    def work(s: Session) -> tuple[TicketView, list[HubEvent]]:
        hall = repo.hall_by_id(s, hall_id)
        item = None
        if item_code:
            item = repo.service_item_by_code(s, hall_id, item_code)
            queue = s.get(t.Queue, item.queue_id)
            assert queue is not None
        elif queue_code:
            queue = repo.queue_by_code(s, hall_id, queue_code)
        else:
            raise DomainError("QUEUE_NOT_FOUND", queue=None)
        assert queue.id is not None
        rules = repo.rules_of(queue)
        day = check_can_issue(rules, repo.calendar_of(hall), now)
        seq = repo.next_seq(s, hall_id, queue.id, day)
        check_cap(rules, seq)
        number = ticket_number(rules, seq)
        row = repo.insert_ticket(
            s,
            t.Ticket(
                hall_id=hall_id,
                queue_id=queue.id,
                queue_prefix=queue.prefix,
                service_item_id=item.id if item else None,
                business_day=day,
                seq=seq,
                number=number,
                code=ticket_code(rules, number),
                priority=priority.value,
                status=TicketStatus.WAITING.value,
                issued_at=repo.to_db_time(now),
                rank_at=repo.to_db_time(now),
                token=secrets.token_urlsafe(24),
                device_id=device_id,
            ),
        )
        assert row.id is not None
        tickets = repo.Tickets(s, hall_id)
        events = engine.issue(tickets.get(row.id), Actor(now=now))
        repo.append_events(s, hall_id, day, events)
        view = _view(s, hub, hall, row, tickets)
        return view, to_hub_events(s, hall_id, events)

    view, hub_events = hub.db.write(work)
    hub.publish(hub_events)
    return view


def ticket_by_token(hub: Hub, token: str) -> TicketView:
    with hub.db.read() as s:
        row = repo.ticket_by_token(s, token)
        if row is None:
            raise DomainError("TICKET_NOT_FOUND")
        hall = repo.hall_by_id(s, row.hall_id)
        return _view(s, hub, hall, row, repo.Tickets(s, row.hall_id))


def ticket_by_code(hub: Hub, *, hall_id: int, code: str) -> TicketView:
    with hub.db.read() as s:
        hall = repo.hall_by_id(s, hall_id)
        day = repo.calendar_of(hall).business_day(hub.now())
        tickets = repo.Tickets(s, hall_id)
        domain = tickets.by_code(day, code)
        row = s.get(t.Ticket, domain.id)
        assert row is not None
        return _view(s, hub, hall, row, tickets)


def _ticket_command(
    hub: Hub, *, hall_id: int, code: str, clerk_id: int | None, action: str
) -> TicketView:
    now = hub.now()

    def work(s: Session) -> tuple[TicketView, list[HubEvent]]:
        repo.lock_hall_windows(s, hall_id)
        hall = repo.hall_by_id(s, hall_id)
        day = repo.calendar_of(hall).business_day(now)
        tickets = repo.Tickets(s, hall_id)
        ticket: DTicket = tickets.by_code(day, code)
        actor = Actor(now=now, clerk_id=clerk_id)
        windows = repo.Windows(s, hall_id)
        if action == "cancel":
            window = windows.by_id(ticket.window_id) if ticket.window_id else None
            events = engine.cancel(ticket, actor, window)
            if window is not None:
                windows.save(window)
        else:
            events = engine.reactivate(ticket, repo.policy_of(hall), actor)
        tickets.save(ticket)
        repo.append_events(s, hall_id, day, events)
        row = s.get(t.Ticket, ticket.id)
        assert row is not None
        s.refresh(row)
        return _view(s, hub, hall, row, tickets), to_hub_events(s, hall_id, events)

    view, hub_events = hub.db.write(work)
    hub.publish(hub_events)
    return view


def cancel_ticket(hub: Hub, *, hall_id: int, code: str, clerk_id: int | None) -> TicketView:
    return _ticket_command(hub, hall_id=hall_id, code=code, clerk_id=clerk_id, action="cancel")


def reactivate_ticket(hub: Hub, *, hall_id: int, code: str, clerk_id: int | None) -> TicketView:
    return _ticket_command(hub, hall_id=hall_id, code=code, clerk_id=clerk_id, action="reactivate")
