"""A hall's departments and service items (with their guides)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from server.domain.errors import DomainError

from . import tables as t


def departments(s: Session, hall_id: int) -> list[t.Department]:
    return list(s.exec(select(t.Department).where(t.Department.hall_id == hall_id)))


def department_row(s: Session, department_id: int | None) -> t.Department | None:
    return s.get(t.Department, department_id) if department_id is not None else None


def active_items(s: Session, hall_id: int) -> list[t.ServiceItem]:
    """The service items a kiosk offers, the hall's hottest first, then by code."""
    return list(
        s.exec(
            select(t.ServiceItem)
            .where(t.ServiceItem.hall_id == hall_id, col(t.ServiceItem.active).is_(True))
            .order_by(col(t.ServiceItem.hot).desc(), col(t.ServiceItem.code))
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
