"""What the process driving a hall's devices sees of them, shared with the others.

``hall serve --workers 4`` elects one process to drive the printers and one to drive
the window buses (server.devices.owner). Device alerts already go through the
database; this is the rest a status page shows (each printer's state, each bus's line
quality, each keypad's last frame), written by the owner and read by any process.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from server.services.hub import Hub
from server.store import devices
from server.store.db import Session, from_db_time, to_db_time

log = logging.getLogger(__name__)

# A report older than this many of its own intervals: the owner has stopped reporting.
STALE_AFTER_INTERVALS = 3


def this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class SharedStatus:
    data: dict[str, Any]
    owner: str
    updated_at: datetime
    stale: bool


def publish(
    hub: Hub, *, hall_id: int, role: str, data: dict[str, Any], every_seconds: float
) -> None:
    """Replace the hall's ``role`` report (blocking: call it from a worker thread)."""
    now = to_db_time(hub.now())

    def work(s: Session) -> None:
        devices.replace_status(
            s,
            hall_id=hall_id,
            role=role,
            owner=this_process()[:120],
            every_seconds=every_seconds,
            data=data,
            updated_at=now,
        )

    hub.db.write(work)


def read(hub: Hub, *, hall_id: int, role: str) -> SharedStatus | None:
    with hub.db.read() as s:
        row = devices.status(s, hall_id, role)
    if row is None:
        return None
    updated = from_db_time(row.updated_at)
    assert updated is not None
    age = (hub.now() - updated).total_seconds()
    return SharedStatus(
        data=dict(row.data),
        owner=row.owner,
        updated_at=updated,
        stale=age > STALE_AFTER_INTERVALS * row.every_seconds,
    )


class StatusPublisher:
    """Writes a report when it changed, and at least every ``every_seconds``; a failed
    write (the database away) is logged and tried again with the next report."""

    def __init__(self, hub: Hub, role: str, every_seconds: float) -> None:
        self.hub = hub
        self.role = role
        self.every_seconds = every_seconds
        self._last: dict[str, Any] | None = None
        self._last_at = float("-inf")

    async def offer(self, hall_id: int, data: dict[str, Any]) -> None:
        now = asyncio.get_running_loop().time()
        if data == self._last and now - self._last_at < self.every_seconds:
            return
        try:
            await asyncio.to_thread(
                publish,
                self.hub,
                hall_id=hall_id,
                role=self.role,
                data=data,
                every_seconds=self.every_seconds,
            )
        except Exception:
            log.exception("could not share the %s status", self.role)
            return
        self._last, self._last_at = data, now
