"""Halls: their rows, calendars and queueing policies."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlmodel import Session, col, select

from server.domain.calendar import HallCalendar
from server.domain.errors import DomainError
from server.domain.model import Policy, PriorityClass

from . import tables as t


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


def calendar_of(hall: t.Hall) -> HallCalendar:
    return HallCalendar(
        timezone=hall.timezone,
        open_weekdays=frozenset(int(c) for c in hall.open_weekdays),
        closed_dates=frozenset(date.fromisoformat(d) for d in hall.closed_dates),
        open_dates=frozenset(date.fromisoformat(d) for d in hall.open_dates),
    )


def policy_of(hall: t.Hall) -> Policy:
    weights = Policy().class_weights | {PriorityClass(k): v for k, v in hall.class_weights.items()}
    return Policy(
        class_weights=weights,
        recall_limit=hall.recall_limit,
        no_show_reactivate_minutes=hall.no_show_reactivate_minutes,
    )
