"""The application factory: builds everything from settings; the lifespan closes it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from display_board import routes as board_routes
from server.clock import Clock, system_clock
from server.config import Settings
from server.services import daycycle
from server.services.hub import Hub

from . import api_admin, api_public, api_staff, errors, pages

log = logging.getLogger(__name__)


async def _close_days_forever(hub: Hub) -> None:
    while True:
        try:
            closed = await asyncio.to_thread(daycycle.close_past_days, hub)
            if closed:
                log.info("closed %d tickets of past business days", closed)
        except Exception:
            # The day closer must never take the hub down; it tries again next round.
            log.exception("closing past business days failed")
        await asyncio.sleep(hub.settings.day_check_seconds)


def create_app(
    settings: Settings | None = None, *, hub: Hub | None = None, clock: Clock = system_clock
) -> FastAPI:
    settings = settings or Settings()
    hub = hub or Hub.create(settings, clock=clock)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(_close_days_forever(hub))
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            hub.db.dispose()

    app = FastAPI(
        title="政务服务大厅排队叫号与评价系统 Hall queue hub",
        version="0.1.0",
        lifespan=lifespan,
        description="Tickets, windows, queue status and the service catalogue of government service halls.",
    )
    app.state.hub = hub
    errors.install(app)
    app.include_router(api_public.router)
    app.include_router(api_staff.router)
    app.include_router(api_admin.router)
    app.include_router(pages.router)
    app.include_router(board_routes.router)
    return app


def app_from_env() -> FastAPI:
    """For `uvicorn --factory` and hub worker processes: settings from the environment."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    return create_app(Settings())
