"""The ticket lifecycle: every rule of a window's day, as plain functions.

Each function checks its rule, changes the given objects and returns the events to
append. Nothing is deleted or rewritten: durations come from the event log.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .errors import DomainError
from .model import (
    AT_WINDOW_STATUSES,
    Event,
    EventKind,
    Policy,
    Ticket,
    TicketStatus,
    Window,
)
from .selection import pick_next


@dataclass
class Actor:
    """Who acts and when; passed in, never read from a clock here."""

    now: datetime
    clerk_id: int | None = None


@dataclass
class CallResult:
    called: Ticket | None
    events: list[Event] = field(default_factory=list)


def _event(
    kind: EventKind, actor: Actor, ticket: Ticket | None, window: Window | None, **data: object
) -> Event:
    return Event(
        kind=kind,
        at=actor.now,
        ticket_id=ticket.id if ticket else None,
        window_id=window.id if window else None,
        clerk_id=actor.clerk_id,
        data=dict(data),
    )


def issue(ticket: Ticket, actor: Actor) -> list[Event]:
    return [
        _event(
            EventKind.ISSUED,
            actor,
            ticket,
            None,
            code=ticket.code,
            queue_id=ticket.queue_id,
            priority=ticket.priority.value,
        )
    ]


def _require_current(window: Window, current: Ticket | None) -> Ticket:
    if current is None or window.current_ticket_id != current.id:
        raise DomainError("NO_CURRENT_TICKET")
    if current.status not in AT_WINDOW_STATUSES:
        raise DomainError("NO_CURRENT_TICKET")
    return current


def _release(window: Window) -> None:
    window.current_ticket_id = None


def finish(window: Window, current: Ticket | None, actor: Actor) -> list[Event]:
    ticket = _require_current(window, current)
    events: list[Event] = []
    if ticket.status is TicketStatus.CALLED:
        # The keypad has no "start" key: a called ticket that is finished was served.
        events.append(_event(EventKind.STARTED, actor, ticket, window, implicit=True))
    ticket.status = TicketStatus.DONE
    _release(window)
    events.append(_event(EventKind.FINISHED, actor, ticket, window))
    return events


def _finish_if_any(window: Window, current: Ticket | None, actor: Actor) -> list[Event]:
    if (
        current is not None
        and window.current_ticket_id == current.id
        and current.status in AT_WINDOW_STATUSES
    ):
        return finish(window, current, actor)
    return []


def _assign(window: Window, ticket: Ticket, actor: Actor, kind: EventKind, **data: object) -> Event:
    ticket.status = TicketStatus.CALLED
    ticket.window_id = window.id
    ticket.target_window_id = None
    ticket.recall_count = 0
    window.current_ticket_id = ticket.id
    return _event(kind, actor, ticket, window, code=ticket.code, **data)


def _require_open(window: Window) -> None:
    if window.paused:
        raise DomainError("WINDOW_PAUSED", reason=window.pause_reason)


def call_next(
    window: Window,
    current: Ticket | None,
    waiting: Iterable[Ticket],
    policy: Policy,
    actor: Actor,
) -> CallResult:
    """Finish the current ticket (if any) and call the next one by the hall's rules."""
    _require_open(window)
    events = _finish_if_any(window, current, actor)
    pick = pick_next(window, waiting, policy.class_weights)
    if pick is None:
        return CallResult(None, events)
    window.class_credits = pick.class_credits
    window.queue_credits = pick.queue_credits
    events.append(_assign(window, pick.ticket, actor, EventKind.CALLED))
    return CallResult(pick.ticket, events)


def call_specific(
    window: Window, current: Ticket | None, ticket: Ticket, actor: Actor
) -> CallResult:
    _require_open(window)
    if ticket.status is not TicketStatus.WAITING:
        raise DomainError("TICKET_NOT_WAITING", ticket=ticket.code, status=ticket.status.value)
    if not window.serves(ticket.queue_id):
        raise DomainError("WINDOW_DOES_NOT_SERVE_QUEUE", ticket=ticket.code)
    if ticket.target_window_id not in (None, window.id):
        raise DomainError("TICKET_FOR_OTHER_WINDOW", ticket=ticket.code)
    events = _finish_if_any(window, current, actor)
    events.append(_assign(window, ticket, actor, EventKind.CALLED, specific=True))
    return CallResult(ticket, events)


def recall(window: Window, current: Ticket | None, policy: Policy, actor: Actor) -> list[Event]:
    ticket = _require_current(window, current)
    if ticket.status is not TicketStatus.CALLED:
        raise DomainError("TICKET_NOT_CALLED", ticket=ticket.code)
    if ticket.recall_count >= policy.recall_limit:
        raise DomainError("RECALL_LIMIT_REACHED", limit=policy.recall_limit)
    ticket.recall_count += 1
    return [
        _event(
            EventKind.RECALLED, actor, ticket, window, code=ticket.code, count=ticket.recall_count
        )
    ]


def start(window: Window, current: Ticket | None, actor: Actor) -> list[Event]:
    ticket = _require_current(window, current)
    if ticket.status is not TicketStatus.CALLED:
        raise DomainError("TICKET_NOT_CALLED", ticket=ticket.code)
    ticket.status = TicketStatus.SERVING
    return [_event(EventKind.STARTED, actor, ticket, window)]


