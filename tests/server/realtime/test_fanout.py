"""The fan-out on its own: ordering, gaps, slow and dead clients, silent loss."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest

from server.realtime.bus import HubEvent, InProcessBus
from server.realtime.fanout import Fanout
from server.realtime.remote import resync_all

HALL = 7
pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class FakeSocket:
    """A websocket peer: records what it is sent; may stop reading (stall) or vanish."""

    def __init__(self, name: str = "") -> None:
        self.name = name
        self.sent: list[dict[str, Any]] = []
        self.frames = 0
        self.inbox: asyncio.Queue[str] = asyncio.Queue()
        self.stalled = asyncio.Event()
        self.stall = False
        self.closed = False
        self.received = asyncio.Event()

    async def send_text(self, data: str) -> None:
        if self.stall:
            self.stalled.set()
            await asyncio.sleep(3600)  # a client that stopped reading: the send never ends
        msg = json.loads(data)
        self.frames += 1
        self.sent.extend(msg["items"] if msg["type"] == "batch" else [msg])
        self.received.set()

    async def receive_text(self) -> str:
        return await self.inbox.get()

    async def close(self, code: int = 1000, reason: str | None = None) -> None:
        self.closed = True

    def events(self) -> list[int]:
        return [m["seq"] for m in self.sent if m["type"] == "event"]

    def snapshots(self) -> list[int]:
        return [m["seq"] for m in self.sent if m["type"] == "snapshot"]


class World:
    """The database side as the fan-out sees it: a sequence and a snapshot loader."""

    def __init__(self) -> None:
        self.seq = 0
        self.loads = 0

    def snapshot(self, hall_id: int) -> dict[str, Any]:
        self.loads += 1
        return {"type": "snapshot", "seq": self.seq, "state": {"hall": hall_id}}

    def seqs(self, hall_ids: list[int]) -> dict[int, int]:
        return {h: self.seq for h in hall_ids}

    def event(self) -> HubEvent:
        self.seq += 1
        return HubEvent(hall_id=HALL, kind="called", data={"n": self.seq}, seq=self.seq)


async def until(cond: Any, within: float = 3.0) -> None:
    end = time.monotonic() + within
    while not cond():
        if time.monotonic() > end:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)


def make(world: World, **kw: Any) -> tuple[InProcessBus, Fanout]:
    bus = InProcessBus()
    opts: dict[str, Any] = {"gap_wait": 0.2, "ping_seconds": 3600, "check_seconds": 3600}
    opts.update(kw)
    return bus, Fanout(bus, world.snapshot, world.seqs, **opts)


async def connect(fanout: Fanout, sock: FakeSocket) -> asyncio.Task[None]:
    task = asyncio.create_task(fanout.serve(sock, HALL, sock.name))
    await until(lambda: sock.snapshots())
    return task


async def test_events_follow_the_snapshot_in_order_without_duplicates() -> None:
    world = World()
    world.seq = 5
    bus, fanout = make(world)
    await fanout.start()
    sock = FakeSocket()
    task = await connect(fanout, sock)
    e6, e7, e8 = world.event(), world.event(), world.event()
    bus.publish([e6])
    bus.publish([e8])  # early: held until 7 arrives
    bus.publish([e7])
    bus.publish([e7])  # heard twice (own event back through the bus): dropped
    await until(lambda: len(sock.events()) == 3)
    await asyncio.sleep(0.05)
    assert sock.snapshots() == [5]
    assert sock.events() == [6, 7, 8]
    task.cancel()
    await fanout.stop()


async def test_events_that_arrive_together_go_out_as_one_frame() -> None:
    world = World()
    bus, fanout = make(world)
    await fanout.start()
    sock = FakeSocket()
    task = await connect(fanout, sock)
    frames_before = sock.frames
    bus.publish([world.event(), world.event(), world.event()])  # one commit's events
    await until(lambda: sock.events() == [1, 2, 3])
    assert sock.frames == frames_before + 1
    bus.publish([world.event()])
    await until(lambda: sock.events() == [1, 2, 3, 4])
    assert sock.frames == frames_before + 2
    assert sock.sent[-1]["type"] == "event"  # a lone event is not wrapped
    task.cancel()
    await fanout.stop()


async def test_a_gap_that_does_not_fill_resyncs_every_client() -> None:
    world = World()
    bus, fanout = make(world)
    await fanout.start()
    a, b = FakeSocket("a"), FakeSocket("b")
    tasks = [await connect(fanout, a), await connect(fanout, b)]
    world.event()  # seq 1 committed but its message is lost
    e2 = world.event()
    bus.publish([e2])
    await until(lambda: len(a.snapshots()) == 2 and len(b.snapshots()) == 2)
    assert a.snapshots() == [0, 2] and b.snapshots() == [0, 2]
    assert a.events() == [] and b.events() == []
    bus.publish([world.event()])  # and carries on from there
    await until(lambda: a.events() == [3] and b.events() == [3])
    for t in tasks:
        t.cancel()
    await fanout.stop()


async def test_a_stalled_client_never_delays_the_others_and_is_dropped() -> None:
    world = World()
    bus, fanout = make(world, send_timeout=0.5, queue_size=64)
    await fanout.start()
    slow = FakeSocket("slow")
    fast = [FakeSocket(f"f{i}") for i in range(20)]
    slow_task = await connect(fanout, slow)
    tasks = [await connect(fanout, s) for s in fast]
    slow.stall = True
    started = time.monotonic()
    for _ in range(50):
        bus.publish([world.event()])
    await until(lambda: all(len(s.events()) == 50 for s in fast), within=2.0)
    took = time.monotonic() - started
    assert took < 0.4, f"fast clients waited {took:.2f}s for a stalled one"
    assert slow.stalled.is_set()
    await until(lambda: slow_task.done(), within=2.0)  # closed after send_timeout
    assert slow.closed
    assert fanout.client_count() == 20
    for t in tasks:
        t.cancel()
    await fanout.stop()


async def test_a_client_that_falls_behind_gets_a_snapshot_instead() -> None:
    world = World()
    bus, fanout = make(world, queue_size=4)
    await fanout.start()
    sock = FakeSocket()
    task = await connect(fanout, sock)
    gate = asyncio.Event()
    original = sock.send_text

    async def slow_send(data: str) -> None:
        await gate.wait()
        await original(data)

    sock.send_text = slow_send  # type: ignore[method-assign]
    for _ in range(30):
        bus.publish([world.event()])
        await asyncio.sleep(0.005)  # separate commits: separate frames, the queue overflows
    await asyncio.sleep(0.1)
    gate.set()
    await until(lambda: sock.snapshots()[-1:] == [30] or (sock.events()[-1:] == [30]))
    await asyncio.sleep(0.1)
    # Whatever it received is consistent: after the last snapshot, only later events in order.
    last_snap = max(i for i, m in enumerate(sock.sent) if m["type"] == "snapshot")
    after = [m["seq"] for m in sock.sent[last_snap + 1 :] if m["type"] == "event"]
    assert after == list(range(sock.sent[last_snap]["seq"] + 1, 31))
    assert len(sock.snapshots()) >= 2
    task.cancel()
    await fanout.stop()


async def test_client_asks_for_resync() -> None:
    world = World()
    bus, fanout = make(world)
    await fanout.start()
    sock = FakeSocket()
    task = await connect(fanout, sock)
    await sock.inbox.put(json.dumps({"type": "resync"}))
    await until(lambda: len(sock.snapshots()) == 2)
    await sock.inbox.put("not json")  # ignored, not fatal
    bus.publish([world.event()])
    await until(lambda: sock.events() == [1])
    task.cancel()
    await fanout.stop()


async def test_periodic_check_catches_a_silent_loss() -> None:
    world = World()
    _bus, fanout = make(world, check_seconds=0.1)
    await fanout.start()
    sock = FakeSocket()
    task = await connect(fanout, sock)
    for _ in range(3):
        world.event()  # committed elsewhere; the listener heard nothing
    await until(lambda: sock.snapshots()[-1] == 3, within=2.0)
    task.cancel()
    await fanout.stop()


async def test_a_new_business_day_clears_the_boards() -> None:
    world = World()
    day = {"d": "2026-11-23"}
    bus, fanout = make(world, check_seconds=0.05, load_days=lambda ids: {HALL: day["d"]})
    await fanout.start()
    sock = FakeSocket()
    task = await connect(fanout, sock)
    await asyncio.sleep(0.2)
    assert sock.snapshots() == [0]  # same day, nothing behind: no snapshot
    day["d"] = "2026-11-24"
    await until(lambda: len(sock.snapshots()) == 2)
    await asyncio.sleep(0.2)
    assert len(sock.snapshots()) == 2  # once per new day
    bus.publish([world.event()])
    await until(lambda: sock.events() == [1])
    task.cancel()
    await fanout.stop()


async def test_listener_reconnect_resyncs_everyone() -> None:
    world = World()
    bus, fanout = make(world)
    await fanout.start()
    sock = FakeSocket()
    task = await connect(fanout, sock)
    world.event()
    world.event()
    bus.deliver([resync_all()])
    await until(lambda: sock.snapshots() == [0, 2])
    task.cancel()
    await fanout.stop()


async def test_many_clients_share_one_snapshot_load() -> None:
    world = World()
    world.seq = 9
    _bus, fanout = make(world)
    await fanout.start()
    socks = [FakeSocket(str(i)) for i in range(200)]
    tasks = [asyncio.create_task(fanout.serve(s, HALL, s.name)) for s in socks]
    await until(lambda: all(s.snapshots() == [9] for s in socks))
    assert world.loads <= 2
    for t in tasks:
        t.cancel()
    await fanout.stop()
