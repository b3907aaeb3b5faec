"""Cases (办件), their steps and the yearly receipt counter."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from . import tables as t
from .upsert import insert


def next_seq(s: Session, hall_id: int, year: int) -> int:
    """The hall's next case number of ``year``, taken in this transaction (concurrent
    takers each get their own)."""
    table = t.CaseSeq.__table__  # type: ignore[attr-defined]
    stmt = insert(s, table).values(hall_id=hall_id, year=year, value=1)
    upsert = stmt.on_conflict_do_update(
        index_elements=["hall_id", "year"], set_={"value": table.c.value + 1}
    ).returning(table.c.value)
    return int(s.execute(upsert).scalar_one())


def add_case(s: Session, row: t.CaseFile) -> t.CaseFile:
    s.add(row)
    s.flush()
    return row


def add_steps(s: Session, rows: Sequence[t.CaseStep]) -> None:
    s.add_all(rows)
    s.flush()


def case_by_receipt(s: Session, hall_id: int, receipt_no: str) -> t.CaseFile | None:
    return s.exec(
        select(t.CaseFile).where(t.CaseFile.hall_id == hall_id, t.CaseFile.receipt_no == receipt_no)
    ).first()


def case_for_update(s: Session, case_id: int) -> t.CaseFile | None:
    """The case, locked until the transaction ends (PostgreSQL: FOR UPDATE)."""
    return s.exec(select(t.CaseFile).where(t.CaseFile.id == case_id).with_for_update()).first()


def save_case(s: Session, row: t.CaseFile) -> t.CaseFile:
    row.version += 1
    s.add(row)
    s.flush()
    return row


def sub_cases(s: Session, lead_id: int) -> list[t.CaseFile]:
    return list(
        s.exec(select(t.CaseFile).where(t.CaseFile.lead_id == lead_id).order_by(col(t.CaseFile.id)))
    )


def steps_of(s: Session, case_id: int) -> list[t.CaseStep]:
    return list(
        s.exec(select(t.CaseStep).where(t.CaseStep.case_id == case_id).order_by(col(t.CaseStep.id)))
    )


def cases_in_states(
    s: Session,
    hall_id: int,
    states: Sequence[str],
    *,
    department_id: int | None = None,
    limit: int = 500,
) -> list[t.CaseFile]:
    """The hall's cases in these states, oldest receipt first."""
    query = select(t.CaseFile).where(
        t.CaseFile.hall_id == hall_id, col(t.CaseFile.state).in_(list(states))
    )
    if department_id is not None:
        query = query.where(t.CaseFile.department_id == department_id)
    return list(
        s.exec(query.order_by(col(t.CaseFile.received_at), col(t.CaseFile.id)).limit(limit))
    )


def item_has_cases(s: Session, item_id: int) -> bool:
    return (
        s.exec(select(t.CaseFile.id).where(t.CaseFile.item_id == item_id).limit(1)).first()
        is not None
    )
