"""Configuration by admins: halls, queues, windows, service items, staff, devices.

Every change is written with its audit entry in the same transaction (services/audit.py):
``actor`` says who asked and from where.
"""

from __future__ import annotations

from typing import Any

from server.domain import hall_settings
from server.domain.fields import Problem
from server.errors import HubError
from server.realtime.bus import HubEvent
from server.store import accounts as account_store
from server.store import halls as hall_store
from server.store import queues as queue_store
from server.store import tables as t
from server.store import windows as window_store
from server.store.db import IntegrityError, Session, to_db_time

from . import audit, catalogue_admin
from .accounts import DeviceKind, Role, create_device, create_staff
from .audit import Actor
from .events import hall_changed
from .hub import Hub

HALL_FIELDS = {
    "code",
    "name",
    "name_en",
    "region",
    "timezone",
    "office_hours",
    "ticket_hours",
    "closed_dates",
    "open_dates",
    "class_weights",
    "recall_limit",
    "no_show_reactivate_minutes",
    "address",
    "phone",
    "notice",
    "ticket_notice",
    "languages",
    "english_voice",
    "voice_repeat",
    "green_channel_age",
    "id_daily_limit",
    "rating_timeout_seconds",
    "unrated_stays_unrated",
    "receipt_pattern",
    "case_warning_percent",
    "promised_share_percent",
}
# The settings the domain checks together (domain/hall_settings.py check_hall).
CHECKED = (
    "timezone",
    "office_hours",
    "ticket_hours",
    "languages",
    "closed_dates",
    "open_dates",
    "receipt_pattern",
)
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


def _write(hub: Hub, work: Any, *, hall_id: int | None = None, conflict: str = "CONFLICT") -> Any:
    """Run an admin change; a change the hall's screens show is announced to them."""
    now = hub.now()

    def run(s: Session) -> tuple[Any, list[HubEvent]]:
        result = work(s)
        return result, [hall_changed(s, hall_id, now)] if hall_id is not None else []

    try:
        result, events = hub.db.write(run)
    except IntegrityError as err:
        raise HubError(conflict) from err
    hub.publish(events)
    return result


def _check(values: dict[str, Any]) -> None:
    problems: list[Problem] = hall_settings.check_hall(values)
    if problems:
        raise HubError("INVALID_REQUEST", fields=[p.as_dict() for p in problems])


def _code_free(s: Session, code: str) -> None:
    if hall_store.hall_by_code_or_none(s, code) is not None:
        raise HubError("HALL_CODE_TAKEN", code=code)


def _hall_change(
    s: Session, hall: t.Hall, values: dict[str, Any], *, actor: Actor, action: str, at: Any
) -> dict[str, Any]:
    """Save ``values`` on the hall with the audit entry of what they changed (the whole
    row before and after: whichever fields a change touches, the entry holds those)."""
    assert hall.id is not None
    before = audit.snapshot(hall)
    saved = hall_store.save_hall(s, hall, values)
    audit.record_change(
        s,
        at=at,
        actor=actor,
        hall_id=hall.id,
        action=action,
        entity_kind="hall",
        entity_key=saved.code,
        before=before,
        after=audit.snapshot(saved),
    )
    return saved.model_dump()


def update_hall(hub: Hub, *, hall_id: int, changes: dict[str, Any], actor: Actor) -> dict[str, Any]:
    """Change a hall's settings. ``changes["version"]`` is the version the editor read:
    a hall changed since is refused (STALE_VERSION), never overwritten."""
    expected = changes.get("version")
    if expected is None:
        raise HubError("VERSION_REQUIRED")
    values = {k: v for k, v in changes.items() if k in HALL_FIELDS}
    now = hub.now()

    def work(s: Session) -> dict[str, Any]:
        hall = hall_store.hall_by_id(s, hall_id)
        if hall.version != expected:
            raise HubError("STALE_VERSION", version=hall.version, yours=expected)
        stored = {k: getattr(hall, k) for k in CHECKED}
        # The code is checked only when it changes: a hall keeps the code it was made with.
        _check({**stored, **values})
        if "code" in values and values["code"] != hall.code:
            _code_free(s, values["code"])
        share = values.get("promised_share_percent")
        if share is not None and share != hall.promised_share_percent:
            problems = catalogue_admin.share_problems(s, hall_id, share)
            if problems:
                raise HubError("INVALID_REQUEST", fields=[p.as_dict() for p in problems])
        return _hall_change(
            s, hall, hall_settings.normalised(values), actor=actor, action="hall.update", at=now
        )

    result: dict[str, Any] = _write(hub, work, hall_id=hall_id, conflict="HALL_CODE_TAKEN")
    return result


