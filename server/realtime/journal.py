"""Stamping events with the hall's change sequence, inside the change's own transaction.

Every service that changes something a screen shows calls :func:`stamp` in its unit of
work and publishes the returned events after commit. On PostgreSQL the events are also
sent with NOTIFY in the same transaction, so listeners in other hub processes hear of
exactly the changes that committed, in commit order.
"""

from __future__ import annotations

import json
from dataclasses import replace

from server.store import hall_seq
from server.store.db import Session

from .bus import HubEvent

NOTIFY_CHANNEL = "hall_events"
# PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; a larger event is announced
# as a bare sequence number and listeners resynchronise their clients from a snapshot.
NOTIFY_LIMIT = 7000


def encode(event: HubEvent) -> str:
    return json.dumps(
        {
            "hall_id": event.hall_id,
            "seq": event.seq,
            "kind": event.kind,
            "data": event.data,
            "patch": event.patch,
        },
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )


def decode(payload: str) -> HubEvent:
    raw = json.loads(payload)
    return HubEvent(
        hall_id=int(raw["hall_id"]),
        kind=str(raw["kind"]),
        data=raw.get("data") or {},
        seq=int(raw["seq"]),
        patch=raw.get("patch"),
    )


def oversized(event: HubEvent) -> HubEvent:
    """What is sent instead of an event too large for NOTIFY: listeners resynchronise."""
    return HubEvent(hall_id=event.hall_id, kind="resync", data={}, seq=event.seq, patch=None)


def bump(s: Session, hall_id: int, n: int) -> int:
    """Add n to the hall's sequence in this transaction; returns the new last value."""
    return hall_seq.bump(s, hall_id, n)


def current_seq(s: Session, hall_id: int) -> int:
    return hall_seq.current(s, hall_id)


def stamp(s: Session, hall_id: int, events: list[HubEvent]) -> list[HubEvent]:
    """Give the events consecutive sequence numbers (and NOTIFY them on PostgreSQL)."""
    if not events:
        return []
    last = bump(s, hall_id, len(events))
    first = last - len(events) + 1
    stamped = [replace(e, hall_id=hall_id, seq=first + i) for i, e in enumerate(events)]
    notify(s, stamped)
    return stamped


def notify(s: Session, events: list[HubEvent]) -> None:
    """On PostgreSQL, announce stamped events to other hub processes at commit."""
    if not events or not hall_seq.can_notify(s):
        return
    payloads = []
    for e in events:
        payload = encode(e)
        if len(payload.encode()) >= NOTIFY_LIMIT:
            payload = encode(oversized(e))
        payloads.append(payload)
    hall_seq.notify(s, NOTIFY_CHANNEL, payloads)
