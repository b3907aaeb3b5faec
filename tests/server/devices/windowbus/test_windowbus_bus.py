"""The bus owner over real pseudo-terminals, against the device simulator."""

from __future__ import annotations

import asyncio
import contextlib
import os
import tty
from typing import Any

import pytest

from server.devices.windowbus import (
    DeviceKind,
    DeviceRef,
    DeviceState,
    KeyCommand,
    KeypadState,
    RatingLevel,
    RatingPadState,
    RatingReason,
    WindowBus,
    WindowBusGroup,
)
from server.devices.windowbus.protocol import Key, key_frame, rating_frame
from server.devices.windowbus.simulator import DeviceSimulator, Faults
from server.devices.windowbus.simulator.commands import Uplink, parse

KEYPAD, PAD = DeviceKind.KEYPAD, DeviceKind.RATING_PAD
# Eight different key frames: a frame repeats only after a full cycle, which the
# pacing below keeps longer than the 1.5 s retransmission window.
KEY_CYCLE = "n r e p t x h b"
EXPECTED = {
    "n": KeyCommand.CALL_NEXT,
    "r": KeyCommand.RECALL,
    "e": KeyCommand.REQUEST_RATING,
    "p": KeyCommand.PAUSE_TOGGLE,
    "t": KeyCommand.TRANSFER_BACK,
    "x": KeyCommand.NO_SHOW,
    "h": KeyCommand.HOLD,
    "b": KeyCommand.CALL_BACK,
}
RATING_CYCLE = "5 4 3 2 1 2/1 2/2 1/3 1/4 2/5 1/6"


@pytest.mark.slow
def test_lossy_line_every_press_executed_exactly_once(wb: Any, recorder: Any, states: Any) -> None:
    keypads = [1, 3, 5, 7]
    pad = 2
    presses_per_keypad = 12

    async def clerk(sim: DeviceSimulator, address: int) -> list[str]:
        tokens = (KEY_CYCLE.split() * 2)[:presses_per_keypad]
        for token in tokens:
            command = parse(token)[0]
            assert isinstance(command, Uplink)
            await sim.send(address, command.frame(address))
            await asyncio.sleep(0.2)
        return tokens

    async def citizen(sim: DeviceSimulator) -> list[str]:
        tokens = RATING_CYCLE.split()
        for token in tokens:
            command = parse(token)[0]
            assert isinstance(command, Uplink)
            await sim.send(pad, command.frame(pad))
            await asyncio.sleep(0.1)
        return tokens

    async def main() -> None:
        devices = [(a, KEYPAD) for a in keypads] + [(pad, PAD)]
        faults = Faults(drop_acks=0.3, noise=0.2, split=True, seed=7)
        async with (
            DeviceSimulator(devices, faults=faults) as sim,
            WindowBus(wb.config(sim.path, devices), recorder, states) as bus,
        ):
            await wb.eventually(lambda: bus.online)
            results = await asyncio.gather(*(clerk(sim, a) for a in keypads), citizen(sim))
            await asyncio.sleep(0.1)
            stats = bus.stats()
        for address, tokens in zip(keypads, results[:-1], strict=True):
            got = [command for a, command in recorder.keys if a == address]
            assert got == [EXPECTED[t] for t in tokens]
        rated = [(lvl, reason) for a, lvl, reason in recorder.ratings if a == pad]
        assert len(rated) == len(results[-1])
        assert rated[5] == (RatingLevel.DISSATISFIED, RatingReason.ATTITUDE)
        # The faults really happened: acks were ignored and noise was dropped.
        assert sum(v.acks_ignored for v in sim.views) > 10
        assert sum(d.retransmissions for d in stats.devices.values()) > 10
        assert stats.line.bytes_dropped > 50

    wb.run(main(), timeout=40)


def test_hello_gets_the_state_pushed_again(wb: Any, recorder: Any, states: Any) -> None:
    async def main() -> None:
        devices = [(1, KEYPAD), (2, PAD)]
        async with (
            DeviceSimulator(devices) as sim,
            WindowBus(wb.config(sim.path, devices), recorder, states) as bus,
        ):
            await wb.eventually(lambda: sim.view(1).displays >= 1)
            assert sim.view(1).waiting == "000"
            states.keypads[1] = KeypadState(7, "A123")
            states.pads[2] = RatingPadState("A123")
            sim.hello(1)
            sim.hello(2)
            # Pushed on HELLO, not by the 8 s refresh.
            took = await wb.eventually(
                lambda: sim.view(1).ticket == "123" and sim.view(2).rating_lit, 1.0
            )
            assert took < 1.0
            assert (sim.view(1).waiting, sim.view(2).rating_ticket) == ("007", "123")
            assert sorted(recorder.hellos) == [(1, 1), (2, 1)]
            assert bus.stats().devices[1].firmware == 1

    wb.run(main())


def test_every_device_is_refreshed_periodically(wb: Any, recorder: Any, states: Any) -> None:
    async def main() -> None:
        devices = [(1, KEYPAD), (2, PAD)]
        async with DeviceSimulator(devices) as sim:
            config = wb.config(sim.path, devices)
            async with WindowBus(config, recorder, states, refresh_interval=0.3):
                await wb.eventually(lambda: sim.view(1).displays >= 1)
                await asyncio.sleep(1.0)
                assert sim.view(1).displays >= 3
                assert sim.view(2).rate_stops >= 3

    wb.run(main())


