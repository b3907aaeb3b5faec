"""Domain events -> bus events: built and stamped inside the transaction, published after.

Each event gets the hall's next sequence number; the last event of a command carries the
patch of every window and queue the command touched (as committed), and each call or
recall carries its call entry (with the clip names the hall board announces).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from server.domain.model import Event
from server.realtime import state
from server.realtime.bus import HubEvent
from server.realtime.journal import bump, notify, stamp
from server.store import halls as hall_store
from server.store import queues as queue_store
from server.store import tables as t
from server.store import windows as window_store
from server.store.db import Session

_CALLS = {"called": False, "called_back": False, "recalled": True}


def _ids(data: dict[str, Any], suffix: str) -> set[int]:
    return {v for k, v in data.items() if k.endswith(suffix) and isinstance(v, int)}


def to_hub_events(s: Session, hall_id: int, events: list[Event]) -> list[HubEvent]:
    if not events:
        return []
    hall = hall_store.hall_by_id(s, hall_id)
    windows: dict[int, t.Window | None] = {}
    tickets: dict[int, t.Ticket | None] = {}
    queue_codes = {q.id: q.code for q in queue_store.queues(s, hall_id)}
    window_ids: set[int] = set()
    queue_ids: set[int] = set()
    out: list[HubEvent] = []
    day = None
    for e in events:
        window = None
        if e.window_id is not None:
            if e.window_id not in windows:
                windows[e.window_id] = s.get(t.Window, e.window_id)
            window = windows[e.window_id]
            window_ids.add(e.window_id)
        ticket = None
        if e.ticket_id is not None:
            if e.ticket_id not in tickets:
                tickets[e.ticket_id] = s.get(t.Ticket, e.ticket_id)
            ticket = tickets[e.ticket_id]
            if ticket is not None:
                queue_ids.add(ticket.queue_id)
                day = ticket.business_day
        window_ids |= _ids(e.data, "window_id")
        queue_ids |= _ids(e.data, "queue_id")
        data: dict[str, Any] = {
            "ticket_id": e.ticket_id,
            "ticket": ticket.code if ticket else None,
            "queue": queue_codes.get(ticket.queue_id) if ticket else None,
            "window": window.number if window else None,
            "clerk_id": e.clerk_id,
            "at": e.at.isoformat(),
            **e.data,
        }
        out.append(HubEvent(hall_id=hall_id, kind=e.kind.value, data=data))
    day = day or hall_store.calendar_of(hall).business_day(events[-1].at)
    first = bump(s, hall_id, len(out)) - len(out) + 1
    stamped = [HubEvent(hall_id, ev.kind, ev.data, first + i) for i, ev in enumerate(out)]
    final: list[HubEvent] = []
    for i, (e, ev) in enumerate(zip(events, stamped, strict=True)):
        p: dict[str, Any] = {}
        if ev.kind in _CALLS and ev.data["ticket"] and e.window_id is not None:
            window = windows[e.window_id]
            if window is not None:
                p["call"] = state.call_entry(
                    hall,
                    ticket=ev.data["ticket"],
                    window=window,
                    queue=ev.data["queue"] or "",
                    at=e.at,
                    recall=_CALLS[ev.kind],
                    seq=ev.seq,
                )
        if i == len(events) - 1:
            p.update(state.patch(s, hall, day, window_ids=window_ids, queue_ids=queue_ids))
        final.append(HubEvent(hall_id, ev.kind, ev.data, ev.seq, p or None))
    notify(s, final)
    return final


def hall_changed(s: Session, hall_id: int, now: datetime, kind: str = "hall_changed") -> HubEvent:
    """One event that carries the whole hall (config changed, day closed)."""
    hall = hall_store.hall_by_id(s, hall_id)
    day = hall_store.calendar_of(hall).business_day(now)
    p = state.patch(
        s,
        hall,
        day,
        window_ids=[w.id for w in window_store.window_rows(s, hall_id) if w.id is not None],
        queue_ids=[q.id for q in queue_store.queues(s, hall_id) if q.id is not None],
        hall_changed=True,
    )
    [ev] = stamp(s, hall_id, [HubEvent(hall_id=hall_id, kind=kind, data={"window": None}, patch=p)])
    return ev
