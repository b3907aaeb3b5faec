"""Losing the port and getting it back: a pty that vanishes, a TCP gateway."""

from __future__ import annotations

import asyncio
import contextlib
import os
import tty
from typing import Any

import pytest

from server.devices.windowbus import DeviceKind, KeyCommand, KeypadState, WindowBus
from server.devices.windowbus.protocol import Key, key_frame
from server.devices.windowbus.simulator import DeviceSimulator

KEYPAD = DeviceKind.KEYPAD


@pytest.mark.slow
def test_unplug_and_replug_recovers_within_five_seconds(
    wb: Any, recorder: Any, states: Any, pty_link: Any
) -> None:
    async def main() -> None:
        pty_link.plug()
        devices = [(1, KEYPAD)]
        states.keypads[1] = KeypadState(3, "A001")
        async with (
            DeviceSimulator(devices, port=pty_link.device) as sim,
            WindowBus(wb.config(pty_link.hub, devices), recorder, states) as bus,
        ):
            await wb.eventually(lambda: sim.view(1).ticket == "001", 5)
            await sim.send(1, key_frame(1, Key.CALL))
            await wb.eventually(lambda: len(recorder.keys) == 1)

            pty_link.unplug()  # the cable is pulled: both paths disappear
            await wb.eventually(lambda: recorder.port_states[-1] is False, 2)
            stats = bus.stats()
            assert not stats.online and not stats.devices[1].online
            states.keypads[1] = KeypadState(4, "A002")  # the hall moved on meanwhile
            await asyncio.sleep(1.5)  # several failed reopen attempts

            pty_link.plug()
            loop = asyncio.get_running_loop()
            replugged = loop.time()
            # Back online, the keypad is told the current state without asking...
            await wb.eventually(lambda: sim.view(1).ticket == "002", 5)
            # ... and its presses work again.
            await sim.send(1, key_frame(1, Key.RECALL))
            await wb.eventually(lambda: len(recorder.keys) == 2, 5)
            assert loop.time() - replugged < 5.0
            assert recorder.keys[-1] == (1, KeyCommand.RECALL)
            stats = bus.stats()
            assert stats.online and stats.lost == 1 and stats.opened == 2

    wb.run(main(), timeout=30)


class Gateway:
    """An RS-485-to-Ethernet gateway: one TCP client at a time, bytes copied to and
    from a serial line (here the simulator's pty)."""

    def __init__(self, serial_path: str) -> None:
        self.serial_path = serial_path
        self.connections = 0
        self.writer: asyncio.StreamWriter | None = None
        self.server: asyncio.Server | None = None
        self.sessions: set[asyncio.Task[Any]] = set()

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return int(self.server.sockets[0].getsockname()[1])

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self.writer = writer
        task = asyncio.current_task()
        assert task is not None
        self.sessions.add(task)
        loop = asyncio.get_running_loop()
        fd = os.open(self.serial_path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
        tty.setraw(fd)

        def from_line() -> None:
            with contextlib.suppress(BlockingIOError):
                writer.write(os.read(fd, 4096))

        loop.add_reader(fd, from_line)
        try:
            while data := await reader.read(4096):
                os.write(fd, data)
        except ConnectionError:
            pass
        finally:
            loop.remove_reader(fd)
            os.close(fd)
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    def drop_client(self) -> None:
        assert self.writer is not None
        self.writer.transport.abort()

    async def close(self) -> None:
        assert self.server is not None
        self.server.close()
        if self.writer is not None:
            self.writer.transport.abort()
        await asyncio.gather(*self.sessions, return_exceptions=True)
        await self.server.wait_closed()


def test_socket_gateway(wb: Any, recorder: Any, states: Any) -> None:
    async def main() -> None:
        devices = [(1, KEYPAD)]
        states.keypads[1] = KeypadState(12, "B077")
        async with DeviceSimulator(devices) as sim:
            gateway = Gateway(sim.path)
            port = await gateway.start()
            try:
                config = wb.config(f"socket://127.0.0.1:{port}", devices)
                async with WindowBus(config, recorder, states) as bus:
                    await wb.eventually(lambda: sim.view(1).ticket == "077")
                    press = await sim.send(1, key_frame(1, Key.CALL))
                    assert press.acked and press.sends == 1
                    await wb.eventually(lambda: recorder.keys == [(1, KeyCommand.CALL_NEXT)])

                    gateway.drop_client()  # the gateway reboots / the network blips
                    await wb.eventually(lambda: False in recorder.port_states)
                    await wb.eventually(lambda: gateway.connections == 2 and bus.online, 5)
                    await sim.send(1, key_frame(1, Key.RECALL))
                    await wb.eventually(lambda: len(recorder.keys) == 2)
            finally:
                await gateway.close()

    wb.run(main())


def test_a_device_side_that_comes_up_after_the_port_still_gets_its_display(
    wb: Any, recorder: Any, states: Any, pty_link: Any
) -> None:
    """The hub's port opens first and pushes the display into a line nobody listens to
    yet (an adapter's far side, a gateway's serial port coming up a moment later): the
    push is repeated shortly after the open, not left to the 8 s refresh."""

    async def main() -> None:
        pty_link.plug()
        devices = [(1, KEYPAD)]
        states.keypads[1] = KeypadState(7, "A042")
        async with WindowBus(wb.config(pty_link.hub, devices), recorder, states) as bus:
            await wb.eventually(lambda: bus.online, 5)
            await wb.eventually(lambda: bus.stats().frames_sent >= 1, 2)  # pushed, unheard
            await asyncio.sleep(0.5)
            sim = DeviceSimulator(devices, port=pty_link.device)
            await sim.start(hello=False)  # a cable replugged, not a power cycle: no HELLO
            try:
                took = await wb.eventually(lambda: sim.view(1).ticket == "042", 4)
                # ... yet well before the periodic refresh would have come.
                assert took < bus.refresh_interval - 2
                assert sim.view(1).waiting == "007"
            finally:
                await sim.close()

    wb.run(main(), timeout=30)


def test_a_bus_stopped_at_any_moment_of_opening_stops(wb: Any, recorder: Any, states: Any) -> None:
    """Stopping a bus must never hang, even when the stop lands just as the port opens
    (on Python 3.11, asyncio.wait_for could swallow that cancellation and leave the bus
    serving its port forever: a hub that never finished shutting down)."""

    async def main() -> None:
        devices = [(1, KEYPAD)]
        loop = asyncio.get_running_loop()
        async with DeviceSimulator(devices) as sim:
            for attempt in range(150):
                bus = WindowBus(wb.config(sim.path, devices), recorder, states)
                await bus.start()
                # From "before the open" to "well after it", a little later each time.
                await asyncio.sleep((attempt % 50) * 0.0002)
                started = loop.time()
                async with asyncio.timeout(3):
                    await bus.stop()
                assert loop.time() - started < 3

    wb.run(main(), timeout=120)
