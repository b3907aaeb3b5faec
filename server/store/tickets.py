"""Tickets: numbering, loading and saving them, and counts over a day."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from sqlalchemy import func, text, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from server.domain.errors import DomainError
from server.domain.model import PriorityClass, TicketStatus
from server.domain.model import Ticket as DTicket

from . import tables as t
from .db import ConcurrentUpdate, db_time, from_db_time, to_db_time
from .upsert import insert


class Tickets:
    """Tickets as domain objects, saved back with a version check."""

    def __init__(self, s: Session, hall_id: int) -> None:
        self.s = s
        self.hall_id = hall_id
        self._versions: dict[int, int] = {}
        self._loaded: dict[int, tuple[DTicket, DTicket]] = {}

    def _to_domain(self, row: t.Ticket) -> DTicket:
        assert row.id is not None
        if row.id in self._loaded:
            return self._loaded[row.id][0]
        self._versions[row.id] = row.version
        ticket = DTicket(
            id=row.id,
            queue_id=row.queue_id,
            code=row.code,
            number=row.number,
            priority=PriorityClass(row.priority),
            status=TicketStatus(row.status),
            business_day=row.business_day,
            issued_at=db_time(row.issued_at),
            rank_at=db_time(row.rank_at),
            window_id=row.window_id,
            target_window_id=row.target_window_id,
            recall_count=row.recall_count,
            no_show_at=from_db_time(row.no_show_at),
            service_item_id=row.service_item_id,
        )
        self._loaded[row.id] = (ticket, replace(ticket))
        return ticket

    def save_changed(self) -> None:
        """Write back every loaded ticket the engine changed."""
        for ticket, original in self._loaded.values():
            if ticket != original:
                self.save(ticket)

    def get(self, ticket_id: int) -> DTicket:
        row = self.s.get(t.Ticket, ticket_id)
        if row is None or row.hall_id != self.hall_id:
            raise DomainError("TICKET_NOT_FOUND", ticket=ticket_id)
        return self._to_domain(row)

    def by_code(self, day: date, code: str) -> DTicket:
        row = self.s.exec(
            select(t.Ticket).where(
                t.Ticket.hall_id == self.hall_id,
                t.Ticket.business_day == day,
                t.Ticket.code == code.upper(),
            )
        ).first()
        if row is None:
            raise DomainError("TICKET_NOT_FOUND", ticket=code)
        return self._to_domain(row)

    def waiting(self, day: date, queue_ids: Iterable[int]) -> list[DTicket]:
        rows = self.s.exec(
            select(t.Ticket).where(
                t.Ticket.hall_id == self.hall_id,
                t.Ticket.business_day == day,
                t.Ticket.status == TicketStatus.WAITING.value,
                col(t.Ticket.queue_id).in_(list(queue_ids)),
            )
        )
        return [self._to_domain(r) for r in rows]

    def waiting_heads(self, day: date, queue_ids: Iterable[int], window_id: int) -> list[DTicket]:
        """The only waiting tickets selection can pick for a window: the first of each
        (queue, class) the window may receive, and the first transferred to the window.

        Selection takes the earliest ticket of the (class, queue) it chooses, so loading
        the heads alone gives the same pick as loading the whole queue, at a cost that
        does not grow with the number of people waiting.
        """
        qids = list(queue_ids)
        if not qids:
            return []
        tk = t.Ticket.__table__  # type: ignore[attr-defined]
        base = [
            tk.c.hall_id == self.hall_id,
            tk.c.business_day == day,
            tk.c.status == TicketStatus.WAITING.value,
            tk.c.queue_id.in_(qids),
        ]
        order = (tk.c.rank_at, tk.c.number, tk.c.id)
        ranked = (
            sa_select(
                tk.c.id,
                func.row_number()
                .over(partition_by=(tk.c.queue_id, tk.c.priority), order_by=order)
                .label("rn"),
            )
            .where(*base, (tk.c.target_window_id.is_(None)) | (tk.c.target_window_id == window_id))
            .subquery()
        )
        ids = set(self.s.execute(sa_select(ranked.c.id).where(ranked.c.rn == 1)).scalars())
        targeted = (
            self.s.execute(
                sa_select(tk.c.id).where(*base, tk.c.target_window_id == window_id).order_by(*order)
            )
            .scalars()
            .first()
        )
        if targeted is not None:
            ids.add(targeted)
        if not ids:
            return []
        rows = self.s.exec(select(t.Ticket).where(col(t.Ticket.id).in_(ids)))
        return [self._to_domain(r) for r in rows]

    def open_before(self, day: date) -> list[DTicket]:
        rows = self.s.exec(
            select(t.Ticket).where(
                t.Ticket.hall_id == self.hall_id,
                t.Ticket.business_day < day,
                col(t.Ticket.status).in_([s.value for s in TicketStatus if s.value in _OPEN]),
            )
        )
        return [self._to_domain(r) for r in rows]

    def save(self, ticket: DTicket) -> None:
        version = self._versions[ticket.id]
        result = self.s.execute(
            update(t.Ticket)
            .where(col(t.Ticket.id) == ticket.id, col(t.Ticket.version) == version)
            .values(
                queue_id=ticket.queue_id,
                status=ticket.status.value,
                rank_at=to_db_time(ticket.rank_at),
                window_id=ticket.window_id,
                target_window_id=ticket.target_window_id,
                recall_count=ticket.recall_count,
                no_show_at=to_db_time(ticket.no_show_at) if ticket.no_show_at else None,
                version=version + 1,
            )
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise ConcurrentUpdate(f"ticket {ticket.id}")
        self._versions[ticket.id] = version + 1
        self._loaded[ticket.id] = (ticket, replace(ticket))


_OPEN = {"waiting", "called", "serving", "held", "no_show"}


_PERSON_LOCK_SPACE = 0x50455253  # "PERS"


def lock_person(s: Session, id_hash: str) -> None:
    """Serialise the tickets one person takes on one day, whatever the queue.

    The per-person limits count that person's tickets of the day; two kiosks issuing to
    the same ID in different queues at the same instant would each count the other's
    ticket as not there yet (READ COMMITTED). A transaction-scoped advisory lock keyed
    by the day's ID hash makes the second wait for the first to commit. SQLite already
    runs one writer at a time.
    """
    if s.get_bind().dialect.name == "postgresql":
        key = int(id_hash[:8], 16) >> 1
        s.execute(
            text("SELECT pg_advisory_xact_lock(:space, :key)"),
            {"space": _PERSON_LOCK_SPACE, "key": key},
        )


def next_seq(s: Session, hall_id: int, queue_id: int, day: date) -> int:
    """Increment this (hall, queue, day) counter inside the caller's transaction.

    The row stays locked until commit, and a rollback undoes the increment, so numbers
    are neither duplicated nor skipped (unlike max+1 or a database sequence).
    """
    stmt = insert(s, t.TicketCounter).values(
        hall_id=hall_id, queue_id=queue_id, business_day=day, value=1
    )
    upsert = stmt.on_conflict_do_update(
        index_elements=["hall_id", "queue_id", "business_day"],
        set_={"value": t.TicketCounter.__table__.c.value + 1},  # type: ignore[attr-defined]
    ).returning(t.TicketCounter.__table__.c.value)  # type: ignore[attr-defined]
    value = s.execute(upsert).scalar_one()
    return int(value)


def insert_ticket(s: Session, row: t.Ticket) -> t.Ticket:
    s.add(row)
    s.flush()
    return row


def people_ahead(s: Session, hall_id: int, ticket: DTicket) -> int:
    return int(
        s.execute(
            select(func.count())
            .select_from(t.Ticket)
            .where(
                t.Ticket.hall_id == hall_id,
                t.Ticket.business_day == ticket.business_day,
                t.Ticket.queue_id == ticket.queue_id,
                t.Ticket.status == TicketStatus.WAITING.value,
                col(t.Ticket.id) != ticket.id,
                (col(t.Ticket.rank_at) < to_db_time(ticket.rank_at))
                | (
                    (col(t.Ticket.rank_at) == to_db_time(ticket.rank_at))
                    & (col(t.Ticket.number) < ticket.number)
                ),
            )
        ).scalar_one()
    )


def ticket_by_token(s: Session, token: str) -> t.Ticket | None:
    return s.exec(select(t.Ticket).where(t.Ticket.token == token)).first()


def tickets_of_day(s: Session, hall_id: int, day: date) -> list[t.Ticket]:
    return list(
        s.exec(select(t.Ticket).where(t.Ticket.hall_id == hall_id, t.Ticket.business_day == day))
    )


def tickets_by_ids(s: Session, ids: Iterable[int]) -> dict[int, t.Ticket]:
    wanted = set(ids)
    if not wanted:
        return {}
    rows = s.exec(select(t.Ticket).where(col(t.Ticket.id).in_(wanted)))
    return {tk.id: tk for tk in rows if tk.id is not None}


def ticket_codes(s: Session, ids: Iterable[int]) -> dict[int, str]:
    rows = s.exec(select(t.Ticket.id, t.Ticket.code).where(col(t.Ticket.id).in_(list(ids))))
    return {i: code for i, code in rows if i is not None}


def issued_today(s: Session, hall_id: int, day: date) -> dict[int, int]:
    rows = s.exec(
        select(t.TicketCounter).where(
            t.TicketCounter.hall_id == hall_id, t.TicketCounter.business_day == day
        )
    )
    return {r.queue_id: r.value for r in rows}


def ticket_counts_by_item(s: Session, hall_id: int, *, after: date) -> dict[int, int]:
    """Service item id -> tickets issued for it on the business days after ``after``."""
    rows = s.exec(
        select(t.Ticket.service_item_id, func.count())
        .where(
            t.Ticket.hall_id == hall_id,
            t.Ticket.business_day > after,
            col(t.Ticket.service_item_id).is_not(None),
        )
        .group_by(col(t.Ticket.service_item_id))
    )
    return {item_id: count for item_id, count in rows if item_id is not None}


def held_at_window(s: Session, hall_id: int, window_id: int, day: date) -> list[t.Ticket]:
    """The tickets of the day held at the window, oldest first."""
    return list(
        s.exec(
            select(t.Ticket)
            .where(
                t.Ticket.hall_id == hall_id,
                t.Ticket.business_day == day,
                t.Ticket.status == TicketStatus.HELD.value,
                t.Ticket.window_id == window_id,
            )
            .order_by(col(t.Ticket.id))
        )
    )


def waiting_for_window(
    s: Session, hall_id: int, day: date, queue_ids: Iterable[int], window_id: int, limit: int
) -> list[t.Ticket]:
    """The first ``limit`` tickets waiting in these queues that this window may call."""
    return list(
        s.exec(
            select(t.Ticket)
            .where(
                t.Ticket.hall_id == hall_id,
                t.Ticket.business_day == day,
                t.Ticket.status == TicketStatus.WAITING.value,
                col(t.Ticket.queue_id).in_(list(queue_ids)),
                (col(t.Ticket.target_window_id).is_(None))
                | (col(t.Ticket.target_window_id) == window_id),
            )
            .order_by(col(t.Ticket.rank_at), col(t.Ticket.number))
            .limit(limit)
        )
    )


def ticket_row(s: Session, ticket_id: int | None) -> t.Ticket | None:
    return s.get(t.Ticket, ticket_id) if ticket_id is not None else None


def waiting_counts(s: Session, hall_id: int, day: date) -> dict[int, int]:
    rows = s.execute(
        select(t.Ticket.queue_id, func.count())
        .where(
            t.Ticket.hall_id == hall_id,
            t.Ticket.business_day == day,
            t.Ticket.status == TicketStatus.WAITING.value,
        )
        .group_by(col(t.Ticket.queue_id))
    )
    return {int(q): int(n) for q, n in rows}


def waiting_counts_by_target(
    s: Session, hall_id: int, day: date
) -> list[tuple[int, int | None, int]]:
    """(queue id, window transferred to or None, count) of the day's waiting tickets."""
    rows = s.exec(
        select(t.Ticket.queue_id, t.Ticket.target_window_id, func.count())
        .where(
            t.Ticket.hall_id == hall_id,
            t.Ticket.business_day == day,
            t.Ticket.status == TicketStatus.WAITING.value,
        )
        .group_by(col(t.Ticket.queue_id), col(t.Ticket.target_window_id))
    ).all()
    return [(int(q), target, int(n)) for q, target, n in rows]
