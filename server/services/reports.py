"""A hall's day in numbers, derived from the event log (nothing is stored twice)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from statistics import mean
from typing import Any

from server.domain.metrics import TicketTimes, ticket_times
from server.domain.model import EventKind
from server.store import events as event_store
from server.store import halls as hall_store
from server.store import queues as queue_store
from server.store import tickets as ticket_store
from server.store import windows as window_store

from .hub import Hub


def _minutes(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"mean": None, "max": None}
    return {"mean": round(mean(values) / 60, 1), "max": round(max(values) / 60, 1)}


def _summary(times: list[TicketTimes]) -> dict[str, Any]:
    waits = [x.waiting_seconds for x in times if x.waiting_seconds is not None]
    services = [x.service_seconds for x in times if x.service_seconds is not None]
    walk = [x.walk_up_seconds for x in times if x.walk_up_seconds is not None]
    return {
        "called": sum(1 for x in times if x.first_called_at),
        "served": sum(1 for x in times if x.finished_at),
        "wait_minutes": _minutes(waits),
        "service_minutes": _minutes(services),
        "walk_up_minutes": _minutes(walk),
    }


def daily_report(hub: Hub, *, hall_id: int, day: date | None = None) -> dict[str, Any]:
    with hub.db.read() as s:
        hall = hall_store.hall_by_id(s, hall_id)
        day = day or hall_store.calendar_of(hall).business_day(hub.now())
        events = event_store.events_of_day(s, hall_id, day)
        times = ticket_times(events)
        tickets = {tk.id: tk for tk in ticket_store.tickets_of_day(s, hall_id, day)}
        queues = {q.id: q for q in queue_store.queues(s, hall_id)}
        windows = {w.id: w for w in window_store.window_rows(s, hall_id)}
        kinds = Counter(e.kind for e in events)
        by_queue: dict[int, list[TicketTimes]] = {}
        by_window: dict[int, list[TicketTimes]] = {}
        for tid, tt in times.items():
            tk = tickets.get(tid)
            if tk is None:
                continue
            by_queue.setdefault(tk.queue_id, []).append(tt)
            if tt.window_id is not None:
                by_window.setdefault(tt.window_id, []).append(tt)
        statuses = Counter(tk.status for tk in tickets.values())
        return {
            "hall": hall.code,
            "day": day.isoformat(),
            "issued": kinds[EventKind.ISSUED],
            "statuses": dict(statuses),
            "no_shows": kinds[EventKind.NO_SHOW],
            "transfers": kinds[EventKind.TRANSFERRED],
            "total": _summary(list(times.values())),
            "queues": [
                {"code": queues[qid].code, "name": queues[qid].name, **_summary(v)}
                for qid, v in sorted(by_queue.items())
                if qid in queues
            ],
            "windows": [
                {"number": windows[wid].number, "name": windows[wid].name, **_summary(v)}
                for wid, v in sorted(
                    by_window.items(),
                    key=lambda kv: windows[kv[0]].number if kv[0] in windows else 0,
                )
                if wid in windows
            ],
        }
