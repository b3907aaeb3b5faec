"""The application factory: builds everything from settings; the lifespan closes it."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from display_board import routes as board_routes
from kiosk_ui import routes as kiosk_routes
from server.clock import Clock, system_clock
from server.config import Settings
from server.devices.printing import PrintingSupervisor
from server.devices.window_devices import start_window_devices
from server.realtime.fanout import Fanout
from server.services import daycycle, live
from server.services.hub import Hub

from . import (
    api_admin,
    api_print,
    api_print_admin,
    api_public,
    api_ratings,
    api_staff,
    api_window_devices,
    errors,
    pages,
    voice,
    ws,
)
from .schemas.base import errors as errors_declared

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

    fanout = Fanout(
        hub.bus,
        functools.partial(live.load_snapshot, hub),
        functools.partial(live.load_seqs, hub),
        ping_seconds=settings.ping_seconds,
        check_seconds=settings.seq_check_seconds,
        load_days=functools.partial(live.load_days, hub),
    )

    printing = PrintingSupervisor(hub)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await hub.bus.start()
        await fanout.start()
        await printing.start()
        task = asyncio.create_task(_close_days_forever(hub))
        rating_closer = asyncio.create_task(api_ratings.close_ratings_forever(hub))
        window_devices = await start_window_devices(hub)
        app.state.window_devices = window_devices
        try:
            yield
        finally:
            if window_devices is not None:
                await window_devices.stop()
            for background in (task, rating_closer):
                background.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await background
            await printing.close()
            await fanout.stop()
            await hub.bus.stop()
            hub.db.dispose()

    app = FastAPI(
        title="政务服务大厅排队叫号与评价系统 Hall queue hub",
        version="0.1.0",
        lifespan=lifespan,
        description="Tickets, windows, queue status and the service catalogue of government service halls.",
        # Any route can meet a busy database or a fault; the error body is the same.
        responses=errors_declared("BUSY", "INTERNAL", validated=False),
    )
    app.state.hub = hub
    app.state.printing = printing
    app.state.fanout = fanout
    errors.install(app)
    app.include_router(api_public.router)
    app.include_router(api_staff.router)
    app.include_router(api_ratings.router)
    app.include_router(api_admin.router)
    app.include_router(pages.router)
    app.include_router(board_routes.router)
    app.include_router(kiosk_routes.router)
    app.include_router(api_print.router)
    app.include_router(api_print_admin.router)
    app.include_router(api_window_devices.router)
    app.include_router(ws.router)
    app.include_router(voice.router)
    return app


def app_from_env() -> FastAPI:
    """For `uvicorn --factory` and hub worker processes: settings from the environment."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    return create_app(Settings())
