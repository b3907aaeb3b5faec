"""The hub's owner of one window bus: acks, de-duplication, dispatch and state pushes."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import logging
import math
import time
from collections.abc import Callable
from typing import Any

from .codec import Frame, FrameDecoder
from .config import BusConfig
from .dedup import RetransmissionFilter
from .handler import (
    DeviceRef,
    DeviceState,
    KeypadState,
    RatingPadState,
    StateProvider,
    WindowBusHandler,
)
from .link import PortLink
from .protocol import (
    DOWNLINK_FUNCTIONS,
    UPLINK_SENDERS,
    DeviceKind,
    HelloEvent,
    KeyEvent,
    ProtocolError,
    RatingEvent,
    UplinkEvent,
    beep,
    decode_uplink,
    display,
    rate_start,
    rate_stop,
)
from .stats import BusStats, DeviceStats

log = logging.getLogger(__name__)

REFRESH_INTERVAL = 8.0  # the contract asks for at least every 10 s; leave headroom
REFRESH_TICK = 0.5
PROVIDER_TIMEOUT = 2.0
# After the port (re)opens, every device's state is sent at once and then again after
# these pauses: the far side of the line (an adapter's other end, a gateway's serial
# port, the devices' transceivers) may come up a moment after ours, and a replugged
# cable brings no HELLO. Without this, a device would wait for the periodic refresh.
REPUSH_AFTER_OPEN = (1.0, 2.0)


class WindowBus:
    """Owns one port. Start it with ``await bus.start()`` (or ``async with``)."""

    def __init__(
        self,
        config: BusConfig,
        handler: WindowBusHandler,
        state_provider: StateProvider | None = None,
        *,
        refresh_interval: float = REFRESH_INTERVAL,
        provider_timeout: float = PROVIDER_TIMEOUT,
        wall_clock: Callable[[], float] = time.time,
        **link_options: Any,
    ) -> None:
        self.config = config
        # Stamps last_seen/last_push: the owner's clock, which a test may have set.
        self.wall_clock = wall_clock
        self.id = config.id
        self.refresh_interval = refresh_interval
        self.provider_timeout = provider_timeout
        self._handler = handler
        self._provider = state_provider
        self.devices: dict[int, DeviceRef] = {
            d.address: DeviceRef(config.id, d.address, d.device_kind, d.window)
            for d in config.devices
        }
        self._stats = BusStats(config.id, config.port)
        self._stats.devices = {a: DeviceStats(ref) for a, ref in self.devices.items()}
        self._decoder = FrameDecoder()
        self._filter = RetransmissionFilter()
        self._link = PortLink(
            config.port,
            config.baudrate,
            on_data=self._on_data,
            on_state=self._on_port_state,
            name=config.id,
            local_echo=config.local_echo,
            **link_options,
        )
        self._inbox: dict[int, asyncio.Queue[UplinkEvent]] = {}
        self._last_push: dict[int, float] = {}
        self._refresh_now = asyncio.Event()
        self._poll: asyncio.TimerHandle | None = None
        self._warned: set[int] = set()
        self._tasks: list[asyncio.Task[None]] = []
        self._repush: asyncio.Task[None] | None = None

    # --- lifecycle ------------------------------------------------------------------

    async def start(self) -> None:
        if self._tasks:
            return
        self._tasks.append(asyncio.create_task(self._link.run(), name=f"bus {self.id} port"))
        self._tasks.append(asyncio.create_task(self._refresh_loop(), name=f"bus {self.id}"))
        for address, device in self.devices.items():
            inbox: asyncio.Queue[UplinkEvent] = asyncio.Queue()
            self._inbox[address] = inbox
            self._tasks.append(asyncio.create_task(self._serve_device(device, inbox)))

    async def stop(self) -> None:
        if self._poll is not None:
            self._poll.cancel()
        if self._repush is not None:
            self._tasks.append(self._repush)
            self._repush = None
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()

    async def __aenter__(self) -> WindowBus:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def online(self) -> bool:
        return self._link.online

    def stats(self) -> BusStats:
        """A snapshot; safe to keep and serialise."""
        s = self._stats
        s.online = self._link.online
        s.opened, s.lost = self._link.opened, self._link.lost
        s.last_error = self._link.last_error
        s.frames_discarded, s.echoes = self._link.discarded, self._link.echoes
        s.line = self._decoder.quality
        return copy.deepcopy(s)

    def device_for(self, window: int, kind: DeviceKind) -> DeviceRef | None:
        return next(
            (d for d in self.devices.values() if d.window == window and d.kind == kind), None
        )

    # --- downlink -------------------------------------------------------------------

    async def push_state(self, address: int) -> bool:
        """Ask the state provider for the device's state and send it."""
        device = self.devices.get(address)
        if device is None or self._provider is None or not self._link.online:
            return False
        # Stamped before asking, so a slow provider is not asked again by the refresh.
        self._last_push[address] = asyncio.get_running_loop().time()
        try:
            async with asyncio.timeout(self.provider_timeout):
                state = await self._provider(device)
            return state is not None and self.send_state(address, state)
        except Exception:
            log.exception("window bus %s: cannot push the state of %s", self.id, device)
            return False

    def send_state(self, address: int, state: DeviceState) -> bool:
        """Send a known state (e.g. right after a change at the window)."""
        device = self.devices.get(address)
        if device is None:
            raise KeyError(f"bus {self.id}: no device at address {address}")
        match state:
            case KeypadState(waiting, ticket) if device.kind is DeviceKind.KEYPAD:
                frame = display(address, waiting, ticket)
            case RatingPadState(ticket) if device.kind is DeviceKind.RATING_PAD:
                frame = rate_stop(address) if ticket is None else rate_start(address, ticket)
            case _:
                raise TypeError(f"{type(state).__name__} does not fit {device}")
        sent = self.send_frame(frame)
        if sent:
            self._stats.devices[address].last_push = self.wall_clock()
        return sent

    def beep(self, address: int) -> bool:
        return self.send_frame(beep(address))

    def send_frame(self, frame: bytes) -> bool:
        """Queue a downlink frame (not acknowledged by devices). False while offline."""
        sent = self._link.send(frame)
        self._stats.frames_sent += sent
        return sent

    async def _refresh_loop(self) -> None:
        # Devices are never polled and drop their display on power loss without
        # always saying HELLO, so every device is told its state again periodically.
        while True:
            # asyncio.timeout: wait_for (3.11) can swallow the cancellation of stop().
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(REFRESH_TICK):
                    await self._refresh_now.wait()
            self._refresh_now.clear()
            if not self._link.online:
                continue
            now = asyncio.get_running_loop().time()
            due = [
                address
                for address in self.devices
                if now - self._last_push.get(address, -math.inf) >= self.refresh_interval
            ]
            # Concurrently, so that one slow answer cannot stretch the 10 s promise.
            await asyncio.gather(*(self.push_state(address) for address in due))

    def _on_port_state(self, online: bool) -> None:
        self._stats.online = online
        for device_stats in self._stats.devices.values():
            device_stats.online = online
        if self._repush is not None:
            self._repush.cancel()
            self._repush = None
        if online:
            self._refresh_all()  # the devices may have lost power meanwhile
            self._repush = asyncio.get_running_loop().create_task(
                self._repush_after_open(), name=f"bus {self.id} after open"
            )
        else:
            self._decoder.reset()
        try:
            self._handler.on_port_state(self.id, online)
        except Exception:
            log.exception("window bus %s: on_port_state failed", self.id)

    def _refresh_all(self) -> None:
        self._last_push.clear()
        self._refresh_now.set()

    async def _repush_after_open(self) -> None:
        for pause in REPUSH_AFTER_OPEN:
            await asyncio.sleep(pause)
            if self._link.online:
                self._refresh_all()

    # --- uplink ---------------------------------------------------------------------

    def _on_data(self, data: bytes, now: float) -> None:
        for frame in self._decoder.feed(data, now):
            self._on_frame(frame, now)
        self._schedule_poll()

    def _schedule_poll(self) -> None:
        # Nothing else wakes the decoder if a partial frame is never finished, so the
        # 100 ms completion timeout gets its own timer.
        if self._poll is not None:
            self._poll.cancel()
            self._poll = None
        deadline = self._decoder.deadline()
        if deadline is not None:
            loop = asyncio.get_running_loop()
            self._poll = loop.call_at(deadline + 0.001, lambda: self._on_data(b"", loop.time()))

    def _on_frame(self, frame: Frame, now: float) -> None:
        if frame.function in DOWNLINK_FUNCTIONS:
            self._stats.foreign_frames += 1  # a downlink is never acked, whoever sent it
            return
        # Ack first and unconditionally: the device only needs to know we heard it.
        self._link.send(frame.raw, urgent=True)
        self._stats.acks_sent += 1
        device_stats = self._stats.devices.get(frame.address)
        if device_stats is not None:
            device_stats.frames += 1
            device_stats.last_seen = self.wall_clock()
        if self._filter.is_retransmission(frame, now):
            if device_stats is not None:
                device_stats.retransmissions += 1
            return
        device = self.devices.get(frame.address)
        if device is None or device_stats is None:
            self._stats.unknown_address += 1
            if frame.address not in self._warned:
                self._warned.add(frame.address)
                log.warning("window bus %s: address %d is not configured", self.id, frame.address)
            return
        try:
            event = decode_uplink(frame)
            if device.kind not in UPLINK_SENDERS[frame.function]:
                raise ProtocolError(f"a {device.kind.config_name} does not send that")
        except ProtocolError as exc:
            device_stats.rejected += 1
            log.warning("window bus %s: %s sent %s: %s", self.id, device, frame.raw.hex(" "), exc)
            return
        if isinstance(event, KeyEvent) and event.command is None:
            return  # cancel, or confirm without a meaningful digit
        self._inbox[frame.address].put_nowait(event)

    async def _serve_device(self, device: DeviceRef, inbox: asyncio.Queue[UplinkEvent]) -> None:
        # One consumer per device keeps each device's events in order, while a slow
        # handler for one window never holds up another.
        device_stats = self._stats.devices[device.address]
        while True:
            event = await inbox.get()
            try:
                match event:
                    case KeyEvent(command=command) if command is not None:
                        await self._handler.on_key(device, command)
                    case RatingEvent(level, reason):
                        await self._handler.on_rating(device, level, reason)
                    case HelloEvent(kind, firmware):
                        if kind is not device.kind:
                            log.warning("window bus %s: %s says it is a %s", self.id, device, kind)
                        device_stats.firmware = firmware
                        await self._handler.on_hello(device, firmware)
                device_stats.events += 1
            except Exception:
                device_stats.handler_errors += 1
                log.exception("window bus %s: handler failed on %s for %s", self.id, event, device)
            if isinstance(event, HelloEvent):
                await self.push_state(device.address)
