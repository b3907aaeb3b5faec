"""What the websocket fan-out reads from the database: snapshots and latest sequences."""

from __future__ import annotations

from typing import Any

from server.realtime import state
from server.store import hall_seq
from server.store import halls as hall_store

from .hub import Hub


def load_snapshot(hub: Hub, hall_id: int) -> dict[str, Any]:
    """The hall's screens' state, read in one consistent snapshot of the database."""
    with hub.db.read(consistent=True) as s:
        return state.snapshot(s, hall_id, hub.now())


def load_seqs(hub: Hub, hall_ids: list[int]) -> dict[int, int]:
    with hub.db.read() as s:
        return hall_seq.current_of_halls(s, hall_ids)


def load_days(hub: Hub, hall_ids: list[int]) -> dict[int, str]:
    """Each hall's current business day (in its own time zone)."""
    now = hub.now()
    with hub.db.read() as s:
        return {
            h.id: hall_store.calendar_of(h).business_day(now).isoformat()
            for h in hall_store.halls_by_ids(s, hall_ids)
            if h.id is not None
        }
