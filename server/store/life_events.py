"""A hall's life events (一件事) and the service items each bundles, in order."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlmodel import Session, col, delete, select, update

from . import tables as t
from .db import ConcurrentUpdate


def events(s: Session, hall_id: int, *, active_only: bool = False) -> list[t.LifeEvent]:
    """The hall's life events in kiosk order (sort, then code)."""
    query = select(t.LifeEvent).where(t.LifeEvent.hall_id == hall_id)
    if active_only:
        query = query.where(col(t.LifeEvent.active).is_(True))
    return list(s.exec(query.order_by(col(t.LifeEvent.sort), col(t.LifeEvent.code))))


def event_by_code(s: Session, hall_id: int, code: str) -> t.LifeEvent | None:
    return s.exec(
        select(t.LifeEvent).where(t.LifeEvent.hall_id == hall_id, t.LifeEvent.code == code)
    ).first()


def members(
    s: Session, event_ids: Iterable[int]
) -> dict[int, list[tuple[t.LifeEventItem, t.ServiceItem]]]:
    """Per event, its items with their rows, in the bundle's order."""
    ids = list(event_ids)
    out: dict[int, list[tuple[t.LifeEventItem, t.ServiceItem]]] = {i: [] for i in ids}
    if not ids:
        return out
    rows = s.exec(
        select(t.LifeEventItem, t.ServiceItem)
        .join(t.ServiceItem, col(t.ServiceItem.id) == col(t.LifeEventItem.item_id))
        .where(col(t.LifeEventItem.event_id).in_(ids))
        .order_by(col(t.LifeEventItem.event_id), col(t.LifeEventItem.position))
    )
    for member, item in rows:
        out[member.event_id].append((member, item))
    return out


def names_by_item(s: Session, hall_id: int) -> dict[int, list[str]]:
    """Per service item id, the names of the hall's active life events it is in, in
    kiosk order: the words that find it in search, and its catalogue summary's."""
    rows = s.exec(
        select(t.LifeEventItem.item_id, t.LifeEvent.name)
        .join(t.LifeEvent, col(t.LifeEvent.id) == col(t.LifeEventItem.event_id))
        .where(t.LifeEvent.hall_id == hall_id, col(t.LifeEvent.active).is_(True))
        .order_by(col(t.LifeEvent.sort), col(t.LifeEvent.code))
    )
    out: dict[int, list[str]] = {}
    for item_id, name in rows:
        out.setdefault(item_id, []).append(name)
    return out


def events_of_item(s: Session, item_id: int) -> list[str]:
    """The codes of every life event (active or not) that bundles this item."""
    rows = s.exec(
        select(t.LifeEvent.code)
        .join(t.LifeEventItem, col(t.LifeEvent.id) == col(t.LifeEventItem.event_id))
        .where(t.LifeEventItem.item_id == item_id)
        .order_by(col(t.LifeEvent.code))
    )
    return list(rows)


def item_ids_by_code(s: Session, hall_id: int) -> dict[str, int]:
    """Every service item of the hall, active or not, by code."""
    rows = s.exec(
        select(t.ServiceItem.code, t.ServiceItem.id).where(t.ServiceItem.hall_id == hall_id)
    )
    return {code: item_id for code, item_id in rows if item_id is not None}


def add_event(s: Session, row: t.LifeEvent) -> t.LifeEvent:
    s.add(row)
    s.flush()
    return row


def save_event(s: Session, event: t.LifeEvent, values: dict[str, Any]) -> t.LifeEvent:
    """Write ``values`` if the event is still at the version it was read at, bumping it."""
    assert event.id is not None
    result = s.execute(
        update(t.LifeEvent)
        .where(col(t.LifeEvent.id) == event.id, col(t.LifeEvent.version) == event.version)
        .values(**values, version=event.version + 1)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise ConcurrentUpdate(f"life event {event.id}")
    s.expire(event)
    saved = s.get(t.LifeEvent, event.id)
    assert saved is not None
    return saved


def set_members(s: Session, event_id: int, items: list[tuple[int, str]]) -> None:
    """The event's items become ``items`` ((item id, note)), in that order."""
    s.execute(delete(t.LifeEventItem).where(col(t.LifeEventItem.event_id) == event_id))
    for position, (item_id, note) in enumerate(items):
        s.add(t.LifeEventItem(event_id=event_id, item_id=item_id, position=position, note=note))
    s.flush()


def delete_event(s: Session, event: t.LifeEvent) -> None:
    assert event.id is not None
    s.execute(delete(t.LifeEventItem).where(col(t.LifeEventItem.event_id) == event.id))
    s.delete(event)
    s.flush()
