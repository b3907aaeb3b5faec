"""Every query the services need. Rows in, domain objects out, and back."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time

from sqlalchemy import delete, func, text, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from server.domain.calendar import HallCalendar
from server.domain.errors import DomainError
from server.domain.model import (
    Event,
    EventKind,
    Policy,
    PriorityClass,
    QueueRules,
    TicketStatus,
)
from server.domain.model import Ticket as DTicket
from server.domain.model import Window as DWindow
from server.domain.model import WindowQueue as DWindowQueue

from . import tables as t
from .db import ConcurrentUpdate
from .upsert import insert


def to_db_time(moment: datetime) -> datetime:
    """Columns are timezone-aware (SQLModel's UTCDateTime): always hand them UTC."""
    return moment.astimezone(UTC)


def from_db_time(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _must(moment: datetime | None) -> datetime:
    out = from_db_time(moment)
    assert out is not None
    return out


# ---- halls -------------------------------------------------------------------------


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


# ---- queues, items, windows ----------------------------------------------------------


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


def service_item_by_code(s: Session, hall_id: int, code: str) -> t.ServiceItem:
    item = s.exec(
        select(t.ServiceItem).where(t.ServiceItem.hall_id == hall_id, t.ServiceItem.code == code)
    ).first()
    if item is None or not item.active:
        raise DomainError("SERVICE_ITEM_NOT_FOUND", item=code)
    return item


def window_rows(s: Session, hall_id: int) -> list[t.Window]:
    return list(
        s.exec(select(t.Window).where(t.Window.hall_id == hall_id).order_by(col(t.Window.number)))
    )


def window_row(s: Session, hall_id: int, number: int) -> t.Window:
    w = s.exec(
        select(t.Window).where(t.Window.hall_id == hall_id, t.Window.number == number)
    ).first()
    if w is None:
        raise DomainError("WINDOW_NOT_FOUND", window=number)
    return w


def window_rows_by_ids(s: Session, window_ids: Iterable[int]) -> list[t.Window]:
    return list(s.exec(select(t.Window).where(col(t.Window.id).in_(list(window_ids)))))


def window_queue_rows(s: Session, hall_id: int) -> list[t.WindowQueue]:
    return list(
        s.exec(
            select(t.WindowQueue)
            .join(t.Window, col(t.Window.id) == col(t.WindowQueue.window_id))
            .where(t.Window.hall_id == hall_id)
            .order_by(col(t.WindowQueue.window_id), col(t.WindowQueue.position))
        )
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


def window_row_by_id(s: Session, window_id: int | None) -> t.Window | None:
    return s.get(t.Window, window_id) if window_id else None


def remove_window_queues(s: Session, window_id: int) -> None:
    s.execute(delete(t.WindowQueue).where(col(t.WindowQueue.window_id) == window_id))


def seat_clerk(s: Session, window_id: int, clerk_id: int) -> None:
    s.execute(
        update(t.Window)
        .where(col(t.Window.id) == window_id)
        .values(clerk_id=clerk_id, version=t.Window.version + 1)
    )


def unseat_clerk_elsewhere(s: Session, clerk_id: int, window_id: int) -> None:
    """Sign the clerk out of every window but ``window_id``."""
    s.execute(
        update(t.Window)
        .where(col(t.Window.clerk_id) == clerk_id, col(t.Window.id) != window_id)
        .values(clerk_id=None, version=t.Window.version + 1)
    )


def unseat_clerk(s: Session, window_id: int, *, clerk_id: int | None = None) -> None:
    """Nobody at the window; with ``clerk_id``, only if that clerk is the one there."""
    where = [col(t.Window.id) == window_id]
    if clerk_id is not None:
        where.append(col(t.Window.clerk_id) == clerk_id)
    s.execute(update(t.Window).where(*where).values(clerk_id=None, version=t.Window.version + 1))


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
            issued_at=_must(row.issued_at),
            rank_at=_must(row.rank_at),
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


class Windows:
    def __init__(self, s: Session, hall_id: int) -> None:
        self.s = s
        self.hall_id = hall_id
        self._versions: dict[int, int] = {}
        self.rows: dict[int, t.Window] = {}

    def _queues(self, window_id: int) -> list[DWindowQueue]:
        rows = self.s.exec(
            select(t.WindowQueue)
            .where(t.WindowQueue.window_id == window_id)
            .order_by(col(t.WindowQueue.position))
        )
        return [DWindowQueue(queue_id=r.queue_id, weight=r.weight) for r in rows]

    def _to_domain(self, row: t.Window) -> DWindow:
        assert row.id is not None
        self._versions[row.id] = row.version
        self.rows[row.id] = row
        state = row.selection_state or {}
        return DWindow(
            id=row.id,
            number=row.number,
            queues=self._queues(row.id),
            paused=row.paused,
            pause_reason=row.pause_reason,
            current_ticket_id=row.current_ticket_id,
            class_credits=dict(state.get("class", {})),
            queue_credits=dict(state.get("queue", {})),
        )

    def by_number(self, number: int) -> DWindow:
        return self._to_domain(window_row(self.s, self.hall_id, number))

    def by_id(self, window_id: int) -> DWindow:
        row = self.s.get(t.Window, window_id)
        if row is None or row.hall_id != self.hall_id:
            raise DomainError("WINDOW_NOT_FOUND", window=window_id)
        return self._to_domain(row)

    def all(self) -> list[DWindow]:
        return [self._to_domain(r) for r in window_rows(self.s, self.hall_id)]

    def save(self, window: DWindow) -> None:
        version = self._versions[window.id]
        result = self.s.execute(
            update(t.Window)
            .where(col(t.Window.id) == window.id, col(t.Window.version) == version)
            .values(
                paused=window.paused,
                pause_reason=window.pause_reason,
                current_ticket_id=window.current_ticket_id,
                selection_state={"class": window.class_credits, "queue": window.queue_credits},
                version=version + 1,
            )
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise ConcurrentUpdate(f"window {window.id}")
        self._versions[window.id] = version + 1


# ---- serialising window commands -------------------------------------------------------

_WINDOW_LOCK_SPACE = 0x48414C4C  # "HALL": keeps our advisory keys apart from anyone else's


def lock_hall_windows(s: Session, hall_id: int) -> None:
    """Serialise the commands that move tickets between windows in one hall.

    On PostgreSQL a transaction-scoped advisory lock per hall: one lock, always taken
    first, so no deadlock (row-level FOR UPDATE on tickets deadlocked under load), and
    no storm of version-check retries when many windows call at once. Halls do not
    wait for each other. SQLite already runs one writer at a time (BEGIN IMMEDIATE).
    The version checks in save() stay as the second line of defence.
    """
    if s.get_bind().dialect.name == "postgresql":
        s.execute(
            text("SELECT pg_advisory_xact_lock(:space, :hall)"),
            {"space": _WINDOW_LOCK_SPACE, "hall": hall_id},
        )


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


# ---- numbering ------------------------------------------------------------------------


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


# ---- events ---------------------------------------------------------------------------


def _event_of(r: t.TicketEvent) -> Event:
    return Event(
        kind=EventKind(r.kind),
        at=_must(r.at),
        ticket_id=r.ticket_id,
        window_id=r.window_id,
        clerk_id=r.clerk_id,
        data=r.data,
    )


def append_events(
    s: Session, hall_id: int, day: date, events: Iterable[Event]
) -> list[t.TicketEvent]:
    rows = [
        t.TicketEvent(
            hall_id=hall_id,
            business_day=day,
            ticket_id=e.ticket_id,
            window_id=e.window_id,
            clerk_id=e.clerk_id,
            kind=e.kind.value,
            at=to_db_time(e.at),
            data=e.data,
        )
        for e in events
    ]
    s.add_all(rows)
    s.flush()
    return rows


def events_of_day(s: Session, hall_id: int, day: date) -> list[Event]:
    rows = s.exec(
        select(t.TicketEvent)
        .where(t.TicketEvent.hall_id == hall_id, t.TicketEvent.business_day == day)
        .order_by(col(t.TicketEvent.id))
    )
    return [_event_of(r) for r in rows]


def events_at_window(
    s: Session, hall_id: int, day: date, window_id: int, ticket_ids: Iterable[int]
) -> list[Event]:
    """A window's own events of the day, plus all events of the given tickets."""
    ids = [i for i in ticket_ids if i is not None]
    cond = col(t.TicketEvent.window_id) == window_id
    if ids:
        cond = cond | col(t.TicketEvent.ticket_id).in_(ids)
    rows = s.exec(
        select(t.TicketEvent)
        .where(t.TicketEvent.hall_id == hall_id, t.TicketEvent.business_day == day, cond)
        .order_by(col(t.TicketEvent.id))
    )
    return [_event_of(r) for r in rows]


def latest_calls(
    s: Session, hall_id: int, day: date, *, kinds: Iterable[str], limit: int
) -> list[tuple[t.TicketEvent, t.Ticket, t.Window]]:
    """The day's last ``limit`` events of these kinds, newest first, each with its ticket
    and its window."""
    return list(
        s.exec(
            select(t.TicketEvent, t.Ticket, t.Window)
            .join(t.Ticket, col(t.Ticket.id) == col(t.TicketEvent.ticket_id))
            .join(t.Window, col(t.Window.id) == col(t.TicketEvent.window_id))
            .where(
                t.TicketEvent.hall_id == hall_id,
                t.TicketEvent.business_day == day,
                col(t.TicketEvent.kind).in_(list(kinds)),
            )
            .order_by(col(t.TicketEvent.id).desc())
            .limit(limit)
        ).all()
    )


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


def recent_service_events(
    s: Session, hall_id: int, day: date, queue_id: int, n: int
) -> list[Event]:
    """Events of the last ``n`` tickets of a queue finished today, for the wait estimate."""
    finished_ids = list(
        s.exec(
            select(t.TicketEvent.ticket_id)
            .join(t.Ticket, col(t.Ticket.id) == col(t.TicketEvent.ticket_id))
            .where(
                t.TicketEvent.hall_id == hall_id,
                t.TicketEvent.business_day == day,
                t.TicketEvent.kind == EventKind.FINISHED.value,
                t.Ticket.queue_id == queue_id,
            )
            .order_by(col(t.TicketEvent.id).desc())
            .limit(n)
        )
    )
    if not finished_ids:
        return []
    rows = s.exec(
        select(t.TicketEvent)
        .where(col(t.TicketEvent.ticket_id).in_(finished_ids))
        .order_by(col(t.TicketEvent.id))
    )
    return [_event_of(r) for r in rows]


def open_window_ids_by_queue(s: Session, hall_id: int) -> dict[int, list[int]]:
    """Queue id -> windows serving it that are staffed and not paused."""
    rows = s.execute(
        select(t.WindowQueue.queue_id, t.Window.id)
        .join(t.Window, col(t.Window.id) == col(t.WindowQueue.window_id))
        .where(
            t.Window.hall_id == hall_id,
            col(t.Window.clerk_id).is_not(None),
            col(t.Window.paused).is_(False),
            col(t.Window.active).is_(True),
        )
    )
    out: dict[int, list[int]] = {}
    for queue_id, window_id in rows:
        out.setdefault(int(queue_id), []).append(int(window_id))
    return out


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


def staff_row(s: Session, staff_id: int | None) -> t.Staff | None:
    return s.get(t.Staff, staff_id) if staff_id else None


def service_item_names(s: Session, hall_id: int) -> dict[int, str]:
    rows = s.exec(select(t.ServiceItem).where(t.ServiceItem.hall_id == hall_id))
    return {i.id: i.name for i in rows if i.id is not None}
