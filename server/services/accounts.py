"""Staff sign-in, sessions and API tokens, device tokens, and who may do what."""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from server.domain import config_rules
from server.domain.errors import DomainError
from server.errors import HubError
from server.store import accounts as store
from server.store import halls as hall_store
from server.store import tables as t
from server.store import windows as window_store
from server.store.db import Session, from_db_time, to_db_time

from . import audit
from .audit import Actor
from .hub import Hub

# argon2id. The cost is configurable for small terminals and for test suites, which
# create dozens of accounts: HALL_ARGON2_TIME_COST and HALL_ARGON2_MEMORY_KIB.
_hasher = PasswordHasher(
    time_cost=int(os.environ.get("HALL_ARGON2_TIME_COST", "3")),
    memory_cost=int(os.environ.get("HALL_ARGON2_MEMORY_KIB", "65536")),
)


class Role(StrEnum):
    CLERK = "clerk"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class DeviceKind(StrEnum):
    KIOSK = "kiosk"  # touch query kiosk with its ticket dispenser
    DISPENSER = "dispenser"
    BOARD = "board"
    KEYPAD = "keypad"
    RATING_PAD = "rating_pad"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    raw = secrets.token_urlsafe(32)
    return raw, _token_hash(raw)


@dataclass(frozen=True)
class StaffPrincipal:
    staff_id: int
    hall_id: int | None  # None: an installation-wide admin
    role: Role
    name: str
    staff_no: str
    window_id: int | None
    window_number: int | None
    token_id: int
    # An admin reset the password: the staff member is to choose her own now.
    must_change_password: bool = False

    def may_see_hall(self, hall_id: int) -> bool:
        return self.hall_id is None or self.hall_id == hall_id


@dataclass(frozen=True)
class DevicePrincipal:
    device_id: int
    hall_id: int
    kind: DeviceKind
    code: str
    window_id: int | None


def login(
    hub: Hub,
    *,
    hall_code: str,
    staff_no: str,
    password: str,
    window_number: int | None,
    actor: Actor,
) -> tuple[str, StaffPrincipal]:
    """Every attempt is in the audit log: a sign-in with its session, a refusal in a
    transaction of its own (the attempt's is rolled back). ``actor``: where it came from
    (``Actor.anonymous(address)``); who it is, the sign-in says.

    Wrong passwords in a row lock the account for a while (domain/config_rules.py):
    the attempt that reaches the limit and every one until the lock ends, even with the
    right password, is refused ACCOUNT_LOCKED; an admin may unlock it sooner."""
    now = hub.now()

    def work(s: Session) -> tuple[str, StaffPrincipal]:
        # No hall: an installation-wide account (a new installation has no hall yet).
        hall = hall_store.hall_by_code(s, hall_code) if hall_code else None
        staff = store.staff_by_no(s, hall.id if hall else None, staff_no)
        if staff is None or not staff.active:
            raise HubError("BAD_CREDENTIALS")
        if hall is None and staff.hall_id is not None:
            raise HubError("BAD_CREDENTIALS")
        config_rules.check_not_locked(from_db_time(staff.locked_until), now)
        if not _verify(staff.password_hash, password):
            raise HubError("BAD_CREDENTIALS")
        assert staff.id is not None
        if staff.failed_logins or staff.locked_until is not None:
            store.clear_failed_logins(s, staff.id)
        window = None
        if window_number is not None:
            if hall is None:
                raise HubError("HALL_REQUIRED")
            assert hall.id is not None
            window = window_store.window_row(s, hall.id, window_number)
            assert window.id is not None
            config_rules.check_window_allowed(staff.windows, window.id, window_number)
            if window.clerk_id not in (None, staff.id):
                raise HubError("WINDOW_TAKEN", window=window_number)
            assert window.id is not None
            # One window per clerk: leave any other window first.
            window_store.unseat_clerk_elsewhere(s, staff.id, window.id)
            window_store.seat_clerk(s, window.id, staff.id)
        raw, hashed = new_token()
        token = store.add_token(
            s,
            t.AuthToken(
                token_hash=hashed,
                staff_id=staff.id,
                window_id=window.id if window else None,
                created_at=to_db_time(now),
                expires_at=to_db_time(now + timedelta(hours=hub.settings.session_hours)),
            ),
        )
        assert token.id is not None
        audit.record(
            s,
            at=now,
            actor=audit.signed_in(actor, staff),
            hall_id=hall.id if hall else None,
            action="auth.login",
            entity_kind="staff",
            entity_key=staff.staff_no,
            after={"window": window.number} if window else None,
        )
        return raw, StaffPrincipal(
            staff_id=staff.id,
            hall_id=staff.hall_id,
            role=Role(staff.role),
            name=staff.name,
            staff_no=staff.staff_no,
            window_id=window.id if window else None,
            window_number=window.number if window else None,
            token_id=token.id,
            must_change_password=staff.must_change_password,
        )

    try:
        return hub.db.write(work)
    except (HubError, DomainError) as err:
        locked = _record_refused_login(
            hub, now, actor, hall_code, staff_no, window_number, err.code
        )
        if locked is not None:
            raise DomainError("ACCOUNT_LOCKED", until=locked.isoformat()) from err
        raise


