"""The audit log is append-only in the database itself: raw UPDATE and DELETE fail on
SQLite and on PostgreSQL, whoever sends them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from server.store import audit
from server.store import tables as t
from server.store.db import Database, Session


def _entry(action: str = "queue.create", key: str = "A") -> t.AuditEntry:
    return t.AuditEntry(
        at=datetime(2026, 11, 23, 2, 0, tzinfo=UTC),
        actor_kind="staff",
        actor_label="admin",
        address="10.0.0.5",
        action=action,
        entity_kind="queue",
        entity_key=key,
        after={"code": key},
    )


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    yield database
    database.dispose()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE auditentry SET action = 'queue.update'",
        "UPDATE auditentry SET after = NULL WHERE id = :id",
        "DELETE FROM auditentry WHERE id = :id",
        "DELETE FROM auditentry",
    ],
)
def test_an_entry_cannot_be_changed_or_removed(db: Database, statement: str) -> None:
    def add(s: Session) -> int:
        row = audit.append(s, _entry())
        assert row.id is not None
        return row.id

    entry_id = db.write(add)
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
        conn.execute(sa.text(statement), {"id": entry_id})
    with db.read() as s:
        [row] = audit.entries(s, audit.AuditQuery(), limit=10)
    assert (row.id, row.action, row.after) == (entry_id, "queue.create", {"code": "A"})


def test_entries_are_appended_and_read_newest_first_by_filter(db: Database) -> None:
    def add(s: Session) -> None:
        for action, key in [("queue.create", "A"), ("queue.update", "A"), ("auth.login", "C1")]:
            audit.append(s, _entry(action, key))

    db.write(add)
    with db.read() as s:
        every = audit.entries(s, audit.AuditQuery(), limit=10)
        queues = audit.entries(s, audit.AuditQuery(action="queue."), limit=10)
        # LIKE's own wildcards are letters like any other in a prefix.
        wild = audit.entries(s, audit.AuditQuery(action="queue_"), limit=10)
        older = audit.entries(s, audit.AuditQuery(), limit=1, before_id=every[0].id)
    assert [e.action for e in every] == ["auth.login", "queue.update", "queue.create"]
    assert [e.action for e in queues] == ["queue.update", "queue.create"]
    assert wild == []
    assert [e.action for e in older] == ["queue.update"]
