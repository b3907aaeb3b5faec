"""The database engine and the unit of work.

SQLite (the embedded default) runs in WAL mode and every writing transaction begins
IMMEDIATE: a deferred transaction that later writes fails with "database is locked"
whatever busy_timeout says. PostgreSQL runs at READ COMMITTED; races between writers
are caught by version checks (see tickets.py and windows.py) and the whole command is retried.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from psycopg import Error as PgError  # noqa: F401  (re-exported: errors of leases.py)
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import IntegrityError as IntegrityError  # for services and web/errors.py
from sqlmodel import Session, create_engine

log = logging.getLogger(__name__)
T = TypeVar("T")
# What a readiness check asks (Database.problem): the cheapest statement that needs a
# working connection.
READINESS_QUERY = "SELECT 1"


class ConcurrentUpdate(Exception):
    """Another transaction changed a row we read; the command is retried."""


def normalise_url(url: str) -> str:
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def make_engine(url: str, *, pool_size: int = 10) -> Engine:
    url = normalise_url(url)
    if not is_sqlite(url):
        return create_engine(url, pool_pre_ping=True, pool_size=pool_size, max_overflow=20)

    path = url.split(":///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module so BEGIN is ours.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def _is_retryable(err: BaseException) -> bool:
    if isinstance(err, ConcurrentUpdate):
        return True
    if isinstance(err, DBAPIError):
        # PostgreSQL: serialization failure / deadlock detected / unique race on upsert.
        code = getattr(err.orig, "sqlstate", None)
        if code in {"40001", "40P01"}:
            return True
        if isinstance(err, OperationalError) and "database is locked" in str(err):
            return True
    return False


class Database:
    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        self.url = normalise_url(url)
        self.engine = make_engine(self.url, pool_size=pool_size)
        self._write_engine = self.engine.execution_options(sqlite_begin="IMMEDIATE")

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def read(self, *, consistent: bool = False) -> Iterator[Session]:
        """A read-only session. ``consistent``: every query sees the same committed state
        (REPEATABLE READ on PostgreSQL; an SQLite read transaction already does)."""
        engine = self.engine
        if consistent and self.dialect == "postgresql":
            engine = engine.execution_options(isolation_level="REPEATABLE READ")
        with Session(engine, expire_on_commit=False) as session:
            yield session

    def write(self, work: Callable[[Session], T], *, attempts: int = 30) -> T:
        """Run ``work`` in one transaction and commit it; retry it whole on a write race.

        ``work`` must not commit: this is the unit of work. Any other error rolls back
        everything ``work`` did, so nothing is half-written.
        """
        for attempt in range(1, attempts + 1):
            with Session(self._write_engine, expire_on_commit=False) as session:
                try:
                    result = work(session)
                    session.commit()
                    return result
                except Exception as err:
                    session.rollback()
                    if attempt == attempts or not _is_retryable(err):
                        raise
                    log.debug("retrying after write race (%s), attempt %d", err, attempt)
            # Jitter spreads out writers that collided on the same rows.
            time.sleep(random.uniform(0, 0.002 * attempt))
        raise AssertionError("unreachable")

    def problem(self) -> str | None:
        """None when the database answers a trivial query, else why it does not."""
        try:
            with self.read() as session:
                session.execute(text(READINESS_QUERY))
        except SQLAlchemyError as err:
            return str(err)
        return None

    def dispose(self) -> None:
        self.engine.dispose()


def to_db_time(moment: datetime) -> datetime:
    """Columns are timezone-aware (SQLModel's UTCDateTime): always hand them UTC."""
    return moment.astimezone(UTC)


def from_db_time(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def db_time(moment: datetime | None) -> datetime:
    """A column that is never NULL, as an aware UTC time."""
    out = from_db_time(moment)
    assert out is not None
    return out
