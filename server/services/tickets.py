"""Issuing tickets, and what a citizen can ask about their own ticket."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from server.domain import engine
from server.domain.calendar import check_can_issue, check_cap, ticket_code, ticket_number
from server.domain.engine import Actor
from server.domain.errors import DomainError
from server.domain.identity import (
    ResidentId,
    check_identity_limits,
    green_channel_allowed,
    mask_phone,
    parse_mobile,
    parse_resident_id,
)
from server.domain.model import PriorityClass, TicketStatus
from server.domain.model import Ticket as DTicket
from server.errors import HubError
from server.realtime.bus import HubEvent
from server.store import catalogue as catalogue_store
from server.store import events as event_store
from server.store import halls as hall_store
from server.store import queues as queue_store
from server.store import tables as t
from server.store import ticket_requests
from server.store import tickets as ticket_store
from server.store import windows as window_store
from server.store.db import ConcurrentUpdate, Session, to_db_time

from . import print_jobs
from .calendar import calendar_now
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
    # Masked only (110***********1234, 138****5678); the raw numbers are never kept.
    id_masked: str | None = None
    phone_masked: str | None = None
    # True when a repeated request (same Idempotency-Key) returned this existing ticket.
    replayed: bool = False


def _view(
    s: Session, hub: Hub, hall: t.Hall, row: t.Ticket, tickets: ticket_store.Tickets
) -> TicketView:
    assert row.id is not None and hall.id is not None
    queue = s.get(t.Queue, row.queue_id)
    assert queue is not None
    item = s.get(t.ServiceItem, row.service_item_id) if row.service_item_id else None
    domain = tickets.get(row.id)
    waiting = domain.status is TicketStatus.WAITING
    ahead = ticket_store.people_ahead(s, hall.id, domain) if waiting else 0
    # One query for the window-queue links, not one per window (this is on the issue path).
    serving_ids = {
        wq.window_id for wq in window_store.window_queue_rows(s, hall.id) if wq.queue_id == queue.id
    }
    serving_windows = sorted(
        w.number for w in window_store.window_rows(s, hall.id) if w.id in serving_ids
    )
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
        status_url=f"{hub.settings.ticket_base_url}/t/{row.token}",
        id_masked=row.id_masked,
        phone_masked=row.phone_masked,
    )


@dataclass(frozen=True)
class Issued:
    """A ticket and its print job, committed together."""

    ticket: TicketView
    # {"job", "state", "printer"}; None when the kiosk has no printer.
    print: dict[str, Any] | None


@dataclass(frozen=True)
class Identity:
    """What a citizen typed on the kiosk, checked; only the masked forms leave here."""

    resident: ResidentId | None
    phone: str | None

    @property
    def id_masked(self) -> str | None:
        return self.resident.masked if self.resident else None

    @property
    def phone_masked(self) -> str | None:
        return mask_phone(self.phone) if self.phone else None


@dataclass(frozen=True)
class IdentityCheck:
    """The answer to a kiosk before it issues: what to show and whether to offer 绿色通道."""

    id_masked: str | None
    phone_masked: str | None
    green_channel: bool
    green_channel_age: int | None


def parse_identity(id_number: str | None, phone: str | None, *, day: date) -> Identity:
    return Identity(
        resident=parse_resident_id(id_number, today=day) if id_number else None,
        phone=parse_mobile(phone) if phone else None,
    )


def hall_key(s: Session, hall_id: int) -> bytes:
    """The hall's key for ID hashes, created on first use (concurrent creators agree)."""
    row = ticket_requests.hall_secret(s, hall_id)
    if row is None:
        row = ticket_requests.add_hall_secret_if_missing(s, hall_id, secrets.token_hex(32))
    return row.identity_key.encode()


