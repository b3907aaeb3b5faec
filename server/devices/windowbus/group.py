"""All the window buses of a hall, each running on its own."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

from .bus import WindowBus
from .config import BusConfig
from .handler import DeviceRef, StateProvider, WindowBusHandler
from .protocol import DeviceKind
from .stats import BusStats


class WindowBusGroup:
    """Starts one :class:`WindowBus` per configured bus. Every bus has its own port,
    tasks and counters, so one bus's trouble (a pulled cable, a dead gateway) never
    reaches another."""

    def __init__(
        self,
        configs: Iterable[BusConfig],
        handler: WindowBusHandler,
        state_provider: StateProvider | None = None,
        **bus_options: Any,
    ) -> None:
        self.buses: dict[str, WindowBus] = {
            c.id: WindowBus(c, handler, state_provider, **bus_options) for c in configs
        }

    async def start(self) -> None:
        await asyncio.gather(*(bus.start() for bus in self.buses.values()))

    async def stop(self) -> None:
        await asyncio.gather(*(bus.stop() for bus in self.buses.values()))

    async def __aenter__(self) -> WindowBusGroup:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    def find(self, window: int, kind: DeviceKind) -> tuple[WindowBus, DeviceRef] | None:
        for bus in self.buses.values():
            device = bus.device_for(window, kind)
            if device is not None:
                return bus, device
        return None

    async def push_window(self, window: int) -> None:
        """Send the window's devices their state again, e.g. after every change there."""
        for kind in DeviceKind:
            found = self.find(window, kind)
            if found is not None:
                bus, device = found
                await bus.push_state(device.address)

    def stats(self) -> list[BusStats]:
        return [bus.stats() for bus in self.buses.values()]
