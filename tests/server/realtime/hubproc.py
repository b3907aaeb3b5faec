"""Hub processes for multi-process tests: uvicorn on a free port, on a shared database."""

from __future__ import annotations

import os
from pathlib import Path

import psycopg
from hubprocess import HubProcess

from server.clock import SharedClock
from server.demo.load import load_demo
from server.store.db import Database

REDIS_URL = "redis://127.0.0.1:6379/0"


def hub_process(db_url: str, env: dict[str, str], log: Path, clock: SharedClock) -> HubProcess:
    """A started hub process on ``db_url`` with ``env`` over this process's environment."""
    hub = HubProcess(
        {**os.environ, **env, "DATABASE_URL": db_url}, log, clock=clock, start_timeout=30
    )
    hub.start()
    return hub


def fresh_demo(pg_url: str) -> dict[str, str]:
    """Empty the test database and load the demo hall, open around the clock."""
    with psycopg.connect(pg_url, autocommit=True) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'alembic_version'"
            )
        ]
        conn.execute(
            "TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"
        )
    db = Database(pg_url)
    try:
        return load_demo(db, always_open=True).device_tokens
    finally:
        db.dispose()


def hub_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "HALL_DEVICES_FILE": str(tmp_path / "no-devices.toml"),
        "HALL_VOICE_DIR": str(tmp_path / "voice"),
        "HALL_ARGON2_TIME_COST": "1",
        "HALL_ARGON2_MEMORY_KIB": "1024",
        "HALL_SEQ_CHECK_SECONDS": "3600",  # prove the bus itself, not the fallback check
        **extra,
    }
