"""What issuing remembers besides the ticket: the hall's key for ID hashes, the
kiosk's request keys (Idempotency-Key), and the per-person counts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlmodel import Session, col, func, select

from . import tables as t
from .db import to_db_time
from .upsert import insert


def hall_secret(s: Session, hall_id: int) -> t.HallSecret | None:
    return s.get(t.HallSecret, hall_id)


def add_hall_secret_if_missing(s: Session, hall_id: int, key: str) -> t.HallSecret:
    """The hall's key, created with ``key`` if it has none (concurrent creators agree)."""
    s.execute(
        insert(s, t.HallSecret)
        .values(hall_id=hall_id, identity_key=key)
        .on_conflict_do_nothing(index_elements=["hall_id"])
    )
    row = s.get(t.HallSecret, hall_id)
    assert row is not None
    return row


def by_key(s: Session, hall_id: int, key: str) -> t.TicketRequest | None:
    return s.exec(
        select(t.TicketRequest).where(
            t.TicketRequest.hall_id == hall_id, t.TicketRequest.key == key
        )
    ).first()


def remember(
    s: Session,
    *,
    hall_id: int,
    key: str,
    device_id: int | None,
    fingerprint: str,
    ticket_id: int,
    now: datetime,
) -> bool:
    """Record the request; False if one with the same key committed first."""
    stmt = (
        insert(s, t.TicketRequest)
        .values(
            hall_id=hall_id,
            key=key,
            device_id=device_id,
            fingerprint=fingerprint,
            ticket_id=ticket_id,
            created_at=to_db_time(now),
        )
        .on_conflict_do_nothing(index_elements=["hall_id", "key"])
        .returning(t.TicketRequest.__table__.c.id)  # type: ignore[attr-defined]
    )
    return s.execute(stmt).first() is not None


def person_counts(
    s: Session, *, hall_id: int, day: date, id_hash: str, queue_id: int, waiting: Iterable[str]
) -> tuple[int, bool]:
    """(tickets this person took today, whether one is still waiting in this queue)."""
    mine = select(func.count()).where(
        t.Ticket.hall_id == hall_id, t.Ticket.business_day == day, t.Ticket.id_hash == id_hash
    )
    waiting_here = mine.where(t.Ticket.queue_id == queue_id, col(t.Ticket.status).in_(waiting))
    return s.exec(mine).one(), s.exec(waiting_here).one() > 0
