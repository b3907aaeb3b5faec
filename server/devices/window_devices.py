"""Starting the hall's window buses with the hub, in exactly one hub process.

``hall serve --workers 4`` runs four processes; a serial port can be opened by one of
them only, and four connections to a ``socket://`` gateway would each acknowledge and
carry out every key press. So the processes elect an owner (``owner.OwnerElection``,
as the printers do); the others try again every few seconds and take over when the
owner goes away.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from datetime import UTC, datetime
from typing import Any, cast

from server.hardware import HallsHardware
from server.services.background import Background, Loop
from server.services.device_status import StatusPublisher
from server.services.hub import Hub

from .owner import OwnerElection, OwnerLock
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
        self.adapter: WindowBusHub | None = None
        self.simulated: SimulatedBuses | None = None  # while this process owns the buses
        self.owner = asyncio.Event()
        # What _step_down stops, kept from the moment each is made.
        self._adapter: WindowBusHub | None = None
        self._simulated: SimulatedBuses | None = None
        self._loops: Background | None = None
        self._election = OwnerElection(
            self.lock,
            name=f"window buses of hall {hall_code}",
            lead=self._lead,
            step_down=self._step_down,
            retry_seconds=retry_seconds,
        )

    async def start(self) -> None:
        await self._election.start()

    async def stop(self) -> None:
        await self._election.stop()

    async def _lead(self) -> None:
        self._simulated = SimulatedBuses(self.buses)
        self._adapter = WindowBusHub(self.hub, self.hall_code, await self._simulated.start())
        await self._adapter.start()
        self.adapter, self.simulated = self._adapter, self._simulated
        self.owner.set()
        log.info("window buses of hall %s: %s", self.hall_code, ", ".join(b.id for b in self.buses))
        self._loops = Background()
        self._loops.start(self._sharing(self._adapter))

    async def _step_down(self) -> None:
        """Also after a start that failed halfway: stops whatever was started."""
        self.owner.clear()
        adapter, simulated, loops = self._adapter, self._simulated, self._loops
        self.adapter = self.simulated = self._adapter = self._simulated = self._loops = None
        if loops is not None:
            await loops.stop()
        with contextlib.suppress(Exception):
            if adapter is not None:
                await adapter.stop()
        if simulated is not None:
            await simulated.stop()

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

    def _sharing(self, adapter: WindowBusHub) -> Loop:
        """Tell the other hub processes what this one sees, for their status pages."""
        publisher = StatusPublisher(self.hub, ROLE, STATUS_SECONDS)

        async def share() -> float:
            status = self.live_status()
            if status is not None and adapter.hall_id is not None:
                await publisher.offer(adapter.hall_id, status)
            return STATUS_SECONDS

        return Loop("sharing the window buses' status", share, lambda: STATUS_SECONDS)


async def start_window_devices(hub: Hub, halls: HallsHardware) -> dict[str, WindowDevices]:
    """Every hall's buses, started in the background, by hall code (halls without buses
    have none). A broken file was refused by ``hall serve``; here it is logged, and the
    hub runs on without that hall's keypads rather than not at all."""
    started: dict[str, WindowDevices] = {}
    for hardware in halls.halls:
        config = hardware.config
        if config is None:
            if hardware.found:
                for problem in hardware.problems:
                    log.error("window buses not started: %s", problem)
            continue
        if not config.bus:
            continue
        devices = WindowDevices(hub, config.hall, list(config.bus))
        await devices.start()
        started[config.hall] = devices
    return started
