"""Halls: their rows, calendars and queueing policies."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlmodel import Session, col, select, update

from server.domain.calendar import HallCalendar, ticket_hours_from_json, week_from_json
from server.domain.errors import DomainError
from server.domain.holidays import HolidayEntry, national_days
from server.domain.model import Policy, PriorityClass

from . import tables as t
from .db import ConcurrentUpdate


def hall_by_code_or_none(s: Session, code: str) -> t.Hall | None:
    return s.exec(select(t.Hall).where(t.Hall.code == code)).first()


def hall_by_code(s: Session, code: str) -> t.Hall:
    hall = hall_by_code_or_none(s, code)
    if hall is None:
        raise DomainError("HALL_NOT_FOUND", hall=code)
    return hall


def hall_by_id(s: Session, hall_id: int) -> t.Hall:
    hall = s.get(t.Hall, hall_id)
    if hall is None:
        raise DomainError("HALL_NOT_FOUND", hall=hall_id)
    return hall


def hall_ids(s: Session) -> list[int]:
    """Every hall's id."""
    return [h.id for h in s.exec(select(t.Hall)) if h.id is not None]


def halls_by_ids(s: Session, hall_ids: Iterable[int]) -> list[t.Hall]:
    return list(s.exec(select(t.Hall).where(col(t.Hall.id).in_(list(hall_ids)))))


def halls(s: Session) -> list[t.Hall]:
    """Every hall of the installation, by code."""
    return list(s.exec(select(t.Hall).order_by(col(t.Hall.code))))


def hall_codes(s: Session) -> list[str]:
    return list(s.exec(select(t.Hall.code).order_by(col(t.Hall.code))))


def calendar_of(hall: t.Hall, national: Sequence[HolidayEntry] = ()) -> HallCalendar:
    """The hall's calendar; ``national``: the national calendar's entries for the dates
    in question (store/holidays.py entries_for), for working-day questions. Business
    days alone need none."""
    holidays, workdays = national_days(national)
    return HallCalendar(
        timezone=hall.timezone,
        office_hours=week_from_json(hall.office_hours),
        ticket_hours=ticket_hours_from_json(hall.ticket_hours),
        closed_dates=frozenset(date.fromisoformat(d) for d in hall.closed_dates),
        open_dates=frozenset(date.fromisoformat(d) for d in hall.open_dates),
        holidays=holidays,
        workdays=workdays,
        closed=hall.closed_at is not None,
    )


def add_hall(s: Session, row: t.Hall) -> t.Hall:
    s.add(row)
    s.flush()
    return row


def save_hall(s: Session, hall: t.Hall, values: dict[str, Any]) -> t.Hall:
    """Write ``values`` to the hall if its version is still the one ``hall`` was read
    at, bumping it; ConcurrentUpdate otherwise (the unit of work retries the command,
    which then finds the new version)."""
    assert hall.id is not None
    result = s.execute(
        update(t.Hall)
        .where(col(t.Hall.id) == hall.id, col(t.Hall.version) == hall.version)
        .values(**values, version=hall.version + 1)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise ConcurrentUpdate(f"hall {hall.id}")
    s.expire(hall)
    return hall_by_id(s, hall.id)


def policy_of(hall: t.Hall) -> Policy:
    weights = Policy().class_weights | {PriorityClass(k): v for k, v in hall.class_weights.items()}
    return Policy(
        class_weights=weights,
        recall_limit=hall.recall_limit,
        no_show_reactivate_minutes=hall.no_show_reactivate_minutes,
    )
