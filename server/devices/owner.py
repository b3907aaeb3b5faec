"""Electing the one hub process that drives a hall's devices of one kind.

``hall serve --workers 4`` runs four processes. A network printer serves one session at
a time (two processes printing to it make each other time out); a serial port opens in
one process only, and four connections to a ``socket://`` bus gateway would each
acknowledge and carry out every key press. So one process owns each kind of device: on
SQLite (one machine) the holder of an exclusive lock on a file next to the database, on
PostgreSQL (one or several machines) the holder of a session advisory lock. The others
try again every few seconds and take over when the owner goes away.

:class:`OwnerElection` is the one loop that does this, for the printers and the window
buses alike: the device side says only how to start driving its devices and how to stop.
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
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import IO, Protocol

from server.store import leases
from server.store.db import PgError, is_sqlite

log = logging.getLogger(__name__)


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
        self.conn: leases.LeaseConnection | None = None

    def try_acquire(self) -> bool:
        if self.conn is not None:
            return True
        generation = self._current()
        try:
            conn = leases.connect(self.url)
        except PgError as err:
            log.warning("owner lock %s: database unreachable: %s", self.name, err)
            return False
        try:
            taken = leases.try_take(conn, self.key)
        except PgError as err:
            conn.close()
            log.warning("owner lock %s: database unreachable: %s", self.name, err)
            return False
        if taken:
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
            except PgError as err:
                log.error("owner lock %s lost with its connection: %s", self.name, err)
                return

    def _ping(self) -> None:
        assert self.conn is not None
        leases.check(self.conn)

    def release(self) -> None:
        self._next()
        if self.conn is not None:
            with contextlib.suppress(PgError):
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


class OwnerElection:
    """Drives a hall's devices of one kind while this process holds ``lock``.

    ``lead`` starts driving them, ``step_down`` stops (it is also called after a ``lead``
    that failed halfway, so it must cope with what was started). Neither ever takes the
    hub down: a failure is logged and the lock let go, for this or another process to
    try again ``retry_seconds`` later.
    """

    def __init__(
        self,
        lock: OwnerLock,
        *,
        name: str,
        lead: Callable[[], Awaitable[None]],
        step_down: Callable[[], Awaitable[None]],
        retry_seconds: float,
    ) -> None:
        self.lock = lock
        self.name = name
        self.retry_seconds = retry_seconds
        self.leading = False
        self._lead = lead
        self._step_down = step_down
        self._task: asyncio.Task[None] | None = None

    async def start(self, *, first_try: bool = False) -> None:
        """Campaign in the background. ``first_try``: make the first attempt now, so
        that the process that wins has its devices running before it serves."""
        if first_try and not await self.try_lead():
            log.info("the %s are driven by another hub process", self.name)
        self._task = asyncio.create_task(self._run(), name=f"owner of the {self.name}")

    async def stop(self) -> None:
        """Stop campaigning and, if leading, stop driving the devices; the lock is let go."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self._resign()

    async def try_lead(self) -> bool:
        """One attempt: take the lock and, if won, lead. Never raises but on cancel."""
        attempt = asyncio.ensure_future(asyncio.to_thread(self.lock.try_acquire))
        try:
            acquired = await asyncio.shield(attempt)
        except asyncio.CancelledError:
            # Cancelled while the lock was being taken: a lock won meanwhile is let go.
            with contextlib.suppress(Exception):
                if await attempt:
                    self.lock.release()
            raise
        except Exception:
            log.exception("%s: cannot take the owner lock", self.name)
            return False
        if not acquired:
            return False
        self.leading = True
        try:
            await self._lead()
        except asyncio.CancelledError:
            await self._resign()
            raise
        except Exception:
            log.exception("the %s could not be started; trying again later", self.name)
            await self._resign()
            return False
        log.info("this hub process now drives the %s", self.name)
        return True

    async def _run(self) -> None:
        while True:
            if self.leading:
                await self.lock.held()
                log.error(
                    "lost the owner lock of the %s: this process stops driving them", self.name
                )
                await self._resign()
                continue
            if not await self.try_lead():
                await asyncio.sleep(self.retry_seconds)

    async def _resign(self) -> None:
        leading, self.leading = self.leading, False
        try:
            if leading:
                await self._step_down()
        except Exception:
            log.exception("the %s did not stop cleanly", self.name)
        finally:
            self.lock.release()
