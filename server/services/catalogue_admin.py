"""The catalogue as admins keep it: a hall's departments (进驻部门) and its service items
with their public guides (办事指南).

Each change loads the rows, has the domain check them (domain/guide.py) and saves them
with an audit entry (before and after) in one unit of work: nothing is half saved. Edits
name the version they read; a row changed since is refused (STALE_VERSION).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from server.domain import attachments as attachment_rules
from server.domain import guide as rules
from server.domain.errors import DomainError
from server.domain.fields import Problem
from server.errors import HubError
from server.store import attachments as attachment_store
from server.store import cases as case_store
from server.store import catalogue as store
from server.store import halls as hall_store
from server.store import life_events as life_event_store
from server.store import queues as queue_store
from server.store import tables as t
from server.store.db import IntegrityError, Session

from . import audit
from .audit import Actor
from .hub import Hub
from .search import syllables

R = TypeVar("R")

DEPARTMENT_FIELDS = ("code", "name", "name_en", "sort", "active", "phone", "location")
ITEM_FIELDS = (
    "code",
    "name",
    "name_en",
    "department",
    "queue",
    "active",
    "sort",
    "hot",
    "aliases",
    "keywords",
    "pinyin_initials",
    "guide",
)
ITEM_DEFAULTS: dict[str, Any] = {
    "name_en": "",
    "active": True,
    "sort": 0,
    "hot": 0,
    "aliases": [],
    "keywords": [],
    "pinyin_initials": "",
    "guide": {},
}


def _write(hub: Hub, work: Callable[[Session], R], conflict: str) -> R:
    try:
        return hub.db.write(work)
    except IntegrityError as err:  # two admins creating the same code at once
        raise HubError(conflict) from err


def invalid(problems: list[Problem]) -> HubError:
    return HubError("INVALID_REQUEST", fields=[p.as_dict() for p in problems])


def _expected(changes: Mapping[str, Any]) -> int:
    expected = changes.get("version")
    if expected is None:
        raise HubError("VERSION_REQUIRED")
    return int(expected)


def _fresh(row: t.Department | t.ServiceItem, expected: int) -> None:
    if row.version != expected:
        raise HubError("STALE_VERSION", version=row.version, yours=expected)


def initials(name: str) -> str:
    """Pinyin initials of a name, as kiosk search matches them (不动产登记 -> bdcdj)."""
    return "".join(word[0] for word in syllables(name) if word)[:200]


# ---- departments ------------------------------------------------------------------------


def department_view(d: t.Department, items: int = 0) -> dict[str, Any]:
    return {
        "code": d.code,
        "name": d.name,
        "name_en": d.name_en,
        "sort": d.sort,
        "active": d.active,
        "phone": d.phone,
        "location": d.location,
        "items": items,
        "version": d.version,
    }


def _department(s: Session, hall_id: int, code: str) -> t.Department:
    row = store.department_by_code(s, hall_id, code)
    if row is None:
        raise HubError("DEPARTMENT_NOT_FOUND", department=code)
    return row


def _dept_snapshot(d: t.Department) -> dict[str, Any]:
    return {k: getattr(d, k) for k in DEPARTMENT_FIELDS}


def department_rows(hub: Hub, *, hall_id: int) -> list[dict[str, Any]]:
    with hub.db.read() as s:
        counts: dict[int, int] = {}
        for item in store.items_in_order(s, hall_id):
            counts[item.department_id] = counts.get(item.department_id, 0) + 1
        return [
            department_view(d, counts.get(d.id or 0, 0))
            for d in store.departments_in_order(s, hall_id)
        ]


def department_row(hub: Hub, *, hall_id: int, code: str) -> dict[str, Any]:
    with hub.db.read() as s:
        d = _department(s, hall_id, code)
        assert d.id is not None
        return department_view(d, store.item_count_of_department(s, d.id))


def create_department(
    hub: Hub, *, hall_id: int, values: dict[str, Any], actor: Actor
) -> dict[str, Any]:
    values = {k: v for k, v in values.items() if k in DEPARTMENT_FIELDS}
    problems = rules.check_department(values)
    if problems:
        raise invalid(problems)
    now = hub.now()

    def work(s: Session) -> dict[str, Any]:
        if store.department_by_code(s, hall_id, values["code"]) is not None:
            raise HubError("DEPARTMENT_CODE_TAKEN", code=values["code"])
        d = t.Department(hall_id=hall_id, **values)
        store.add_row(s, d)
        audit.record(
            s,
            at=now,
            actor=actor,
            hall_id=hall_id,
            action="department.create",
            entity_kind="department",
            entity_key=d.code,
            after=_dept_snapshot(d),
        )
        return department_view(d)

    return _write(hub, work, "DEPARTMENT_CODE_TAKEN")


def update_department(
    hub: Hub, *, hall_id: int, code: str, changes: dict[str, Any], actor: Actor
) -> dict[str, Any]:
    """Any of its fields, by the version read; ``active`` false disables it (its items
    stay where they are)."""
    expected = _expected(changes)
    values = {k: v for k, v in changes.items() if k in DEPARTMENT_FIELDS}
    now = hub.now()

    def work(s: Session) -> dict[str, Any]:
        d = _department(s, hall_id, code)
        _fresh(d, expected)
        before = _dept_snapshot(d)
        problems = rules.check_department({**before, **values})
        if problems:
            raise invalid(problems)
        renamed = values.get("code", d.code) != d.code
        if renamed and store.department_by_code(s, hall_id, values["code"]) is not None:
            raise HubError("DEPARTMENT_CODE_TAKEN", code=values["code"])
        saved = store.save_versioned(s, d, values)
        assert isinstance(saved, t.Department) and saved.id is not None
        audit.record_change(
            s,
            at=now,
            actor=actor,
            hall_id=hall_id,
            action="department.update",
            entity_kind="department",
            entity_key=saved.code,
            before=before,
            after=_dept_snapshot(saved),
        )
        return department_view(saved, store.item_count_of_department(s, saved.id))

    return _write(hub, work, "DEPARTMENT_CODE_TAKEN")


def remove_department(hub: Hub, *, hall_id: int, code: str, actor: Actor) -> None:
    """Refused while any item (上线 or not) belongs to it: DEPARTMENT_IN_USE."""
    now = hub.now()

    def work(s: Session) -> None:
        d = _department(s, hall_id, code)
        assert d.id is not None
        count = store.item_count_of_department(s, d.id)
        if count:
            raise HubError("DEPARTMENT_IN_USE", department=code, items=count)
        before = _dept_snapshot(d)
        store.delete_row(s, d)
        audit.record(
            s,
            at=now,
            actor=actor,
            hall_id=hall_id,
            action="department.delete",
            entity_kind="department",
            entity_key=code,
            before=before,
        )

    _write(hub, work, "CONFLICT")


# ---- service items ----------------------------------------------------------------------


@dataclass
class Context:
    """What an item's check needs of its hall, loaded once per change (or import)."""

    hall: t.Hall
    departments: dict[str, t.Department]
    queues: dict[str, t.Queue]
    # The hall's attachments (a material names them by id) and, per item id, the names of
    # the active life events it is in.
    attachment_ids: frozenset[int] = frozenset()
    life_events: dict[int, list[str]] = field(default_factory=dict)

    @property
    def department_codes(self) -> dict[int, str]:
        return {d.id: c for c, d in self.departments.items() if d.id is not None}

    @property
    def queue_codes(self) -> dict[int, str]:
        return {q.id: c for c, q in self.queues.items() if q.id is not None}


