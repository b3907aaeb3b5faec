"""Shared pieces for the window-bus tests, handed out as fixtures (tests/ has no
packages, so test modules cannot import each other)."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

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
)


@dataclass
class Recorder:
    """A WindowBusHandler that records every call and can be told to fail."""

    keys: list[tuple[int, KeyCommand]] = field(default_factory=list)
    ratings: list[tuple[int, RatingLevel, RatingReason | None]] = field(default_factory=list)
    hellos: list[tuple[int, int]] = field(default_factory=list)
    port_states: list[bool] = field(default_factory=list)
    key_times: list[float] = field(default_factory=list)
    fail_next: int = 0

    async def on_key(self, device: DeviceRef, command: KeyCommand) -> None:
        self.key_times.append(asyncio.get_running_loop().time())
        self.keys.append((device.address, command))
        self._maybe_fail()

    async def on_rating(
        self, device: DeviceRef, level: RatingLevel, reason: RatingReason | None
    ) -> None:
        self.ratings.append((device.address, level, reason))
        self._maybe_fail()

    async def on_hello(self, device: DeviceRef, firmware: int) -> None:
        self.hellos.append((device.address, firmware))

    def on_port_state(self, bus_id: str, online: bool) -> None:
        self.port_states.append(online)

    def _maybe_fail(self) -> None:
        if self.fail_next:
            self.fail_next -= 1
            raise RuntimeError("handler failure injected by the test")


@dataclass
class States:
    """A StateProvider backed by a dict the test can change."""

    keypads: dict[int, KeypadState] = field(default_factory=dict)
    pads: dict[int, RatingPadState] = field(default_factory=dict)
    asked: int = 0

    async def __call__(self, device: DeviceRef) -> DeviceState | None:
        self.asked += 1
        if device.kind is DeviceKind.KEYPAD:
            return self.keypads.get(device.address, KeypadState(0, None))
        return self.pads.get(device.address, RatingPadState(None))


def make_config(port: str, devices: list[tuple[int, DeviceKind]], **extra: object) -> BusConfig:
    """Keypads go to windows 1, 2, ... in address order, and so do rating pads."""
    entries: list[dict[str, object]] = []
    for kind in DeviceKind:
        addresses = sorted(a for a, k in devices if k is kind)
        entries += [
            {"address": a, "kind": kind.config_name, "window": window}
            for window, a in enumerate(addresses, start=1)
        ]
    return BusConfig.model_validate({"id": "test", "port": port, "devices": entries, **extra})


async def eventually(check: Callable[[], bool], limit: float = 3.0, step: float = 0.01) -> float:
    """Wait until ``check()`` holds; returns the seconds it took."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    while not check():
        if loop.time() - start > limit:
            raise AssertionError(f"condition not met within {limit} s")
        await asyncio.sleep(step)
    return loop.time() - start


def run(coro: Awaitable[None], timeout: float = 30.0) -> None:
    """Run a test coroutine on a fresh loop with an overall limit."""

    async def bounded() -> None:
        async with asyncio.timeout(timeout):
            await coro

    asyncio.run(bounded())


class PtyLink:
    """A socat-made pair of linked pseudo-terminals at stable paths, which can be
    'unplugged' (socat stops, both paths vanish) and 'replugged' (same paths again)."""

    def __init__(self, directory: Path) -> None:
        self.hub = str(directory / "hub-port")
        self.device = str(directory / "device-port")
        self._process: subprocess.Popen[bytes] | None = None

    def plug(self) -> None:
        assert self._process is None
        self._process = subprocess.Popen(
            [
                "socat",
                f"pty,raw,echo=0,link={self.hub}",
                f"pty,raw,echo=0,link={self.device}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 5
        while not (os.path.exists(self.hub) and os.path.exists(self.device)):
            assert time.monotonic() < deadline, "socat did not create its ptys"
            time.sleep(0.01)

    def unplug(self) -> None:
        assert self._process is not None
        self._process.terminate()  # SIGTERM: socat removes its links, the ptys close
        self._process.wait(5)
        self._process = None
        assert not os.path.exists(self.hub) and not os.path.exists(self.device)

    def close(self) -> None:
        if self._process is not None:
            self.unplug()


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def states() -> States:
    return States()


@pytest.fixture
def wb() -> object:
    """Helper functions for the tests: ``wb.config``, ``wb.eventually``, ``wb.run``."""

    class Helpers:
        config = staticmethod(make_config)
        eventually = staticmethod(eventually)
        run = staticmethod(run)

    return Helpers


@pytest.fixture
def pty_link(tmp_path: Path) -> Iterator[PtyLink]:
    if shutil.which("socat") is None:
        pytest.skip("socat is not installed")
    link = PtyLink(tmp_path)
    try:
        yield link
    finally:
        link.close()
