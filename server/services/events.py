"""Domain events -> bus events, built inside the transaction, published after commit."""

from __future__ import annotations

from sqlmodel import Session

from server.domain.model import Event
from server.realtime.bus import HubEvent
from server.store import tables as t


def to_hub_events(s: Session, hall_id: int, events: list[Event]) -> list[HubEvent]:
    numbers: dict[int, int] = {}
    out = []
    for e in events:
        window_number = None
        if e.window_id is not None:
            if e.window_id not in numbers:
                row = s.get(t.Window, e.window_id)
                numbers[e.window_id] = row.number if row else 0
            window_number = numbers[e.window_id]
        out.append(
            HubEvent(
                hall_id=hall_id,
                kind=e.kind.value,
                data={
                    "ticket_id": e.ticket_id,
                    "window": window_number,
                    "clerk_id": e.clerk_id,
                    "at": e.at.isoformat(),
                    **e.data,
                },
            )
        )
    return out