def create_hall(hub: Hub, *, values: dict[str, Any], actor: Actor) -> dict[str, Any]:
    """A new hall, open, with the settings given and the defaults for the rest."""
    values = {k: v for k, v in values.items() if k in HALL_FIELDS}
    defaults = t.Hall(code="", name="")
    _check({**{k: getattr(defaults, k) for k in CHECKED}, **values})
    now = hub.now()

    def work(s: Session) -> t.Hall:
        _code_free(s, values["code"])
        hall = hall_store.add_hall(s, t.Hall(**hall_settings.normalised(values)))
        audit.record(
            s,
            at=now,
            actor=actor,
            hall_id=hall.id,
            action="hall.create",
            entity_kind="hall",
            entity_key=hall.code,
            after=audit.snapshot(hall),
        )
        return hall

    hall: t.Hall = _write(hub, work, conflict="HALL_CODE_TAKEN")
    return hall.model_dump()


def close_hall(hub: Hub, *, hall_id: int, actor: Actor, reason: str = "") -> dict[str, Any]:
    """No tickets from now on, and the hall's screens say it is closed; its data stays."""
    now = hub.now()

    def work(s: Session) -> dict[str, Any]:
        hall = hall_store.hall_by_id(s, hall_id)
        hall_settings.check_close(hall.closed_at is not None)
        values = {"closed_at": to_db_time(now), "closed_reason": reason}
        return _hall_change(s, hall, values, actor=actor, action="hall.close", at=now)

    result: dict[str, Any] = _write(hub, work, hall_id=hall_id)
    return result


def reopen_hall(hub: Hub, *, hall_id: int, actor: Actor) -> dict[str, Any]:
    now = hub.now()

    def work(s: Session) -> dict[str, Any]:
        hall = hall_store.hall_by_id(s, hall_id)
        hall_settings.check_reopen(hall.closed_at is not None)
        values = {"closed_at": None, "closed_reason": ""}
        return _hall_change(s, hall, values, actor=actor, action="hall.reopen", at=now)

    result: dict[str, Any] = _write(hub, work, hall_id=hall_id)
    return result


def hall_rows(hub: Hub, *, hall_ids: list[int] | None) -> list[dict[str, Any]]:
    """Every hall (``None``) or the ones named, by code, as an admin edits them."""
    with hub.db.read() as s:
        rows = hall_store.halls(s)
    return [h.model_dump() for h in rows if hall_ids is None or h.id in hall_ids]


def hall_row(hub: Hub, *, hall_id: int) -> dict[str, Any]:
    with hub.db.read() as s:
        return hall_store.hall_by_id(s, hall_id).model_dump()


def create_queue(hub: Hub, *, hall_id: int, values: dict[str, Any], actor: Actor) -> dict[str, Any]:
    now = hub.now()

    def work(s: Session) -> dict[str, Any]:
        queue = t.Queue(hall_id=hall_id, **values)
        s.add(queue)
        s.flush()
        audit.record(
            s,
            at=now,
            actor=actor,
            hall_id=hall_id,
            action="queue.create",
            entity_kind="queue",
            entity_key=queue.code,
            after=audit.snapshot(queue, without=frozenset({"hall_id"})),
        )
        return queue.model_dump()

    result: dict[str, Any] = _write(hub, work, hall_id=hall_id, conflict="QUEUE_CODE_TAKEN")
    return result