def _record_refused_login(
    hub: Hub,
    now: datetime,
    actor: Actor,
    hall_code: str,
    staff_no: str,
    window_number: int | None,
    code: str,
) -> datetime | None:
    """The number typed is kept (which account was tried), never the password. A wrong
    password counts towards the lockout; returns the lock's end if this one set it."""

    def work(s: Session) -> datetime | None:
        hall = hall_store.hall_by_code_or_none(s, hall_code)
        locked = None
        # No hall given: only installation-wide accounts (staff_by_no with None).
        staff = store.staff_by_no(s, hall.id, staff_no) if hall else None
        if hall is None and not hall_code:
            staff = store.staff_by_no(s, None, staff_no)
        if code == "BAD_CREDENTIALS" and staff is not None and staff.active:
            assert staff.id is not None
            failed, locked = config_rules.after_wrong_password(staff.failed_logins, now)
            store.set_failed_logins(
                s, staff.id, failed, to_db_time(locked) if locked is not None else None
            )
        tried: dict[str, object] = {} if hall else {"hall": hall_code[:32]}
        if window_number is not None:
            tried["window"] = window_number
        audit.record(
            s,
            at=now,
            actor=replace(actor, label=staff_no, staff_id=None, name=""),
            hall_id=hall.id if hall else None,
            action="auth.login_failed",
            entity_kind="staff",
            entity_key=staff_no,
            after=tried or None,
            error="ACCOUNT_LOCKED" if locked is not None else code,
        )
        if locked is not None:
            audit.record(
                s,
                at=now,
                actor=Actor(audit.ActorKind.SYSTEM, label="hub", address=actor.address),
                hall_id=hall.id if hall else None,
                action="auth.locked",
                entity_kind="staff",
                entity_key=staff_no,
                after={
                    "locked_until": locked.isoformat(),
                    "wrong_passwords": config_rules.MAX_FAILED_LOGINS,
                },
            )
        return locked

    result: datetime | None = hub.db.write(work)
    return result


