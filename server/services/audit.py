"""The audit log: who changed which configuration, who signed in, when and from where.

``record`` is called inside the unit of work of the change it records: a change rolled
back leaves no entry, and no change commits without its entry. Entries keep only the
fields that changed (updates) or were set (creates), never a password hash or a token:
a secret appears as a word saying what happened to it (``SECRET_SET`` and the like).
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from pydantic_core import to_jsonable_python

from server.store import audit as store
from server.store import halls as hall_store
from server.store import tables as t
from server.store.audit import AuditQuery
from server.store.db import Session, db_time

from .hub import Hub

__all__ = ["Actor", "ActorKind", "AuditQuery", "diff", "record", "record_change"]


class ActorKind(StrEnum):
    STAFF = "staff"
    DEVICE = "device"
    CLI = "cli"  # the `hall` command on the hub's machine
    SYSTEM = "system"  # the hub itself


@dataclass(frozen=True)
class Actor:
    """Who asks for a change and from where. ``label``: the staff number or the device
    code; ``address``: the client's IP as the web server saw it ("cli" for the CLI)."""

    kind: ActorKind
    label: str
    address: str
    staff_id: int | None = None
    name: str = ""

    @classmethod
    def anonymous(cls, address: str) -> Actor:
        """Someone about to sign in: who it is is known once the sign-in is checked."""
        return cls(ActorKind.STAFF, label="", address=address)

    @classmethod
    def cli(cls) -> Actor:
        try:
            user = getpass.getuser()
        except (OSError, KeyError):  # no login name in the environment nor in passwd
            user = ""
        return cls(ActorKind.CLI, label="cli", address="cli", name=user)


# The stable action codes and what they mean (the audit page and the CSV show the words).
ACTIONS: dict[str, tuple[str, str]] = {
    "hall.create": ("新建大厅", "hall created"),
    "hall.update": ("修改大厅设置", "hall settings changed"),
    "hall.close": ("关闭大厅", "hall closed"),
    "hall.reopen": ("重新开放大厅", "hall reopened"),
    "calendar.replace": ("修改节假日安排", "holiday calendar changed"),
    "calendar.import": ("导入节假日安排", "holiday calendar imported"),
    "queue.create": ("新建队列", "queue created"),
    "queue.update": ("修改队列", "queue changed"),
    "queue.remove": ("删除队列", "queue removed"),
    "window.create": ("新建窗口", "window created"),
    "window.update": ("修改窗口", "window changed"),
    "window.remove": ("删除窗口", "window removed"),
    "window.release": ("签离窗口人员", "clerk signed out of the window"),
    "staff.create": ("新建工作人员", "staff member created"),
    "staff.update": ("修改工作人员", "staff member changed"),
    "staff.disable": ("停用工作人员", "staff member disabled"),
    "staff.enable": ("启用工作人员", "staff member enabled"),
    "staff.reset_password": ("重置密码", "password reset"),
    "staff.unlock": ("解锁账号", "account unlocked"),
    "staff.photo": ("更换照片", "photo changed"),
    "staff.remove": ("删除工作人员", "staff member removed"),
    "staff.password_change": ("修改密码", "password changed"),
    "device.create": ("登记设备", "device registered"),
    "device.update": ("修改设备", "device changed"),
    "device.revoke": ("停用设备", "device revoked"),
    "device.enable": ("启用设备", "device enabled"),
    "device.remove": ("删除设备", "device removed"),
    "device.token_rotate": ("更换设备令牌", "device token replaced"),
    "attachment.create": ("上传附件", "attachment uploaded"),
    "attachment.update": ("修改附件", "attachment changed"),
    "attachment.delete": ("删除附件", "attachment deleted"),
    "life_event.create": ("新建一件事", "life event created"),
    "life_event.update": ("修改一件事", "life event changed"),
    "life_event.delete": ("删除一件事", "life event deleted"),
    "department.create": ("新建部门", "department created"),
    "department.update": ("修改部门", "department changed"),
    "department.delete": ("删除部门", "department removed"),
    "item.create": ("新建事项", "service item created"),
    "item.update": ("修改事项", "service item changed"),
    "item.delete": ("删除事项", "service item removed"),
    "item.reorder": ("调整事项顺序", "service items reordered"),
    "catalogue.import": ("导入事项目录", "catalogue imported"),
    "auth.login": ("登录", "signed in"),
    "auth.login_failed": ("登录失败", "sign-in refused"),
    "auth.locked": ("密码连续错误，账号锁定", "account locked after wrong passwords"),
    "auth.logout": ("退出登录", "signed out"),
}
ENTITIES: dict[str, tuple[str, str]] = {
    "hall": ("大厅", "hall"),
    "calendar": ("节假日安排", "holiday calendar"),
    "queue": ("队列", "queue"),
    "window": ("窗口", "window"),
    "staff": ("工作人员", "staff"),
    "device": ("设备", "device"),
    "attachment": ("附件", "attachment"),
    "life_event": ("一件事", "life event"),
    "department": ("部门", "department"),
    "item": ("事项", "service item"),
    "catalogue": ("事项目录", "catalogue"),
}
ACTOR_KINDS: dict[str, tuple[str, str]] = {
    "staff": ("工作人员", "staff"),
    "device": ("设备", "device"),
    "cli": ("命令行", "command line"),
    "system": ("系统", "system"),
}
# What a secret's field holds in an entry instead of the secret.
SECRET_SET = "set"  # a password was set
TOKEN_ISSUED = "issued"
TOKEN_ROTATED = "rotated"
# Never in an entry, whatever a caller passes; nor the row's bookkeeping.
SECRETS = frozenset({"password", "password_hash", "token", "token_hash"})
BOOKKEEPING = frozenset({"id", "version"})


