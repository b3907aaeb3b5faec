"""The hub's background loops, and the one runner that keeps them going.

Each loop is a round (blocking work, run in a thread) that says how long to wait
before the next. A round that fails is logged and the loop goes on: a background job
must never take the hub down. At shutdown every loop is cancelled and reaped, and a
round already in its thread is waited for, so that nothing touches the database after
the lifespan has closed it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from server.services import daycycle, ratings
from server.services.hub import Hub

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Loop:
    name: str
    round: Callable[[], float]  # blocking; returns the seconds until the next round
    retry_seconds: Callable[[], float]  # the wait after a round that failed


class Background:
    """Runs loops until stopped."""

    def __init__(self) -> None:
        self._tasks: list[asyncio.Task[None]] = []

    def start(self, loop: Loop) -> None:
        self._tasks.append(asyncio.create_task(_run(loop), name=loop.name))

    async def stop(self) -> None:
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def _run(loop: Loop) -> None:
    while True:
        job = asyncio.ensure_future(asyncio.to_thread(loop.round))
        try:
            wait = await asyncio.shield(job)
        except asyncio.CancelledError:
            # The thread runs on regardless: wait for it before the database closes.
            await asyncio.wait([job])
            raise
        except Exception:
            wait = loop.retry_seconds()
            log.exception("%s failed; trying again in %.1f s", loop.name, wait)
        await asyncio.sleep(wait)


def day_closer(hub: Hub) -> Loop:
    """Closes the tickets left open by past business days."""

    def close_days() -> float:
        closed = daycycle.close_past_days(hub)
        if closed:
            log.info("closed %d tickets of past business days", closed)
        return hub.settings.day_check_seconds

    return Loop("closing past business days", close_days, lambda: hub.settings.day_check_seconds)


def rating_closer(hub: Hub) -> Loop:
    """Closes unanswered rating requests as not rated. It comes round often enough for
    the hall with the shortest timeout (each hall has its own)."""
    shortest = hub.settings.rating_timeout_seconds

    def pace(seconds: float) -> float:
        return min(1.0, max(0.05, seconds / 20))

    def close_ratings() -> float:
        nonlocal shortest
        _, shortest = ratings.sweep_expired(hub)
        return pace(shortest)

    # After a failure the pace stays that of the shortest timeout last seen; the
    # settings' default is the best guess before the first round.
    return Loop("closing unanswered rating requests", close_ratings, lambda: pace(shortest))


def hub_loops(hub: Hub) -> list[Loop]:
    return [day_closer(hub), rating_closer(hub)]
