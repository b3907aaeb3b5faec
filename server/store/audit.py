"""The audit log: appended to, read, never changed (the database refuses UPDATE and
DELETE on it; see migration 0010). What goes in is the service's (services/audit.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from . import tables as t
from .db import to_db_time


@dataclass(frozen=True)
class AuditQuery:
    """Which entries: every filter given must hold. ``hall_ids`` None: every hall's and
    the installation's own; else only those halls'."""

    hall_ids: frozenset[int] | None = None
    since: datetime | None = None  # at or after
    until: datetime | None = None  # before
    actor: str | None = None  # the actor's label: a staff number, a device code
    action: str | None = None  # a prefix: "queue." or "auth.login"
    entity: str | None = None  # the entity's key: a queue code, a staff number


def append(s: Session, entry: t.AuditEntry) -> t.AuditEntry:
    s.add(entry)
    s.flush()
    return entry


def entries(
    s: Session, query: AuditQuery, *, limit: int, before_id: int | None = None
) -> list[t.AuditEntry]:
    """Newest first (by id: the order they were written in), at most ``limit``, each
    older than ``before_id`` if given (the page after the one that ended there)."""
    statement = select(t.AuditEntry)
    if query.hall_ids is not None:
        statement = statement.where(col(t.AuditEntry.hall_id).in_(sorted(query.hall_ids)))
    if query.since is not None:
        statement = statement.where(col(t.AuditEntry.at) >= to_db_time(query.since))
    if query.until is not None:
        statement = statement.where(col(t.AuditEntry.at) < to_db_time(query.until))
    if query.actor:
        statement = statement.where(t.AuditEntry.actor_label == query.actor)
    if query.action:
        statement = statement.where(
            col(t.AuditEntry.action).startswith(query.action, autoescape=True)
        )
    if query.entity:
        statement = statement.where(t.AuditEntry.entity_key == query.entity)
    if before_id is not None:
        statement = statement.where(col(t.AuditEntry.id) < before_id)
    statement = statement.order_by(col(t.AuditEntry.id).desc()).limit(limit)
    return list(s.exec(statement))
