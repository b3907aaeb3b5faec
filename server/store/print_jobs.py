"""Print jobs: the printer queue is this table."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, select

from . import tables as t


def add(s: Session, row: t.PrintJob) -> t.PrintJob:
    s.add(row)
    # Written now: a crash before commit undoes it with the rest of the transaction.
    s.flush()
    return row


def save(s: Session, row: t.PrintJob) -> None:
    s.add(row)
    s.flush()


def by_id(s: Session, job_id: str) -> t.PrintJob | None:
    return s.get(t.PrintJob, job_id)


def latest_of_ticket(s: Session, ticket_id: int) -> t.PrintJob | None:
    return s.exec(
        select(t.PrintJob)
        .where(t.PrintJob.ticket_id == ticket_id)
        .order_by(col(t.PrintJob.created_at).desc())
    ).first()


def oldest_in_states(
    s: Session,
    hall_id: int,
    states: Iterable[str],
    *,
    printer_ids: Iterable[str] | None = None,
    limit: int | None = None,
) -> list[t.PrintJob]:
    """Jobs of the hall in these states (of these printers), oldest first."""
    query = select(t.PrintJob).where(
        t.PrintJob.hall_id == hall_id, col(t.PrintJob.state).in_(list(states))
    )
    if printer_ids is not None:
        query = query.where(col(t.PrintJob.printer_id).in_(list(printer_ids)))
    query = query.order_by(col(t.PrintJob.created_at))
    if limit is not None:
        query = query.limit(limit)
    return list(s.exec(query).all())


def ticket_of(s: Session, row: t.PrintJob) -> t.Ticket | None:
    return s.get(t.Ticket, row.ticket_id) if row.ticket_id is not None else None
