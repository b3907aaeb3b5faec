"""Fixtures compose: settings -> database -> hub -> app -> client.

Database tests run on SQLite and on PostgreSQL (a fresh database per session on the
local server, emptied between tests).
"""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

# Cheap password hashing: the suite creates hundreds of accounts (still argon2id).
os.environ.setdefault("HALL_ARGON2_TIME_COST", "1")
os.environ.setdefault("HALL_ARGON2_MEMORY_KIB", "1024")

import psycopg
import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser
from sqlalchemy import text

from server.config import Settings
from server.demo.load import DemoResult, load_demo
from server.realtime.bus import InProcessBus
from server.services.hub import Hub
from server.store.migrate import upgrade

# Shared helpers for tests that run hub processes and browsers (tests/support/),
# importable by name under --import-mode=importlib.
sys.path.insert(0, str(Path(__file__).with_name("support")))
from hallclient import bearer
from hubprocess import chromium

from server.web.app import create_app

PG_ADMIN = os.environ.get("HALL_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
BACKENDS = ["sqlite", "postgresql"]


class FakeClock:
    """A clock the test moves by hand. Starts on a Monday, 10:00 in Shanghai."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 23, 2, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    name = f"hallq_test_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    upgrade(url)
    yield url
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "hall.db"
    upgrade(f"sqlite:///{path}")
    return path


def _truncate_pg(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
            )
        ]
        if tables:
            conn.execute(
                "TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"
            )


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        target = tmp_path / "hall.db"
        shutil.copy(template, target)
        return f"sqlite:///{target}"
    url: str = request.getfixturevalue("pg_url")
    _truncate_pg(url)
    return url


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(
        DATABASE_URL=db_url,
        devices_file=Path(__file__).resolve().parents[1] / "devices.toml",
        public_url="http://hall.test",
        day_check_seconds=3600,
    )


@pytest.fixture
def hub(settings: Settings, clock: FakeClock) -> Iterator[Hub]:
    h = Hub.create(settings, clock=clock, bus=InProcessBus())
    yield h
    h.db.dispose()


@pytest.fixture
def demo(hub: Hub) -> DemoResult:
    return load_demo(hub.db, always_open=False)


@pytest.fixture
def client(hub: Hub, demo: DemoResult) -> Iterator[TestClient]:
    with TestClient(create_app(hub.settings, hub=hub)) as c:
        yield c


@pytest.fixture
def login(client: TestClient) -> Callable[..., dict[str, str]]:
    """Sign a staff member in; returns the bearer header (the cookie is dropped)."""

    def do(staff_no: str, window: int | None = None, password: str = "demo1234") -> dict[str, str]:
        return bearer(client, staff_no, window, password)

    return do


@pytest.fixture
def kiosk(demo: DemoResult) -> dict[str, str]:
    return {"Authorization": f"Bearer {demo.device_tokens['K01']}"}


@pytest.fixture
def sql(hub: Hub) -> Callable[..., list[Any]]:
    def run(statement: str, **params: Any) -> list[Any]:
        with hub.db.read() as s:
            return list(s.execute(text(statement), params))

    return run


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's chromium, one per test module (browser tests)."""
    with chromium() as b:
        yield b