def context(s: Session, hall_id: int) -> Context:
    return Context(
        hall=hall_store.hall_by_id(s, hall_id),
        departments={d.code: d for d in store.departments(s, hall_id)},
        queues={q.code: q for q in queue_store.queues(s, hall_id)},
        attachment_ids=frozenset(attachment_store.attachment_ids(s, hall_id)),
        life_events=life_event_store.names_by_item(s, hall_id),
    )


def item_values(item: t.ServiceItem, ctx: Context) -> dict[str, Any]:
    """The item as an admin edits it: department and queue by code."""
    return {
        "code": item.code,
        "name": item.name,
        "name_en": item.name_en,
        "department": ctx.department_codes.get(item.department_id),
        "queue": ctx.queue_codes.get(item.queue_id),
        "active": item.active,
        "sort": item.sort,
        "hot": item.hot,
        "aliases": list(item.aliases),
        "keywords": list(item.keywords),
        "pinyin_initials": item.pinyin_initials,
        "guide": dict(item.guide),
    }


def item_view(item: t.ServiceItem, ctx: Context) -> dict[str, Any]:
    d = ctx.departments.get(ctx.department_codes.get(item.department_id, ""))
    q = ctx.queues.get(ctx.queue_codes.get(item.queue_id, ""))
    return {
        **item_values(item, ctx),
        "department_name": d.name if d else "",
        "queue_name": q.name if q else "",
        "life_events": list(ctx.life_events.get(item.id or 0, [])),
        "version": item.version,
    }


def _item(s: Session, hall_id: int, code: str) -> t.ServiceItem:
    item = store.item_by_code(s, hall_id, code)
    if item is None:
        raise DomainError("SERVICE_ITEM_NOT_FOUND", item=code)
    return item


