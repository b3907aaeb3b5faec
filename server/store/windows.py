"""Windows, the queues they serve, who sits at them, and the hall's window lock."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, func, text, update
from sqlmodel import Session, col, select

from server.domain.errors import DomainError
from server.domain.model import Window as DWindow
from server.domain.model import WindowQueue as DWindowQueue

from . import tables as t
from .db import ConcurrentUpdate


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


def window_queue_codes(s: Session, window_id: int) -> list[tuple[str, int]]:
    """The queues a window serves, in its order, with their weights."""
    rows = s.execute(
        select(t.Queue.code, t.WindowQueue.weight)
        .join(t.Queue, col(t.Queue.id) == col(t.WindowQueue.queue_id))
        .where(t.WindowQueue.window_id == window_id)
        .order_by(col(t.WindowQueue.position))
    )
    return [(str(code), int(weight)) for code, weight in rows]


def window_uses(s: Session, window_id: int) -> dict[str, int]:
    """What still needs the window: a clerk at it, a ticket being served there, devices
    of it; and tickets, events and ratings that refer to it (its history)."""
    row = s.get(t.Window, window_id)
    assert row is not None

    def count(statement: Any) -> int:
        return int(s.execute(statement).scalar_one())

    history = sum(
        count(select(func.count()).where(column == window_id))
        for column in (
            col(t.Ticket.window_id),
            col(t.Ticket.target_window_id),
            col(t.TicketEvent.window_id),
            col(t.RatingRequest.window_id),
            col(t.Rating.window_id),
        )
    )
    return {
        "clerk": 1 if row.clerk_id is not None else 0,
        "serving": 1 if row.current_ticket_id is not None else 0,
        "devices": count(select(func.count()).where(t.Device.window_id == window_id)),
        "history": history,
    }


def save_window_config(s: Session, row: t.Window, values: dict[str, Any]) -> t.Window:
    """An admin's edit: the settings' version moves, the engine's ``version`` too (a
    window command that read the row before is retried on the new settings)."""
    for key, value in values.items():
        setattr(row, key, value)
    row.config_version += 1
    row.version += 1
    s.add(row)
    s.flush()
    return row


def delete_window(s: Session, row: t.Window) -> None:
    """The window and what only it needs: its queues, the sign-ins that named it."""
    remove_window_queues(s, row.id or 0)
    s.execute(
        update(t.AuthToken)
        .where(col(t.AuthToken.window_id) == row.id)
        .values(window_id=None, revoked=True)
    )
    s.delete(row)
    s.flush()
