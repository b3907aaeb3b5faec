"""Everything a clerk (screen or keypad) does at a window."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from server.domain import engine
from server.domain.engine import Actor
from server.domain.errors import DomainError
from server.domain.metrics import ticket_times
from server.domain.model import Event, Policy
from server.domain.model import Ticket as DTicket
from server.domain.model import Window as DWindow
from server.realtime.bus import HubEvent
from server.realtime.journal import current_seq
from server.store import accounts as account_store
from server.store import catalogue as catalogue_store
from server.store import events as event_store
from server.store import halls as hall_store
from server.store import queues as queue_store
from server.store import tables as t
from server.store import tickets as ticket_store
from server.store import windows as window_store
from server.store.db import Session, from_db_time

from . import rating_requests
from .events import to_hub_events
from .hub import Hub


@dataclass(frozen=True)
class TicketBrief:
    code: str
    status: str
    queue_code: str
    priority: str
    service_item: str | None
    issued_at: datetime
    called_at: datetime | None = None
    started_at: datetime | None = None
    recall_count: int = 0


@dataclass(frozen=True)
class WindowView:
    hall_code: str
    number: int
    name: str
    name_en: str
    paused: bool
    pause_reason: str | None
    clerk_name: str | None
    clerk_staff_no: str | None
    current: TicketBrief | None
    queues: list[dict[str, object]]
    waiting: list[TicketBrief]
    held: list[TicketBrief]
    served_today: int
    mean_service_seconds: float | None
    called: str | None = None  # the ticket this action called, if any
    events: list[str] = field(default_factory=list)
    # The hall's sequence number this view is at least as new as: after an action, its
    # last event's (None if it produced none); on a read, the hall's latest when read.
    # The clerk screen ignores websocket events up to it: its own action's echo.
    seq: int | None = None


@dataclass
class WindowContext:
    """What a command may need, loaded in the command's own transaction."""

    s: Session
    hall: t.Hall
    policy: Policy
    window: DWindow
    windows: window_store.Windows
    tickets: ticket_store.Tickets
    current: DTicket | None
    actor: Actor
    day: date

    def waiting(self) -> list[DTicket]:
        return self.tickets.waiting_heads(
            self.day, [q.queue_id for q in self.window.queues], self.window.id
        )


Command = Callable[[WindowContext], tuple[list[Event], DTicket | None]]


def run_command(
    hub: Hub, *, hall_id: int, window_number: int, clerk_id: int | None, command: Command
) -> WindowView:
    """Run a window command and return the clerk's view of the window after it."""
    called_code, hub_events = execute(
        hub, hall_id=hall_id, window_number=window_number, clerk_id=clerk_id, command=command
    )
    # The clerk's view is read after commit: window commands of a hall are serialised,
    # so the view must not be built while holding the hall's lock.
    view = get_window_view(hub, hall_id=hall_id, number=window_number)
    return replace(
        view,
        called=called_code,
        events=[e.kind for e in hub_events],
        seq=max((e.seq for e in hub_events), default=None),
    )


def execute(
    hub: Hub, *, hall_id: int, window_number: int, clerk_id: int | None, command: Command
) -> tuple[str | None, list[HubEvent]]:
    """Run a window command; returns the ticket it called (if any) and its events.

    For callers that show no window view (keypads): no view is read afterwards.
    """
    now = hub.now()

    def work(s: Session) -> tuple[str | None, list[HubEvent]]:
        window_store.lock_hall_windows(s, hall_id)
        hall = hall_store.hall_by_id(s, hall_id)
        assert hall.id is not None
        day = hall_store.calendar_of(hall).business_day(now)
        windows = window_store.Windows(s, hall_id)
        tickets = ticket_store.Tickets(s, hall_id)
        window = windows.by_number(window_number)
        current = tickets.get(window.current_ticket_id) if window.current_ticket_id else None
        ctx = WindowContext(
            s=s,
            hall=hall,
            policy=hall_store.policy_of(hall),
            window=window,
            windows=windows,
            tickets=tickets,
            current=current,
            actor=Actor(now=now, clerk_id=clerk_id),
            day=day,
        )
        before = (
            window.paused,
            window.pause_reason,
            window.current_ticket_id,
            dict(window.class_credits),
            dict(window.queue_credits),
        )
        events, called = command(ctx)
        tickets.save_changed()
        after = (
            window.paused,
            window.pause_reason,
            window.current_ticket_id,
            window.class_credits,
            window.queue_credits,
        )
        if before != after:
            windows.save(window)
        event_store.append_events(s, hall_id, day, events)
        hub_events = to_hub_events(s, hall_id, events)
        hub_events += rating_requests.on_window_events(s, hub, hall_id, window, events, now)
        return called.code if called else None, hub_events

    called_code, hub_events = hub.db.write(work)
    hub.publish(hub_events)
    return called_code, hub_events


