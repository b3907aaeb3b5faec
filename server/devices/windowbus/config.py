"""The window-bus part of the hall's ``devices.toml`` (the hub reads the file).

```toml
[[bus]]
id = "hall-1f"
port = "/dev/ttyUSB0"          # or "socket://10.0.0.31:4001" for an RS-485 gateway
baudrate = 9600
# simulated = true             # instead of a port: the hub simulates these devices on a
#                              # pseudo-terminal (demo and training; /admin/window-devices)
devices = [
  { address = 1, kind = "keypad", window = 1 },
  { address = 2, kind = "rating_pad", window = 1 },
]
```
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .codec import MAX_ADDRESS, MIN_ADDRESS
from .protocol import DEVICE_KINDS_BY_NAME, DeviceKind

STANDARD_BAUDRATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)


class DeviceConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    address: int = Field(ge=MIN_ADDRESS, le=MAX_ADDRESS)
    kind: Literal["keypad", "rating_pad"]
    window: int = Field(ge=1, description="window number as shown to citizens")

    @property
    def device_kind(self) -> DeviceKind:
        return DEVICE_KINDS_BY_NAME[self.kind]

    def describe(self) -> str:
        return f"window {self.window} {self.kind} (address {self.address})"


class BusConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    port: str = Field(default="", description="serial device path or socket://host:port")
    # No hardware: the hub plays the devices itself on a pseudo-terminal it creates
    # (the demo, training, trying a configuration). ``port`` is then left out.
    simulated: bool = False
    baudrate: int = 9600
    # Set for adapters that hear their own transmission; the hub then discards the
    # echo of each frame it sent instead of taking its own ack for a device frame.
    local_echo: bool = False
    devices: list[DeviceConfig] = Field(default_factory=list)

    @field_validator("port")
    @classmethod
    def _check_port(cls, port: str) -> str:
        if "://" not in port:
            return port
        parts = urlsplit(port)
        if parts.scheme != "socket":
            raise ValueError(f"{port!r}: only socket://host:port URLs are supported")
        try:
            number = parts.port
        except ValueError:
            number = None
        if not parts.hostname or number is None or not 0 < number < 65536:
            raise ValueError(f"{port!r}: expected socket://host:port with a port 1..65535")
        return port

    @field_validator("baudrate")
    @classmethod
    def _check_baudrate(cls, baudrate: int) -> int:
        if baudrate not in STANDARD_BAUDRATES:
            raise ValueError(f"baudrate {baudrate} is not one of {STANDARD_BAUDRATES}")
        return baudrate

    @model_validator(mode="after")
    def _check_port_given(self) -> BusConfig:
        if self.simulated and self.port:
            raise ValueError(
                f"bus {self.id!r}: a simulated bus has no port (remove port or simulated)"
            )
        if not self.simulated and not self.port:
            raise ValueError(
                f"bus {self.id!r}: port is required (a serial device such as /dev/ttyUSB0, "
                "socket://host:port, or simulated = true)"
            )
        return self

    @model_validator(mode="after")
    def _check_devices(self) -> BusConfig:
        by_address: dict[int, DeviceConfig] = {}
        by_role: dict[tuple[int, str], DeviceConfig] = {}
        for device in self.devices:
            other = by_address.setdefault(device.address, device)
            if other is not device:
                raise ValueError(
                    f"bus {self.id!r}: address {device.address} is given to both "
                    f"{other.describe()} and {device.describe()}"
                )
            twin = by_role.setdefault((device.window, device.kind), device)
            if twin is not device:
                raise ValueError(
                    f"bus {self.id!r}: window {device.window} has two {device.kind} devices "
                    f"(addresses {twin.address} and {device.address})"
                )
        return self

    def device(self, address: int) -> DeviceConfig | None:
        return next((d for d in self.devices if d.address == address), None)


def check_buses(buses: list[BusConfig]) -> None:
    """Rules across buses (raises ValueError): unique ids and ports, and a window's
    keypad or rating pad configured on one bus only. The hub's configuration, which
    reads the file, calls it from its own validator."""
    ids: set[str] = set()
    ports: set[str] = set()
    roles: dict[tuple[int, str], str] = {}
    for bus in buses:
        if bus.id in ids:
            raise ValueError(f"bus id {bus.id!r} is used twice")
        if bus.port and bus.port in ports:
            raise ValueError(f"port {bus.port!r} is given to two buses")
        ids.add(bus.id)
        if bus.port:
            ports.add(bus.port)
        for device in bus.devices:
            first = roles.setdefault((device.window, device.kind), bus.id)
            if first != bus.id:
                raise ValueError(
                    f"window {device.window} has a {device.kind} on bus {first!r} "
                    f"and another on bus {bus.id!r}"
                )
