"""A hall's departments and service items (with their guides)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, col, func, select, update

from server.domain.errors import DomainError

from . import tables as t
from .db import ConcurrentUpdate

# A ticket the hall still owes a service (store/tickets.py has the same set).
OPEN_STATUSES = ("waiting", "called", "serving", "held", "no_show")


def departments(s: Session, hall_id: int) -> list[t.Department]:
    return list(s.exec(select(t.Department).where(t.Department.hall_id == hall_id)))


def department_row(s: Session, department_id: int | None) -> t.Department | None:
    return s.get(t.Department, department_id) if department_id is not None else None


def active_items(s: Session, hall_id: int) -> list[t.ServiceItem]:
    """The service items a kiosk offers, the hall's hottest first, then in the admin's
    order (sort), then by code."""
    return list(
        s.exec(
            select(t.ServiceItem)
            .where(t.ServiceItem.hall_id == hall_id, col(t.ServiceItem.active).is_(True))
            .order_by(
                col(t.ServiceItem.hot).desc(), col(t.ServiceItem.sort), col(t.ServiceItem.code)
            )
        )
    )


def service_item_by_code(s: Session, hall_id: int, code: str) -> t.ServiceItem:
    item = s.exec(
        select(t.ServiceItem).where(t.ServiceItem.hall_id == hall_id, t.ServiceItem.code == code)
    ).first()
    if item is None or not item.active:
        raise DomainError("SERVICE_ITEM_NOT_FOUND", item=code)
    return item


def service_item_names(s: Session, hall_id: int) -> dict[int, str]:
    rows = s.exec(select(t.ServiceItem).where(t.ServiceItem.hall_id == hall_id))
    return {i.id: i.name for i in rows if i.id is not None}


def service_item_by_id(s: Session, item_id: int) -> t.ServiceItem:
    """An item by its id, whether offered or not (a case keeps its item)."""
    item = s.get(t.ServiceItem, item_id)
    if item is None:
        raise DomainError("SERVICE_ITEM_NOT_FOUND", item=item_id)
    return item


def service_item_by_code_any(s: Session, hall_id: int, code: str) -> t.ServiceItem:
    """An item by its code, whether offered or not (a case keeps its item)."""
    item = s.exec(
        select(t.ServiceItem).where(t.ServiceItem.hall_id == hall_id, t.ServiceItem.code == code)
    ).first()
    if item is None:
        raise DomainError("SERVICE_ITEM_NOT_FOUND", item=code)
    return item


# ---- administration (services/catalogue_admin.py) ---------------------------------------


def department_by_code(s: Session, hall_id: int, code: str) -> t.Department | None:
    return s.exec(
        select(t.Department).where(t.Department.hall_id == hall_id, t.Department.code == code)
    ).first()


def departments_in_order(s: Session, hall_id: int) -> list[t.Department]:
    return list(
        s.exec(
            select(t.Department)
            .where(t.Department.hall_id == hall_id)
            .order_by(col(t.Department.sort), col(t.Department.code))
        )
    )


def item_by_code(s: Session, hall_id: int, code: str) -> t.ServiceItem | None:
    """The item whether 上线 or not (service_item_by_code is the kiosk's: online only)."""
    return s.exec(
        select(t.ServiceItem).where(t.ServiceItem.hall_id == hall_id, t.ServiceItem.code == code)
    ).first()


def items_in_order(s: Session, hall_id: int) -> list[t.ServiceItem]:
    return list(
        s.exec(
            select(t.ServiceItem)
            .where(t.ServiceItem.hall_id == hall_id)
            .order_by(col(t.ServiceItem.sort), col(t.ServiceItem.code))
        )
    )


def item_count_of_department(s: Session, department_id: int) -> int:
    return int(
        s.exec(
            select(func.count())
            .select_from(t.ServiceItem)
            .where(t.ServiceItem.department_id == department_id)
        ).one()
    )


def waiting_for_item(s: Session, item_id: int, day: date) -> int:
    """Tickets for the item still open on ``day`` (waiting, called, in service, held)."""
    return int(
        s.exec(
            select(func.count())
            .select_from(t.Ticket)
            .where(
                t.Ticket.service_item_id == item_id,
                t.Ticket.business_day == day,
                col(t.Ticket.status).in_(OPEN_STATUSES),
            )
        ).one()
    )


def item_has_tickets(s: Session, item_id: int) -> bool:
    row = s.exec(select(t.Ticket.id).where(t.Ticket.service_item_id == item_id).limit(1)).first()
    return row is not None


def add_row(s: Session, row: t.Department | t.ServiceItem) -> None:
    s.add(row)
    s.flush()


def save_versioned(
    s: Session, row: t.Department | t.ServiceItem, values: dict[str, Any]
) -> t.Department | t.ServiceItem:
    """Write ``values`` if the row's version is still the one it was read at, bumping it;
    ConcurrentUpdate otherwise (the unit of work retries, and the retry sees the new
    version, which the service refuses as stale)."""
    table = type(row)
    assert row.id is not None
    result = s.execute(
        update(table)
        .where(col(table.id) == row.id, col(table.version) == row.version)
        .values(**values, version=row.version + 1)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise ConcurrentUpdate(f"{table.__name__} {row.id}")
    s.expire(row)
    fresh = s.get(table, row.id)
    assert isinstance(fresh, t.Department | t.ServiceItem)
    return fresh


def delete_row(s: Session, row: t.Department | t.ServiceItem) -> None:
    s.delete(row)
    s.flush()