# ---- the commands -----------------------------------------------------------------------


def call_next(c: WindowContext) -> tuple[list[Event], DTicket | None]:
    result = engine.call_next(c.window, c.current, c.waiting(), c.policy, c.actor)
    return result.events, result.called


def recall(c: WindowContext) -> tuple[list[Event], DTicket | None]:
    return engine.recall(c.window, c.current, c.policy, c.actor), c.current


def start(c: WindowContext) -> tuple[list[Event], DTicket | None]:
    return engine.start(c.window, c.current, c.actor), None


def finish(c: WindowContext) -> tuple[list[Event], DTicket | None]:
    return engine.finish(c.window, c.current, c.actor), None


def no_show(c: WindowContext) -> tuple[list[Event], DTicket | None]:
    return engine.no_show(c.window, c.current, c.actor), None


def hold(c: WindowContext) -> tuple[list[Event], DTicket | None]:
    return engine.hold(c.window, c.current, c.actor), None


def call_back(code: str | None) -> Command:
    def run(c: WindowContext) -> tuple[list[Event], DTicket | None]:
        if code:
            held = c.tickets.by_code(c.day, code)
        else:
            # The keypad cannot type a number: it calls back this window's oldest held ticket.
            assert c.hall.id is not None
            candidates = [
                c.tickets.get(r.id)
                for r in ticket_store.held_at_window(c.s, c.hall.id, c.window.id, c.day)
                if r.id is not None
            ]
            if not candidates:
                raise DomainError("TICKET_NOT_HELD", ticket=None)
            held = candidates[0]
        result = engine.call_back(c.window, c.current, held, c.actor)
        return result.events, result.called

    return run


def call_specific(code: str) -> Command:
    def run(c: WindowContext) -> tuple[list[Event], DTicket | None]:
        ticket = c.tickets.by_code(c.day, code)
        result = engine.call_specific(c.window, c.current, ticket, c.actor)
        return result.events, result.called

    return run


def transfer(*, queue_code: str | None, window_number: int | None) -> Command:
    def run(c: WindowContext) -> tuple[list[Event], DTicket | None]:
        if queue_code is None and window_number is None:
            raise DomainError("TRANSFER_TARGET_REQUIRED")
        assert c.hall.id is not None
        queue_id = queue_store.queue_by_code(c.s, c.hall.id, queue_code).id if queue_code else None
        target = c.windows.by_number(window_number) if window_number is not None else None
        if target is not None and target.id == c.window.id:
            target = c.window
        return engine.transfer(
            c.window, c.current, c.actor, to_queue_id=queue_id, to_window=target
        ), None

    return run


def transfer_back(c: WindowContext) -> tuple[list[Event], DTicket | None]:
    """Keypad 转移: the current ticket returns to its own queue, keeping its place."""
    return engine.transfer(c.window, c.current, c.actor), None


def pause(reason: str) -> Command:
    def run(c: WindowContext) -> tuple[list[Event], DTicket | None]:
        return engine.pause(c.window, reason, c.actor), None

    return run


def resume(c: WindowContext) -> tuple[list[Event], DTicket | None]:
    return engine.resume(c.window, c.actor), None


def toggle_pause(reason: str) -> Command:
    def run(c: WindowContext) -> tuple[list[Event], DTicket | None]:
        if c.window.paused:
            return engine.resume(c.window, c.actor), None
        return engine.pause(c.window, reason, c.actor), None

    return run


