"""An admin's edits of a hall's queues, windows, staff and devices: each names the version
it read (a record changed since is refused, never overwritten), removing something still
in use is refused with the reason, and every change is audited in its own transaction."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from server.domain import config_rules
from server.errors import HubError
from server.store import accounts as account_store
from server.store import halls as hall_store
from server.store import queues as queue_store
from server.store import tables as t
from server.store import windows as window_store
from server.store.db import Session

from . import audit
from .accounts import hash_password, new_token
from .admin import QUEUE_FIELDS, _write, set_window_queues, staff_dict, window_dict
from .audit import Actor
from .hub import Hub

# A temporary password is read out or copied by hand: no 0/O, 1/l/I.
READABLE = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
WINDOW_FIELDS = {"number", "name", "name_en", "active"}
STAFF_FIELDS = {"name", "role", "title", "active"}
DEVICE_FIELDS = {"name", "active"}


def _check_version(current: int, expected: int | None) -> None:
    if expected is None:
        raise HubError("VERSION_REQUIRED")
    if current != expected:
        raise HubError("STALE_VERSION", version=current, yours=expected)


def _change(
    s: Session,
    *,
    hub: Hub,
    actor: Actor,
    hall_id: int,
    action: str,
    kind: str,
    key: str,
    before: dict[str, Any],
    after: dict[str, Any],
    secret: tuple[str, str] | None = None,
) -> None:
    """The entry of an update: the fields it changed; ``secret`` (field, word) says a
    password or token was replaced, by a word, never the value."""
    old, new = audit.diff(before, after)
    if secret is not None:
        field, word = secret
        new[field] = word
    if not new:
        return
    audit.record(
        s,
        at=hub.now(),
        actor=actor,
        hall_id=hall_id,
        action=action,
        entity_kind=kind,
        entity_key=key,
        before=old,
        after=new,
    )


# ---- queues --------------------------------------------------------------------------


def queue_rows(hub: Hub, *, hall_id: int) -> list[dict[str, Any]]:
    with hub.db.read() as s:
        return [q.model_dump() for q in queue_store.queues(s, hall_id)]


def queue_row(hub: Hub, *, hall_id: int, code: str) -> dict[str, Any]:
    with hub.db.read() as s:
        return queue_store.queue_by_code(s, hall_id, code).model_dump()


def update_queue(
    hub: Hub, *, hall_id: int, code: str, changes: dict[str, Any], actor: Actor
) -> dict[str, Any]:
    """Names, prefix, numbering, cap, hours, service minutes, order; ``active`` False
    stops new tickets (the kiosks show it as not issuing) and keeps the waiting ones."""
    values = {k: v for k, v in changes.items() if k in QUEUE_FIELDS | {"prefix"}}

    def work(s: Session) -> dict[str, Any]:
        queue = queue_store.queue_by_code(s, hall_id, code)
        _check_version(queue.version, changes.get("version"))
        before = audit.snapshot(queue)
        saved = queue_store.save_queue(s, queue, values)
        _change(
            s,
            hub=hub,
            actor=actor,
            hall_id=hall_id,
            action="queue.update",
            kind="queue",
            key=code,
            before=before,
            after=audit.snapshot(saved),
        )
        return saved.model_dump()

    result: dict[str, Any] = _write(hub, work, hall_id=hall_id, conflict="QUEUE_CODE_TAKEN")
    return result


def remove_queue(hub: Hub, *, hall_id: int, code: str, version: int | None, actor: Actor) -> None:
    """Refused (QUEUE_IN_USE, with every reason) while tickets wait or are served today,
    items or windows point at it, or tickets of earlier days name it."""

    def work(s: Session) -> None:
        queue = queue_store.queue_by_code(s, hall_id, code)
        assert queue.id is not None
        _check_version(queue.version, version)
        day = hall_store.calendar_of(hall_store.hall_by_id(s, hall_id)).business_day(hub.now())
        config_rules.check_removable(
            "QUEUE_IN_USE", queue_store.queue_uses(s, queue.id, day), queue=code
        )
        before = audit.snapshot(queue, without=frozenset({"hall_id"}))
        queue_store.delete_queue(s, queue)
        audit.record(
            s,
            at=hub.now(),
            actor=actor,
            hall_id=hall_id,
            action="queue.remove",
            entity_kind="queue",
            entity_key=code,
            before=before,
        )

    _write(hub, work, hall_id=hall_id)


# ---- windows -------------------------------------------------------------------------


def window_rows(hub: Hub, *, hall_id: int) -> list[dict[str, Any]]:
    with hub.db.read() as s:
        return [window_dict(s, w) for w in window_store.window_rows(s, hall_id)]


def window_row(hub: Hub, *, hall_id: int, number: int) -> dict[str, Any]:
    with hub.db.read() as s:
        return window_dict(s, window_store.window_row(s, hall_id, number))


def _window_snapshot(s: Session, row: t.Window) -> dict[str, Any]:
    assert row.id is not None
    return {
        "number": row.number,
        "name": row.name,
        "name_en": row.name_en,
        "active": row.active,
        "queues": [list(q) for q in window_store.window_queue_codes(s, row.id)],
    }


def update_window(
    hub: Hub, *, hall_id: int, number: int, changes: dict[str, Any], actor: Actor
) -> dict[str, Any]:
    """Number, names, the queues it serves (its skills: order and weights; a 综合窗口
    serves many), ``active``. Checked against the window's settings version, which the
    calls at the window do not move."""
    values = {k: v for k, v in changes.items() if k in WINDOW_FIELDS}
    queues: list[tuple[str, int]] | None = changes.get("queues")

    def work(s: Session) -> dict[str, Any]:
        row = window_store.window_row(s, hall_id, number)
        assert row.id is not None
        _check_version(row.config_version, changes.get("version"))
        before = _window_snapshot(s, row)
        saved = window_store.save_window_config(s, row, values)
        if queues is not None:
            set_window_queues(s, hall_id, row.id, queues)
        _change(
            s,
            hub=hub,
            actor=actor,
            hall_id=hall_id,
            action="window.update",
            kind="window",
            key=str(number),
            before=before,
            after=_window_snapshot(s, saved),
        )
        return window_dict(s, saved)

    result: dict[str, Any] = _write(hub, work, hall_id=hall_id, conflict="WINDOW_NUMBER_TAKEN")
    return result


def remove_window(
    hub: Hub, *, hall_id: int, number: int, version: int | None, actor: Actor
) -> None:
    """Refused (WINDOW_IN_USE) while a clerk is signed in there, a ticket is being
    served, devices belong to it, or tickets and ratings name it."""

    def work(s: Session) -> None:
        row = window_store.window_row(s, hall_id, number)
        assert row.id is not None
        _check_version(row.config_version, version)
        config_rules.check_removable(
            "WINDOW_IN_USE", window_store.window_uses(s, row.id), window=number
        )
        before = _window_snapshot(s, row)
        window_store.delete_window(s, row)
        audit.record(
            s,
            at=hub.now(),
            actor=actor,
            hall_id=hall_id,
            action="window.remove",
            entity_kind="window",
            entity_key=str(number),
            before=before,
        )

    _write(hub, work, hall_id=hall_id)


# ---- staff ---------------------------------------------------------------------------


def _staff(s: Session, hall_id: int, staff_no: str) -> t.Staff:
    row = account_store.hall_staff_by_no(s, hall_id, staff_no)
    if row is None:
        raise HubError("STAFF_NOT_FOUND", staff_no=staff_no)
    return row


def _staff_snapshot(s: Session, row: t.Staff) -> dict[str, Any]:
    snap = staff_dict(s, row)
    return {k: v for k, v in snap.items() if k not in {"id", "version", "hall_id", "locked_until"}}


def staff_rows(hub: Hub, *, hall_id: int) -> list[dict[str, Any]]:
    now = hub.now()
    with hub.db.read() as s:
        return [staff_dict(s, r, now=now) for r in account_store.hall_staff(s, hall_id)]


def staff_row(hub: Hub, *, hall_id: int, staff_no: str) -> dict[str, Any]:
    now = hub.now()
    with hub.db.read() as s:
        return staff_dict(s, _staff(s, hall_id, staff_no), now=now)


def _window_ids(s: Session, hall_id: int, numbers: list[int]) -> list[int]:
    out = []
    for n in numbers:
        row = window_store.window_row(s, hall_id, n)
        assert row.id is not None
        out.append(row.id)
    return out


def _staff_action(
    hub: Hub,
    *,
    hall_id: int,
    staff_no: str,
    actor: Actor,
    action: str,
    change: Callable[[Session, t.Staff], dict[str, Any]],
    version: int | None = None,
    versioned: bool = True,
) -> dict[str, Any]:
    """Load the hall's staff member, check the version read, apply ``change`` (which
    returns the values to save), audit before -> after."""
    now = hub.now()

    def work(s: Session) -> dict[str, Any]:
        row = _staff(s, hall_id, staff_no)
        if versioned:
            _check_version(row.version, version)
        before = _staff_snapshot(s, row)
        values = change(s, row)
        saved = account_store.save_staff(s, row, values)
        after = _staff_snapshot(s, saved)
        secret = ("password", audit.SECRET_SET) if "password_hash" in values else None
        _change(
            s,
            hub=hub,
            actor=actor,
            hall_id=hall_id,
            action=action,
            kind="staff",
            key=staff_no,
            before=before,
            after=after,
            secret=secret,
        )
        return staff_dict(s, saved, now=now)

    result: dict[str, Any] = _write(hub, work, hall_id=hall_id)
    return result


def update_staff(
    hub: Hub, *, hall_id: int, staff_no: str, changes: dict[str, Any], actor: Actor
) -> dict[str, Any]:
    """Name, role, title (职务), the windows she may sit at (numbers; empty: any),
    ``active`` (False signs her out everywhere at once)."""
    values = {k: v for k, v in changes.items() if k in STAFF_FIELDS}

    def change(s: Session, row: t.Staff) -> dict[str, Any]:
        if values.get("active") is False or values.get("role", row.role) != row.role:
            config_rules.check_not_own(actor.staff_id, row.id)
        out = dict(values)
        if "windows" in changes:
            out["windows"] = _window_ids(s, hall_id, list(changes["windows"]))
        if values.get("active") is False and row.id is not None:
            account_store.revoke_tokens_of(s, row.id)
            account_store.unseat_everywhere(s, row.id)
        return out

    return _staff_action(
        hub,
        hall_id=hall_id,
        staff_no=staff_no,
        actor=actor,
        action="staff.update",
        change=change,
        version=changes.get("version"),
    )


def set_staff_active(
    hub: Hub, *, hall_id: int, staff_no: str, active: bool, actor: Actor
) -> dict[str, Any]:
    """Disable (signed out at once: every token revoked, off every window) or enable."""

    def change(s: Session, row: t.Staff) -> dict[str, Any]:
        if not active:
            config_rules.check_not_own(actor.staff_id, row.id)
        if not active and row.id is not None:
            account_store.revoke_tokens_of(s, row.id)
            account_store.unseat_everywhere(s, row.id)
        return {"active": active}

    return _staff_action(
        hub,
        hall_id=hall_id,
        staff_no=staff_no,
        actor=actor,
        action="staff.enable" if active else "staff.disable",
        change=change,
        versioned=False,
    )


def reset_password(
    hub: Hub, *, hall_id: int, staff_no: str, password: str | None, actor: Actor
) -> tuple[dict[str, Any], str]:
    """A temporary password (the one given, or a new one shown once); the staff member
    chooses her own at the next sign-in. Her sessions end and any lockout is lifted."""
    temporary = password or "".join(secrets.choice(READABLE) for _ in range(10))

    def change(s: Session, row: t.Staff) -> dict[str, Any]:
        assert row.id is not None
        account_store.revoke_tokens_of(s, row.id)
        account_store.unseat_everywhere(s, row.id)
        return {
            "password_hash": hash_password(temporary),
            "must_change_password": True,
            "failed_logins": 0,
            "locked_until": None,
        }

    row = _staff_action(
        hub,
        hall_id=hall_id,
        staff_no=staff_no,
        actor=actor,
        action="staff.reset_password",
        change=change,
        versioned=False,
    )
    return row, temporary


def unlock_staff(hub: Hub, *, hall_id: int, staff_no: str, actor: Actor) -> dict[str, Any]:
    """Lift a lockout after wrong passwords; the count starts again."""

    def change(s: Session, row: t.Staff) -> dict[str, Any]:
        return {"failed_logins": 0, "locked_until": None}

    return _staff_action(
        hub,
        hall_id=hall_id,
        staff_no=staff_no,
        actor=actor,
        action="staff.unlock",
        change=change,
        versioned=False,
    )


def set_photo(
    hub: Hub,
    *,
    hall_id: int,
    hall_code: str,
    staff_no: str,
    content_type: str,
    data: bytes,
    actor: Actor,
) -> dict[str, Any]:
    """The photo the rating tablet shows (亮牌), served at the URL saved in ``photo``."""
    if content_type not in {"image/jpeg", "image/png"} or not data or len(data) > 1_000_000:
        raise HubError("PHOTO_INVALID")
    if not (data.startswith(b"\x89PNG") or data.startswith(b"\xff\xd8")):
        raise HubError("PHOTO_INVALID")
    now = hub.now()

    def change(s: Session, row: t.Staff) -> dict[str, Any]:
        assert row.id is not None
        account_store.put_photo(s, row.id, content_type, data, now)
        stamp = int(now.timestamp())
        return {"photo": f"/api/v1/halls/{hall_code}/staff/{staff_no}/photo?v={stamp}"}

    return _staff_action(
        hub,
        hall_id=hall_id,
        staff_no=staff_no,
        actor=actor,
        action="staff.photo",
        change=change,
        versioned=False,
    )


def photo_of(hub: Hub, *, hall_id: int, staff_no: str) -> tuple[str, bytes]:
    with hub.db.read() as s:
        row = _staff(s, hall_id, staff_no)
        assert row.id is not None
        found = account_store.photo(s, row.id)
        if found is None:
            raise HubError("NOT_FOUND", photo=staff_no)
        return found.content_type, found.data


def remove_staff(
    hub: Hub, *, hall_id: int, staff_no: str, version: int | None, actor: Actor
) -> None:
    """Only someone who never served (a mistyped account); others are disabled."""

    def work(s: Session) -> None:
        row = _staff(s, hall_id, staff_no)
        assert row.id is not None
        _check_version(row.version, version)
        config_rules.check_not_own(actor.staff_id, row.id)
        uses = {"history": account_store.staff_history(s, row.id)}
        config_rules.check_removable("STAFF_IN_USE", uses, staff_no=staff_no)
        before = _staff_snapshot(s, row)
        account_store.unseat_everywhere(s, row.id)
        account_store.delete_staff(s, row)
        audit.record(
            s,
            at=hub.now(),
            actor=actor,
            hall_id=hall_id,
            action="staff.remove",
            entity_kind="staff",
            entity_key=staff_no,
            before=before,
        )

    _write(hub, work, hall_id=hall_id)


# ---- devices -------------------------------------------------------------------------


def device_dict(s: Session, row: t.Device) -> dict[str, Any]:
    window = window_store.window_row_by_id(s, row.window_id)
    out = row.model_dump(exclude={"token_hash"})
    out["window"] = window.number if window else None
    return out


def _device(s: Session, hall_id: int, code: str) -> t.Device:
    row = account_store.device_by_code(s, hall_id, code)
    if row is None:
        raise HubError("DEVICE_NOT_FOUND", device=code)
    return row


def _device_snapshot(s: Session, row: t.Device) -> dict[str, Any]:
    d = device_dict(s, row)
    return {k: d[k] for k in ("code", "kind", "name", "window", "active")}


def device_rows(hub: Hub, *, hall_id: int) -> list[dict[str, Any]]:
    with hub.db.read() as s:
        return [device_dict(s, d) for d in account_store.hall_devices(s, hall_id)]


def device_row(hub: Hub, *, hall_id: int, code: str) -> dict[str, Any]:
    with hub.db.read() as s:
        return device_dict(s, _device(s, hall_id, code))


def _device_action(
    hub: Hub,
    *,
    hall_id: int,
    code: str,
    actor: Actor,
    action: str,
    change: Callable[[Session, t.Device], dict[str, Any]],
    version: int | None = None,
    versioned: bool = True,
) -> dict[str, Any]:
    def work(s: Session) -> dict[str, Any]:
        row = _device(s, hall_id, code)
        if versioned:
            _check_version(row.version, version)
        before = _device_snapshot(s, row)
        values = change(s, row)
        saved = account_store.save_device(s, row, values)
        after = _device_snapshot(s, saved)
        secret = ("token", audit.TOKEN_ROTATED) if "token_hash" in values else None
        _change(
            s,
            hub=hub,
            actor=actor,
            hall_id=hall_id,
            action=action,
            kind="device",
            key=code,
            before=before,
            after=after,
            secret=secret,
        )
        return device_dict(s, saved)

    result: dict[str, Any] = _write(hub, work, hall_id=hall_id)
    return result


def update_device(
    hub: Hub, *, hall_id: int, code: str, changes: dict[str, Any], actor: Actor
) -> dict[str, Any]:
    """Name and window (a keypad's, a rating pad's); null: no window."""
    values = {k: v for k, v in changes.items() if k in DEVICE_FIELDS}

    def change(s: Session, row: t.Device) -> dict[str, Any]:
        out = dict(values)
        if "window" in changes:
            number = changes["window"]
            out["window_id"] = (
                None if number is None else window_store.window_row(s, hall_id, number).id
            )
        return out

    return _device_action(
        hub,
        hall_id=hall_id,
        code=code,
        actor=actor,
        action="device.update",
        change=change,
        version=changes.get("version"),
    )


def set_device_active(
    hub: Hub, *, hall_id: int, code: str, active: bool, actor: Actor
) -> dict[str, Any]:
    """Revoke (its token is refused from the next request on) or enable again."""
    return _device_action(
        hub,
        hall_id=hall_id,
        code=code,
        actor=actor,
        action="device.enable" if active else "device.revoke",
        change=lambda s, row: {"active": active},
        versioned=False,
    )


def rotate_token(hub: Hub, *, hall_id: int, code: str, actor: Actor) -> tuple[dict[str, Any], str]:
    """A new token, shown once; the old one is refused from now on."""
    raw, hashed = new_token()
    row = _device_action(
        hub,
        hall_id=hall_id,
        code=code,
        actor=actor,
        action="device.token_rotate",
        change=lambda s, row: {"token_hash": hashed},
        versioned=False,
    )
    return row, raw


def remove_device(hub: Hub, *, hall_id: int, code: str, version: int | None, actor: Actor) -> None:
    """Only a device that never issued a ticket; others are revoked."""

    def work(s: Session) -> None:
        row = _device(s, hall_id, code)
        assert row.id is not None
        _check_version(row.version, version)
        uses = {"history": account_store.device_history(s, row.id)}
        config_rules.check_removable("DEVICE_IN_USE", uses, device=code)
        before = _device_snapshot(s, row)
        account_store.delete_device(s, row)
        audit.record(
            s,
            at=hub.now(),
            actor=actor,
            hall_id=hall_id,
            action="device.remove",
            entity_kind="device",
            entity_key=code,
            before=before,
        )

    _write(hub, work, hall_id=hall_id)
