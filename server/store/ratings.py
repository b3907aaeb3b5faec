"""Ratings and what the day's figures are counted from."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlmodel import Session, col, select

from . import tables as t


def requests_of_day(s: Session, hall_id: int, day: date) -> list[t.RatingRequest]:
    return list(
        s.exec(
            select(t.RatingRequest).where(
                t.RatingRequest.hall_id == hall_id, t.RatingRequest.business_day == day
            )
        )
    )


def ratings_of_day(s: Session, hall_id: int, day: date) -> list[t.Rating]:
    return list(
        s.exec(select(t.Rating).where(t.Rating.hall_id == hall_id, t.Rating.business_day == day))
    )


def counted_of_day(s: Session, hall_id: int, day: date, levels: Iterable[int]) -> list[t.Rating]:
    """The day's counted ratings of these levels, newest first."""
    return list(
        s.exec(
            select(t.Rating)
            .where(
                t.Rating.hall_id == hall_id,
                t.Rating.business_day == day,
                col(t.Rating.accepted).is_(True),
                col(t.Rating.level).in_(sorted(levels)),
            )
            .order_by(col(t.Rating.at).desc(), col(t.Rating.id).desc())
        )
    )


def staff_by_ids(s: Session, ids: Iterable[int | None]) -> dict[int, t.Staff]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = s.exec(select(t.Staff).where(col(t.Staff.id).in_(wanted)))
    return {st.id: st for st in rows if st.id is not None}


def staff(s: Session, staff_id: int | None) -> t.Staff | None:
    return s.get(t.Staff, staff_id) if staff_id else None


def service_item(s: Session, item_id: int | None) -> t.ServiceItem | None:
    return s.get(t.ServiceItem, item_id) if item_id else None


def window_number(s: Session, window_id: int | None) -> int | None:
    if window_id is None:
        return None
    row = s.get(t.Window, window_id)
    return row.number if row else None


def add(s: Session, row: t.Rating) -> t.Rating:
    s.add(row)
    s.flush()
    return row


def counted_level(s: Session, request_id: int | None) -> int | None:
    """The level of the rating counted for the request, if one is."""
    return s.exec(select(t.Rating.level).where(t.Rating.accepted_request_id == request_id)).first()


def ticket(s: Session, ticket_id: int | None) -> t.Ticket | None:
    return s.get(t.Ticket, ticket_id) if ticket_id is not None else None