def request_rating(hub: Hub, *, hall_id: int, window_number: int, clerk_id: int | None) -> None:
    """评价 from the clerk: finish the current service, which opens its request; with
    nobody at the window, ask again for the window's last service of the day."""

    def finish_for_rating(c: WindowContext) -> tuple[list[Event], DTicket | None]:
        events, called = finish(c)
        return rating_requests.finish_and_request(events), called

    try:
        execute(
            hub,
            hall_id=hall_id,
            window_number=window_number,
            clerk_id=clerk_id,
            command=finish_for_rating,
        )
    except DomainError as err:
        if err.code != "NO_CURRENT_TICKET":
            raise
        rating_requests.ask_again(hub, hall_id=hall_id, window_number=window_number)


# ---- views ------------------------------------------------------------------------------


def window_view(s: Session, hub: Hub, hall: t.Hall, number: int, now: datetime) -> WindowView:
    assert hall.id is not None
    day = hall_store.calendar_of(hall).business_day(now)
    row = window_store.window_row(s, hall.id, number)
    assert row.id is not None
    wqs = [wq for wq in window_store.window_queue_rows(s, hall.id) if wq.window_id == row.id]
    queue_rows = {q.id: q for q in queue_store.queues(s, hall.id)}
    counts = ticket_store.waiting_counts(s, hall.id, day)
    clerk = account_store.staff_row(s, row.clerk_id)
    items = catalogue_store.service_item_names(s, hall.id)
    held_list = ticket_store.held_at_window(s, hall.id, row.id, day)
    focus = [r.id for r in held_list if r.id is not None] + (
        [row.current_ticket_id] if row.current_ticket_id else []
    )
    times = ticket_times(event_store.events_at_window(s, hall.id, day, row.id, focus))

    def brief(tr: t.Ticket) -> TicketBrief:
        assert tr.id is not None
        tt = times.get(tr.id)
        q = queue_rows.get(tr.queue_id)
        return TicketBrief(
            code=tr.code,
            status=tr.status,
            queue_code=q.code if q else "",
            priority=tr.priority,
            service_item=items.get(tr.service_item_id) if tr.service_item_id else None,
            issued_at=from_db_time(tr.issued_at) or now,
            called_at=tt.last_called_at if tt else None,
            started_at=tt.started_at if tt else None,
            recall_count=tr.recall_count,
        )

    current = ticket_store.ticket_row(s, row.current_ticket_id)
    queue_ids = [wq.queue_id for wq in wqs]
    waiting_rows = ticket_store.waiting_for_window(s, hall.id, day, queue_ids, row.id, limit=50)
    served = [tt for tt in times.values() if tt.window_id == row.id and tt.finished_at is not None]
    durations = [d.service_seconds for d in served if d.service_seconds is not None]
    return WindowView(
        hall_code=hall.code,
        number=row.number,
        name=row.name,
        name_en=row.name_en,
        paused=row.paused,
        pause_reason=row.pause_reason,
        clerk_name=clerk.name if clerk else None,
        clerk_staff_no=clerk.staff_no if clerk else None,
        current=brief(current) if current else None,
        queues=[
            {
                "code": queue_rows[wq.queue_id].code,
                "name": queue_rows[wq.queue_id].name,
                "weight": wq.weight,
                "waiting": counts.get(wq.queue_id, 0),
            }
            for wq in wqs
            if wq.queue_id in queue_rows
        ],
        waiting=[brief(r) for r in waiting_rows],
        held=[brief(r) for r in held_list],
        served_today=len(served),
        mean_service_seconds=round(sum(durations) / len(durations), 1) if durations else None,
    )


def get_window_view(hub: Hub, *, hall_id: int, number: int) -> WindowView:
    with hub.db.read() as s:
        # Read before the view: the view is then at least as new as this number.
        seq = current_seq(s, hall_id)
        hall = hall_store.hall_by_id(s, hall_id)
        return replace(window_view(s, hub, hall, number, hub.now()), seq=seq)