def keyed(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def id_hash(key: bytes, *, hall_id: int, day: date, number: str) -> str:
    # Keyed per business day too: one day's hashes cannot be linked to another's.
    return keyed(key, f"{hall_id}|{day.isoformat()}|{number}")


def _resolve(
    s: Session, hall_id: int, queue_code: str | None, item_code: str | None
) -> tuple[t.Queue, t.ServiceItem | None]:
    if item_code:
        item = catalogue_store.service_item_by_code(s, hall_id, item_code)
        queue = s.get(t.Queue, item.queue_id)
        assert queue is not None
        return queue, item
    if queue_code:
        return queue_store.queue_by_code(s, hall_id, queue_code), None
    raise DomainError("QUEUE_NOT_FOUND", queue=None)


def _check_identity(
    s: Session,
    *,
    hall: t.Hall,
    queue: t.Queue,
    day: date,
    who: Identity,
    hashed: str | None,
    priority: PriorityClass,
) -> bool:
    """Apply the per-person rules; return whether the green channel may be offered."""
    age = who.resident.age_on(day) if who.resident else None
    offered = green_channel_allowed(age, hall.green_channel_age)
    # With an ID the hub decides the green channel; without one, a staffed dispenser's
    # choice stands (disability, military, pregnancy are not shown by an ID number).
    if priority is PriorityClass.GREEN and who.resident is not None and not offered:
        raise DomainError("GREEN_CHANNEL_NOT_ALLOWED", min_age=hall.green_channel_age)
    if hashed is not None:
        assert hall.id is not None and queue.id is not None
        issued_today, waiting_here = ticket_requests.person_counts(
            s,
            hall_id=hall.id,
            day=day,
            id_hash=hashed,
            queue_id=queue.id,
            waiting=[TicketStatus.WAITING.value, TicketStatus.HELD.value],
        )
        check_identity_limits(
            issued_today=issued_today,
            daily_limit=hall.id_daily_limit,
            waiting_in_queue=waiting_here,
        )
    return offered


def check_identity(
    hub: Hub,
    *,
    hall_id: int,
    queue_code: str | None = None,
    item_code: str | None = None,
    id_number: str | None = None,
    phone: str | None = None,
) -> IdentityCheck:
    """Everything issue_ticket would refuse, asked before the citizen confirms."""
    now = hub.now()
    with hub.db.read() as s:
        hall = hall_store.hall_by_id(s, hall_id)
        queue, _item = _resolve(s, hall_id, queue_code, item_code)
        rules = queue_store.rules_of(queue)
        day = check_can_issue(rules, calendar_now(s, hall, now), now)
        assert queue.id is not None
        issued = ticket_store.issued_today(s, hall_id, day).get(queue.id, 0)
        check_cap(rules, issued + 1)
        who = parse_identity(id_number, phone, day=day)
        key = _existing_key(s, hall_id)
        hashed = (
            id_hash(key, hall_id=hall_id, day=day, number=who.resident.number)
            if who.resident and key
            else None
        )
        offered = _check_identity(
            s,
            hall=hall,
            queue=queue,
            day=day,
            who=who,
            hashed=hashed,
            priority=PriorityClass.NORMAL,
        )
        return IdentityCheck(
            id_masked=who.id_masked,
            phone_masked=who.phone_masked,
            green_channel=offered,
            green_channel_age=hall.green_channel_age,
        )


def _existing_key(s: Session, hall_id: int) -> bytes | None:
    # Read-only callers never create the key: no key yet means no ID has been stored.
    row = ticket_requests.hall_secret(s, hall_id)
    return row.identity_key.encode() if row else None


def _fingerprint(key: bytes, content: dict[str, object]) -> str:
    return keyed(key, json.dumps(content, sort_keys=True, ensure_ascii=False))


def issue_ticket(
    hub: Hub,
    *,
    hall_id: int,
    queue_code: str | None = None,
    item_code: str | None = None,
    priority: PriorityClass = PriorityClass.NORMAL,
    device_id: int | None = None,
    id_number: str | None = None,
    phone: str | None = None,
    request_key: str | None = None,
) -> TicketView:
    """Issue a ticket that prints nowhere (see :func:`issue`)."""
    return issue(
        hub,
        hall_id=hall_id,
        queue_code=queue_code,
        item_code=item_code,
        priority=priority,
        device_id=device_id,
        id_number=id_number,
        phone=phone,
        request_key=request_key,
    ).ticket


def issue(
    hub: Hub,
    *,
    hall_id: int,
    queue_code: str | None = None,
    item_code: str | None = None,
    priority: PriorityClass = PriorityClass.NORMAL,
    device_id: int | None = None,
    id_number: str | None = None,
    phone: str | None = None,
    request_key: str | None = None,
    print_route: print_jobs.Route | None = None,
) -> Issued:
    """Issue the next number of a queue. The number, the ticket and its print job (to
    ``print_route``, if any) commit together: no ticket is ever left unprinted.

    ``request_key`` (the kiosk's Idempotency-Key) makes a repeat harmless: the same key
    returns the ticket it first issued, marked ``replayed``, and its print job, and
    issues and prints nothing new.
    """
    now = hub.now()
    content: dict[str, object] = {
        "queue": queue_code,
        "item": item_code,
        "priority": priority.value,
        "id_number": id_number or None,
        "phone": phone or None,
    }

    def work(s: Session) -> tuple[Issued, list[HubEvent]]:
        hall = hall_store.hall_by_id(s, hall_id)
        key = hall_key(s, hall_id)
        fingerprint = _fingerprint(key, content)
        if request_key is not None:
            done = ticket_requests.by_key(s, hall_id, request_key)
            if done is not None:
                if done.device_id != device_id or done.fingerprint != fingerprint:
                    raise HubError("IDEMPOTENCY_KEY_REUSED")
                row = s.get(t.Ticket, done.ticket_id)
                assert row is not None
                view = _view(s, hub, hall, row, ticket_store.Tickets(s, hall_id))
                placed = print_jobs.job_of_ticket(s, done.ticket_id) if print_route else None
                return Issued(replace(view, replayed=True), placed), []
        queue, item = _resolve(s, hall_id, queue_code, item_code)
        assert queue.id is not None
        rules = queue_store.rules_of(queue)
        day = check_can_issue(rules, calendar_now(s, hall, now), now)
        who = parse_identity(id_number, phone, day=day)
        # The counter row stays locked until commit, so the per-person counts below see
        # every ticket of this queue committed before ours (READ COMMITTED on PostgreSQL).
        seq = ticket_store.next_seq(s, hall_id, queue.id, day)
        check_cap(rules, seq)
        hashed = (
            id_hash(key, hall_id=hall_id, day=day, number=who.resident.number)
            if who.resident
            else None
        )
        if hashed is not None:
            ticket_store.lock_person(s, hashed)
        _check_identity(
            s, hall=hall, queue=queue, day=day, who=who, hashed=hashed, priority=priority
        )
        number = ticket_number(rules, seq)
        row = ticket_store.insert_ticket(
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
                issued_at=to_db_time(now),
                rank_at=to_db_time(now),
                token=secrets.token_urlsafe(24),
                device_id=device_id,
                id_hash=hashed,
                id_masked=who.id_masked,
                phone_masked=who.phone_masked,
            ),
        )
        assert row.id is not None
        if request_key is not None:
            _remember_request(
                s,
                hall_id=hall_id,
                key=request_key,
                device_id=device_id,
                fingerprint=fingerprint,
                ticket_id=row.id,
                now=now,
            )
        tickets = ticket_store.Tickets(s, hall_id)
        events = engine.issue(tickets.get(row.id), Actor(now=now))
        event_store.append_events(s, hall_id, day, events)
        view = _view(s, hub, hall, row, tickets)
        placed = None
        if print_route is not None:
            job = print_jobs.place_ticket_print(s, hub, hall, view, print_route)
            placed = {"job": job, "state": "queued", "printer": print_route.printer_id}
        return Issued(view, placed), to_hub_events(s, hall_id, events)

    issued, hub_events = hub.db.write(work)
    hub.publish(hub_events)
    return issued


