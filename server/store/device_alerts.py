"""Device alerts: conditions and momentary faults reported by printers and window buses."""

from __future__ import annotations

from typing import Literal

from sqlmodel import Session, col, select

from . import tables as t


def save(s: Session, row: t.DeviceAlert) -> t.DeviceAlert:
    s.add(row)
    s.flush()
    return row


def by_id(s: Session, alert_id: int) -> t.DeviceAlert | None:
    return s.get(t.DeviceAlert, alert_id)


def latest_open(
    s: Session,
    hall_id: int,
    device: str,
    kind: str,
    *,
    until: Literal["cleared_at", "acked_at"] = "cleared_at",
) -> t.DeviceAlert | None:
    """The latest such alert not yet cleared (``until="acked_at"``: not yet acknowledged)."""
    return s.exec(
        select(t.DeviceAlert)
        .where(
            t.DeviceAlert.hall_id == hall_id,
            t.DeviceAlert.device == device,
            t.DeviceAlert.kind == kind,
            col(getattr(t.DeviceAlert, until)).is_(None),
        )
        .order_by(col(t.DeviceAlert.id).desc())
    ).first()


def active_kinds(s: Session, hall_id: int) -> set[tuple[str, str]]:
    """(device, kind) of every condition still active in the hall."""
    rows = s.exec(
        select(t.DeviceAlert.device, t.DeviceAlert.kind).where(
            t.DeviceAlert.hall_id == hall_id, col(t.DeviceAlert.cleared_at).is_(None)
        )
    ).all()
    return {(device, kind) for device, kind in rows}


def still_open(s: Session, hall_id: int) -> list[t.DeviceAlert]:
    """Alerts still active or not yet acknowledged, newest first."""
    return list(
        s.exec(
            select(t.DeviceAlert)
            .where(
                t.DeviceAlert.hall_id == hall_id,
                col(t.DeviceAlert.cleared_at).is_(None) | col(t.DeviceAlert.acked_at).is_(None),
            )
            .order_by(col(t.DeviceAlert.id).desc())
        ).all()
    )
