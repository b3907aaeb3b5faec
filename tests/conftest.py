"""Fixtures compose: settings -> database -> hub -> app -> client.

Database tests run on SQLite and on PostgreSQL (a fresh database per session on the
local server, emptied between tests).
"""

from __future__ import annotations

import gc
import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

# Cheap password hashing: the suite creates hundreds of accounts (still argon2id).
os.environ.setdefault("HALL_ARGON2_TIME_COST", "1")
os.environ.setdefault("HALL_ARGON2_MEMORY_KIB", "1024")

# One clock per test, shared by every process it starts: a process started without the
# test's clock (HALL_CLOCK=file:…) refuses to tell the time and leaves a line in this file,
# which the autouse fixture below turns into a failure of the test it happened in.
os.environ["HALL_CLOCK"] = "unset:" + os.path.join(tempfile.mkdtemp(prefix="hall-"), "clock.log")

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
from testclock import FakeClock

from server.web.app import create_app

CLOCK_VIOLATIONS = Path(os.environ["HALL_CLOCK"].removeprefix("unset:"))
CLOCK_VIOLATIONS.touch()
PG_ADMIN = os.environ.get("HALL_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
BACKENDS = ["sqlite", "postgresql"]


class ClockWatch:
    """What processes of the running test reported as asking for the time without a clock."""

    def __init__(self) -> None:
        self.offset = CLOCK_VIOLATIONS.stat().st_size

    def take(self) -> str:
        """The reports so far, which the test expected (they no longer fail it)."""
        with CLOCK_VIOLATIONS.open(encoding="utf-8") as log:
            log.seek(self.offset)
            found = log.read()
        self.offset += len(found.encode("utf-8"))
        return found


@pytest.fixture(autouse=True)
def _nothing_left_open() -> Iterator[None]:
    """A connection, engine or socket left for the garbage collector fails the test that
    left it (filterwarnings=error), not whichever test happens to run when it is collected.
    The young generations after each test (a full collection costs 0.2 s with chromium's
    objects about), everything after each module."""
    yield
    gc.collect(1)


@pytest.fixture(autouse=True, scope="module")
def _nothing_left_open_by_the_module() -> Iterator[None]:
    yield
    gc.collect()


@pytest.fixture(autouse=True)
def clock_watch() -> Iterator[ClockWatch]:
    watch = ClockWatch()
    yield watch
    found = watch.take()
    if found:
        pytest.fail(f"a process of this test ran without the test's clock:\n{found}")


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
def clock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """The test's clock; processes it starts with the environment inherit it."""
    fake = FakeClock(tmp_path / "clock.json")
    monkeypatch.setenv("HALL_CLOCK", fake.spec)
    return fake


@pytest.fixture
def settings(db_url: str, tmp_path: Path, clock: FakeClock) -> Settings:
    return Settings(
        DATABASE_URL=db_url,
        clock=clock.spec,
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