def checked(values: dict[str, Any], ctx: Context) -> tuple[dict[str, Any], list[Problem]]:
    """The item's values as they would be stored (initials computed when not given, the
    guide normalised), and what is wrong with them."""
    full = {**ITEM_DEFAULTS, **values}
    if not full.get("pinyin_initials") and isinstance(full.get("name"), str):
        full["pinyin_initials"] = initials(full["name"])
    problems = rules.check_item(
        full,
        share_percent=ctx.hall.promised_share_percent,
        departments=ctx.departments,
        queues=ctx.queues,
    )
    guide = full.get("guide")
    if isinstance(guide, Mapping):
        # Whether the ids exist; their form is the guide rules' (named as they name it).
        problems += [
            Problem(re.sub(r"\.materials\.(\d+)\.", r".materials[\1].", p.field), p.code, p.details)
            for p in attachment_rules.check_refs(guide, ctx.attachment_ids)
            if p.code == "ATTACHMENT_UNKNOWN"
        ]
    if not problems:
        full["guide"] = rules.normalised_guide(full["guide"])
        full["name"] = full["name"].strip()
        full["name_en"] = full["name_en"].strip()
    return full, problems


def columns(full: Mapping[str, Any], ctx: Context) -> dict[str, Any]:
    """Checked values as the item's columns."""
    out = {k: v for k, v in full.items() if k not in ("department", "queue")}
    out["department_id"] = ctx.departments[full["department"]].id
    out["queue_id"] = ctx.queues[full["queue"]].id
    return out


def add_item(
    s: Session, ctx: Context, full: dict[str, Any], *, actor: Actor, at: Any
) -> t.ServiceItem:
    assert ctx.hall.id is not None
    if store.item_by_code(s, ctx.hall.id, full["code"]) is not None:
        raise HubError("ITEM_CODE_TAKEN", code=full["code"])
    item = t.ServiceItem(hall_id=ctx.hall.id, **columns(full, ctx))
    store.add_row(s, item)
    audit.record(
        s,
        at=at,
        actor=actor,
        hall_id=ctx.hall.id,
        action="item.create",
        entity_kind="item",
        entity_key=item.code,
        after=item_values(item, ctx),
    )
    return item


def save_item(
    s: Session,
    ctx: Context,
    item: t.ServiceItem,
    full: dict[str, Any],
    *,
    actor: Actor,
    at: Any,
) -> t.ServiceItem:
    assert ctx.hall.id is not None
    if full["code"] != item.code and store.item_by_code(s, ctx.hall.id, full["code"]):
        raise HubError("ITEM_CODE_TAKEN", code=full["code"])
    before = item_values(item, ctx)
    if {k: v for k, v in before.items()} == {k: full[k] for k in before}:
        return item  # nothing changed: no new version, no entry
    saved = store.save_versioned(s, item, columns(full, ctx))
    assert isinstance(saved, t.ServiceItem)
    audit.record_change(
        s,
        at=at,
        actor=actor,
        hall_id=ctx.hall.id,
        action="item.update",
        entity_kind="item",
        entity_key=saved.code,
        before=before,
        after=item_values(saved, ctx),
    )
    return saved


def item_rows(
    hub: Hub,
    *,
    hall_id: int,
    department: str | None = None,
    queue: str | None = None,
    active: bool | None = None,
    q: str | None = None,
) -> list[dict[str, Any]]:
    """In the admin's order (sort, then code); ``q`` matches code, name, English name,
    aliases and pinyin initials."""
    needle = (q or "").strip().lower()
    with hub.db.read() as s:
        ctx = context(s, hall_id)
        out = []
        for item in store.items_in_order(s, hall_id):
            view = item_view(item, ctx)
            if department and view["department"] != department:
                continue
            if queue and view["queue"] != queue:
                continue
            if active is not None and item.active is not active:
                continue
            words = [item.code, item.name, item.name_en, item.pinyin_initials, *item.aliases]
            if needle and not any(needle in w.lower() for w in words):
                continue
            out.append(view)
        return out


def item_row(hub: Hub, *, hall_id: int, code: str) -> dict[str, Any]:
    with hub.db.read() as s:
        return item_view(_item(s, hall_id, code), context(s, hall_id))


def create_item(hub: Hub, *, hall_id: int, values: dict[str, Any], actor: Actor) -> dict[str, Any]:
    values = {k: v for k, v in values.items() if k in ITEM_FIELDS}
    now = hub.now()

    def work(s: Session) -> dict[str, Any]:
        ctx = context(s, hall_id)
        full, problems = checked(values, ctx)
        if problems:
            raise invalid(problems)
        return item_view(add_item(s, ctx, full, actor=actor, at=now), ctx)

    return _write(hub, work, "ITEM_CODE_TAKEN")


