"""Serial window bus for caller keypads (呼叫器) and rating pads (评价器).

The contract is /work/shared/protocols/window-bus.md. The hub wires this package in
through :class:`WindowBusHandler` (events in) and :data:`StateProvider` (state out);
nothing here imports the hub.
"""

from .bus import WindowBus
from .codec import Frame, FrameDecoder, FrameError, LineQuality, encode_frame, parse_frame
from .config import BusConfig, DeviceConfig, check_buses
from .group import WindowBusGroup
from .handler import (
    DeviceRef,
    DeviceState,
    KeypadState,
    NullHandler,
    RatingPadState,
    StateProvider,
    WindowBusHandler,
)
from .protocol import (
    DeviceKind,
    Function,
    KeyCommand,
    ProtocolError,
    RatingLevel,
    RatingReason,
    beep,
    display,
    rate_start,
    rate_stop,
)
from .stats import BusStats, DeviceStats

__all__ = [
    "BusConfig",
    "BusStats",
    "DeviceConfig",
    "DeviceKind",
    "DeviceRef",
    "DeviceState",
    "DeviceStats",
    "Frame",
    "FrameDecoder",
    "FrameError",
    "Function",
    "KeyCommand",
    "KeypadState",
    "LineQuality",
    "NullHandler",
    "ProtocolError",
    "RatingLevel",
    "RatingPadState",
    "RatingReason",
    "StateProvider",
    "WindowBus",
    "WindowBusGroup",
    "WindowBusHandler",
    "beep",
    "check_buses",
    "display",
    "encode_frame",
    "parse_frame",
    "rate_start",
    "rate_stop",
]
