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
import dataclasses
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from server.hardware import HardwareError, load_hardware
from server.services.device_status import StatusPublisher
from server.services.hub import Hub

from .owner import OwnerLock
from .owner import owner_lock as shared_owner_lock
from .window_sim import SimulatedBuses
from .windowbus import BusConfig
from .windowbus_hub import WindowBusHub

log = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
ROLE = "windowbus"  # the owner lock's role, and the shared status's
STATUS_SECONDS = 5.0  # how often the owner shares what it sees of the buses


def owner_lock(hub: Hub, hall_code: str) -> OwnerLock:
    return shared_owner_lock(hub.db.url, ROLE, hall_code)


def _clock(moment: object) -> str | None:
    if not isinstance(moment, (int, float)):
        return None
    return datetime.fromtimestamp(moment, UTC).isoformat(timespec="seconds")


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
        self.simulated: SimulatedBuses | None = None  # while this process owns the buses
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
        simulated = SimulatedBuses(self.buses)
        adapter: WindowBusHub | None = None
        try:
            adapter = WindowBusHub(self.hub, self.hall_code, await simulated.start())
            await adapter.start()
            self.adapter, self.simulated = adapter, simulated
            self.owner.set()
            log.info(
                "window buses of hall %s: %s", self.hall_code, ", ".join(b.id for b in self.buses)
            )
            publisher = asyncio.create_task(self._share(adapter), name="window bus status")
            try:
                await self.lock.held()
            finally:
                publisher.cancel()
        except asyncio.CancelledError:
            raise
        except Exception:
            # A device problem must never take the hub down; try again later.
            log.exception("window buses of hall %s stopped", self.hall_code)
        finally:
            self.owner.clear()
            self.adapter = self.simulated = None
            with contextlib.suppress(Exception):
                if adapter is not None:
                    await adapter.stop()
            await simulated.stop()
            self.lock.release()

    def live_status(self) -> dict[str, Any] | None:
        """Every bus's figures and each simulated device's view; None when another
        process drives the buses."""
        adapter, simulated = self.adapter, self.simulated
        if adapter is None:
            return None
        buses = []
        for stats in adapter.stats():
            bus: dict[str, Any] = stats.as_dict()
            line = stats.line
            bus["line"] = {
                **line.as_dict(),
                "frames_rejected": line.frames_rejected,
                "drop_ratio": round(line.drop_ratio, 4),
            }
            for device in cast(list[dict[str, Any]], bus["devices"]):
                device["last_seen"] = _clock(device["last_seen"])
                device["last_push"] = _clock(device["last_push"])
            buses.append(bus)
        views = []
        for d in simulated.devices() if simulated is not None else []:
            view = {k: v for k, v in dataclasses.asdict(d.view).items() if k != "kind"}
            views.append(
                {"bus": d.bus_id, "window": d.window, **view, "kind": d.view.kind.config_name}
            )
        return {"buses": buses, "simulated": views}

    async def _share(self, adapter: WindowBusHub) -> None:
        """Tell the other hub processes what this one sees, for their status pages."""
        publisher = StatusPublisher(self.hub, ROLE, STATUS_SECONDS)
        while True:
            status = self.live_status()
            if status is not None and adapter.hall_id is not None:
                await publisher.offer(adapter.hall_id, status)
            await asyncio.sleep(STATUS_SECONDS)


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
