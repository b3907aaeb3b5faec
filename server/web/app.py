"""The application factory: builds everything from settings and the hall's hardware;
the lifespan starts the devices and background loops and closes it all."""

from __future__ import annotations

import functools
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from server.clock import Clock
from server.config import Settings
from server.devices.printing import HallsPrinting
from server.devices.window_devices import start_window_devices
from server.hardware import HallsHardware, Hardware, read_halls_hardware
from server.realtime.fanout import Fanout
from server.services import live
from server.services.background import Background, hub_loops
from server.services.hub import Hub

from . import (
    admin_audit,
    admin_bundles,
    admin_catalogue,
    admin_config,
    admin_pages,
    api_admin,
    api_attachments,
    api_audit,
    api_calendar,
    api_cases,
    api_catalogue_admin,
    api_config,
    api_life_events,
    api_print,
    api_print_admin,
    api_public,
    api_ratings,
    api_staff,
    api_window_devices,
    boards,
    case_pages,
    errors,
    kiosk,
    pages,
    voice,
    ws,
)
from .schemas.base import errors as errors_declared

log = logging.getLogger(__name__)


def create_app(
    settings: Settings | None = None,
    hardware: Hardware | HallsHardware | None = None,
    *,
    hub: Hub | None = None,
    clock: Clock | None = None,
) -> FastAPI:
    """``hardware``: the halls' devices (one hall's, or a city's); read from
    ``settings.devices_file`` (a file, or a directory of a file per hall) if not given
    (here, once: nothing reads the devices files again while the app runs)."""
    settings = settings or Settings()
    hub = hub or Hub.create(settings, clock=clock)
    if hardware is None:
        hardware = read_halls_hardware(Path(settings.devices_file))
    elif isinstance(hardware, Hardware):
        hardware = HallsHardware.one(hardware)

    fanout = Fanout(
        hub.bus,
        functools.partial(live.load_snapshot, hub),
        functools.partial(live.load_seqs, hub),
        ping_seconds=settings.ping_seconds,
        check_seconds=settings.seq_check_seconds,
        load_days=functools.partial(live.load_days, hub),
    )

    printing = HallsPrinting(hub, hardware)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await hub.bus.start()
        await fanout.start()
        await printing.start()
        background = Background()
        for loop in hub_loops(hub):
            background.start(loop)
        window_devices = await start_window_devices(hub, hardware)
        app.state.window_devices = window_devices
        try:
            yield
        finally:
            for devices in window_devices.values():
                await devices.stop()
            await background.stop()
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
    app.state.hardware = hardware
    app.state.printing = printing
    app.state.fanout = fanout
    errors.install(app)
    app.include_router(api_public.router)
    app.include_router(api_staff.router)
    app.include_router(api_ratings.router)
    app.include_router(api_admin.router)
    app.include_router(api_config.router)
    app.include_router(api_config.public)
    app.include_router(api_audit.router)
    app.include_router(admin_audit.router)
    app.include_router(api_calendar.router)
    app.include_router(api_cases.router)
    app.include_router(case_pages.router)
    app.include_router(api_attachments.router)
    app.include_router(api_life_events.router)
    app.include_router(admin_pages.router)
    app.include_router(admin_bundles.router)
    app.include_router(api_catalogue_admin.router)
    app.include_router(admin_pages.router)
    app.include_router(admin_catalogue.router)
    app.include_router(admin_config.router)
    app.include_router(pages.router)
    app.include_router(boards.router)
    app.include_router(kiosk.router)
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
