"""Alembic on a fresh SQLite file and a fresh PostgreSQL database: one head, the
per-hall rating timeout (0006, which also merges the 0003/0004/0005 branches), and
its downgrade."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

from server.store.db import normalise_url
from server.store.migrate import alembic_config, upgrade

PG_ADMIN = os.environ.get("HALL_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database nobody else uses: the test may take it up and down."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    name = f"hallq_mig_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _look(url: str) -> tuple[list[str], dict[str, Any]]:
    """The revisions the database is at, and its hall columns by name."""
    engine = sa.create_engine(normalise_url(url), poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            versions = sorted(
                r[0] for r in conn.execute(sa.text("SELECT version_num FROM alembic_version"))
            )
            columns = {c["name"]: c for c in sa.inspect(conn).get_columns("hall")}
    finally:
        engine.dispose()
    return versions, columns


def _sql(url: str, statement: str) -> list[Any]:
    engine = sa.create_engine(normalise_url(url), poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as conn:
            result = conn.execute(sa.text(statement))
            return list(result) if result.returns_rows else []
    finally:
        engine.dispose()


HEAD = "0008"


def test_the_migrations_have_one_head() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert script.get_heads() == [HEAD]
    assert set(script.get_revision("0006").down_revision) == {"0003", "0004", "0005"}


def test_a_fresh_database_upgrades_and_0006_downgrades(fresh_url: str) -> None:
    upgrade(fresh_url)
    versions, columns = _look(fresh_url)
    assert versions == [HEAD]
    timeout = columns["rating_timeout_seconds"]
    assert timeout["nullable"] is True and isinstance(timeout["type"], sa.Integer)

    # Undoing 0006 leaves the three branches it merged, and their columns.
    command.downgrade(alembic_config(fresh_url), "0005")
    versions, columns = _look(fresh_url)
    assert versions == ["0003", "0004", "0005"]
    assert "rating_timeout_seconds" not in columns and "green_channel_age" in columns

    upgrade(fresh_url)
    assert _look(fresh_url)[0] == [HEAD]
    command.downgrade(alembic_config(fresh_url), "base")
    upgrade(fresh_url)
    assert _look(fresh_url)[0] == [HEAD]


def test_an_installation_on_the_old_branches_keeps_its_halls_on_the_default(
    fresh_url: str,
) -> None:
    """A hall created before 0006 upgrades to 'no timeout of its own' (NULL)."""
    upgrade(fresh_url, "0005")
    upgrade(fresh_url, "0004")
    assert _look(fresh_url)[0] == ["0004", "0005"]  # 0003 not yet applied
    _sql(
        fresh_url,
        "INSERT INTO hall (code, name, name_en, timezone, open_weekdays, opens, closes, "
        "closed_dates, open_dates, class_weights, recall_limit, no_show_reactivate_minutes, "
        "address, phone, notice, english_voice, voice_repeat, green_channel_age, id_daily_limit) "
        "VALUES ('old', '老大厅', '', 'Asia/Shanghai', '12345', '09:00', '17:00', '[]', '[]', "
        "'{}', 3, 30, '', '', '', false, 2, 65, 4)",
    )
    upgrade(fresh_url)
    assert _look(fresh_url)[0] == [HEAD]
    rows = _sql(
        fresh_url,
        "SELECT code, voice_repeat, green_channel_age, id_daily_limit, rating_timeout_seconds "
        "FROM hall",
    )
    assert [tuple(r) for r in rows] == [("old", 2, 65, 4, None)]
    _sql(fresh_url, "UPDATE hall SET rating_timeout_seconds = 45")
    assert _sql(fresh_url, "SELECT rating_timeout_seconds FROM hall")[0][0] == 45

    command.downgrade(alembic_config(fresh_url), "0005")
    rows = _sql(fresh_url, "SELECT code, green_channel_age, id_daily_limit FROM hall")
    assert [tuple(r) for r in rows] == [("old", 65, 4)]  # the rest of the hall survives


def test_0007_and_0008_add_device_status_and_the_due_index_and_take_them_away(
    fresh_url: str,
) -> None:
    upgrade(fresh_url)
    engine = sa.create_engine(fresh_url)
    try:
        columns = {c["name"] for c in sa.inspect(engine).get_columns("devicestatus")}
        due = {i["name"]: i for i in sa.inspect(engine).get_indexes("ratingrequest")}
    finally:
        engine.dispose()
    assert {"hall_id", "role", "owner", "every_seconds", "data", "updated_at"} <= columns
    assert due["ix_ratingrequest_due"]["column_names"] == ["status", "deadline"]
    command.downgrade(alembic_config(fresh_url), "0007")
    engine = sa.create_engine(fresh_url)
    try:
        indexes = {i["name"] for i in sa.inspect(engine).get_indexes("ratingrequest")}
    finally:
        engine.dispose()
    assert "ix_ratingrequest_due" not in indexes and "ix_ratingrequest_status" in indexes
    command.downgrade(alembic_config(fresh_url), "0006")
    engine = sa.create_engine(fresh_url)
    try:
        assert "devicestatus" not in sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()