def _clip(text: str | None, size: int) -> str:
    return (text or "")[:size]


def jsonable(values: Mapping[str, Any]) -> dict[str, Any]:
    """A fresh copy that JSON can store: dates as ISO text, tuples as lists."""
    out: dict[str, Any] = to_jsonable_python(dict(values))
    return out


def snapshot(row: Any, *, without: frozenset[str] = frozenset()) -> dict[str, Any]:
    """A row's fields as they are now, secrets and bookkeeping left out."""
    values = row.model_dump()
    return jsonable({k: v for k, v in values.items() if k not in SECRETS | BOOKKEEPING | without})


def diff(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields whose values differ, each side as it was; a field only one side
    has is None on the other."""
    old, new = jsonable(before), jsonable(after)
    changed = [
        k
        for k in dict.fromkeys([*old, *new])
        if k not in SECRETS | BOOKKEEPING and old.get(k) != new.get(k)
    ]
    return {k: old.get(k) for k in changed}, {k: new.get(k) for k in changed}


def record(
    s: Session,
    *,
    at: datetime,
    actor: Actor,
    hall_id: int | None,
    action: str,
    entity_kind: str,
    entity_key: str,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    error: str | None = None,
) -> None:
    """One entry, in the caller's transaction. ``error``: the code a refused attempt
    (a sign-in) was answered with."""
    if action not in ACTIONS or entity_kind not in ENTITIES:
        raise ValueError(f"unknown audit action {action!r} or entity {entity_kind!r}")
    store.append(
        s,
        t.AuditEntry(
            hall_id=hall_id,
            at=at.astimezone(UTC),
            actor_kind=actor.kind.value,
            actor_staff_id=actor.staff_id,
            actor_label=_clip(actor.label, 64),
            actor_name=_clip(actor.name, 100),
            address=_clip(actor.address, 64),
            action=action,
            entity_kind=entity_kind,
            entity_key=_clip(entity_key, 100),
            before=None if before is None else _without_secrets(before),
            after=None if after is None else _without_secrets(after),
            result="refused" if error else "ok",
            error_code=error,
        ),
    )


def _without_secrets(values: Mapping[str, Any]) -> dict[str, Any]:
    """A secret's field may only hold one of the words that stand for it."""
    words = {SECRET_SET, TOKEN_ISSUED, TOKEN_ROTATED}
    return jsonable({k: v for k, v in values.items() if k not in SECRETS or v in words})


def record_change(
    s: Session,
    *,
    at: datetime,
    actor: Actor,
    hall_id: int | None,
    action: str,
    entity_kind: str,
    entity_key: str,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
) -> bool:
    """An update's entry with the fields it changed; none if it changed nothing."""
    old, new = diff(before, after)
    if not new:
        return False
    record(
        s,
        at=at,
        actor=actor,
        hall_id=hall_id,
        action=action,
        entity_kind=entity_kind,
        entity_key=entity_key,
        before=old,
        after=new,
    )
    return True


def signed_in(actor: Actor, staff: t.Staff) -> Actor:
    """The actor of a sign-in, once the sign-in has said who it is."""
    return replace(
        actor, kind=ActorKind.STAFF, staff_id=staff.id, label=staff.staff_no, name=staff.name
    )


# ---- reading ----------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryView:
    id: int
    hall: str | None  # the hall's code; None: installation-wide
    at: datetime  # UTC
    at_local: datetime  # in the hall's time zone (installation-wide: see ``display_zone``)
    actor_kind: str
    actor_staff_id: int | None
    actor: str  # staff number, device code, "cli"
    actor_name: str
    address: str
    action: str
    entity_kind: str
    entity_key: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    result: str
    error_code: str | None


@dataclass(frozen=True)
class AuditPage:
    entries: list[EntryView]
    next_cursor: str | None  # what to ask for the page of older entries; None: no more


def display_zone(hub: Hub, hall_ids: frozenset[int] | None) -> ZoneInfo:
    """The time zone dates of a filter are days of, and installation-wide entries are
    shown in: the hall's; for several halls theirs if they share one, else UTC."""
    with hub.db.read() as s:
        rows = (
            hall_store.halls(s)
            if hall_ids is None
            else hall_store.halls_by_ids(s, sorted(hall_ids))
        )
    zones = {h.timezone for h in rows}
    return ZoneInfo(zones.pop()) if len(zones) == 1 else ZoneInfo("UTC")


def bound(moment: date | datetime | None, zone: ZoneInfo, *, end: bool) -> datetime | None:
    """A filter's limit as an instant: a date is a day in ``zone`` (its start, or for the
    end the start of the next day); a datetime without an offset is in ``zone``."""
    if moment is None:
        return None
    if isinstance(moment, datetime):
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)
    day = moment + timedelta(days=1) if end else moment
    return datetime.combine(day, time(0), tzinfo=zone)


