"""Durations derived from the event log, and the wait estimate.

Waiting = issued -> first call; walk-up = call -> start; service = start -> finish.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from statistics import mean

from .model import Event, EventKind


@dataclass
class TicketTimes:
    ticket_id: int
    issued_at: datetime | None = None
    first_called_at: datetime | None = None
    last_called_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    window_id: int | None = None
    clerk_id: int | None = None

    @property
    def waiting_seconds(self) -> float | None:
        if self.issued_at and self.first_called_at:
            return (self.first_called_at - self.issued_at).total_seconds()
        return None

    @property
    def walk_up_seconds(self) -> float | None:
        if self.last_called_at and self.started_at:
            return max(0.0, (self.started_at - self.last_called_at).total_seconds())
        return None

    @property
    def service_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


_CALLS = {EventKind.CALLED, EventKind.CALLED_BACK}


def ticket_times(events: Iterable[Event]) -> dict[int, TicketTimes]:
    """Fold events (in time order) into per-ticket timestamps."""
    out: dict[int, TicketTimes] = {}
    for ev in sorted(events, key=lambda e: e.at):
        if ev.ticket_id is None:
            continue
        t = out.setdefault(ev.ticket_id, TicketTimes(ev.ticket_id))
        if ev.kind is EventKind.ISSUED:
            t.issued_at = ev.at
        elif ev.kind in _CALLS:
            t.first_called_at = t.first_called_at or ev.at
            t.last_called_at = ev.at
            t.window_id = ev.window_id
            t.clerk_id = ev.clerk_id
        elif ev.kind is EventKind.STARTED:
            # An implicit start (finished straight from "called") happens at the call.
            t.started_at = t.last_called_at if ev.data.get("implicit") else ev.at
        elif ev.kind is EventKind.FINISHED:
            t.finished_at = ev.at
    return out


def mean_service_seconds(
    durations: Sequence[float], default_seconds: float, recent: int = 20
) -> float:
    """Mean of the most recent service durations, or the queue's configured default."""
    sample = [d for d in durations[-recent:] if d > 0]
    return mean(sample) if sample else default_seconds


def estimate_wait_minutes(people_ahead: int, mean_service: float, open_windows: int) -> int | None:
    """people ahead x recent mean service time / open windows serving the queue.

    ``None`` when no window serving the queue is open: any number would be a guess.
    """
    if people_ahead <= 0:
        return 0
    if open_windows <= 0:
        return None
    return math.ceil(people_ahead * mean_service / open_windows / 60)
