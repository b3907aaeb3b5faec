"""Queues and the rules read from their rows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time
from typing import Any

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from server.domain.errors import DomainError
from server.domain.model import QueueRules

from . import tables as t


def queues(s: Session, hall_id: int) -> list[t.Queue]:
    return list(
        s.exec(
            select(t.Queue)
            .where(t.Queue.hall_id == hall_id)
            .order_by(col(t.Queue.sort), col(t.Queue.code))
        )
    )


def queue_by_code(s: Session, hall_id: int, code: str) -> t.Queue:
    q = s.exec(select(t.Queue).where(t.Queue.hall_id == hall_id, t.Queue.code == code)).first()
    if q is None:
        raise DomainError("QUEUE_NOT_FOUND", queue=code)
    return q


def queue_row(s: Session, queue_id: int | None) -> t.Queue | None:
    return s.get(t.Queue, queue_id) if queue_id is not None else None


def parse_hours(spans: Sequence[str]) -> tuple[tuple[time, time], ...]:
    out = []
    for span in spans:
        a, b = span.split("-")
        out.append((time.fromisoformat(a), time.fromisoformat(b)))
    return tuple(out) or ((time(0, 0), time(23, 59, 59)),)


def rules_of(q: t.Queue) -> QueueRules:
    return QueueRules(
        prefix=q.prefix,
        start_number=q.start_number,
        width=q.width,
        daily_cap=q.daily_cap,
        issue_hours=parse_hours(q.issue_hours),
        active=q.active,
    )


def queue_uses(s: Session, queue_id: int, day: date) -> dict[str, int]:
    """What still points at the queue: today's waiting and served tickets, service
    items, windows; and any ticket at all (the history a removal would break)."""
    today = (
        select(t.Ticket.status, func.count())
        .where(t.Ticket.queue_id == queue_id, t.Ticket.business_day == day)
        .group_by(col(t.Ticket.status))
    )
    by_status = {str(status): int(n) for status, n in s.execute(today)}
    return {
        "waiting": sum(by_status.get(k, 0) for k in ("waiting", "held")),
        "serving": sum(by_status.get(k, 0) for k in ("called", "serving")),
        "items": _count(s, select(func.count()).where(t.ServiceItem.queue_id == queue_id)),
        "windows": _count(s, select(func.count()).where(t.WindowQueue.queue_id == queue_id)),
        "history": _count(s, select(func.count()).where(t.Ticket.queue_id == queue_id))
        + _count(s, select(func.count()).where(t.RatingRequest.queue_id == queue_id)),
    }


def _count(s: Session, statement: Any) -> int:
    return int(s.execute(statement).scalar_one())


def add_queue(s: Session, row: t.Queue) -> t.Queue:
    s.add(row)
    s.flush()
    return row


def save_queue(s: Session, row: t.Queue, values: dict[str, Any]) -> t.Queue:
    """The row with ``values`` and its version bumped."""
    for key, value in values.items():
        setattr(row, key, value)
    row.version += 1
    s.add(row)
    s.flush()
    return row


def delete_queue(s: Session, row: t.Queue) -> None:
    s.execute(delete(t.TicketCounter).where(col(t.TicketCounter.queue_id) == row.id))
    s.delete(row)
    s.flush()