def _remember_request(
    s: Session,
    *,
    hall_id: int,
    key: str,
    device_id: int | None,
    fingerprint: str,
    ticket_id: int,
    now: datetime,
) -> None:
    if not ticket_requests.remember(
        s,
        hall_id=hall_id,
        key=key,
        device_id=device_id,
        fingerprint=fingerprint,
        ticket_id=ticket_id,
        now=now,
    ):
        # A concurrent request with the same key committed first (PostgreSQL; SQLite
        # writers are serialised). Undo this ticket and its number; the retry replays.
        raise ConcurrentUpdate(f"request {key} already issued a ticket")


def ticket_by_token(hub: Hub, token: str) -> TicketView:
    with hub.db.read() as s:
        row = ticket_store.ticket_by_token(s, token)
        if row is None:
            raise DomainError("TICKET_NOT_FOUND")
        hall = hall_store.hall_by_id(s, row.hall_id)
        return _view(s, hub, hall, row, ticket_store.Tickets(s, row.hall_id))


def ticket_by_code(hub: Hub, *, hall_id: int, code: str) -> TicketView:
    with hub.db.read() as s:
        hall = hall_store.hall_by_id(s, hall_id)
        day = hall_store.calendar_of(hall).business_day(hub.now())
        tickets = ticket_store.Tickets(s, hall_id)
        domain = tickets.by_code(day, code)
        row = s.get(t.Ticket, domain.id)
        assert row is not None
        return _view(s, hub, hall, row, tickets)


def _ticket_command(
    hub: Hub, *, hall_id: int, code: str, clerk_id: int | None, action: str
) -> TicketView:
    now = hub.now()

    def work(s: Session) -> tuple[TicketView, list[HubEvent]]:
        window_store.lock_hall_windows(s, hall_id)
        hall = hall_store.hall_by_id(s, hall_id)
        day = hall_store.calendar_of(hall).business_day(now)
        tickets = ticket_store.Tickets(s, hall_id)
        ticket: DTicket = tickets.by_code(day, code)
        actor = Actor(now=now, clerk_id=clerk_id)
        windows = window_store.Windows(s, hall_id)
        if action == "cancel":
            window = windows.by_id(ticket.window_id) if ticket.window_id else None
            events = engine.cancel(ticket, actor, window)
            if window is not None:
                windows.save(window)
        else:
            events = engine.reactivate(ticket, hall_store.policy_of(hall), actor)
        tickets.save(ticket)
        event_store.append_events(s, hall_id, day, events)
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
