"""Staff, their sign-in tokens, and devices with their tokens. Only hashes of tokens are
stored; hashing is the caller's (services/accounts.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func
from sqlmodel import Session, col, select, update

from . import tables as t
from .db import to_db_time


def staff_by_no(s: Session, hall_id: int | None, staff_no: str) -> t.Staff | None:
    """The hall's staff member with this number, or an installation-wide one."""
    return s.exec(
        select(t.Staff).where(
            (col(t.Staff.hall_id) == hall_id) | col(t.Staff.hall_id).is_(None),
            t.Staff.staff_no == staff_no,
        )
    ).first()


def add_staff(s: Session, row: t.Staff) -> t.Staff:
    s.add(row)
    s.flush()
    return row


def token_by_hash(s: Session, token_hash: str) -> t.AuthToken | None:
    return s.exec(select(t.AuthToken).where(t.AuthToken.token_hash == token_hash)).first()


def add_token(s: Session, row: t.AuthToken) -> t.AuthToken:
    s.add(row)
    s.flush()
    return row


def revoke_token(s: Session, token_id: int) -> None:
    s.execute(update(t.AuthToken).where(col(t.AuthToken.id) == token_id).values(revoked=True))


def device_by_token_hash(s: Session, token_hash: str) -> t.Device | None:
    return s.exec(select(t.Device).where(t.Device.token_hash == token_hash)).first()


def device_by_code(s: Session, hall_id: int, code: str) -> t.Device | None:
    return s.exec(
        select(t.Device).where(t.Device.hall_id == hall_id, t.Device.code == code)
    ).first()


def add_device(s: Session, row: t.Device) -> t.Device:
    s.add(row)
    s.flush()
    return row


def mark_device_seen(s: Session, device_id: int, when: datetime) -> None:
    s.execute(
        update(t.Device).where(col(t.Device.id) == device_id).values(last_seen=to_db_time(when))
    )


def has_live_sign_in(s: Session, *, staff_id: int, window_id: int, now: datetime) -> bool:
    """Whether the staff member, still active, holds a sign-in at the window that is
    neither revoked nor expired."""
    live = s.exec(
        select(t.AuthToken.id)
        .join(t.Staff, col(t.Staff.id) == col(t.AuthToken.staff_id))
        .where(
            t.AuthToken.staff_id == staff_id,
            t.AuthToken.window_id == window_id,
            col(t.AuthToken.revoked).is_(False),
            col(t.AuthToken.expires_at) > to_db_time(now),
            col(t.Staff.active).is_(True),
        )
    ).first()
    return live is not None


def staff_row(s: Session, staff_id: int | None) -> t.Staff | None:
    return s.get(t.Staff, staff_id) if staff_id else None


def hall_staff(s: Session, hall_id: int) -> list[t.Staff]:
    """The hall's own staff, by number (installation-wide admins are nobody's)."""
    return list(
        s.exec(select(t.Staff).where(t.Staff.hall_id == hall_id).order_by(col(t.Staff.staff_no)))
    )


def hall_staff_by_no(s: Session, hall_id: int, staff_no: str) -> t.Staff | None:
    return s.exec(
        select(t.Staff).where(t.Staff.hall_id == hall_id, t.Staff.staff_no == staff_no)
    ).first()


def save_staff(s: Session, row: t.Staff, values: dict[str, Any], *, bump: bool = True) -> t.Staff:
    for key, value in values.items():
        setattr(row, key, value)
    if bump:
        row.version += 1
    s.add(row)
    s.flush()
    return row


def revoke_tokens_of(s: Session, staff_id: int) -> int:
    """Every live sign-in of the staff member ends; how many there were."""
    result = s.execute(
        update(t.AuthToken)
        .where(col(t.AuthToken.staff_id) == staff_id, col(t.AuthToken.revoked).is_(False))
        .values(revoked=True)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def unseat_everywhere(s: Session, staff_id: int) -> None:
    s.execute(
        update(t.Window)
        .where(col(t.Window.clerk_id) == staff_id)
        .values(clerk_id=None, version=t.Window.version + 1)
    )


def staff_history(s: Session, staff_id: int) -> int:
    """Records that name the staff member (events, ratings, device alerts acknowledged)."""
    total = 0
    for column in (
        col(t.TicketEvent.clerk_id),
        col(t.RatingRequest.clerk_id),
        col(t.Rating.clerk_id),
        col(t.DeviceAlert.acked_by),
    ):
        total += int(s.execute(select(func.count()).where(column == staff_id)).scalar_one())
    return total


def delete_staff(s: Session, row: t.Staff) -> None:
    s.execute(delete(t.AuthToken).where(col(t.AuthToken.staff_id) == row.id))
    s.execute(delete(t.StaffPhoto).where(col(t.StaffPhoto.staff_id) == row.id))
    s.delete(row)
    s.flush()


def photo(s: Session, staff_id: int) -> t.StaffPhoto | None:
    return s.get(t.StaffPhoto, staff_id)


def put_photo(s: Session, staff_id: int, content_type: str, data: bytes, at: datetime) -> None:
    row = s.get(t.StaffPhoto, staff_id)
    if row is None:
        row = t.StaffPhoto(staff_id=staff_id, content_type=content_type, data=data, updated_at=at)
    else:
        row.content_type, row.data, row.updated_at = content_type, data, at
    s.add(row)
    s.flush()


def hall_devices(s: Session, hall_id: int) -> list[t.Device]:
    return list(
        s.exec(select(t.Device).where(t.Device.hall_id == hall_id).order_by(col(t.Device.code)))
    )


def save_device(s: Session, row: t.Device, values: dict[str, Any]) -> t.Device:
    for key, value in values.items():
        setattr(row, key, value)
    row.version += 1
    s.add(row)
    s.flush()
    return row


def device_history(s: Session, device_id: int) -> int:
    total = 0
    for column in (col(t.Ticket.device_id), col(t.TicketRequest.device_id)):
        total += int(s.execute(select(func.count()).where(column == device_id)).scalar_one())
    return total


def delete_device(s: Session, row: t.Device) -> None:
    s.delete(row)
    s.flush()


def set_failed_logins(
    s: Session, staff_id: int, failed: int, locked_until: datetime | None
) -> None:
    values: dict[str, Any] = {"failed_logins": failed}
    if locked_until is not None:
        values["locked_until"] = locked_until
    s.execute(update(t.Staff).where(col(t.Staff.id) == staff_id).values(**values))


def clear_failed_logins(s: Session, staff_id: int) -> None:
    s.execute(
        update(t.Staff)
        .where(col(t.Staff.id) == staff_id)
        .values(failed_logins=0, locked_until=None)
    )


def set_password(s: Session, staff_id: int, password_hash: str) -> None:
    s.execute(
        update(t.Staff)
        .where(col(t.Staff.id) == staff_id)
        .values(password_hash=password_hash, must_change_password=False)
    )
