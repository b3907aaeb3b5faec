"""The hub adapter over real pseudo-terminals, against the device simulator and a real
database (SQLite and PostgreSQL): keys become the clerk screen's commands under the
clerk signed in at the window, displays follow every change, and device trouble stays
out of the queue."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from sqlmodel import select

from server.demo.load import DemoResult
from server.devices.window_devices import WindowDevices, owner_lock
from server.devices.windowbus import BusConfig, DeviceKind
from server.devices.windowbus.protocol import Key, key_frame
from server.devices.windowbus.simulator import DeviceSimulator
from server.devices.windowbus_hub import WindowBusHub
from server.realtime.bus import HubEvent
from server.services import accounts, device_alerts, tickets, windows
from server.services.audit import Actor
from server.services.hub import Hub
from server.store import halls as hall_store
from server.store import tables as t

KEYPAD, PAD = DeviceKind.KEYPAD, DeviceKind.RATING_PAD
# Window 4 and 5 each have a keypad and a rating pad; address 9 is a keypad configured
# for a window the hall does not have.
DEVICES = [(1, KEYPAD), (2, PAD), (3, KEYPAD), (4, PAD), (9, KEYPAD)]
WINDOW_OF = {1: 4, 2: 4, 3: 5, 4: 5, 9: 99}


def bus_config(port: str, bus_id: str = "hall-1f") -> BusConfig:
    return BusConfig.model_validate(
        {
            "id": bus_id,
            "port": port,
            "devices": [
                {"address": a, "kind": k.config_name, "window": WINDOW_OF[a]} for a, k in DEVICES
            ],
        }
    )


def hall_id(hub: Hub) -> int:
    with hub.db.read() as s:
        hall = hall_store.hall_by_code(s, "demo")
        assert hall.id is not None
        return hall.id


def sign_in(hub: Hub, staff_no: str, window: int) -> int:
    _, principal = accounts.login(
        hub,
        hall_code="demo",
        staff_no=staff_no,
        password="demo1234",
        window_number=window,
        actor=Actor.anonymous("test"),
    )
    return principal.staff_id


def issue(hub: Hub, n: int, item: str = "B03") -> list[str]:
    hid = hall_id(hub)
    return [tickets.issue_ticket(hub, hall_id=hid, item_code=item).code for _ in range(n)]


async def view(hub: Hub, number: int) -> windows.WindowView:
    return await asyncio.to_thread(
        windows.get_window_view, hub, hall_id=hall_id(hub), number=number
    )


async def press(sim: DeviceSimulator, address: int, key: Key, digit: int | None = None) -> None:
    result = await sim.send(address, key_frame(address, key, digit))
    assert result.acked


def test_keys_run_the_window_commands_under_the_signed_in_clerk(
    hub: Hub, demo: DemoResult, wb: Any
) -> None:
    clerk = sign_in(hub, "C004", 4)
    issue(hub, 3)

    async def main() -> None:
        async with (
            DeviceSimulator(DEVICES) as sim,
            WindowBusHub(hub, "demo", [bus_config(sim.path)]) as adapter,
        ):
            keypad = sim.view(1)

            async def key(k: Key, digit: int | None = None, *, done: int) -> windows.WindowView:
                await press(sim, 1, k, digit)
                await wb.eventually(lambda: adapter.counters.done == done)
                return await view(hub, 4)

            # HELLO at power-on gets the display: three waiting, nobody served yet.
            await wb.eventually(lambda: (keypad.waiting, keypad.ticket) == ("003", "   "), 5)
            v = await key(Key.CALL, done=1)
            assert v.current is not None and v.current.code == "B001"
            assert v.clerk_staff_no == "C004"
            await wb.eventually(lambda: (keypad.waiting, keypad.ticket) == ("002", "001"))
            v = await key(Key.RECALL, done=2)
            assert v.current is not None and v.current.recall_count == 1
            v = await key(Key.CONFIRM, 0x00, done=3)  # 挂起
            assert v.current is None and [h.code for h in v.held] == ["B001"]
            await wb.eventually(lambda: keypad.ticket == "   ")
            v = await key(Key.CONFIRM, 0x03, done=4)  # 回呼
            assert v.current is not None and v.current.code == "B001"
            v = await key(Key.TRANSFER, done=5)  # back to its queue, keeping its place
            assert v.current is None and [w.code for w in v.waiting] == ["B001", "B002", "B003"]
            await wb.eventually(lambda: (keypad.waiting, keypad.ticket) == ("003", "   "))
            assert (await key(Key.PAUSE, done=6)).paused
            await asyncio.sleep(1.6)  # the same key again is a new press only after 1.5 s
            await press(sim, 1, Key.CALL)  # refused while paused: a beep, nothing else
            await wb.eventually(lambda: keypad.beeps == 1)
            await asyncio.sleep(1.6)
            assert not (await key(Key.PAUSE, done=7)).paused
            await press(sim, 1, Key.CONFIRM, 0x06)  # 弃号 with nothing called: refused
            await wb.eventually(lambda: keypad.beeps == 2)
            await asyncio.sleep(1.6)
            assert (await key(Key.CALL, done=8)).current is not None
            await wb.eventually(lambda: keypad.ticket == "001")
            assert (await key(Key.CONFIRM, 0x06, done=9)).current is None
            await wb.eventually(lambda: (keypad.waiting, keypad.ticket) == ("002", "   "))
            # The other window's keypad followed the queue it shares with window 4.
            await wb.eventually(lambda: sim.view(3).waiting == "002")
            # A device configured for a window the hall lacks stays dark, harmlessly.
            assert sim.view(9).displays == 0
            counters = adapter.counters
        assert (counters.done, counters.refused, counters.nobody) == (9, 2, 0)
        with hub.db.read() as s:
            events = list(s.exec(select(t.TicketEvent).where(t.TicketEvent.kind != "issued")))
        assert events and {e.clerk_id for e in events} == {clerk}
        assert [e.kind for e in events] == [
            "called",
            "recalled",
            "held",
            "called_back",
            "transferred",
            "window_paused",
            "window_resumed",
            "called",
            "no_show",
        ]

    wb.run(main(), timeout=40)


def test_nobody_signed_in_gets_a_beep_and_nothing_happens(
    hub: Hub, demo: DemoResult, wb: Any, caplog: pytest.LogCaptureFixture
) -> None:
    sign_in(hub, "C004", 4)
    issue(hub, 2)
    caplog.set_level(logging.INFO, logger="server.devices.windowbus_hub")

    async def main() -> None:
        async with (
            DeviceSimulator(DEVICES) as sim,
            WindowBusHub(hub, "demo", [bus_config(sim.path)]) as adapter,
        ):
            keypad = sim.view(3)  # window 5: nobody there
            await wb.eventually(lambda: keypad.waiting == "002", 5)
            await press(sim, 3, Key.CALL)
            await wb.eventually(lambda: keypad.beeps == 1)
            await press(sim, 3, Key.REQUEST_RATING)
            await wb.eventually(lambda: keypad.beeps == 2)
            assert adapter.counters.nobody == 2 and adapter.counters.done == 0
            assert (await view(hub, 5)).current is None
            assert keypad.ticket == "   " and keypad.waiting == "002"
        assert "nobody signed in" in caplog.text

    wb.run(main())


def test_a_double_press_of_call_next_is_one_call(hub: Hub, demo: DemoResult, wb: Any) -> None:
    sign_in(hub, "C004", 4)
    issue(hub, 3)

    async def main() -> None:
        async with (
            DeviceSimulator(DEVICES) as sim,
            WindowBusHub(hub, "demo", [bus_config(sim.path)]) as adapter,
        ):
            keypad = sim.view(1)
            await wb.eventually(lambda: keypad.waiting == "003", 5)
            await press(sim, 1, Key.CALL)
            await asyncio.sleep(0.3)
            # A digit brushed before 呼叫 makes a different frame, so the bus's
            # retransmission filter does not catch it: this is the clerk's double press.
            await press(sim, 1, Key.CALL, 5)
            await wb.eventually(lambda: adapter.counters.double_presses == 1)
            await asyncio.sleep(0.2)
            v = await view(hub, 4)
            assert v.current is not None and v.current.code == "B001"
            assert [w.code for w in v.waiting] == ["B002", "B003"]
            await asyncio.sleep(1.6)
            await press(sim, 1, Key.CALL)  # a deliberate second call, later
            await wb.eventually(lambda: keypad.ticket == "002" and adapter.counters.done == 2)
            assert adapter.counters.double_presses == 1

    wb.run(main())


def test_a_lost_port_is_alerted_and_the_queue_goes_on(
    hub: Hub, demo: DemoResult, wb: Any, pty_link: Any
) -> None:
    sign_in(hub, "C004", 4)
    issue(hub, 2)
    pty_link.plug()

    async def main() -> None:
        alerts: list[HubEvent] = []
        sub = hub.bus.subscribe(hall_id(hub))

        async def watch() -> None:
            while True:
                event = await sub.get()
                if event.kind == "device_alert":
                    alerts.append(event)

        watcher = asyncio.create_task(watch())
        async with (
            DeviceSimulator(DEVICES, port=pty_link.device) as sim,
            WindowBusHub(hub, "demo", [bus_config(pty_link.hub)]) as adapter,
        ):
            await wb.eventually(lambda: sim.view(1).waiting == "002", 5)
            await asyncio.to_thread(pty_link.unplug)
            await wb.eventually(lambda: not adapter.group.buses["hall-1f"].online)
            # Coming online at start raised nothing; the loss is one alert.
            await wb.eventually(lambda: [a.data["cleared"] for a in alerts] == [False])
            offline = alerts[-1]
            assert offline.seq > 0 and offline.data["device"] == "bus:hall-1f"
            assert offline.data["level"] == "error" and offline.data["kind"] == "offline"
            assert "4、5、99号窗口的设备离线" in offline.data["message_zh"]
            # The clerk screen keeps working while the keypads are gone.
            clerk = await asyncio.to_thread(
                windows.run_command,
                hub,
                hall_id=hall_id(hub),
                window_number=4,
                clerk_id=None,
                command=windows.call_next,
            )
            assert clerk.called == "B001"
            await asyncio.to_thread(pty_link.plug)
            await wb.eventually(lambda: adapter.group.buses["hall-1f"].online, 5)
            # Back online, the keypad is told what happened meanwhile.
            await wb.eventually(
                lambda: (sim.view(1).waiting, sim.view(1).ticket) == ("001", "001"), 12
            )
            await wb.eventually(lambda: [a.data["cleared"] for a in alerts] == [False, True])
            # Listed for the supervisors until acknowledged.
            [listed] = await asyncio.to_thread(device_alerts.open_alerts, hub, hall_id=hall_id(hub))
            assert listed["device"] == "bus:hall-1f" and not listed["active"]
            assert listed["detail"] == pty_link.hub
        watcher.cancel()
        hub.bus.unsubscribe(sub)

    wb.run(main(), timeout=40)


def test_only_one_hub_process_owns_the_buses(hub: Hub, demo: DemoResult, wb: Any) -> None:
    async def main() -> None:
        async with DeviceSimulator(DEVICES) as sim:
            config = [bus_config(sim.path)]
            first = WindowDevices(hub, "demo", config, retry_seconds=0.1)
            second = WindowDevices(
                hub, "demo", config, lock=owner_lock(hub, "demo"), retry_seconds=0.1
            )
            await first.start()
            await wb.eventually(lambda: first.owner.is_set(), 5)
            await second.start()
            await asyncio.sleep(0.5)
            assert not second.owner.is_set() and second.adapter is None
            await first.stop()
            await wb.eventually(lambda: second.owner.is_set(), 5)
            assert second.adapter is not None
            await wb.eventually(
                lambda: second.adapter is not None and second.adapter.group.buses["hall-1f"].online,
                5,
            )
            await second.stop()
            assert not second.owner.is_set()

    wb.run(main())


@pytest.mark.slow
def test_on_a_lossy_line_every_key_press_is_carried_out_exactly_once(
    hub: Hub, demo: DemoResult, wb: Any
) -> None:
    """30 % of acknowledgements lost and 20 % noise: devices retransmit, and still every
    press becomes exactly one command in the database."""
    from server.devices.windowbus.simulator import Faults

    sign_in(hub, "C004", 4)
    sign_in(hub, "C005", 5)
    issue(hub, 4)
    presses = [
        (Key.CALL, None),
        (Key.RECALL, None),
        (Key.CONFIRM, 0x00),  # hold
        (Key.CONFIRM, 0x03),  # call back
        (Key.CONFIRM, 0x06),  # no-show
    ]

    async def clerk(sim: DeviceSimulator, address: int) -> None:
        for key, digit in presses:
            await sim.send(address, key_frame(address, key, digit))
            await asyncio.sleep(0.3)

    async def main() -> None:
        faults = Faults(drop_acks=0.3, noise=0.2, split=True, seed=11)
        async with (
            DeviceSimulator(DEVICES, faults=faults) as sim,
            WindowBusHub(hub, "demo", [bus_config(sim.path)]) as adapter,
        ):
            await wb.eventually(lambda: adapter.group.buses["hall-1f"].online, 5)
            await asyncio.gather(clerk(sim, 1), clerk(sim, 3))
            await wb.eventually(lambda: adapter.counters.done == 10, 10)
            await asyncio.sleep(0.5)
            stats = adapter.stats()[0]
        assert sum(d.retransmissions for d in stats.devices.values()) > 0
        assert stats.line.bytes_dropped > 0
        assert (adapter.counters.refused, adapter.counters.double_presses) == (0, 0)
        with hub.db.read() as s:
            rows = list(s.exec(select(t.TicketEvent).where(t.TicketEvent.kind != "issued")))
            numbers = {w.id: w.number for w in s.exec(select(t.Window))}
        for window in (4, 5):
            assert [e.kind for e in rows if numbers.get(e.window_id) == window] == [
                "called",
                "recalled",
                "held",
                "called_back",
                "no_show",
            ]

    wb.run(main(), timeout=60)


def test_device_states_show_what_each_window_may_call(hub: Hub, demo: DemoResult) -> None:
    from server.devices.windowbus import KeypadState, RatingPadState
    from server.services.device_states import device_states

    clerk = sign_in(hub, "C004", 4)
    issue(hub, 3)
    hid = hall_id(hub)

    def act(window: int, command: windows.Command) -> None:
        windows.run_command(hub, hall_id=hid, window_number=window, clerk_id=clerk, command=command)

    act(4, windows.call_next)  # B001
    act(4, windows.transfer(queue_code=None, window_number=5))  # B001 now waits for window 5
    act(4, windows.call_next)  # B002
    act(4, windows.call_next)  # finishes B002 (its rating request opens), calls B003
    roles = [(4, KEYPAD), (5, KEYPAD), (4, PAD), (5, PAD), (99, KEYPAD)]
    assert device_states(hub, hid, roles) == {
        (4, KEYPAD): KeypadState(0, "B003"),
        (5, KEYPAD): KeypadState(1, None),  # B001, transferred to window 5 only
        (4, PAD): RatingPadState("B002"),
        (5, PAD): RatingPadState(None),
    }
