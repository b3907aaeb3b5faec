"""Simulated caller keypads and rating pads behaving like the field devices.

Each device sends an uplink, waits 300 ms for the hub to echo it, and sends it again
up to 3 more times; later presses wait their turn. Downlink frames change what the
device shows. Faults can be injected to exercise the hub: acks ignored, noise bytes
between frames, frames split across writes.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from ..codec import Frame, FrameDecoder
from ..link import BITS_PER_BYTE
from ..protocol import DeviceKind, Function, hello_frame, render_digits
from .channel import Channel, PortChannel, PtyChannel

ACK_TIMEOUT = 0.3
RETRIES = 3
SPLIT_GAP = 0.004  # pause between the pieces of a split frame, well inside 100 ms


@dataclass(frozen=True)
class Faults:
    drop_acks: float = 0.0  # share of acks the device pretends it did not hear
    noise: float = 0.0  # share of uplink bytes that are noise, sent between frames
    split: bool = False  # write each frame in several pieces
    seed: int | None = None


@dataclass
class Press:
    """One uplink and what became of it."""

    address: int
    frame: bytes
    sends: int = 0
    acked: bool = False
    first_sent: float | None = None  # loop time the first copy started on the wire
    acked_at: float | None = None  # loop time the ack was heard
    done: asyncio.Future[Press] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


@dataclass
class DeviceView:
    """What a person looking at the device would see."""

    address: int
    kind: DeviceKind
    waiting: str = "   "
    ticket: str = "   "
    rating_lit: bool = False
    rating_ticket: str = "   "
    beeps: int = 0
    displays: int = 0  # DISPLAY frames received
    rate_starts: int = 0
    rate_stops: int = 0
    acks_ignored: int = 0

    def describe(self) -> str:
        if self.kind is DeviceKind.KEYPAD:
            return f"[#{self.address} keypad] waiting {self.waiting} | serving {self.ticket}"
        if self.rating_lit:
            return f"[#{self.address} rating pad] lit for ticket {self.rating_ticket}: press 1-5"
        return f"[#{self.address} rating pad] dark"


def _show(view: DeviceView, data: bytes) -> str:
    view.displays += 1
    view.waiting, view.ticket = render_digits(data[:3]), render_digits(data[3:6])
    return "display"


def _beep(view: DeviceView, data: bytes) -> str:
    view.beeps += 1
    return "beep"


def _rate_start(view: DeviceView, data: bytes) -> str:
    view.rate_starts += 1
    view.rating_lit, view.rating_ticket = True, render_digits(data[:3])
    return "rate_start"


def _rate_stop(view: DeviceView, data: bytes) -> str:
    view.rate_stops += 1
    view.rating_lit = False
    return "rate_stop"


DOWNLINK_EFFECTS: Mapping[int, Callable[[DeviceView, bytes], str]] = MappingProxyType(
    {
        Function.DISPLAY: _show,
        Function.BEEP: _beep,
        Function.RATE_START: _rate_start,
        Function.RATE_STOP: _rate_stop,
    }
)


class _Device:
    def __init__(self, address: int, kind: DeviceKind) -> None:
        self.view = DeviceView(address, kind)
        self.outbox: asyncio.Queue[Press] = asyncio.Queue()
        self.pending: Press | None = None
        self.acked = asyncio.Event()


class DeviceSimulator:
    """Several devices sharing one line. ``port=None`` creates a pseudo-terminal."""

    def __init__(
        self,
        devices: Sequence[tuple[int, DeviceKind]],
        *,
        port: str | None = None,
        baudrate: int = 9600,
        faults: Faults | None = None,
        pace: bool = True,
        firmware: int = 1,
        ack_timeout: float = ACK_TIMEOUT,
        retries: int = RETRIES,
        on_change: Callable[[DeviceView, str], None] | None = None,
    ) -> None:
        self.faults = faults or Faults()
        self.baudrate = baudrate
        self.pace = pace
        self.firmware = firmware
        self.ack_timeout = ack_timeout
        self.retries = retries
        self._on_change = on_change
        self._rng = random.Random(self.faults.seed)
        self._devices = {address: _Device(address, kind) for address, kind in devices}
        self._decoder = FrameDecoder()
        self._poll: asyncio.TimerHandle | None = None
        self._wire = asyncio.Lock()  # one talker at a time, like the real line
        self._tasks: list[asyncio.Task[None]] = []
        self._downlink = asyncio.Event()
        self.channel: Channel = (
            PtyChannel(self._on_data)
            if port is None
            else PortChannel(port, baudrate, self._on_data)
        )

    @property
    def path(self) -> str:
        return self.channel.path

    def view(self, address: int) -> DeviceView:
        return self._devices[address].view

    @property
    def views(self) -> list[DeviceView]:
        return [d.view for d in self._devices.values()]

    async def start(self, *, hello: bool = True) -> None:
        await self.channel.start()
        for device in self._devices.values():
            self._tasks.append(asyncio.create_task(self._sender(device)))
        if hello:
            for address in self._devices:
                self.hello(address)

    async def close(self) -> None:
        if self._poll is not None:
            self._poll.cancel()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
        await self.channel.close()

    async def __aenter__(self) -> DeviceSimulator:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    def submit(self, address: int, frame: bytes) -> Press:
        """Queue an uplink; await ``press.done`` for the outcome."""
        press = Press(address, frame)
        self._devices[address].outbox.put_nowait(press)
        return press

    async def send(self, address: int, frame: bytes) -> Press:
        return await self.submit(address, frame).done

    def hello(self, address: int) -> Press:
        """Power-on announcement; a power cycle also blanks what the device showed."""
        device = self._devices[address]
        view = device.view
        view.waiting = view.ticket = view.rating_ticket = "   "
        view.rating_lit = False
        return self.submit(address, hello_frame(address, view.kind, self.firmware))

    async def wait_downlink(self) -> None:
        """Wait for the next downlink to any of these devices (the hub is there)."""
        self._downlink.clear()
        await self._downlink.wait()

    async def _sender(self, device: _Device) -> None:
        while True:
            press = await device.outbox.get()
            device.pending = press
            for _ in range(1 + self.retries):
                device.acked.clear()
                await self._transmit(press)
                try:
                    async with asyncio.timeout(self.ack_timeout):
                        await device.acked.wait()
                except TimeoutError:
                    continue
                press.acked = True
                press.acked_at = asyncio.get_running_loop().time()
                break
            device.pending = None
            press.done.set_result(press)

    async def _transmit(self, press: Press) -> None:
        async with self._wire:
            noise = self._noise(len(press.frame))
            if noise:
                await self._put(noise)
            if press.first_sent is None:
                press.first_sent = asyncio.get_running_loop().time()
            press.sends += 1
            pieces = self._pieces(press.frame) if self.faults.split else [press.frame]
            for index, piece in enumerate(pieces):
                if index:
                    await asyncio.sleep(SPLIT_GAP)
                await self._put(piece)

    async def _put(self, data: bytes) -> None:
        if self.pace:
            # A pty has no baud rate: hold the bytes for their wire time, so that the
            # hub gets them when the last one would have arrived on a real line.
            await asyncio.sleep(len(data) * BITS_PER_BYTE / self.baudrate)
        self.channel.write(data)

    def _noise(self, frame_size: int) -> bytes:
        share = self.faults.noise
        if share <= 0:
            return b""
        mean = frame_size * share / (1 - share)
        return self._rng.randbytes(self._rng.randint(0, round(2 * mean)))

    def _pieces(self, frame: bytes) -> list[bytes]:
        cuts = sorted(self._rng.sample(range(1, len(frame)), k=min(2, len(frame) - 1)))
        return [frame[a:b] for a, b in zip([0, *cuts], [*cuts, len(frame)], strict=True)]

    def _on_data(self, data: bytes, now: float) -> None:
        for frame in self._decoder.feed(data, now):
            self._on_frame(frame)
        if self._poll is not None:
            self._poll.cancel()
            self._poll = None
        deadline = self._decoder.deadline()
        if deadline is not None:
            loop = asyncio.get_running_loop()
            self._poll = loop.call_at(deadline + 0.001, lambda: self._on_data(b"", loop.time()))

    def _on_frame(self, frame: Frame) -> None:
        device = self._devices.get(frame.address)
        if device is None:
            return  # another device's frame on the shared line
        if device.pending is not None and frame.raw == device.pending.frame:
            if self._rng.random() < self.faults.drop_acks:
                device.view.acks_ignored += 1
            else:
                device.acked.set()
            return
        effect = DOWNLINK_EFFECTS.get(frame.function)
        if effect is None:
            return
        what = effect(device.view, frame.data)
        if self._on_change is not None:
            self._on_change(device.view, what)
        self._downlink.set()
