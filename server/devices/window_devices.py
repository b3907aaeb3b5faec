"""Starting the hall's window buses with the hub, in exactly one hub process.

``hall serve --workers 4`` runs four processes; a serial port can be opened by one of
them only, and four connections to a ``socket://`` gateway would each acknowledge and
carry out every key press. So the processes elect an owner: on SQLite (one machine) an
exclusive lock on a file next to the database, on PostgreSQL a session advisory lock.
The others try again every few seconds and take over when the owner goes away.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import logging
import os
import tempfile
from pathlib import Path
from typing import Protocol

import psycopg

from server.hardware import HardwareError, load_hardware
from server.services.hub import Hub
from server.store.db import is_sqlite

from .windowbus import BusConfig
from .windowbus_hub import WindowBusHub

log = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
_LOCK_SPACE = 0x57424853  # "WBHS": our advisory keys, apart from anyone else's


class OwnerLock(Protocol):
    def try_acquire(self) -> bool: ...

    async def held(self) -> None:
        """Returns when the lock is lost."""

    def release(self) -> None: ...


class FileLock:
    """An exclusive ``flock``: released by the kernel when the process dies."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def try_acquire(self) -> bool:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    async def held(self) -> None:
        await asyncio.Event().wait()  # a file lock is not lost while we live

    def release(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._fd, fcntl.LOCK_UN)
                os.close(self._fd)
            self._fd = None


class PgAdvisoryLock:
    """A session advisory lock on a connection of its own; lost with the connection."""

    def __init__(self, url: str, key: str, *, check_seconds: float = 5.0) -> None:
        self.url = url.replace("postgresql+psycopg://", "postgresql://", 1)
        self.key = int.from_bytes(hashlib.sha256(key.encode()).digest()[:4], "big") >> 1
        self.check_seconds = check_seconds
        self._conn: psycopg.Connection[tuple[object, ...]] | None = None

    def try_acquire(self) -> bool:
        try:
            conn = psycopg.connect(self.url, autocommit=True, connect_timeout=5)
        except psycopg.Error as err:
            log.warning("window bus owner: cannot reach the database: %s", err)
            return False
        row = conn.execute(
            "SELECT pg_try_advisory_lock(%s, %s)", (_LOCK_SPACE, self.key)
        ).fetchone()
        if not row or not row[0]:
            conn.close()
            return False
        self._conn = conn
        return True

    async def held(self) -> None:
        while True:
            await asyncio.sleep(self.check_seconds)
            try:
                await asyncio.to_thread(self._ping)
            except psycopg.Error as err:
                log.warning("window bus owner: lock connection lost: %s", err)
                return

    def _ping(self) -> None:
        assert self._conn is not None
        self._conn.execute("SELECT 1")

    def release(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(psycopg.Error):
                self._conn.close()  # closing the session releases the lock
            self._conn = None


def owner_lock(hub: Hub, hall_code: str) -> OwnerLock:
    url = hub.db.url
    if is_sqlite(url):
        path = url.split(":///", 1)[-1]
        base = Path(path) if path and path != ":memory:" else Path(tempfile.gettempdir()) / "hall"
        return FileLock(base.with_name(f"{base.name}.windowbus-{hall_code}.lock"))
    return PgAdvisoryLock(url, f"windowbus:{hall_code}")


class WindowDevices:
    """The hall's window buses, run by whichever hub process holds the owner lock."""

    def __init__(
        self,
        hub: Hub,
        hall_code: str,
        buses: list[BusConfig],
        *,
        lock: OwnerLock | None = None,
        retry_seconds: float = RETRY_SECONDS,
    ) -> None:
        self.hub = hub
        self.hall_code = hall_code
        self.buses = buses
        self.lock = lock or owner_lock(hub, hall_code)
        self.retry_seconds = retry_seconds
        self.adapter: WindowBusHub | None = None
        self.owner = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"window buses of {self.hall_code}")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            attempt = asyncio.ensure_future(asyncio.to_thread(self.lock.try_acquire))
            try:
                acquired = await asyncio.shield(attempt)
            except asyncio.CancelledError:
                # Stopped while the lock was being taken: a lock won meanwhile is let go.
                with contextlib.suppress(Exception):
                    if await attempt:
                        self.lock.release()
                raise
            except Exception:
                log.exception("window bus owner: cannot take the lock")
                acquired = False
            if acquired:
                await self._own()
            await asyncio.sleep(self.retry_seconds)

    async def _own(self) -> None:
        adapter = WindowBusHub(self.hub, self.hall_code, self.buses)
        try:
            await adapter.start()
            self.adapter = adapter
            self.owner.set()
            log.info(
                "window buses of hall %s: %s", self.hall_code, ", ".join(b.id for b in self.buses)
            )
            await self.lock.held()
        except asyncio.CancelledError:
            raise
        except Exception:
            # A device problem must never take the hub down; try again later.
            log.exception("window buses of hall %s stopped", self.hall_code)
        finally:
            self.owner.clear()
            self.adapter = None
            with contextlib.suppress(Exception):
                await adapter.stop()
            self.lock.release()


async def start_window_devices(hub: Hub) -> WindowDevices | None:
    """The buses of devices.toml, started in the background; None when there are none.
    A broken devices.toml was refused by ``hall serve``; here it is logged, and the hub
    runs on without its keypads rather than not at all."""
    path = Path(hub.settings.devices_file)
    if not await asyncio.to_thread(path.exists):
        return None
    try:
        hardware = await asyncio.to_thread(load_hardware, path)
    except HardwareError as err:
        for problem in err.problems:
            log.error("window buses not started: %s", problem)
        return None
    if not hardware.bus:
        return None
    devices = WindowDevices(hub, hardware.hall, list(hardware.bus))
    await devices.start()
    return devices
