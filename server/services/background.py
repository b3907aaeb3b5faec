"""The hub's background loops, and the one runner that keeps them going.

Each loop is a round that says how long to wait before the next: blocking work (made
a round by :func:`in_thread`) or a coroutine. A round that fails is logged and the loop
goes on: a background job must never take the hub down. At stop every loop is
cancelled and reaped, and a round already in its thread is waited for, so that nothing
touches the database after the lifespan has closed it.

The lifespan runs the hub's own loops here; a device owner runs its loops on a
:class:`Background` of its own, from when it starts driving its devices to when it
stops.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from server.services import daycycle, rating_requests
from server.services.hub import Hub

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Loop:
    name: str
    round: Callable[[], Awaitable[float]]  # returns the seconds until the next round
    retry_seconds: Callable[[], float]  # the wait after a round that failed


def in_thread(work: Callable[[], float]) -> Callable[[], Awaitable[float]]:
    """A round of blocking work, run in a thread that is waited for when cancelled."""

    async def round_() -> float:
        job = asyncio.ensure_future(asyncio.to_thread(work))
        try:
            return await asyncio.shield(job)
        except asyncio.CancelledError:
            # The thread runs on regardless: wait for it before the database closes.
            await asyncio.wait([job])
            raise

    return round_


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
        try:
            wait = await loop.round()
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

    return Loop(
        "closing past business days",
        in_thread(close_days),
        lambda: hub.settings.day_check_seconds,
    )


def rating_closer(hub: Hub) -> Loop:
    """Closes unanswered rating requests as not rated. It comes round often enough for
    the hall with the shortest timeout (each hall has its own)."""
    shortest = hub.settings.rating_timeout_seconds

    def pace(seconds: float) -> float:
        return min(1.0, max(0.05, seconds / 20))

    def close_ratings() -> float:
        nonlocal shortest
        _, shortest = rating_requests.sweep_expired(hub)
        return pace(shortest)

    # After a failure the pace stays that of the shortest timeout last seen; the
    # settings' default is the best guess before the first round.
    return Loop(
        "closing unanswered rating requests", in_thread(close_ratings), lambda: pace(shortest)
    )


def hub_loops(hub: Hub) -> list[Loop]:
    return [day_closer(hub), rating_closer(hub)]