def create_window(
    hub: Hub,
    *,
    hall_id: int,
    number: int,
    name: str,
    name_en: str,
    queues: list[tuple[str, int]],
    actor: Actor,
) -> dict[str, Any]:
    now = hub.now()

    def work(s: Session) -> dict[str, Any]:
        window = t.Window(hall_id=hall_id, number=number, name=name, name_en=name_en)
        s.add(window)
        s.flush()
        assert window.id is not None
        set_window_queues(s, hall_id, window.id, queues)
        audit.record(
            s,
            at=now,
            actor=actor,
            hall_id=hall_id,
            action="window.create",
            entity_kind="window",
            entity_key=str(number),
            after={
                "number": number,
                "name": name,
                "name_en": name_en,
                "queues": [[code, max(1, weight)] for code, weight in queues],
            },
        )
        return window_dict(s, window)

    result: dict[str, Any] = _write(hub, work, hall_id=hall_id, conflict="WINDOW_NUMBER_TAKEN")
    return result


def window_dict(s: Session, row: t.Window) -> dict[str, Any]:
    """A window as an admin edits it: ``version`` is its settings' version (the row's
    own moves with every call), the queues it serves in order with their weights, and
    who is signed in there."""
    assert row.id is not None
    out = row.model_dump(exclude={"version", "config_version", "selection_state"})
    out["version"] = row.config_version
    out["queues"] = [
        {"queue": code, "weight": weight}
        for code, weight in window_store.window_queue_codes(s, row.id)
    ]
    clerk = account_store.staff_row(s, row.clerk_id)
    out["clerk"] = clerk.staff_no if clerk else None
    return out


def staff_dict(s: Session, row: t.Staff, *, now: Any = None) -> dict[str, Any]:
    """A staff member as an admin sees her: never the password's hash; the windows by
    number."""
    numbers = {w.id: w.number for w in window_store.window_rows_by_ids(s, row.windows)}
    out = row.model_dump(exclude={"password_hash", "windows", "failed_logins"})
    out["windows"] = sorted(numbers[w] for w in row.windows if w in numbers)
    locked = row.locked_until is not None and (now is None or row.locked_until > now)
    out["locked"] = locked
    if not locked:
        out["locked_until"] = None
    return out


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
    title: str = "",
    windows: list[int] | None = None,
    actor: Actor,
) -> dict[str, Any]:
    """``hall_id`` None: an installation-wide account. ``windows``: the numbers of the
    windows she may sign in at (none: any)."""
    now = hub.now()

    def work(s: Session) -> dict[str, Any]:
        allowed = [window_store.window_row(s, hall_id, n).id or 0 for n in windows or [] if hall_id]
        staff = create_staff(
            s,
            hall_id=hall_id,
            staff_no=staff_no,
            name=name,
            role=role,
            password=password,
            photo=photo,
        )
        staff.title, staff.windows = title, allowed
        s.add(staff)
        s.flush()
        audit.record(
            s,
            at=now,
            actor=actor,
            hall_id=hall_id,
            action="staff.create",
            entity_kind="staff",
            entity_key=staff_no,
            after={**audit.snapshot(staff), "password": audit.SECRET_SET},
        )
        return staff_dict(s, staff)

    result: dict[str, Any] = _write(hub, work, conflict="STAFF_NO_TAKEN")
    return result


def add_device(
    hub: Hub,
    *,
    hall_id: int,
    code: str,
    kind: DeviceKind,
    name: str,
    window_number: int | None,
    actor: Actor,
) -> tuple[dict[str, Any], str]:
    now = hub.now()

    def work(s: Session) -> tuple[dict[str, Any], str]:
        window_id = (
            window_store.window_row(s, hall_id, window_number).id
            if window_number is not None
            else None
        )
        device, token = create_device(
            s, hall_id=hall_id, code=code, kind=kind, name=name, window_id=window_id
        )
        audit.record(
            s,
            at=now,
            actor=actor,
            hall_id=hall_id,
            action="device.create",
            entity_kind="device",
            entity_key=code,
            after={
                "code": code,
                "kind": kind.value,
                "name": name,
                "window": window_number,
                "token": audit.TOKEN_ISSUED,
            },
        )
        out = device.model_dump(exclude={"token_hash"})
        return {**out, "window": window_number}, token

    result: tuple[dict[str, Any], str] = _write(hub, work, conflict="DEVICE_CODE_TAKEN")
    return result


def hall_defaults() -> dict[str, Any]:
    """A new hall's settings before anyone changes them (the create form)."""
    return t.Hall(code="", name="").model_dump()
