"""Staff, their sign-in tokens, and devices with their tokens. Only hashes of tokens are
stored; hashing is the caller's (services/accounts.py)."""

from __future__ import annotations

from datetime import datetime

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