def _verify(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def logout(hub: Hub, principal: StaffPrincipal, *, actor: Actor) -> None:
    now = hub.now()

    def work(s: Session) -> None:
        store.revoke_token(s, principal.token_id)
        if principal.window_id is not None:
            window_store.unseat_clerk(s, principal.window_id, clerk_id=principal.staff_id)
        audit.record(
            s,
            at=now,
            actor=actor,
            hall_id=principal.hall_id,
            action="auth.logout",
            entity_kind="staff",
            entity_key=principal.staff_no,
            before={"window": principal.window_number} if principal.window_number else None,
        )

    hub.db.write(work)


def staff_from_token(hub: Hub, raw: str) -> StaffPrincipal:
    now = to_db_time(hub.now())
    with hub.db.read() as s:
        token = store.token_by_hash(s, _token_hash(raw))
        if token is None or token.revoked or token.expires_at < now:
            raise HubError("AUTH_INVALID")
        staff = store.staff_row(s, token.staff_id)
        if staff is None or not staff.active:
            raise HubError("AUTH_INVALID")
        window = window_store.window_row_by_id(s, token.window_id)
        # A supervisor may have signed this clerk out of the window since.
        if window is not None and window.clerk_id != staff.id:
            window = None
        assert staff.id is not None and token.id is not None
        return StaffPrincipal(
            staff_id=staff.id,
            hall_id=staff.hall_id,
            role=Role(staff.role),
            name=staff.name,
            staff_no=staff.staff_no,
            window_id=window.id if window else None,
            window_number=window.number if window else None,
            token_id=token.id,
            must_change_password=staff.must_change_password,
        )


def change_password(
    hub: Hub, principal: StaffPrincipal, *, old: str, new: str, actor: Actor
) -> None:
    """The staff member's own new password (after a reset, the temporary one is ``old``)."""
    now = hub.now()

    def work(s: Session) -> None:
        staff = store.staff_row(s, principal.staff_id)
        assert staff is not None
        if not _verify(staff.password_hash, old):
            raise HubError("BAD_CREDENTIALS")
        store.set_password(s, staff.id or 0, hash_password(new))
        audit.record(
            s,
            at=now,
            actor=actor,
            hall_id=staff.hall_id,
            action="staff.password_change",
            entity_kind="staff",
            entity_key=staff.staff_no,
            after={"password": audit.SECRET_SET},
        )

    hub.db.write(work)


# A device's last contact is written at most this often: not a write per request.
SEEN_EVERY = timedelta(seconds=60)


def device_from_token(hub: Hub, raw: str) -> DevicePrincipal:
    now = hub.now()
    with hub.db.read() as s:
        device = store.device_by_token_hash(s, _token_hash(raw))
        if device is None or not device.active:
            raise HubError("DEVICE_TOKEN_INVALID")
        assert device.id is not None
        seen = from_db_time(device.last_seen)
        principal = DevicePrincipal(
            device_id=device.id,
            hall_id=device.hall_id,
            kind=DeviceKind(device.kind),
            code=device.code,
            window_id=device.window_id,
        )
    if seen is None or now - seen >= SEEN_EVERY:
        mark_seen(hub, principal.device_id, now)
    return principal


def create_staff(
    s: Session,
    *,
    hall_id: int | None,
    staff_no: str,
    name: str,
    role: Role,
    password: str,
    photo: str = "",
) -> t.Staff:
    return store.add_staff(
        s,
        t.Staff(
            hall_id=hall_id,
            staff_no=staff_no,
            name=name,
            role=role.value,
            password_hash=hash_password(password),
            photo=photo,
        ),
    )


def create_device(
    s: Session,
    *,
    hall_id: int,
    code: str,
    kind: DeviceKind,
    name: str = "",
    window_id: int | None = None,
) -> tuple[t.Device, str]:
    """Returns the device and its token; only the token's hash is stored."""
    raw, hashed = new_token()
    device = store.add_device(
        s,
        t.Device(
            hall_id=hall_id,
            code=code,
            kind=kind.value,
            name=name,
            window_id=window_id,
            token_hash=hashed,
        ),
    )
    return device, raw


def rotate_device_token(hub: Hub, *, hall_id: int, code: str, actor: Actor) -> str:
    now = hub.now()

    def work(s: Session) -> str:
        device = store.device_by_code(s, hall_id, code)
        if device is None:
            raise HubError("NOT_FOUND", device=code)
        raw, hashed = new_token()
        device.token_hash = hashed
        s.add(device)
        audit.record(
            s,
            at=now,
            actor=actor,
            hall_id=hall_id,
            action="device.token_rotate",
            entity_kind="device",
            entity_key=code,
            after={"token": audit.TOKEN_ROTATED},
        )
        return raw

    return hub.db.write(work)


def release_window(hub: Hub, *, hall_id: int, number: int, actor: Actor) -> None:
    """A supervisor signs whoever is at a window out of it."""
    now = hub.now()

    def work(s: Session) -> None:
        row = window_store.window_row(s, hall_id, number)
        assert row.id is not None
        clerk = store.staff_row(s, row.clerk_id)
        window_store.unseat_clerk(s, row.id)
        if clerk is not None:
            audit.record(
                s,
                at=now,
                actor=actor,
                hall_id=hall_id,
                action="window.release",
                entity_kind="window",
                entity_key=str(number),
                before={"clerk": clerk.staff_no},
                after={"clerk": None},
            )

    hub.db.write(work)


def mark_seen(hub: Hub, device_id: int, when: datetime) -> None:
    def work(s: Session) -> None:
        store.mark_device_seen(s, device_id, when)

    hub.db.write(work)
