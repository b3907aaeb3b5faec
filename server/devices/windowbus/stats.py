"""Health figures of a bus and its devices, for the hub's status page and logs."""

from __future__ import annotations

from dataclasses import dataclass, field

from .codec import LineQuality
from .handler import DeviceRef


@dataclass(slots=True)
class DeviceStats:
    device: DeviceRef
    online: bool = False  # the port is open; devices are not polled, so no better proof
    last_seen: float | None = None  # wall clock (time.time()) of the last valid uplink
    firmware: int | None = None  # from the last HELLO
    frames: int = 0  # valid uplinks, copies included
    retransmissions: int = 0  # copies of frames already acted on: a sign of lost acks
    events: int = 0  # handed to the handler
    rejected: int = 0  # valid frames whose content made no sense for this device
    handler_errors: int = 0
    last_push: float | None = None  # wall clock of the last state pushed to it

    def as_dict(self) -> dict[str, object]:
        return {
            "bus": self.device.bus_id,
            "address": self.device.address,
            "kind": self.device.kind.config_name,
            "window": self.device.window,
            "online": self.online,
            "last_seen": self.last_seen,
            "firmware": self.firmware,
            "frames": self.frames,
            "retransmissions": self.retransmissions,
            "events": self.events,
            "rejected": self.rejected,
            "handler_errors": self.handler_errors,
            "last_push": self.last_push,
        }


@dataclass(slots=True)
class BusStats:
    bus_id: str
    port: str
    online: bool = False
    opened: int = 0  # successful opens, the first one included
    lost: int = 0  # times the port went away
    last_error: str | None = None
    acks_sent: int = 0
    frames_sent: int = 0  # downlink state frames, acks excluded
    frames_discarded: int = 0  # queued downlink dropped because the port went away
    echoes: int = 0  # our own frames heard back (local_echo adapters)
    foreign_frames: int = 0  # downlink-type frames not from us
    unknown_address: int = 0
    line: LineQuality = field(default_factory=LineQuality)
    devices: dict[int, DeviceStats] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "bus": self.bus_id,
            "port": self.port,
            "online": self.online,
            "opened": self.opened,
            "lost": self.lost,
            "last_error": self.last_error,
            "acks_sent": self.acks_sent,
            "frames_sent": self.frames_sent,
            "frames_discarded": self.frames_discarded,
            "echoes": self.echoes,
            "foreign_frames": self.foreign_frames,
            "unknown_address": self.unknown_address,
            "line": self.line.as_dict(),
            "devices": [d.as_dict() for d in self.devices.values()],
        }
