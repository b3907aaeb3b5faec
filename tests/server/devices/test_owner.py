"""The one owner election, shared by the printers and the window buses, on a fake lock
(the real locks are exercised by the printer and window-bus tests on both databases)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from server.devices.owner import OwnerElection


class FakeLock:
    """A lock that is free or taken by someone else, and can be lost while held."""

    def __init__(self, free: bool = True) -> None:
        self.free = free
        self.holding = False
        self.releases = 0
        self._lost = asyncio.Event()

    def try_acquire(self) -> bool:
        if self.holding:
            return True
        if not self.free:
            return False
        self.holding, self._lost = True, asyncio.Event()
        return True

    async def held(self) -> None:
        await self._lost.wait()

    def lose(self) -> None:
        self._lost.set()

    def release(self) -> None:
        self.releases += 1
        self.holding = False


class Devices:
    """Records what the election asked of it; ``fail`` starts make ``lead`` raise."""

    def __init__(self, fail: int = 0) -> None:
        self.fail = fail
        self.log: list[str] = []
        self.running = False

    async def lead(self) -> None:
        self.log.append("lead")
        self.running = True
        if self.fail:
            self.fail -= 1
            raise OSError("port busy")

    async def step_down(self) -> None:
        self.log.append("step down")
        self.running = False


def election(lock: FakeLock, devices: Devices) -> OwnerElection:
    return OwnerElection(
        lock, name="things", lead=devices.lead, step_down=devices.step_down, retry_seconds=0.01
    )


async def until(condition: Callable[[], bool]) -> None:
    for _ in range(500):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("not within 5 s")


def test_the_first_try_leads_before_start_returns() -> None:
    async def scenario() -> None:
        lock, devices = FakeLock(), Devices()
        owner = election(lock, devices)
        await owner.start(first_try=True)
        assert owner.leading and devices.running and devices.log == ["lead"]
        await owner.stop()
        assert not owner.leading and not devices.running and not lock.holding
        assert devices.log == ["lead", "step down"]

    asyncio.run(scenario())


def test_a_process_waits_until_the_lock_is_free() -> None:
    async def scenario() -> None:
        lock, devices = FakeLock(free=False), Devices()
        owner = election(lock, devices)
        await owner.start(first_try=True)
        await asyncio.sleep(0.05)
        assert not owner.leading and devices.log == []
        lock.free = True
        await until(lambda: owner.leading)
        assert devices.running
        await owner.stop()
        assert devices.log == ["lead", "step down"]

    asyncio.run(scenario())


def test_a_lost_lock_stops_the_devices_and_the_process_campaigns_again() -> None:
    async def scenario() -> None:
        lock, devices = FakeLock(), Devices()
        owner = election(lock, devices)
        await owner.start()
        await until(lambda: owner.leading)
        lock.free = False  # someone else takes it once it is lost
        lock.lose()
        await until(lambda: not devices.running)
        assert not lock.holding and devices.log == ["lead", "step down"]
        lock.free = True
        await until(lambda: owner.leading)
        await owner.stop()
        assert devices.log == ["lead", "step down", "lead", "step down"]

    asyncio.run(scenario())


def test_a_start_that_fails_is_cleaned_up_and_tried_again(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def scenario() -> None:
        lock, devices = FakeLock(), Devices(fail=2)
        owner = election(lock, devices)
        await owner.start(first_try=True)
        assert not owner.leading and not lock.holding
        await until(lambda: owner.leading)
        await owner.stop()
        # Each failed start was stepped down from (what it started is stopped) and
        # its lock let go before the next try.
        assert devices.log == ["lead", "step down"] * 3
        assert not devices.running and not lock.holding

    asyncio.run(scenario())
    assert caplog.text.count("the things could not be started") == 2
    assert "port busy" in caplog.text


def test_stopping_a_process_that_never_led_lets_nothing_run() -> None:
    async def scenario() -> None:
        lock, devices = FakeLock(free=False), Devices()
        owner = election(lock, devices)
        await owner.start()
        await asyncio.sleep(0.03)
        await owner.stop()
        assert devices.log == [] and lock.releases >= 1

    asyncio.run(scenario())
