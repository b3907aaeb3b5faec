"""Alembic on a fresh SQLite file and a fresh PostgreSQL database: one head, the
per-hall rating timeout (0006, which also merges the 0003/0004/0005 branches), and
its downgrade; the items' search words (0009); the audit log (0010) and its guard."""

from __future__ import annotations

import json
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


HEAD = "0013"


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


def test_0010_adds_the_append_only_audit_log_and_takes_it_away(fresh_url: str) -> None:
    upgrade(fresh_url)
    _sql(
        fresh_url,
        "INSERT INTO auditentry (at, actor_kind, actor_label, actor_name, address, action, "
        "entity_kind, entity_key, result) VALUES ('2026-11-23 02:00:00', 'cli', 'cli', '', "
        "'cli', 'staff.create', 'staff', 'A1', 'ok')",
    )
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        _sql(fresh_url, "UPDATE auditentry SET entity_key = 'A2'")
    command.downgrade(alembic_config(fresh_url), "0009")
    engine = sa.create_engine(normalise_url(fresh_url), poolclass=sa.pool.NullPool)
    try:
        assert "auditentry" not in sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()
    # Up again: the downgrade left nothing behind (PostgreSQL's trigger function too).
    upgrade(fresh_url)
    assert _look(fresh_url)[0] == [HEAD]


def test_0009_gives_the_items_already_there_no_search_words(fresh_url: str) -> None:
    upgrade(fresh_url, "0008")
    _sql(
        fresh_url,
        "INSERT INTO hall (id, code, name, name_en, timezone, open_weekdays, opens, closes, "
        "closed_dates, open_dates, class_weights, recall_limit, no_show_reactivate_minutes, "
        "address, phone, notice, english_voice, voice_repeat, green_channel_age, id_daily_limit) "
        "VALUES (1, 'old', '老大厅', '', 'Asia/Shanghai', '12345', '09:00', '17:00', '[]', '[]', "
        "'{}', 3, 30, '', '', '', false, 1, 70, 3)",
    )
    _sql(fresh_url, "INSERT INTO department (id, hall_id, code, name, name_en) "
         "VALUES (1, 1, 'MZJ', '民政局', '')")  # fmt: skip
    _sql(
        fresh_url,
        "INSERT INTO queue (id, hall_id, code, prefix, name, name_en, start_number, width, "
        "issue_hours, default_service_minutes, sort, active) "
        "VALUES (1, 1, 'F', 'F', '综合窗口', '', 1, 3, '[]', 10, 0, true)",
    )
    _sql(
        fresh_url,
        "INSERT INTO serviceitem (hall_id, department_id, queue_id, code, name, name_en, "
        "pinyin_initials, life_events, hot, guide, active) "
        "VALUES (1, 1, 1, 'F01', '结婚登记', '', 'jhdj', '[]', 0, '{}', true)",
    )
    upgrade(fresh_url)
    rows = _sql(fresh_url, "SELECT code, aliases, keywords FROM serviceitem")
    # PostgreSQL's driver decodes JSON; SQLite's gives the text.
    decoded = [(code, *(json.loads(v) if isinstance(v, str) else v for v in (a, k)))
               for code, a, k in rows]  # fmt: skip
    assert decoded == [("F01", [], [])]

    command.downgrade(alembic_config(fresh_url), "0008")
    engine = sa.create_engine(fresh_url)
    try:
        columns = {c["name"] for c in sa.inspect(engine).get_columns("serviceitem")}
    finally:
        engine.dispose()
    assert "aliases" not in columns and "keywords" not in columns and "pinyin_initials" in columns


def test_0011_turns_opening_hours_into_office_hours_and_back(fresh_url: str) -> None:
    """A hall's weekdays and hours become the same office hours, with no break, and its
    other settings start at their defaults; the downgrade gives the old columns back."""
    upgrade(fresh_url, "0008")
    _sql(
        fresh_url,
        "INSERT INTO hall (code, name, name_en, timezone, open_weekdays, opens, closes, "
        "closed_dates, open_dates, class_weights, recall_limit, no_show_reactivate_minutes, "
        "address, phone, notice, english_voice, voice_repeat, green_channel_age, id_daily_limit) "
        "VALUES ('old', '老大厅', '', 'Asia/Shanghai', '123456', '08:30', '17:30', "
        "'[\"2026-12-31\"]', '[]', '{}', 3, 30, '', '', '', false, 1, 70, 3), "
        "('odd', '怪大厅', '', 'Asia/Shanghai', '17', '99:99', '12:00', '[]', '[]', "
        "'{}', 3, 30, '', '', '', false, 1, 70, 3)",
    )
    upgrade(fresh_url)
    _versions, columns = _look(fresh_url)
    assert {"opens", "closes", "open_weekdays"}.isdisjoint(columns)
    engine = sa.create_engine(normalise_url(fresh_url), poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text(
                    "SELECT code, office_hours, ticket_hours, languages, version, region, "
                    "unrated_stays_unrated, closed_at, closed_dates FROM hall ORDER BY code"
                )
            ).all()
            tables = sa.inspect(conn).get_table_names()
    finally:
        engine.dispose()

    def load(value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value

    old = rows[1]
    assert old.code == "old"
    assert load(old.office_hours) == {d: [["08:30", "17:30"]] for d in "123456"}
    assert load(old.ticket_hours) == {} and load(old.languages) == ["zh", "en"]
    assert (old.version, old.region, bool(old.unrated_stays_unrated), old.closed_at) == (
        1,
        "",
        True,
        None,
    )
    assert load(old.closed_dates) == ["2026-12-31"]
    # An hour that does not read as a time falls back to 9:00 (or 17:00), on the hall's
    # own weekdays.
    assert load(rows[0].office_hours) == {"1": [["09:00", "12:00"]], "7": [["09:00", "12:00"]]}
    assert "holidaycalendar" in tables

    command.downgrade(alembic_config(fresh_url), "0008")
    rows = _sql(fresh_url, "SELECT code, open_weekdays, opens, closes FROM hall ORDER BY code")
    assert [tuple(r) for r in rows] == [
        ("odd", "17", "09:00", "12:00"),
        ("old", "123456", "08:30", "17:30"),
    ]
