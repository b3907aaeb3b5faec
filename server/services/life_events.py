"""Life events (一件事) as bundles: an admin names the hall's items a situation needs, in
order, with a note each; the kiosk's 一件事 screen, search and the catalogue read them.

Every change is written with its audit entry and announced to the hall's screens."""

from __future__ import annotations

from typing import Any

from server.domain import life_events as rules
from server.domain.fields import Problem
from server.domain.life_events import Member
from server.errors import HubError
from server.realtime.bus import HubEvent
from server.store import life_events as store
from server.store import tables as t
from server.store.db import IntegrityError, Session

from . import audit
from .audit import Actor
from .events import hall_changed
from .hub import Hub

FIELDS = ("name", "name_en", "description", "sort", "active")


def _members(values: dict[str, Any]) -> list[Member]:
    return [Member(item=m["item"], note=(m.get("note") or "").strip()) for m in values["items"]]


def _view(
    event: t.LifeEvent, members: list[tuple[t.LifeEventItem, t.ServiceItem]]
) -> dict[str, Any]:
    return {
        "code": event.code,
        "name": event.name,
        "name_en": event.name_en,
        "description": event.description,
        "sort": event.sort,
        "active": event.active,
        "version": event.version,
        "items": [
            {"item": item.code, "name": item.name, "active": item.active, "note": m.note}
            for m, item in members
        ],
    }


def _audit_view(view: dict[str, Any]) -> dict[str, Any]:
    """What an entry keeps: the fields, and the items as [code, note] in order."""
    out = {k: view[k] for k in ("code", *FIELDS)}
    out["items"] = [[m["item"], m["note"]] for m in view["items"]]
    return out


def _check(s: Session, hall_id: int, values: dict[str, Any], *, active: bool) -> dict[str, int]:
    """The hall's items by code, once the values are known right; INVALID_REQUEST with
    every problem otherwise."""
    known = store.item_ids_by_code(s, hall_id)
    problems: list[Problem] = []
    if "code" in values:
        problems += rules.check_code(values["code"])
    if "name" in values:
        problems += rules.check_text("name", values["name"], rules.NAME_MAX, required=True)
    if "items" in values:
        problems += rules.check_members(_members(values), set(known), active=active)
    if problems:
        raise HubError("INVALID_REQUEST", fields=[p.as_dict() for p in problems])
    return known


def _write(hub: Hub, hall_id: int, work: Any) -> Any:
    now = hub.now()

    def run(s: Session) -> tuple[Any, list[HubEvent]]:
        return work(s), [hall_changed(s, hall_id, now)]

    try:
        result, events = hub.db.write(run)
    except IntegrityError as err:
        raise HubError("LIFE_EVENT_CODE_TAKEN") from err
    hub.publish(events)
    return result


def _found(s: Session, hall_id: int, code: str) -> t.LifeEvent:
    event = store.event_by_code(s, hall_id, code)
    if event is None:
        raise HubError("LIFE_EVENT_NOT_FOUND", code=code)
    return event


def _event_view(s: Session, event: t.LifeEvent) -> dict[str, Any]:
    assert event.id is not None
    return _view(event, store.members(s, [event.id])[event.id])


def event_rows(hub: Hub, *, hall_id: int) -> list[dict[str, Any]]:
    with hub.db.read() as s:
        rows = store.events(s, hall_id)
        found = store.members(s, [e.id for e in rows if e.id is not None])
        return [_view(e, found[e.id]) for e in rows if e.id is not None]


def event_row(hub: Hub, *, hall_id: int, code: str) -> dict[str, Any]:
    with hub.db.read() as s:
        return _event_view(s, _found(s, hall_id, code))


def create(hub: Hub, *, hall_id: int, values: dict[str, Any], actor: Actor) -> dict[str, Any]:
    values = {"items": [], **values}
    now = hub.now()

    def work(s: Session) -> dict[str, Any]:
        known = _check(s, hall_id, values, active=values.get("active", True))
        if store.event_by_code(s, hall_id, values["code"]) is not None:
            raise HubError("LIFE_EVENT_CODE_TAKEN", code=values["code"])
        fields = {k: values[k] for k in FIELDS if k in values}
        event = store.add_event(s, t.LifeEvent(hall_id=hall_id, code=values["code"], **fields))
        assert event.id is not None
        store.set_members(s, event.id, [(known[m.item], m.note) for m in _members(values)])
        view = _event_view(s, event)
        audit.record(
            s,
            at=now,
            actor=actor,
            hall_id=hall_id,
            action="life_event.create",
            entity_kind="life_event",
            entity_key=event.code,
            after=_audit_view(view),
        )
        return view

    result: dict[str, Any] = _write(hub, hall_id, work)
    return result


def update(
    hub: Hub, *, hall_id: int, code: str, changes: dict[str, Any], actor: Actor
) -> dict[str, Any]:
    """``changes["version"]``: the version read; ``items`` replaces the bundle's items
    (order and notes) whole. An active bundle keeps at least two items."""
    expected = changes.get("version")
    if expected is None:
        raise HubError("VERSION_REQUIRED")
    now = hub.now()

    def work(s: Session) -> dict[str, Any]:
        event = _found(s, hall_id, code)
        if event.version != expected:
            raise HubError("STALE_VERSION", version=event.version, yours=expected)
        before = _event_view(s, event)
        active = changes.get("active", event.active)
        values = dict(changes)
        if "items" not in values and active and not event.active:
            # Switched on as it is: its items must make a bundle.
            values["items"] = [{"item": m["item"], "note": m["note"]} for m in before["items"]]
        known = _check(s, hall_id, values, active=active)
        fields = {k: changes[k] for k in FIELDS if k in changes}
        saved = store.save_event(s, event, fields)
        assert saved.id is not None
        if "items" in changes:
            store.set_members(s, saved.id, [(known[m.item], m.note) for m in _members(changes)])
        after = _event_view(s, saved)
        audit.record_change(
            s,
            at=now,
            actor=actor,
            hall_id=hall_id,
            action="life_event.update",
            entity_kind="life_event",
            entity_key=code,
            before=_audit_view(before),
            after=_audit_view(after),
        )
        return after

    result: dict[str, Any] = _write(hub, hall_id, work)
    return result


def delete(hub: Hub, *, hall_id: int, code: str, actor: Actor) -> None:
    """The bundle goes; its items stay, as they were."""
    now = hub.now()

    def work(s: Session) -> None:
        event = _found(s, hall_id, code)
        before = _event_view(s, event)
        store.delete_event(s, event)
        audit.record(
            s,
            at=now,
            actor=actor,
            hall_id=hall_id,
            action="life_event.delete",
            entity_kind="life_event",
            entity_key=code,
            before=_audit_view(before),
        )

    _write(hub, hall_id, work)
