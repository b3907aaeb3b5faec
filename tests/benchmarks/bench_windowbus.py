"""Key-press latency on one window bus under a steady stream of presses.

    .venv/bin/python tests/benchmarks/bench_windowbus.py [--windows 16] [--rate 16] [--duration 20]
    .venv/bin/python tests/benchmarks/bench_windowbus.py --hub sqlite|postgresql [--rate 12]

Without ``--hub``: press to handler call, the bus library alone. With ``--hub``: the
real hub adapter on a real database (a fresh SQLite file, or a fresh database on the
local PostgreSQL): press -> the window command committed -> the board event heard by a
subscriber of the hub's event bus (the production bus: in-process on SQLite, LISTEN/
NOTIFY on PostgreSQL), which is what the boards' websockets forward. Each window
cycles call-next, a rating on its pad, recall, one press every 16/rate seconds, so a
window's call-nexts are more than 1.5 s apart.

One pty bus at 9600 baud carries a caller keypad and a rating pad per window; the
simulator holds every frame for its wire time, and the hub refreshes every device
as in production. Latency runs from the first byte of a press on the wire to the
handler call (the hub will extend this to the display boards). Simulator and hub
share one event loop, so the figures are a little pessimistic.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
from collections import defaultdict

from benchkit import percentile

from server.devices.windowbus import (
    BusConfig,
    DeviceKind,
    DeviceRef,
    DeviceState,
    KeyCommand,
    KeypadState,
    RatingLevel,
    RatingPadState,
    RatingReason,
    WindowBus,
)
from server.devices.windowbus.simulator import DeviceSimulator, Press
from server.devices.windowbus.simulator.commands import parse

# Distinct frames per device, so no press repeats the previous one within 1.5 s.
KEYS = ["n", "r", "e", "p", "t", "x", "h", "b"]
RATINGS = ["5", "4", "3", "2", "1", "2/1", "2/2", "1/3", "1/4", "2/5", "1/6"]


class TimingHandler:
    def __init__(self) -> None:
        self.calls: dict[int, list[float]] = defaultdict(list)

    def _record(self, device: DeviceRef) -> None:
        self.calls[device.address].append(asyncio.get_running_loop().time())

    async def on_key(self, device: DeviceRef, command: KeyCommand) -> None:
        self._record(device)

    async def on_rating(
        self, device: DeviceRef, level: RatingLevel, reason: RatingReason | None
    ) -> None:
        self._record(device)

    async def on_hello(self, device: DeviceRef, firmware: int) -> None:
        pass

    def on_port_state(self, bus_id: str, online: bool) -> None:
        pass


async def state(device: DeviceRef) -> DeviceState:
    if device.kind is DeviceKind.KEYPAD:
        return KeypadState(device.window * 3, f"A{device.window:03d}")
    return RatingPadState(None)


async def run(windows: int, rate: float, duration: float, seed: int) -> None:
    keypads = list(range(1, 2 * windows, 2))
    pads = list(range(2, 2 * windows + 1, 2))
    devices = [(a, DeviceKind.KEYPAD) for a in keypads] + [(a, DeviceKind.RATING_PAD) for a in pads]
    entries = [
        {"address": a, "kind": kind.config_name, "window": (a + 1) // 2} for a, kind in devices
    ]
    handler = TimingHandler()
    rng = random.Random(seed)
    presses: dict[int, list[Press]] = defaultdict(list)
    async with DeviceSimulator(devices) as sim:
        config = BusConfig.model_validate({"id": "bench", "port": sim.path, "devices": entries})
        async with WindowBus(config, handler, state) as bus:
            await asyncio.sleep(1.5)  # let the port open, HELLOs and the first push settle
            assert bus.online
            handler.calls.clear()
            loop = asyncio.get_running_loop()
            end = loop.time() + duration
            turn: dict[int, int] = defaultdict(int)
            while loop.time() < end:
                # Three presses in four on keypads, the rest are ratings.
                address = rng.choice(keypads if rng.random() < 0.75 else pads)
                tokens = KEYS if address in keypads else RATINGS
                token = tokens[turn[address] % len(tokens)]
                turn[address] += 1
                command = parse(token)[0]
                frame = command.frame(address)  # type: ignore[union-attr]
                presses[address].append(sim.submit(address, frame))
                await asyncio.sleep(rng.expovariate(rate))
            await asyncio.gather(*(p.done for ps in presses.values() for p in ps))
            await asyncio.sleep(0.2)
            stats = bus.stats()
    to_handler: list[float] = []
    to_ack: list[float] = []
    for address, sent in presses.items():
        calls = handler.calls[address]
        assert len(calls) == len(sent), (
            f"address {address}: {len(calls)} calls, {len(sent)} presses"
        )
        for press, called in zip(sent, calls, strict=True):
            assert press.first_sent is not None
            to_handler.append(called - press.first_sent)
            if press.acked_at is not None:
                to_ack.append(press.acked_at - press.first_sent)
    total = len(to_handler)
    print(
        f"{windows} windows ({len(devices)} devices), 9600 baud pty, {duration:.0f} s, "
        f"{total} presses ({total / duration:.1f}/s), every press handled exactly once"
    )
    for name, values in (("press -> handler", to_handler), ("press -> ack heard", to_ack)):
        ms = [v * 1000 for v in values]
        print(
            f"{name:>20}: p50 {percentile(ms, 0.5):6.1f} ms   p99 {percentile(ms, 0.99):6.1f} ms"
            f"   max {max(ms):6.1f} ms   mean {statistics.fmean(ms):6.1f} ms"
        )
    print(
        f"{'':>20}  acks {stats.acks_sent}, retransmissions "
        f"{sum(d.retransmissions for d in stats.devices.values())}, state frames sent "
        f"{stats.frames_sent}, line drop ratio {stats.line.drop_ratio:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--windows", type=int, default=16)
    parser.add_argument("--rate", type=float, default=16.0, help="presses per second, all windows")
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--hub", choices=["sqlite", "postgresql"], help="through the hub to the board event"
    )
    args = parser.parse_args()
    if args.hub:
        from bench_windowbus_hub import run_hub  # beside this file

        asyncio.run(run_hub(args.windows, args.rate, args.duration, args.hub))
    else:
        asyncio.run(run(args.windows, args.rate, args.duration, args.seed))


if __name__ == "__main__":
    main()