def query(
    hub: Hub,
    *,
    hall_ids: frozenset[int] | None,
    since: date | datetime | None = None,
    until: date | datetime | None = None,
    actor: str | None = None,
    action: str | None = None,
    entity: str | None = None,
) -> AuditQuery:
    zone = display_zone(hub, hall_ids)
    return AuditQuery(
        hall_ids=hall_ids,
        since=bound(since, zone, end=False),
        until=bound(until, zone, end=True),
        actor=actor or None,
        action=action or None,
        entity=entity or None,
    )


def page(hub: Hub, wanted: AuditQuery, *, limit: int, before_id: int | None = None) -> AuditPage:
    """Newest first; ``before_id``: the ``next_cursor`` of the page before."""
    zone = display_zone(hub, wanted.hall_ids)
    with hub.db.read() as s:
        rows = store.entries(s, wanted, limit=limit + 1, before_id=before_id)
        views = _views(s, rows[:limit], zone)
    more = len(rows) > limit
    return AuditPage(views, str(views[-1].id) if more and views else None)


def every_entry(hub: Hub, wanted: AuditQuery, *, chunk: int = 500) -> Iterator[EntryView]:
    """Every matching entry, newest first, read a chunk at a time (the CSV export)."""
    zone = display_zone(hub, wanted.hall_ids)
    before: int | None = None
    while True:
        with hub.db.read() as s:
            rows = store.entries(s, wanted, limit=chunk, before_id=before)
            views = _views(s, rows, zone)
        yield from views
        if len(rows) < chunk:
            return
        before = views[-1].id


def _views(s: Session, rows: list[t.AuditEntry], zone: ZoneInfo) -> list[EntryView]:
    wanted = {r.hall_id for r in rows if r.hall_id is not None}
    halls = {h.id: h for h in hall_store.halls_by_ids(s, wanted)} if wanted else {}
    out = []
    for row in rows:
        assert row.id is not None
        hall = halls.get(row.hall_id) if row.hall_id is not None else None
        at = db_time(row.at)
        out.append(
            EntryView(
                id=row.id,
                hall=hall.code if hall else None,
                at=at,
                at_local=at.astimezone(ZoneInfo(hall.timezone) if hall else zone),
                actor_kind=row.actor_kind,
                actor_staff_id=row.actor_staff_id,
                actor=row.actor_label,
                actor_name=row.actor_name,
                address=row.address,
                action=row.action,
                entity_kind=row.entity_kind,
                entity_key=row.entity_key,
                before=row.before,
                after=row.after,
                result=row.result,
                error_code=row.error_code,
            )
        )
    return out
