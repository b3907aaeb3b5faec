"""Window-bus device simulator; ``python -m server.devices.windowbus.simulator --help``."""

from .cli import main
from .device import DeviceSimulator, DeviceView, Faults, Press

__all__ = ["DeviceSimulator", "DeviceView", "Faults", "Press", "main"]
