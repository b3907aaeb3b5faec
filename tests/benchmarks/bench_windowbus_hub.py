"""Key press -> hub command committed -> board event, for bench_windowbus.py --hub.

    .venv/bin/python tests/benchmarks/bench_windowbus.py --hub sqlite
    .venv/bin/python tests/benchmarks/bench_windowbus.py --hub postgresql

A demo hall with ``windows`` windows (the demo's twelve and more), a clerk signed in at
each, a keypad and a rating pad per window on one 9600-baud pty bus. Simulator, hub
adapter and event subscriber share one event loop; the database work runs in worker
threads as in the hub.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import statistics
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("HALL_ARGON2_TIME_COST", "1")
os.environ.setdefault("HALL_ARGON2_MEMORY_KIB", "1024")

import psycopg
from benchkit import percentile
from sqlmodel import Session

from server.config import Settings
from server.demo.load import load_demo
from server.devices.windowbus import BusConfig, DeviceKind
from server.devices.windowbus.protocol import Key, key_frame, rating_frame
from server.devices.windowbus.simulator import DeviceSimulator, Press
from server.devices.windowbus_hub import WindowBusHub
from server.realtime.bus import HubEvent
from server.services import accounts, tickets
from server.services.accounts import Role, create_staff
from server.services.admin import set_window_queues
from server.services.audit import Actor
from server.services.hub import Hub
from server.store import halls as hall_store
from server.store import queues as queue_store
from server.store import tables as t
from server.store import windows as window_store
from server.store.migrate import upgrade

PG_ADMIN = os.environ.get("HALL_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
# What each press should make the boards hear.
EXPECTED = {"n": {"called"}, "r": {"recalled"}, "rate": {"rated", "rating_rejected"}}


@contextlib.contextmanager
def database(kind: str) -> Iterator[str]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as directory:
            url = f"sqlite:///{directory}/bench.db"
            upgrade(url)
            yield url
        return
    name = f"hall_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    try:
        upgrade(url)
        yield url
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (name,),
            )
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def prepare(hub: Hub, windows: int, tickets_per_queue: int) -> None:
    """The demo hall, grown to ``windows`` windows, a clerk at each, tickets waiting."""
    load_demo(hub.db, always_open=True)

    def grow(s: Session) -> None:
        hall = hall_store.hall_by_code(s, "demo")
        assert hall.id is not None
        existing = {w.number for w in window_store.window_rows(s, hall.id)}
        for number in range(1, windows + 1):
            if number not in existing:
                row = t.Window(hall_id=hall.id, number=number, name=f"{number}号窗口")
                s.add(row)
                s.flush()
                assert row.id is not None
                set_window_queues(s, hall.id, row.id, [("F", 1)])
            if number > 12:
                create_staff(
                    s,
                    hall_id=hall.id,
                    staff_no=f"C{number:03d}",
                    name=f"职员{number}",
                    role=Role.CLERK,
                    password="demo1234",
                )

    hub.db.write(grow)
    for number in range(1, windows + 1):
        accounts.login(
            hub,
            hall_code="demo",
            staff_no=f"C{number:03d}",
            password="demo1234",
            window_number=number,
            actor=Actor.anonymous("bench"),
        )
    with hub.db.read() as s:
        hall = hall_store.hall_by_code(s, "demo")
        assert hall.id is not None
        hall_id = hall.id
        codes = [q.code for q in queue_store.queues(s, hall_id)]
    for code in codes:
        for _ in range(tickets_per_queue):
            tickets.issue_ticket(hub, hall_id=hall_id, queue_code=code)


@dataclass
class Heard:
    events: dict[int, list[tuple[float, str]]] = field(default_factory=lambda: defaultdict(list))


async def run_hub(windows: int, rate: float, duration: float, kind: str) -> None:
    presses_per_window = int(duration * rate / windows) + 2
    with database(kind) as url:
        settings = Settings(DATABASE_URL=url, devices_file=Path("/nonexistent"))
        hub = Hub.create(settings)
        started = time.monotonic()
        await asyncio.to_thread(prepare, hub, windows, 2 * presses_per_window)
        print(f"hall prepared in {time.monotonic() - started:.1f} s ({hub.bus.name} event bus)")
        await hub.bus.start()
        devices = [(2 * w - 1, DeviceKind.KEYPAD) for w in range(1, windows + 1)]
        devices += [(2 * w, DeviceKind.RATING_PAD) for w in range(1, windows + 1)]
        entries = [
            {"address": a, "kind": k.config_name, "window": (a + 1) // 2} for a, k in devices
        ]
        heard = Heard()
        with hub.db.read() as s:
            hall_id = hall_store.hall_by_code(s, "demo").id
        sub = hub.bus.subscribe(hall_id)

        async def listen() -> None:
            loop = asyncio.get_running_loop()
            while True:
                event: HubEvent = await sub.get()
                window = event.data.get("window")
                if isinstance(window, int):
                    heard.events[window].append((loop.time(), event.kind))

        listener = asyncio.create_task(listen())
        sent: list[tuple[int, str, Press]] = []
        try:
            async with DeviceSimulator(devices) as sim:
                config = BusConfig.model_validate(
                    {"id": "bench", "port": sim.path, "devices": entries}
                )
                async with WindowBusHub(hub, "demo", [config]) as adapter:
                    await asyncio.sleep(2.0)  # port open, HELLOs answered, first pushes
                    loop = asyncio.get_running_loop()
                    cycle = ["n", "rate", "r"]
                    turn: dict[int, int] = defaultdict(int)
                    end = loop.time() + duration
                    slot = 0
                    next_at = loop.time()
                    while loop.time() < end:
                        window = slot % windows + 1
                        slot += 1
                        token = cycle[turn[window] % len(cycle)]
                        turn[window] += 1
                        if token == "rate":
                            address = 2 * window
                            frame = rating_frame(address, 5 - turn[window] % 5)
                        else:
                            address = 2 * window - 1
                            key = Key.CALL if token == "n" else Key.RECALL
                            frame = key_frame(address, key)
                        sent.append((window, token, sim.submit(address, frame)))
                        next_at += 1.0 / rate
                        await asyncio.sleep(max(0.0, next_at - loop.time()))
                    await asyncio.gather(*(p.done for _, _, p in sent))
                    await asyncio.sleep(1.0)
                    counters = adapter.counters
                    stats = adapter.stats()[0]
        finally:
            listener.cancel()
            await hub.bus.stop()
            hub.db.dispose()
    report(windows, len(devices), duration, sent, heard, counters, stats)


def report(
    windows: int,
    n_devices: int,
    duration: float,
    sent: list[tuple[int, str, Press]],
    heard: Heard,
    counters: object,
    stats: object,
) -> None:
    latencies: dict[str, list[float]] = defaultdict(list)
    missing = 0
    used: set[tuple[int, int]] = set()
    for window, token, press in sent:
        assert press.first_sent is not None
        match = next(
            (
                (i, at)
                for i, (at, kind) in enumerate(heard.events[window])
                if at >= press.first_sent and kind in EXPECTED[token] and (window, i) not in used
            ),
            None,
        )
        if match is None:
            missing += 1
            continue
        used.add((window, match[0]))
        latencies[token].append(match[1] - press.first_sent)
    total = len(sent)
    print(
        f"{windows} windows ({n_devices} devices), 9600 baud pty, {duration:.0f} s, "
        f"{total} presses ({total / duration:.1f}/s); {missing} without a board event"
    )
    everything = [v for values in latencies.values() for v in values]
    names = {"n": "call next -> called", "r": "recall -> recalled", "rate": "rating -> rated"}
    for token, values in [*latencies.items(), ("all", everything)]:
        ms = [v * 1000 for v in values]
        if not ms:
            continue
        print(
            f"{names.get(token, 'all presses'):>22}: p50 {percentile(ms, 0.5):6.1f} ms   "
            f"p99 {percentile(ms, 0.99):6.1f} ms   max {max(ms):6.1f} ms   "
            f"mean {statistics.fmean(ms):6.1f} ms   n={len(ms)}"
        )
    print(f"{'':>22}  hub: {counters}")
    print(f"{'':>22}  bus: acks {stats.acks_sent}, state frames {stats.frames_sent}")  # type: ignore[attr-defined]
