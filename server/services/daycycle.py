"""End of the business day: open tickets close as not served; the day's events stay."""

from __future__ import annotations

from server.domain import engine
from server.domain.engine import Actor
from server.realtime.bus import HubEvent
from server.store import events as event_store
from server.store import halls as hall_store
from server.store import tickets as ticket_store
from server.store import windows as window_store
from server.store.db import Session

from .events import hall_changed
from .hub import Hub


def close_past_days(hub: Hub) -> int:
    """Close every open ticket issued before each hall's current business day."""
    now = hub.now()
    with hub.db.read() as s:
        hall_ids = hall_store.hall_ids(s)
    closed = 0
    for hall_id in hall_ids:

        def work(s: Session, hall_id: int = hall_id) -> tuple[int, list[HubEvent]]:
            window_store.lock_hall_windows(s, hall_id)
            hall = hall_store.hall_by_id(s, hall_id)
            today = hall_store.calendar_of(hall).business_day(now)
            tickets = ticket_store.Tickets(s, hall_id)
            stale = tickets.open_before(today)
            if not stale:
                return 0, []
            windows = window_store.Windows(s, hall_id)
            stale_ids = {tk.id for tk in stale}
            busy = [w for w in windows.all() if w.current_ticket_id in stale_ids]
            events = engine.close_day(stale, busy, Actor(now=now))
            tickets.save_changed()
            for w in busy:
                windows.save(w)
            # Each closing is logged on the ticket's own business day, for that day's report.
            by_day: dict[object, list] = {}
            for tk, ev in zip(
                sorted(stale, key=lambda x: x.id),
                sorted(events, key=lambda e: e.ticket_id or 0),
                strict=True,
            ):
                by_day.setdefault(tk.business_day, []).append(ev)
            for day, evs in by_day.items():
                event_store.append_events(s, hall_id, day, evs)  # type: ignore[arg-type]
            return len(events), [hall_changed(s, hall_id, now, "day_closed")]

        count, hub_events = hub.db.write(work)
        closed += count
        hub.publish(hub_events)
    return closed
