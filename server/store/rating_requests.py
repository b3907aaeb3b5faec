"""Rating requests: one per service (ticket), moved through server/domain/rating.py."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from server.domain.rating import RatingStatus

from . import tables as t


def add(s: Session, row: t.RatingRequest) -> t.RatingRequest:
    s.add(row)
    s.flush()
    return row


def move(s: Session, request_id: int, *, sources: Iterable[str], to: str, **values: Any) -> bool:
    """Set the request's status to ``to`` if it is still in one of ``sources`` (another
    transaction may have moved it since it was read); False if it was not."""
    done = s.execute(
        update(t.RatingRequest)
        .where(
            col(t.RatingRequest.id) == request_id, col(t.RatingRequest.status).in_(list(sources))
        )
        .values(status=to, **values)
    )
    return bool(done.rowcount == 1)  # type: ignore[attr-defined]


def of_ticket(s: Session, ticket_id: int | None) -> t.RatingRequest | None:
    return s.exec(select(t.RatingRequest).where(t.RatingRequest.ticket_id == ticket_id)).first()


def open_at_window(s: Session, hall_id: int, window_id: int) -> list[t.RatingRequest]:
    """The window's open requests, newest first."""
    return list(
        s.exec(
            select(t.RatingRequest)
            .where(
                t.RatingRequest.hall_id == hall_id,
                t.RatingRequest.status == RatingStatus.OPEN.value,
                t.RatingRequest.window_id == window_id,
            )
            .order_by(col(t.RatingRequest.opened_at).desc(), col(t.RatingRequest.id).desc())
        )
    )


def last_of_window_day(
    s: Session, hall_id: int, window_id: int, day: date
) -> t.RatingRequest | None:
    """The window's newest request of the day, whatever its state."""
    return s.exec(
        select(t.RatingRequest)
        .where(
            t.RatingRequest.hall_id == hall_id,
            t.RatingRequest.window_id == window_id,
            t.RatingRequest.business_day == day,
        )
        .order_by(col(t.RatingRequest.opened_at).desc(), col(t.RatingRequest.id).desc())
    ).first()


def rated_at_window_since(
    s: Session, hall_id: int, window_id: int, since: datetime
) -> t.RatingRequest | None:
    """The window's request rated last, if it was rated at or after ``since`` (db time)."""
    return s.exec(
        select(t.RatingRequest)
        .where(
            t.RatingRequest.hall_id == hall_id,
            t.RatingRequest.window_id == window_id,
            t.RatingRequest.status == RatingStatus.RATED.value,
            col(t.RatingRequest.closed_at) >= since,
        )
        .order_by(col(t.RatingRequest.closed_at).desc())
    ).first()


def due(s: Session, hall_id: int, now: datetime) -> list[t.RatingRequest]:
    """The hall's open requests whose deadline has come (``now`` in db time)."""
    return list(
        s.exec(
            select(t.RatingRequest).where(
                t.RatingRequest.hall_id == hall_id,
                t.RatingRequest.status == RatingStatus.OPEN.value,
                col(t.RatingRequest.deadline) <= now,
            )
        )
    )


def halls_with_due(s: Session, now: datetime) -> list[int]:
    """Every hall with an open request whose deadline has come, in id order."""
    return sorted(
        s.exec(
            select(t.RatingRequest.hall_id)
            .where(
                t.RatingRequest.status == RatingStatus.OPEN.value,
                col(t.RatingRequest.deadline) <= now,
            )
            .distinct()
        ).all()
    )


def hall_timeouts(s: Session) -> list[int]:
    """The rating timeouts halls set for themselves (those that set none are left out)."""
    return [v for v in s.exec(select(t.Hall.rating_timeout_seconds)).all() if v is not None]
