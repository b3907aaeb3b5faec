"""Queues and the rules read from their rows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time

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
