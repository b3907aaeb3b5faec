"""Staff sign-in, sessions and API tokens, device tokens, and who may do what."""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, select, update

from server.errors import HubError
from server.store import repositories as repo
from server.store import tables as t

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
    hub: Hub, *, hall_code: str, staff_no: str, password: str, window_number: int | None
) -> tuple[str, StaffPrincipal]:
    now = hub.now()

    def work(s: Session) -> tuple[str, StaffPrincipal]:
        hall = repo.hall_by_code(s, hall_code)
        staff = s.exec(
            select(t.Staff).where(
                (col(t.Staff.hall_id) == hall.id) | col(t.Staff.hall_id).is_(None),
                t.Staff.staff_no == staff_no,
            )
        ).first()
        if staff is None or not staff.active or not _verify(staff.password_hash, password):
            raise HubError("BAD_CREDENTIALS")
        assert staff.id is not None and hall.id is not None
        window = None
        if window_number is not None:
            window = repo.window_row(s, hall.id, window_number)
            if window.clerk_id not in (None, staff.id):
                raise HubError("WINDOW_TAKEN", window=window_number)
            # One window per clerk: leave any other window first.
            s.execute(
                update(t.Window)
                .where(col(t.Window.clerk_id) == staff.id, col(t.Window.id) != window.id)
                .values(clerk_id=None, version=t.Window.version + 1)
            )
            s.execute(
                update(t.Window)
                .where(col(t.Window.id) == window.id)
                .values(clerk_id=staff.id, version=t.Window.version + 1)
            )
        raw, hashed = new_token()
        token = t.AuthToken(
            token_hash=hashed,
            staff_id=staff.id,
            window_id=window.id if window else None,
            created_at=repo.to_db_time(now),
            expires_at=repo.to_db_time(now + timedelta(hours=hub.settings.session_hours)),
        )
        s.add(token)
        s.flush()
        assert token.id is not None
        return raw, StaffPrincipal(
            staff_id=staff.id,
            hall_id=staff.hall_id,
            role=Role(staff.role),
            name=staff.name,
            staff_no=staff.staff_no,
            window_id=window.id if window else None,
            window_number=window.number if window else None,
            token_id=token.id,
        )

    return hub.db.write(work)


def _verify(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def logout(hub: Hub, principal: StaffPrincipal) -> None:
    def work(s: Session) -> None:
        s.execute(
            update(t.AuthToken)
            .where(col(t.AuthToken.id) == principal.token_id)
            .values(revoked=True)
        )
        if principal.window_id is not None:
            s.execute(
                update(t.Window)
                .where(
                    col(t.Window.id) == principal.window_id,
                    col(t.Window.clerk_id) == principal.staff_id,
                )
                .values(clerk_id=None, version=t.Window.version + 1)
            )

    hub.db.write(work)


def staff_from_token(hub: Hub, raw: str) -> StaffPrincipal:
    now = repo.to_db_time(hub.now())
    with hub.db.read() as s:
        token = s.exec(
            select(t.AuthToken).where(t.AuthToken.token_hash == _token_hash(raw))
        ).first()
        if token is None or token.revoked or token.expires_at < now:
            raise HubError("AUTH_INVALID")
        staff = s.get(t.Staff, token.staff_id)
        if staff is None or not staff.active:
            raise HubError("AUTH_INVALID")
        window = s.get(t.Window, token.window_id) if token.window_id else None
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
        )


def device_from_token(hub: Hub, raw: str) -> DevicePrincipal:
    with hub.db.read() as s:
        device = s.exec(select(t.Device).where(t.Device.token_hash == _token_hash(raw))).first()
        if device is None or not device.active:
            raise HubError("DEVICE_TOKEN_INVALID")
        assert device.id is not None
        return DevicePrincipal(
            device_id=device.id,
            hall_id=device.hall_id,
            kind=DeviceKind(device.kind),
            code=device.code,
            window_id=device.window_id,
        )


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
    staff = t.Staff(
        hall_id=hall_id,
        staff_no=staff_no,
        name=name,
        role=role.value,
        password_hash=hash_password(password),
        photo=photo,
    )
    s.add(staff)
    s.flush()
    return staff


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
    device = t.Device(
        hall_id=hall_id,
        code=code,
        kind=kind.value,
        name=name,
        window_id=window_id,
        token_hash=hashed,
    )
    s.add(device)
    s.flush()
    return device, raw


def rotate_device_token(hub: Hub, *, hall_id: int, code: str) -> str:
    def work(s: Session) -> str:
        device = s.exec(
            select(t.Device).where(t.Device.hall_id == hall_id, t.Device.code == code)
        ).first()
        if device is None:
            raise HubError("NOT_FOUND", device=code)
        raw, hashed = new_token()
        device.token_hash = hashed
        s.add(device)
        return raw

    return hub.db.write(work)


def release_window(hub: Hub, *, hall_id: int, number: int) -> None:
    """A supervisor signs whoever is at a window out of it."""

    def work(s: Session) -> None:
        row = repo.window_row(s, hall_id, number)
        s.execute(
            update(t.Window)
            .where(col(t.Window.id) == row.id)
            .values(clerk_id=None, version=t.Window.version + 1)
        )

    hub.db.write(work)


def mark_seen(hub: Hub, device_id: int, when: datetime) -> None:
    def work(s: Session) -> None:
        s.execute(
            update(t.Device)
            .where(col(t.Device.id) == device_id)
            .values(last_seen=repo.to_db_time(when))
        )

    hub.db.write(work)
