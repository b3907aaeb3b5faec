"""Configuration by admins: halls, queues, windows, service items, staff, devices."""

from __future__ import annotations

from typing import Any

from server.errors import HubError
from server.realtime.bus import HubEvent
from server.store import halls as hall_store
from server.store import queues as queue_store
from server.store import tables as t
from server.store import windows as window_store
from server.store.db import IntegrityError, Session

from .accounts import DeviceKind, Role, create_device, create_staff
from .events import hall_changed
from .hub import Hub

HALL_FIELDS = {
    "name",
    "name_en",
    "timezone",
    "open_weekdays",
    "opens",
    "closes",
    "closed_dates",
    "open_dates",
    "class_weights",
    "recall_limit",
    "no_show_reactivate_minutes",
    "address",
    "phone",
    "notice",
    "english_voice",
    "voice_repeat",
    "green_channel_age",
    "id_daily_limit",
    "rating_timeout_seconds",
}
QUEUE_FIELDS = {
    "name",
    "name_en",
    "start_number",
    "width",
    "daily_cap",
    "issue_hours",
    "default_service_minutes",
    "sort",
    "active",
}


def _write(hub: Hub, work: Any, *, hall_id: int | None = None) -> Any:
    """Run an admin change; a change the hall's screens show is announced to them."""
    now = hub.now()

    def run(s: Session) -> tuple[Any, list[HubEvent]]:
        result = work(s)
        return result, [hall_changed(s, hall_id, now)] if hall_id is not None else []

    try:
        result, events = hub.db.write(run)
    except IntegrityError as err:
        raise HubError("CONFLICT") from err
    hub.publish(events)
    return result


def update_hall(hub: Hub, *, hall_id: int, changes: dict[str, Any]) -> dict[str, Any]:
    def work(s: Session) -> dict[str, Any]:
        hall = hall_store.hall_by_id(s, hall_id)
        for key, value in changes.items():
            if key in HALL_FIELDS:
                setattr(hall, key, value)
        s.add(hall)
        s.flush()
        return hall.model_dump()

    result: dict[str, Any] = _write(hub, work, hall_id=hall_id)
    return result


def create_queue(hub: Hub, *, hall_id: int, values: dict[str, Any]) -> dict[str, Any]:
    def work(s: Session) -> dict[str, Any]:
        queue = t.Queue(hall_id=hall_id, **values)
        s.add(queue)
        s.flush()
        return queue.model_dump()

    result: dict[str, Any] = _write(hub, work, hall_id=hall_id)
    return result


def update_queue(hub: Hub, *, hall_id: int, code: str, changes: dict[str, Any]) -> dict[str, Any]:
    def work(s: Session) -> dict[str, Any]:
        queue = queue_store.queue_by_code(s, hall_id, code)
        for key, value in changes.items():
            if key in QUEUE_FIELDS:
                setattr(queue, key, value)
        s.add(queue)
        s.flush()
        return queue.model_dump()

    result: dict[str, Any] = _write(hub, work, hall_id=hall_id)
    return result


def create_window(
    hub: Hub, *, hall_id: int, number: int, name: str, name_en: str, queues: list[tuple[str, int]]
) -> dict[str, Any]:
    def work(s: Session) -> dict[str, Any]:
        window = t.Window(hall_id=hall_id, number=number, name=name, name_en=name_en)
        s.add(window)
        s.flush()
        assert window.id is not None
        set_window_queues(s, hall_id, window.id, queues)
        return window.model_dump()

    result: dict[str, Any] = _write(hub, work, hall_id=hall_id)
    return result


def set_window_queues(
    s: Session, hall_id: int, window_id: int, queues: list[tuple[str, int]]
) -> None:
    window_store.remove_window_queues(s, window_id)
    for position, (code, weight) in enumerate(queues):
        queue = queue_store.queue_by_code(s, hall_id, code)
        assert queue.id is not None
        s.add(
            t.WindowQueue(
                window_id=window_id, queue_id=queue.id, position=position, weight=max(1, weight)
            )
        )
    s.flush()


def add_staff(
    hub: Hub,
    *,
    hall_id: int | None,
    staff_no: str,
    name: str,
    role: Role,
    password: str,
    photo: str = "",
) -> dict[str, Any]:
    def work(s: Session) -> dict[str, Any]:
        staff = create_staff(
            s,
            hall_id=hall_id,
            staff_no=staff_no,
            name=name,
            role=role,
            password=password,
            photo=photo,
        )
        return staff.model_dump(exclude={"password_hash"})

    result: dict[str, Any] = _write(hub, work)
    return result


def add_device(
    hub: Hub, *, hall_id: int, code: str, kind: DeviceKind, name: str, window_number: int | None
) -> tuple[dict[str, Any], str]:
    def work(s: Session) -> tuple[dict[str, Any], str]:
        window_id = (
            window_store.window_row(s, hall_id, window_number).id
            if window_number is not None
            else None
        )
        device, token = create_device(
            s, hall_id=hall_id, code=code, kind=kind, name=name, window_id=window_id
        )
        return device.model_dump(exclude={"token_hash"}), token

    result: tuple[dict[str, Any], str] = _write(hub, work)
    return result