def no_show(window: Window, current: Ticket | None, actor: Actor) -> list[Event]:
    ticket = _require_current(window, current)
    if ticket.status is not TicketStatus.CALLED:
        raise DomainError("TICKET_NOT_CALLED", ticket=ticket.code)
    ticket.status = TicketStatus.NO_SHOW
    ticket.no_show_at = actor.now
    _release(window)
    return [_event(EventKind.NO_SHOW, actor, ticket, window, code=ticket.code)]


def reactivate(ticket: Ticket, policy: Policy, actor: Actor) -> list[Event]:
    """A no-show who comes back within the allowed time rejoins the end of the line."""
    if ticket.status is not TicketStatus.NO_SHOW or ticket.no_show_at is None:
        raise DomainError("TICKET_NOT_NO_SHOW", ticket=ticket.code)
    if actor.now - ticket.no_show_at > timedelta(minutes=policy.no_show_reactivate_minutes):
        raise DomainError("NO_SHOW_EXPIRED", minutes=policy.no_show_reactivate_minutes)
    ticket.status = TicketStatus.WAITING
    ticket.rank_at = actor.now
    ticket.window_id = None
    ticket.no_show_at = None
    return [_event(EventKind.REACTIVATED, actor, ticket, None, code=ticket.code)]


def hold(window: Window, current: Ticket | None, actor: Actor) -> list[Event]:
    ticket = _require_current(window, current)
    ticket.status = TicketStatus.HELD
    _release(window)
    return [_event(EventKind.HELD, actor, ticket, window, code=ticket.code)]


def call_back(window: Window, current: Ticket | None, held: Ticket, actor: Actor) -> CallResult:
    if held.status is not TicketStatus.HELD:
        raise DomainError("TICKET_NOT_HELD", ticket=held.code)
    if held.window_id != window.id:
        raise DomainError("TICKET_HELD_ELSEWHERE", ticket=held.code)
    _require_open(window)
    events = _finish_if_any(window, current, actor)
    events.append(_assign(window, held, actor, EventKind.CALLED_BACK))
    return CallResult(held, events)


def transfer(
    window: Window,
    current: Ticket | None,
    actor: Actor,
    *,
    to_queue_id: int | None = None,
    to_window: Window | None = None,
) -> list[Event]:
    """Send the current ticket to another queue and/or window; it keeps its number and place."""
    ticket = _require_current(window, current)
    queue_id = to_queue_id if to_queue_id is not None else ticket.queue_id
    if to_window is not None and not to_window.serves(queue_id):
        raise DomainError(
            "WINDOW_DOES_NOT_SERVE_QUEUE", ticket=ticket.code, window=to_window.number
        )
    from_queue = ticket.queue_id
    ticket.status = TicketStatus.WAITING
    ticket.queue_id = queue_id
    ticket.window_id = None
    ticket.target_window_id = to_window.id if to_window else None
    ticket.recall_count = 0
    _release(window)
    return [
        _event(
            EventKind.TRANSFERRED,
            actor,
            ticket,
            window,
            code=ticket.code,
            from_queue_id=from_queue,
            to_queue_id=queue_id,
            to_window_id=to_window.id if to_window else None,
        )
    ]


def cancel(ticket: Ticket, actor: Actor, window: Window | None = None) -> list[Event]:
    if not ticket.is_open:
        raise DomainError("TICKET_CLOSED", ticket=ticket.code, status=ticket.status.value)
    if (
        ticket.status in AT_WINDOW_STATUSES
        and window is not None
        and window.current_ticket_id == ticket.id
    ):
        _release(window)
    ticket.status = TicketStatus.CANCELLED
    return [_event(EventKind.CANCELLED, actor, ticket, window, code=ticket.code)]


def pause(window: Window, reason: str, actor: Actor) -> list[Event]:
    reason = reason.strip()
    if not reason:
        raise DomainError("PAUSE_REASON_REQUIRED")
    if window.paused:
        raise DomainError("WINDOW_ALREADY_PAUSED")
    window.paused = True
    window.pause_reason = reason
    return [_event(EventKind.WINDOW_PAUSED, actor, None, window, reason=reason)]


def resume(window: Window, actor: Actor) -> list[Event]:
    if not window.paused:
        raise DomainError("WINDOW_NOT_PAUSED")
    window.paused = False
    window.pause_reason = None
    return [_event(EventKind.WINDOW_RESUMED, actor, None, window)]


def close_day(tickets: Iterable[Ticket], windows: Iterable[Window], actor: Actor) -> list[Event]:
    """End of business day: every open ticket closes as not served; windows are cleared."""
    events: list[Event] = []
    for ticket in tickets:
        if ticket.is_open:
            previous = ticket.status
            ticket.status = TicketStatus.EXPIRED
            events.append(
                _event(EventKind.EXPIRED, actor, ticket, None, code=ticket.code, was=previous.value)
            )
    for window in windows:
        window.current_ticket_id = None
    return events
