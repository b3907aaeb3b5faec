"""Simulated window buses (``simulated = true`` in devices.toml): the demo's keypads and
rating pads, with no hardware.

The hub creates a pseudo-terminal per simulated bus and runs the devices on its far
side with the same simulator ``hall simulate`` uses; the bus itself is driven exactly
like a real one, through the pty. The admin page /admin/window-devices shows what each
device displays and presses its keys, so a demo can show keypads and rating pads at
work.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from dataclasses import dataclass

from .windowbus import BusConfig
from .windowbus.protocol import DeviceKind
from .windowbus.simulator import DeviceSimulator
from .windowbus.simulator.commands import KEY_TOKENS, RATING_TOKEN, Uplink
from .windowbus.simulator.device import DeviceView, Press

# What the admin page offers: keypad keys (token, Chinese, English), in the order they
# sit on field keypads.
KEYPAD_KEYS: tuple[tuple[str, str, str], ...] = (
    ("n", "呼叫", "call next"),
    ("r", "重呼", "recall"),
    ("e", "评价", "rate"),
    ("x", "弃号", "no-show"),
    ("h", "挂起", "hold"),
    ("b", "回呼", "call back"),
    ("p", "暂停", "pause"),
    ("t", "转移", "transfer"),
)
assert {k for k, _, _ in KEYPAD_KEYS} <= set(KEY_TOKENS)


def _rating_ok(token: str) -> bool:
    match = RATING_TOKEN.match(token)
    # Pads send a reason only with the two dissatisfied levels.
    return match is not None and (match[2] is None or match[1] in "12")


SIBLING_WITHIN = 0.3  # seconds a press waits for the window's other device to be pushed
PRESS_WITHIN = 5.0  # a press is sent and acked (or given up, after 4 sends) well within


class UnknownDevice(LookupError):
    pass


class BadPress(ValueError):
    pass


@dataclass(frozen=True)
class SimulatedDevice:
    bus_id: str
    window: int
    view: DeviceView


class SimulatedBuses:
    """The simulators of the simulated buses among ``configs``. ``await start()``
    returns the configurations to run the buses with: a simulated bus then names the
    pty its devices sit on."""

    def __init__(self, configs: list[BusConfig], *, answer_within: float = 1.0) -> None:
        self.configs = configs
        self.answer_within = answer_within
        self.simulators: dict[str, DeviceSimulator] = {}
        self._windows: dict[tuple[str, int], int] = {}
        # Set when the hub sends a device something (a display, a beep, a rating prompt).
        self._answered: dict[tuple[str, int], asyncio.Event] = {}

    async def start(self) -> list[BusConfig]:
        resolved = []
        try:
            for config in self.configs:
                if not config.simulated:
                    resolved.append(config)
                    continue
                simulator = DeviceSimulator(
                    [(d.address, d.device_kind) for d in config.devices],
                    baudrate=config.baudrate,
                    on_change=functools.partial(self._on_change, config.id),
                )
                await simulator.start()
                self.simulators[config.id] = simulator
                for d in config.devices:
                    self._windows[(config.id, d.address)] = d.window
                resolved.append(config.model_copy(update={"port": simulator.path}))
        except BaseException:
            await self.stop()
            raise
        return resolved

    def _on_change(self, bus_id: str, view: DeviceView, what: str) -> None:
        answered = self._answered.get((bus_id, view.address))
        if answered is not None:
            answered.set()

    async def stop(self) -> None:
        for simulator in self.simulators.values():
            with contextlib.suppress(Exception):
                await simulator.close()
        self.simulators.clear()

    def devices(self) -> list[SimulatedDevice]:
        """Every simulated device, by window then kind."""
        out = [
            SimulatedDevice(bus_id, self._windows[(bus_id, view.address)], view)
            for bus_id, simulator in self.simulators.items()
            for view in simulator.views
        ]
        return sorted(out, key=lambda d: (d.window, d.view.kind, d.bus_id))

    async def press(self, bus_id: str, address: int, token: str) -> Press:
        """Press a key on a simulated device: a keypad token (see KEYPAD_KEYS), a rating
        ``1``..``5`` (``1/3``: level 1, reason 3) or ``hello`` (a power cycle).

        Returns once the hub acknowledged the press (or the device gave up) and then
        sent the device something (its new display, a beep) or ``answer_within``
        passed, so what the page shows next is, as a rule, the outcome of the press.
        """
        simulator = self.simulators.get(bus_id)
        if simulator is None or address not in {v.address for v in simulator.views}:
            raise UnknownDevice(f"{bus_id}#{address}")
        kind = simulator.view(address).kind
        if token == "hello":
            pending = simulator.hello(address)
        elif (kind is DeviceKind.KEYPAD and token in KEY_TOKENS) or (
            kind is DeviceKind.RATING_PAD and _rating_ok(token)
        ):
            pending = simulator.submit(address, Uplink(kind, token).frame(address))
        else:
            raise BadPress(token)
        # The hub answers the pressed device, and after a change at the window pushes
        # the window's other device too (评价 lights the pad): wait for both, briefly.
        window = self._windows[(bus_id, address)]
        siblings = [k for k, w in self._windows.items() if w == window and k != (bus_id, address)]
        mine = self._answered.setdefault((bus_id, address), asyncio.Event())
        theirs = [self._answered.setdefault(k, asyncio.Event()) for k in siblings]
        for event in (mine, *theirs):
            event.clear()
        try:
            # Bounded: a simulator stopped meanwhile (the buses handed to another
            # process) never finishes the press.
            async with asyncio.timeout(PRESS_WITHIN):
                press = await asyncio.shield(pending.done)
        except TimeoutError:
            raise UnknownDevice(f"{bus_id}#{address} stopped") from None
        if press.acked:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.answer_within):
                    await mine.wait()
            if theirs:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(SIBLING_WITHIN):
                        await asyncio.gather(*(e.wait() for e in theirs))
        return press
