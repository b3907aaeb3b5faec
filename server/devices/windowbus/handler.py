"""The interface between a window bus and the hub.

The bus calls a :class:`WindowBusHandler` with typed events and asks a
:data:`StateProvider` what each device should show. Both are implemented by the hub;
this package never imports the hub.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from .protocol import DeviceKind, KeyCommand, RatingLevel, RatingReason

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DeviceRef:
    """A configured device, as devices.toml maps it."""

    bus_id: str
    address: int
    kind: DeviceKind
    window: int


class WindowBusHandler(Protocol):
    """Receives what the devices did. Calls for one device come one at a time, in the
    order the device sent them; different devices may be served concurrently.
    Exceptions are logged by the bus and never stop it."""

    async def on_key(self, device: DeviceRef, command: KeyCommand) -> None:
        """A clerk pressed a command key (already de-duplicated: act on it)."""

    async def on_rating(
        self, device: DeviceRef, level: RatingLevel, reason: RatingReason | None
    ) -> None:
        """A citizen pressed a rating key. The hub decides whether a request is open."""

    async def on_hello(self, device: DeviceRef, firmware: int) -> None:
        """The device powered up. The bus pushes its state right after this returns."""

    def on_port_state(self, bus_id: str, online: bool) -> None:
        """The bus's port opened (True) or was lost (False). While it is lost every
        device on the bus is offline."""


class NullHandler:
    """A handler that only logs; subclass it to implement part of the interface."""

    async def on_key(self, device: DeviceRef, command: KeyCommand) -> None:
        log.info("%s: key %s", device, command)

    async def on_rating(
        self, device: DeviceRef, level: RatingLevel, reason: RatingReason | None
    ) -> None:
        log.info("%s: rating %s reason %s", device, level, reason)

    async def on_hello(self, device: DeviceRef, firmware: int) -> None:
        log.info("%s: hello, firmware %d", device, firmware)

    def on_port_state(self, bus_id: str, online: bool) -> None:
        log.info("bus %s: port %s", bus_id, "online" if online else "offline")


@dataclass(frozen=True, slots=True)
class KeypadState:
    """What a caller keypad shows: queue length and the ticket being served."""

    waiting: int
    ticket_number: str | None = None


@dataclass(frozen=True, slots=True)
class RatingPadState:
    """A rating pad is lit with the ticket while a rating request is open, else dark."""

    open_ticket_number: str | None = None


DeviceState = KeypadState | RatingPadState

# Asked for a device's current state when the port comes back, on HELLO, on
# ``WindowBus.push_state`` and at every periodic refresh; None means "leave it alone".
StateProvider = Callable[[DeviceRef], Awaitable[DeviceState | None]]