def merged(current: dict[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """An edit over the item: its guide's elements one by one (null removes one), every
    other field as given."""
    out = {**current, **{k: v for k, v in changes.items() if k in ITEM_FIELDS and k != "guide"}}
    if "guide" in changes:
        patch = changes["guide"]
        if not isinstance(patch, dict):
            out["guide"] = patch  # the check names it
        else:
            guide = {**current["guide"], **patch}
            out["guide"] = {k: v for k, v in guide.items() if v is not None}
    return out


def update_item(
    hub: Hub, *, hall_id: int, code: str, changes: dict[str, Any], actor: Actor
) -> dict[str, Any]:
    """By the version read. Taking an item 上线 checks its whole guide."""
    expected = _expected(changes)
    now = hub.now()

    def work(s: Session) -> dict[str, Any]:
        ctx = context(s, hall_id)
        item = _item(s, hall_id, code)
        _fresh(item, expected)
        full, problems = checked(merged(item_values(item, ctx), changes), ctx)
        if problems:
            raise invalid(problems)
        return item_view(save_item(s, ctx, item, full, actor=actor, at=now), ctx)

    return _write(hub, work, "ITEM_CODE_TAKEN")


def remove_item(hub: Hub, *, hall_id: int, code: str, actor: Actor) -> None:
    """Only an item never ticketed is deleted. While tickets for it wait today:
    ITEM_IN_USE; with tickets on record: ITEM_HAS_HISTORY (take it 下线 instead)."""
    now = hub.now()

    def work(s: Session) -> None:
        ctx = context(s, hall_id)
        item = _item(s, hall_id, code)
        assert item.id is not None
        day = hall_store.calendar_of(ctx.hall).business_day(now)
        waiting = store.waiting_for_item(s, item.id, day)
        if waiting:
            raise HubError("ITEM_IN_USE", item=code, waiting=waiting)
        if store.item_has_tickets(s, item.id) or case_store.item_has_cases(s, item.id):
            raise HubError("ITEM_HAS_HISTORY", item=code)
        bundles = life_event_store.events_of_item(s, item.id)
        if bundles:
            raise HubError("ITEM_IN_LIFE_EVENT", item=code, life_events=bundles)
        before = item_values(item, ctx)
        store.delete_row(s, item)
        audit.record(
            s,
            at=now,
            actor=actor,
            hall_id=hall_id,
            action="item.delete",
            entity_kind="item",
            entity_key=code,
            before=before,
        )

    _write(hub, work, "CONFLICT")


def order_items(hub: Hub, *, hall_id: int, codes: list[str], actor: Actor) -> list[str]:
    """The listed items first, in this order; the others after them, in theirs. Each
    moved item's ``sort`` becomes its place (and its version moves on)."""
    problems = [Problem(f"codes[{n}]", "DUPLICATE") for n, c in enumerate(codes) if c in codes[:n]]
    if problems:
        raise invalid(problems)
    now = hub.now()

    def work(s: Session) -> list[str]:
        rows = store.items_in_order(s, hall_id)
        by_code = {i.code: i for i in rows}
        missing = [
            Problem(f"codes[{n}]", "ITEM_UNKNOWN", {"item": c})
            for n, c in enumerate(codes)
            if c not in by_code
        ]
        if missing:
            raise invalid(missing)
        before = [i.code for i in rows]
        after = [*codes, *(c for c in before if c not in codes)]
        for place, c in enumerate(after):
            if by_code[c].sort != place:
                store.save_versioned(s, by_code[c], {"sort": place})
        if before != after:
            audit.record(
                s,
                at=now,
                actor=actor,
                hall_id=hall_id,
                action="item.reorder",
                entity_kind="catalogue",
                entity_key=hall_store.hall_by_id(s, hall_id).code,
                before={"order": before},
                after={"order": after},
            )
        return after

    return _write(hub, work, "CONFLICT")


def form_choices(hub: Hub, *, hall_id: int) -> dict[str, Any]:
    """What the admin pages offer to choose from: the hall's departments and queues, and
    its share of the statutory time limit a promise may take."""
    with hub.db.read() as s:
        ctx = context(s, hall_id)
        queues = sorted(ctx.queues.values(), key=lambda q: (q.sort, q.code))
        return {
            "hall": ctx.hall.code,
            "hall_name": ctx.hall.name,
            "share": ctx.hall.promised_share_percent,
            "departments": [
                {"code": d.code, "name": d.name, "active": d.active}
                for d in store.departments_in_order(s, hall_id)
            ],
            "queues": [{"code": q.code, "name": q.name} for q in queues],
            "case_types": list(rules.CASE_TYPES),
            "material_forms": list(rules.MATERIAL_FORMS),
        }


def share_problems(s: Session, hall_id: int, share_percent: int) -> list[Problem]:
    """What a new promised_share_percent would break: the hall's online items whose
    promise would exceed it (services/admin.py update_hall asks before saving)."""
    guides = {i.code: i.guide for i in store.items_in_order(s, hall_id) if i.active}
    return rules.check_share(share_percent, guides)
