"""Durations come from the event log; the wait estimate is documented arithmetic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from server.domain.metrics import estimate_wait_minutes, mean_service_seconds, ticket_times
from server.domain.model import Event, EventKind

T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def ev(kind: EventKind, minute: float, **data: object) -> Event:
    return Event(
        kind=kind, at=T0 + timedelta(minutes=minute), ticket_id=1, window_id=3, data=dict(data)
    )


def test_waiting_walk_up_and_service_durations() -> None:
    times = ticket_times(
        [
            ev(EventKind.ISSUED, 0),
            ev(EventKind.CALLED, 12),
            ev(EventKind.RECALLED, 13),
            ev(EventKind.STARTED, 14),
            ev(EventKind.FINISHED, 20),
        ]
    )[1]
    assert (times.waiting_seconds, times.walk_up_seconds, times.service_seconds) == (720, 120, 360)


def test_implicit_start_counts_from_the_call() -> None:
    times = ticket_times(
        [
            ev(EventKind.ISSUED, 0),
            ev(EventKind.CALLED, 5),
            ev(EventKind.STARTED, 9, implicit=True),
            ev(EventKind.FINISHED, 9),
        ]
    )[1]
    assert times.service_seconds == 240


def test_estimate() -> None:
    assert estimate_wait_minutes(0, 600, 0) == 0
    assert estimate_wait_minutes(5, 600, 0) is None
    assert estimate_wait_minutes(5, 600, 2) == 25
    assert estimate_wait_minutes(1, 90, 1) == 2
    assert mean_service_seconds([], 600) == 600
    assert mean_service_seconds([100, 200, 0, 300], 600) == 200
    assert mean_service_seconds(list(range(1, 101)), 600, recent=10) == 95.5
