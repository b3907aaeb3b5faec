"""The hall's change sequence, and the NOTIFY that carries committed events to other
hub processes (PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import text
from sqlmodel import Session, col, select

from . import tables as t
from .upsert import insert


def bump(s: Session, hall_id: int, n: int) -> int:
    """Add n to the hall's sequence in this transaction; returns the new last value."""
    table = t.HallSeq.__table__  # type: ignore[attr-defined]
    stmt = insert(s, table).values(hall_id=hall_id, seq=n)
    upsert = stmt.on_conflict_do_update(
        index_elements=["hall_id"], set_={"seq": table.c.seq + n}
    ).returning(table.c.seq)
    return int(s.execute(upsert).scalar_one())


def current(s: Session, hall_id: int) -> int:
    row = s.get(t.HallSeq, hall_id)
    return int(row.seq) if row else 0


def current_of_halls(s: Session, hall_ids: Iterable[int]) -> dict[int, int]:
    """Each hall's last sequence number; a hall that never changed is left out."""
    rows = s.exec(select(t.HallSeq).where(col(t.HallSeq.hall_id).in_(list(hall_ids))))
    return {r.hall_id: int(r.seq) for r in rows}


def can_notify(s: Session) -> bool:
    return bool(s.get_bind().dialect.name == "postgresql")


def notify(s: Session, channel: str, payloads: list[str]) -> None:
    """Send the payloads on ``channel`` at commit, in order, in one round trip (a
    call-next sends three or four): the select list is evaluated left to right and
    NOTIFY keeps the order they were sent."""
    params: dict[str, str] = {"channel": channel}
    params.update({f"p{i}": p for i, p in enumerate(payloads)})
    calls = ", ".join(f"pg_notify(:channel, :p{i})" for i in range(len(payloads)))
    s.execute(text(f"SELECT {calls}"), params)
