"""Device status rows: what the process driving a hall's devices last reported of them
(its alerts are in device_alerts.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from . import tables as t


def status(s: Session, hall_id: int, role: str) -> t.DeviceStatus | None:
    """The hall's ``role`` report ("printers", "windowbus"), if one was ever written."""
    return s.exec(
        select(t.DeviceStatus).where(t.DeviceStatus.hall_id == hall_id, t.DeviceStatus.role == role)
    ).first()


def replace_status(
    s: Session,
    *,
    hall_id: int,
    role: str,
    owner: str,
    every_seconds: float,
    data: dict[str, Any],
    updated_at: datetime,
) -> None:
    """Write the hall's ``role`` report over the last one (the row is made the first time)."""
    row = status(s, hall_id, role)
    if row is None:
        row = t.DeviceStatus(
            hall_id=hall_id, role=role, owner="", every_seconds=0, updated_at=updated_at
        )
    row.owner = owner
    row.every_seconds = every_seconds
    row.data = data
    row.updated_at = updated_at
    s.add(row)