def test_stop_releases_the_port_for_the_next_owner(wb: Any, recorder: Any, states: Any) -> None:
    async def main() -> None:
        devices = [(1, KEYPAD)]
        async with DeviceSimulator(devices) as sim:
            config = wb.config(sim.path, devices)
            async with WindowBus(config, recorder, states) as first:
                await wb.eventually(lambda: first.online)
            # The port is opened exclusively: still held, the next bus could not open it.
            async with WindowBus(config, recorder, states) as second:
                await wb.eventually(lambda: second.online, 1.0)
                assert second.stats().last_error is None

    wb.run(main())


def test_handler_failure_does_not_stop_the_bus(wb: Any, recorder: Any, states: Any) -> None:
    async def main() -> None:
        devices = [(1, KEYPAD)]
        recorder.fail_next = 1
        async with (
            DeviceSimulator(devices) as sim,
            WindowBus(wb.config(sim.path, devices), recorder, states) as bus,
        ):
            await wb.eventually(lambda: bus.online)
            first = await sim.send(1, key_frame(1, Key.CALL))
            second = await sim.send(1, key_frame(1, Key.RECALL))
            await wb.eventually(lambda: len(recorder.keys) == 2)
            assert first.acked and second.acked
            assert bus.stats().devices[1].handler_errors == 1

    wb.run(main())


def test_frames_acked_but_not_acted_on(wb: Any, recorder: Any, states: Any) -> None:
    async def main() -> None:
        devices = [(1, KEYPAD), (2, PAD), (9, KEYPAD)]
        configured = [(1, KEYPAD), (2, PAD)]  # 9 is not in devices.toml
        sim = DeviceSimulator(devices)
        await sim.start(hello=False)
        try:
            async with WindowBus(wb.config(sim.path, configured), recorder, states) as bus:
                await wb.eventually(lambda: bus.online)
                presses = [
                    await sim.send(1, key_frame(1, Key.CANCEL)),  # ignored key
                    await sim.send(9, key_frame(9, Key.CALL)),  # unknown address
                    await sim.send(2, key_frame(2, Key.CALL)),  # a key from a rating pad
                    await sim.send(1, rating_frame(1, 5)),  # a rating from a keypad
                ]
                await asyncio.sleep(0.05)
                assert all(p.acked and p.sends == 1 for p in presses)
                assert recorder.keys == [] and recorder.ratings == []
                stats = bus.stats()
                assert stats.unknown_address == 1
                assert stats.devices[2].rejected == 1 and stats.devices[1].rejected == 1
        finally:
            await sim.close()

    wb.run(main())


def test_local_echo_adapter_does_not_loop(wb: Any, recorder: Any, states: Any) -> None:
    """An adapter that hears itself: the hub must not take its own ack for a frame."""

    async def main() -> None:
        master, slave = os.openpty()
        tty.setraw(slave)
        os.set_blocking(master, False)
        loop = asyncio.get_running_loop()

        def echo() -> None:  # the line plays back whatever the hub sends
            with contextlib.suppress(BlockingIOError):
                os.write(master, os.read(master, 4096))

        loop.add_reader(master, echo)
        try:
            config = wb.config(os.ttyname(slave), [(1, KEYPAD)], local_echo=True)
            async with WindowBus(config, recorder, None) as bus:
                await wb.eventually(lambda: bus.online)
                os.write(master, key_frame(1, Key.CALL))
                await wb.eventually(lambda: len(recorder.keys) == 1)
                await asyncio.sleep(0.3)
                stats = bus.stats()
                assert stats.acks_sent == 1 and stats.echoes == 10
        finally:
            loop.remove_reader(master)
            os.close(master)
            os.close(slave)

    wb.run(main())


def test_one_bus_down_does_not_affect_another(
    wb: Any, recorder: Any, states: Any, tmp_path: Any
) -> None:
    async def main() -> None:
        devices = [(1, KEYPAD)]
        async with DeviceSimulator(devices) as sim:
            good = wb.config(sim.path, devices).model_copy(update={"id": "good"})
            dead = wb.config(str(tmp_path / "no-such-port"), devices).model_copy(
                update={"id": "dead"}
            )
            async with WindowBusGroup([dead, good], recorder, states) as group:
                await wb.eventually(lambda: group.buses["good"].online)
                await sim.send(1, key_frame(1, Key.CALL))
                await wb.eventually(lambda: recorder.keys == [(1, KeyCommand.CALL_NEXT)])
                found = group.find(1, KEYPAD)
                assert found is not None and found[0].id == "dead"  # first match wins
                by_id = {s.bus_id: s for s in group.stats()}
                assert not by_id["dead"].online and "no-such-port" in str(by_id["dead"].last_error)
                assert not by_id["dead"].devices[1].online and by_id["good"].devices[1].online

    wb.run(main())


def test_state_provider_failure_does_not_stop_refreshes(wb: Any, recorder: Any) -> None:
    async def broken_for_keypad(device: DeviceRef) -> DeviceState | None:
        if device.kind is KEYPAD:
            raise RuntimeError("the hub's database is down")
        if device.address == 2:
            return KeypadState(1, None)  # wrong kind of state for a rating pad
        return RatingPadState(None)

    async def main() -> None:
        devices = [(1, KEYPAD), (2, PAD), (3, PAD)]
        async with DeviceSimulator(devices) as sim:
            config = wb.config(sim.path, devices)
            async with WindowBus(config, recorder, broken_for_keypad, refresh_interval=0.2):
                await asyncio.sleep(0.8)
                press = await sim.send(1, key_frame(1, Key.CALL))
                assert press.acked
                await wb.eventually(lambda: len(recorder.keys) == 1)
                assert sim.view(1).displays == 0 and sim.view(2).rate_stops == 0
                assert sim.view(3).rate_stops >= 3  # the others are still refreshed

    wb.run(main())
