"""Electing the one hub process that drives a hall's devices of one kind.

``hall serve --workers 4`` runs four processes. A network printer serves one session at
a time (two processes printing to it make each other time out); a serial port opens in
one process only, and four connections to a ``socket://`` bus gateway would each
acknowledge and carry out every key press. So one process owns each kind of device: on
SQLite (one machine) the holder of an exclusive lock on a file next to the database, on
PostgreSQL (one or several machines) the holder of a session advisory lock. The others
try again every few seconds and take over when the owner goes away.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import logging
import os
import tempfile
import threading
from pathlib import Path
from typing import IO, Any, Protocol

import psycopg

from server.store.db import is_sqlite

log = logging.getLogger(__name__)

_LOCK_SPACE = 0x50524E54  # our advisory lock keys, apart from anyone else's


class _Generation:
    """``try_acquire`` runs in a worker thread that a stopping hub does not wait for: a
    ``release`` that comes while it runs must win, or the lock (a connection, a file) is
    taken after its owner let go and outlives it. Each release starts a new generation;
    an attempt begun in an older one gives back what it took."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._generation = 0

    def _current(self) -> int:
        with self._guard:
            return self._generation

    def _next(self) -> None:
        with self._guard:
            self._generation += 1


class OwnerLock(Protocol):
    def try_acquire(self) -> bool: ...

    async def held(self) -> None:
        """Returns if the lock is lost."""

    def release(self) -> None: ...


class FileOwnerLock(_Generation):
    """SQLite (one machine): an exclusive ``flock`` on a file next to the database.

    The kernel releases it when the process dies; it is never lost while we live.
    """

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self._file: IO[str] | None = None

    def try_acquire(self) -> bool:
        if self._file is not None:
            return True
        generation = self._current()
        handle = self.path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        handle.truncate(0)
        handle.write(str(os.getpid()))
        handle.flush()
        with self._guard:
            if generation == self._generation:
                self._file = handle
                return True
        handle.close()  # released meanwhile
        return False

    async def held(self) -> None:
        await asyncio.Event().wait()

    def release(self) -> None:
        self._next()
        if self._file is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None


class PgOwnerLock(_Generation):
    """PostgreSQL (one or several machines): a session advisory lock on a connection of
    its own. It is lost with that connection, which is checked every few seconds."""

    def __init__(self, url: str, key: str, *, check_seconds: float) -> None:
        super().__init__()
        self.url = url.replace("postgresql+psycopg://", "postgresql://", 1)
        self.name = key
        self.key = int.from_bytes(hashlib.sha256(key.encode()).digest()[:4], "big") >> 1
        self.check_seconds = check_seconds
        self.conn: psycopg.Connection[tuple[Any, ...]] | None = None

    def try_acquire(self) -> bool:
        if self.conn is not None:
            return True
        generation = self._current()
        try:
            conn = psycopg.connect(self.url, autocommit=True, connect_timeout=5)
        except psycopg.Error as err:
            log.warning("owner lock %s: database unreachable: %s", self.name, err)
            return False
        try:
            row = conn.execute(
                "SELECT pg_try_advisory_lock(%s, %s)", (_LOCK_SPACE, self.key)
            ).fetchone()
        except psycopg.Error as err:
            conn.close()
            log.warning("owner lock %s: database unreachable: %s", self.name, err)
            return False
        if row and row[0]:
            with self._guard:
                if generation == self._generation:
                    self.conn = conn
                    return True
        conn.close()  # not ours, or released meanwhile (closing ends the lock's session)
        return False

    async def held(self) -> None:
        while True:
            await asyncio.sleep(self.check_seconds)
            try:
                await asyncio.to_thread(self._ping)
            except psycopg.Error as err:
                log.error("owner lock %s lost with its connection: %s", self.name, err)
                return

    def _ping(self) -> None:
        assert self.conn is not None
        self.conn.execute("SELECT 1")

    def release(self) -> None:
        self._next()
        if self.conn is not None:
            with contextlib.suppress(psycopg.Error):
                self.conn.close()  # ending the session releases the lock
            self.conn = None


def owner_lock(database_url: str, role: str, hall: str, *, check_seconds: float = 5.0) -> OwnerLock:
    """The lock that elects the one hub process driving a hall's ``role`` devices
    ("printers", "windowbus")."""
    if is_sqlite(database_url):
        path = database_url.split(":///", 1)[-1]
        if not path or path == ":memory:":  # a private database: a private lock
            return FileOwnerLock(
                Path(tempfile.gettempdir()) / f"hall-{os.getpid()}.{role}-{hall}.lock"
            )
        db = Path(path).resolve()
        return FileOwnerLock(db.with_name(f"{db.name}.{role}-{hall}.lock"))
    return PgOwnerLock(database_url, f"{role}:{hall}", check_seconds=check_seconds)
