"""Device alerts: recorded, counted while repeated, cleared, acknowledged; each change
published (after commit) as ``device_alert``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from server.errors import HubError
from server.realtime.bus import HubEvent
from server.realtime.journal import stamp
from server.store import device_alerts
from server.store import tables as t
from server.store.db import Session, from_db_time, to_db_time

from .hub import Hub

_DETAIL_MAX = 300


def _clip(text: str) -> str:
    return text if len(text) <= _DETAIL_MAX else text[: _DETAIL_MAX - 1] + "…"


@dataclass(frozen=True)
class AlertText:
    level: str  # warning | error
    message_zh: str
    message_en: str


def _alert_dict(row: t.DeviceAlert) -> dict[str, Any]:
    return {
        "id": row.id,
        "device": row.device,
        "kind": row.kind,
        "level": row.level,
        "message_zh": row.message_zh,
        "message_en": row.message_en,
        "detail": row.detail,
        "count": row.count,
        "raised_at": from_db_time(row.raised_at),
        "last_at": from_db_time(row.last_at),
        "active": row.cleared_at is None,
        "cleared_at": from_db_time(row.cleared_at),
        "acked": row.acked_at is not None,
        "acked_at": from_db_time(row.acked_at),
    }


def _alert_event(row: t.DeviceAlert) -> HubEvent:
    return HubEvent(
        hall_id=row.hall_id,
        kind="device_alert",
        data={
            "window": None,
            "id": row.id,
            "device": row.device,
            "kind": row.kind,
            "level": row.level,
            "message_zh": row.message_zh,
            "message_en": row.message_en,
            "count": row.count,
            "cleared": row.cleared_at is not None,
        },
    )


def raise_alert(
    hub: Hub,
    *,
    hall_id: int,
    device: str,
    kind: str,
    text: AlertText,
    detail: str = "",
    momentary: bool = False,
) -> dict[str, Any]:
    """Record an alert and publish ``device_alert``.

    A condition (paper out...) already active is not raised twice (after a restart the
    printer reports it again). A momentary alert (a failover) is cleared at once but
    stays listed until acknowledged; repeats while unacknowledged only count up.
    """
    now = to_db_time(hub.now())

    def work(s: Session) -> tuple[dict[str, Any], list[HubEvent]]:
        row = device_alerts.latest_open(
            s, hall_id, device, kind, until="acked_at" if momentary else "cleared_at"
        )
        if row is not None:
            row.count += 1
            row.last_at = now
            row.detail = _clip(detail) or row.detail
        else:
            row = t.DeviceAlert(
                hall_id=hall_id,
                device=device,
                kind=kind,
                level=text.level,
                message_zh=_clip(text.message_zh),
                message_en=_clip(text.message_en),
                detail=_clip(detail),
                raised_at=now,
                last_at=now,
                cleared_at=now if momentary else None,
            )
        device_alerts.save(s, row)
        return _alert_dict(row), stamp(s, hall_id, [_alert_event(row)])

    alert, events = hub.db.write(work)
    hub.publish(events)
    return alert


def clear_alert(hub: Hub, *, hall_id: int, device: str, kind: str) -> bool:
    """The device reports the condition gone; False if no such alert was active."""
    now = to_db_time(hub.now())

    def work(s: Session) -> list[HubEvent]:
        row = device_alerts.latest_open(s, hall_id, device, kind)
        if row is None:
            return []
        row.cleared_at = now
        row.last_at = now
        device_alerts.save(s, row)
        return stamp(s, hall_id, [_alert_event(row)])

    events = hub.db.write(work)
    hub.publish(events)
    return bool(events)


def active_alert_kinds(hub: Hub, *, hall_id: int) -> set[tuple[str, str]]:
    """(device, kind) of every condition alert still active in the hall."""
    with hub.db.read() as s:
        return device_alerts.active_kinds(s, hall_id)


def open_alerts(hub: Hub, *, hall_id: int) -> list[dict[str, Any]]:
    """Alerts still active or not yet acknowledged, newest first."""
    with hub.db.read() as s:
        return [_alert_dict(row) for row in device_alerts.still_open(s, hall_id)]


def ack_alert(hub: Hub, *, hall_id: int, alert_id: int, staff_id: int) -> dict[str, Any]:
    """A supervisor has seen the alert. An active condition stays listed until cleared."""
    now = to_db_time(hub.now())

    def work(s: Session) -> dict[str, Any]:
        row = device_alerts.by_id(s, alert_id)
        if row is None or row.hall_id != hall_id:
            raise HubError("DEVICE_ALERT_NOT_FOUND", alert=alert_id)
        if row.acked_at is None:
            row.acked_at = now
            row.acked_by = staff_id
            device_alerts.save(s, row)
        return _alert_dict(row)

    return hub.db.write(work)
