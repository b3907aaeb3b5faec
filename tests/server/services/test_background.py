"""The hub's background loops: a failing round is logged and the loop goes on; stopping
cancels every loop and waits for a round still in its thread."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from server.services.background import Background, Loop, hub_loops, in_thread
from server.services.hub import Hub


def test_a_failing_round_is_logged_and_the_loop_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    rounds: list[int] = []

    def round_() -> float:
        rounds.append(len(rounds))
        if len(rounds) <= 2:
            raise RuntimeError("database away")
        return 0.01

    async def scenario() -> None:
        background = Background()
        background.start(Loop("flaky job", in_thread(round_), lambda: 0.01))
        for _ in range(500):
            if len(rounds) >= 4:
                break
            await asyncio.sleep(0.01)
        await background.stop()

    asyncio.run(scenario())
    assert len(rounds) >= 4
    assert caplog.text.count("flaky job failed; trying again in 0.0 s") == 2
    assert "database away" in caplog.text


def test_stopping_waits_for_the_round_in_its_thread() -> None:
    started, finished = threading.Event(), threading.Event()

    def slow_round() -> float:
        started.set()
        time.sleep(0.2)
        finished.set()
        return 60.0

    async def scenario() -> None:
        background = Background()
        background.start(Loop("slow job", in_thread(slow_round), lambda: 60.0))
        await asyncio.to_thread(started.wait, 5)
        await background.stop()
        # The database may be closed as soon as stop() returns.
        assert finished.is_set()

    asyncio.run(scenario())


def test_a_coroutine_round_is_cancelled_at_stop() -> None:
    cancelled = asyncio.Event()

    async def round_() -> float:
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            cancelled.set()
            raise
        return 60.0

    async def scenario() -> None:
        background = Background()
        background.start(Loop("waiting job", round_, lambda: 60.0))
        await asyncio.sleep(0.02)
        await background.stop()
        assert cancelled.is_set()

    asyncio.run(scenario())


def test_the_hub_runs_the_day_closer_and_the_rating_closer(hub: Hub) -> None:
    loops = hub_loops(hub)
    assert [loop.name for loop in loops] == [
        "closing past business days",
        "closing unanswered rating requests",
    ]
    day, rating = loops
    assert asyncio.run(day.round()) == hub.settings.day_check_seconds == day.retry_seconds()
    # Often enough for the shortest timeout: a twentieth of it, between 50 ms and 1 s.
    shortest = hub.settings.rating_timeout_seconds
    pace = min(1.0, max(0.05, shortest / 20))
    assert asyncio.run(rating.round()) == pace == rating.retry_seconds()
