"""The hub's ticket printers: started from devices.toml, driven by one hub process.

The database is the print queue. Issuing commits the ticket and its print job row
(state ``queued``) in one transaction (services.tickets.issue, given ``route``), and
the endpoint wakes the supervisor. One hub process per database and hall
drives the printers: network printers serve one session at a time, so two processes
printing to one printer would make each other time out. A lock elects it (a file lock
next to a SQLite database; a PostgreSQL session advisory lock, which also covers hub
processes on several machines); the others try again every few seconds and take over
when it goes away. That process claims queued jobs, hands them to the
``PrintSpooler`` (retries, failover to the kiosk's sibling printer, 补打 on every
reprint) and writes each step back, so any process can answer ``GET
/api/v1/print-jobs/{job}``.

Nothing here may stop the hub or the queue: a devices.toml that is missing means no
printers; one that is broken, or a printer that cannot be started, is logged and
becomes an alert.

After a restart, unfinished jobs are printed again (补打) if they are recent and their
ticket is still waiting, and marked failed otherwise (see services.print_jobs).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from printer import (
    AsyncPrinter,
    EventKind,
    PrinterConfig,
    PrinterStatus,
    PrintEvent,
    PrintJob,
    PrintSpooler,
    open_printer,
)
from printer.device import Printer
from printer.spooler import ALERTS
from printer.transports.base import ConnectFailed, Transport
from server.hardware import HallsHardware, Hardware, HardwareConfig
from server.services import device_alerts, halls, print_jobs
from server.services.background import Background, Loop
from server.services.device_status import StatusPublisher
from server.services.hub import Hub
from server.services.print_jobs import ClaimedJob, JobState, Route

from .owner import OwnerElection, owner_lock
from .printing_text import MOMENTARY, alert_text

log = logging.getLogger(__name__)

CONDITIONS = {kind.value for kind in ALERTS}


def _not_started(error: str) -> Callable[[], Transport]:
    """The connection of a printer that could not be started: always refused."""

    def connect() -> Transport:
        raise ConnectFailed(f"not started: {error}")

    return connect


class PrintingSupervisor:
    def __init__(
        self,
        hub: Hub,
        hardware: Hardware,
        *,
        monitor_interval: float = 30.0,
        poll_interval: float = 0.25,
        lock_retry: float = 5.0,
        lock_check: float = 5.0,
        recover_max_age: timedelta = timedelta(minutes=10),
        spooler_options: dict[str, Any] | None = None,
    ) -> None:
        self.hub = hub
        self.devices = hardware
        self.monitor_interval = monitor_interval
        self.poll_interval = poll_interval
        self.lock_retry = lock_retry
        self.lock_check = lock_check
        self.recover_max_age = recover_max_age
        self.spooler_options = spooler_options or {}
        self.hardware: HardwareConfig | None = None
        self.problem: str | None = None  # why this hub has no printers
        self.printers: dict[str, AsyncPrinter] = {}
        self.not_started: dict[str, str] = {}
        self.statuses: dict[str, PrinterStatus] = {}
        self.spooler: PrintSpooler | None = None
        self.started = False
        self._election: OwnerElection | None = None
        self._lead_stop = asyncio.Event()
        self._lead_tasks: list[asyncio.Task[None]] = []
        self._lead_loops: Background | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        # Made in start(): asyncio primitives belong to the loop that runs the hub.
        self._wake: asyncio.Event | None = None
        self._write_lock = asyncio.Lock()
        self._hall_lock = asyncio.Lock()
        self._hall_id: int | None = None
        self._publisher = StatusPublisher(hub, "printers", monitor_interval)

    # -- configuration -------------------------------------------------------------------

    @property
    def leader(self) -> bool:
        return self.spooler is not None

    def printer_config(self, printer_id: str) -> PrinterConfig | None:
        if self.hardware is None:
            return None
        return next((p for p in self.hardware.printer if p.id == printer_id), None)

    def kiosk_of_printer(self) -> dict[str, str]:
        if self.hardware is None:
            return {}
        return {k.printer: k.id for k in self.hardware.kiosk if k.printer}

    def route(self, hall_code: str, device_code: str) -> Route | None:
        """The printers of a kiosk, or None when it has none (or printing is off)."""
        hw = self.hardware
        if not self.started or hw is None or hw.hall != hall_code:
            return None
        kiosk = next((k for k in hw.kiosk if k.id == device_code), None)
        if kiosk is None or kiosk.printer is None:
            return None
        config = self.printer_config(kiosk.printer)
        fallback = kiosk.sibling_printer or (config.sibling if config else None)
        return Route(device_code, kiosk.printer, fallback)

    def route_window(self, hall_code: str, window_number: int) -> Route | None:
        """The printer of a window (its [[window]] entry), or None when it has none."""
        hw = self.hardware
        if not self.started or hw is None or hw.hall != hall_code:
            return None
        entry = next((w for w in hw.window if w.number == window_number), None)
        if entry is None:
            return None
        config = self.printer_config(entry.printer)
        fallback = entry.sibling_printer or (config.sibling if config else None)
        return Route(f"W{window_number}", entry.printer, fallback)

    # -- queueing (thread-safe: called from sync endpoints) -------------------------------

    def print_notice(
        self, *, hall_id: int, hall_code: str, item_code: str, device_code: str
    ) -> dict[str, Any] | None:
        route = self.route(hall_code, device_code)
        if route is None:
            return None
        job = print_jobs.queue_notice_print(
            self.hub, hall_id=hall_id, item_code=item_code, route=route
        )
        self.wake()
        return {"job": job, "state": JobState.QUEUED.value, "printer": route.printer_id}

    def wake(self) -> None:
        loop, wake = self._loop, self._wake
        if loop is not None and wake is not None and not loop.is_closed():
            loop.call_soon_threadsafe(wake.set)

    # -- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        """Take the printers of devices.toml and, if this process leads, start them.
        Never raises."""
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        self._write_lock = asyncio.Lock()
        self._hall_lock = asyncio.Lock()
        try:
            await self._start()
        except Exception as exc:
            self.problem = f"printing could not start: {exc!r}"
            log.exception("printing could not start; the hub runs without printers")

    async def _start(self) -> None:
        devices = self.devices
        if devices.config is None:
            if not devices.found:
                self.problem = f"{devices.path}: not found; no printers"
                log.info("%s", self.problem)
            else:
                self.problem = "; ".join(devices.problems)
                log.error("devices.toml has mistakes, running without printers: %s", self.problem)
            return
        self.hardware = devices.config
        self.started = True
        if not self.hardware.printer:
            return
        self._election = OwnerElection(
            owner_lock(
                self.hub.db.url, "printers", self.hardware.hall, check_seconds=self.lock_check
            ),
            name="printers",
            lead=self._lead,
            step_down=self._step_down,
            retry_seconds=self.lock_retry,
        )
        await self._election.start(first_try=True)

    async def _lead(self) -> None:
        assert self.hardware is not None
        for config in self.hardware.printer:
            try:
                printer = await asyncio.to_thread(
                    open_printer, config, wall_clock=lambda: self.hub.now().timestamp()
                )
            except Exception as exc:
                log.exception("printer %s could not be started", config.id)
                self.not_started[config.id] = str(exc) or repr(exc)
                printer = Printer(config, _not_started(self.not_started[config.id]))
            self.printers[config.id] = AsyncPrinter(printer)
        self.spooler = PrintSpooler(self.printers.values(), self._on_event, **self.spooler_options)
        self._lead_stop = asyncio.Event()
        self._lead_tasks = [
            asyncio.create_task(self._serve(self._lead_stop), name="printing-queue"),
        ]
        self._lead_loops = Background()
        self._lead_loops.start(self._monitoring())

    async def _step_down(self) -> None:
        """Stop driving the printers: finish the jobs in hand, close every printer."""
        self._lead_stop.set()
        if self._wake is not None:
            self._wake.set()
        if self._lead_loops is not None:
            await self._lead_loops.stop()
            self._lead_loops = None
        for task in self._lead_tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._lead_tasks = []
        if self.spooler is not None:
            await self.spooler.close()
        for printer in self.printers.values():
            with contextlib.suppress(Exception):
                await printer.close()
        self.spooler = None
        self.printers = {}
        self.not_started = {}
        self.statuses = {}

    async def close(self) -> None:
        if self._election is not None:
            await self._election.stop()

    # -- the queue -----------------------------------------------------------------------

    async def _hall(self) -> int | None:
        """The hall's id; the hall may be created after the hub started (a new install)."""
        if self._hall_id is None and self.hardware is not None:
            code = self.hardware.hall

            def find() -> int | None:
                try:
                    return halls.hall_id_or_none(self.hub, code)
                except Exception:  # a database not yet migrated: asked again later
                    return None

            async with self._hall_lock:
                if self._hall_id is None:
                    self._hall_id = await asyncio.to_thread(find)
        return self._hall_id

    async def _after_restart(self) -> None:
        assert self._hall_id is not None
        again, failed = await asyncio.to_thread(
            print_jobs.recover_unfinished,
            self.hub,
            hall_id=self._hall_id,
            printer_ids=list(self.printers),
            max_age=self.recover_max_age,
        )
        if again or failed:
            log.warning(
                "after restart: %d jobs printed again (补打), %d marked failed", again, failed
            )
        for printer_id, error in self.not_started.items():
            await self._alert(printer_id, "not_started", error)

    async def _serve(self, stop: asyncio.Event) -> None:
        assert self._wake is not None
        recovered = False
        while not stop.is_set():
            self._wake.clear()
            try:
                hall_id = await self._hall()
                if hall_id is not None and not recovered:
                    await self._after_restart()
                    recovered = True
                if hall_id is not None:
                    claimed = await asyncio.to_thread(
                        print_jobs.claim_queued,
                        self.hub,
                        hall_id=hall_id,
                        printer_ids=list(self.printers),
                    )
                    for job in claimed:
                        self._submit(job)
            except Exception:
                log.exception("print queue round failed; trying again")
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.poll_interval):
                    await self._wake.wait()

    def _submit(self, job: ClaimedJob) -> None:
        assert self.spooler is not None
        self.spooler.submit(
            PrintJob(
                job.job_id,
                job.printer_id,
                job.document,
                dispenser_id=job.device_code,
                fallback_printer_id=job.fallback_printer_id,
            )
        )

    def _monitoring(self) -> Loop:
        spooler = self.spooler
        assert spooler is not None
        first = True

        async def check() -> float:
            nonlocal first
            for status in await spooler.check():
                self.statuses[status.printer_id] = status
            await self._share()
            if first and await self._hall() is not None:
                await self._clear_stale_alerts()
                first = False
            return self.monitor_interval

        return Loop("checking the printers", check, lambda: self.monitor_interval)

    async def check_now(self) -> list[PrinterStatus]:
        """Ask every printer now (the admin page's button; tests)."""
        if self.spooler is None:
            return []
        statuses = await self.spooler.check()
        for status in statuses:
            self.statuses[status.printer_id] = status
        return statuses

    def shared_view(self) -> dict[str, Any]:
        """What the status pages of the other hub processes show of the printers."""
        return {
            "statuses": {k: dataclasses.asdict(v) for k, v in sorted(self.statuses.items())},
            "not_started": dict(sorted(self.not_started.items())),
        }

    async def _share(self) -> None:
        hall_id = await self._hall()
        if hall_id is not None and self.leader:
            await self._publisher.offer(hall_id, self.shared_view())

    async def _clear_stale_alerts(self) -> None:
        """Conditions recorded before a restart that the printers no longer report."""
        assert self.spooler is not None and self._hall_id is not None
        active = await asyncio.to_thread(
            device_alerts.active_alert_kinds, self.hub, hall_id=self._hall_id
        )
        for device, kind in active:
            if (
                device in self.printers
                and kind in CONDITIONS
                and EventKind(kind) not in self.spooler.alerts(device)
            ):
                await asyncio.to_thread(
                    device_alerts.clear_alert,
                    self.hub,
                    hall_id=self._hall_id,
                    device=device,
                    kind=kind,
                )

    # -- what the spooler reports --------------------------------------------------------

    async def _on_event(self, event: PrintEvent) -> None:
        if event.status is not None:
            self.statuses[event.printer_id] = event.status
            await self._share()
        # One writer at a time keeps a job's steps in the order they happened (the
        # "no confirmation yet" notice runs beside the attempts).
        async with self._write_lock:
            if event.job_id is not None:
                await asyncio.to_thread(self._record_step, event)
            if event.kind is EventKind.FAILED_OVER:
                await self._alert(event.printer_id, "failed_over", event.detail, event)
            elif event.kind is EventKind.FAILED and event.job_id is not None:
                await self._alert(event.printer_id, "print_failed", event.detail, event)
            elif event.kind in ALERTS:
                await self._alert(event.printer_id, event.kind.value, event.detail)
            elif event.kind is EventKind.RECOVERED and event.cleared is not None:
                hall_id = await self._hall()
                if hall_id is not None:
                    await asyncio.to_thread(
                        device_alerts.clear_alert,
                        self.hub,
                        hall_id=hall_id,
                        device=event.printer_id,
                        kind=event.cleared.value,
                    )

    def _record_step(self, event: PrintEvent) -> None:
        assert event.job_id is not None
        common: dict[str, Any] = {
            "job_id": event.job_id,
            "attempts": event.attempt,
            "reason": event.reason.value if event.reason else None,
            "detail": event.detail,
        }
        if event.kind is EventKind.DELAYED:
            print_jobs.record_step(
                self.hub,
                state=JobState.RETRYING,
                printer_id=event.printer_id,
                only_from=(JobState.QUEUED, JobState.PRINTING),
                **common,
            )
        elif event.kind is EventKind.RETRYING:
            print_jobs.record_step(
                self.hub,
                state=JobState.RETRYING,
                printer_id=event.printer_id,
                reprint=True,
                **common,
            )
        elif event.kind is EventKind.FAILED_OVER:
            print_jobs.record_step(
                self.hub,
                state=JobState.FAILED_OVER,
                printer_id=event.to_printer_id or event.printer_id,
                reprint=True,
                **common,
            )
        elif event.kind in (EventKind.PRINTED, EventKind.FAILED):
            print_jobs.record_step(
                self.hub,
                state=JobState(event.kind.value),
                printer_id=event.printer_id,
                reprint=event.reprint,
                **common,
            )

    async def _alert(
        self,
        printer_id: str,
        kind: str,
        detail: str,
        event: PrintEvent | None = None,
    ) -> None:
        hall_id = await self._hall()
        if hall_id is None:
            log.warning(
                "printer %s: %s (%s); hall not in the database yet", printer_id, kind, detail
            )
            return
        kiosk = self.kiosk_of_printer().get(printer_id)
        to = (event.to_printer_id or "") if event is not None else ""
        await asyncio.to_thread(
            device_alerts.raise_alert,
            self.hub,
            hall_id=hall_id,
            device=printer_id,
            kind=kind,
            text=alert_text(kind, printer_id, kiosk, to),
            detail=detail,
            momentary=kind in MOMENTARY,
        )


class HallsPrinting:
    """Every hall's printers: a supervisor per hall's hardware file, each with its own
    owner election (``printers:<hall>``), so the processes of a city's hub share the
    halls out and a hall's printers are driven by exactly one of them."""

    def __init__(self, hub: Hub, halls: HallsHardware, **options: Any) -> None:
        self.halls = halls
        # A hub without a devices file (or with a broken one) still has one supervisor:
        # it says why there are no printers.
        files = halls.halls or (Hardware(halls.path, None, halls.problems or ("no devices",)),)
        self.supervisors = [PrintingSupervisor(hub, hardware, **options) for hardware in files]

    def for_hall(self, hall_code: str) -> PrintingSupervisor | None:
        """The supervisor of this hall's printers; None when no file names the hall."""
        return next(
            (
                s
                for s in self.supervisors
                if s.devices.config is not None and s.devices.config.hall == hall_code
            ),
            None,
        )

    @property
    def problem(self) -> str | None:
        """Why some hall has no printers (every file's problem, and the directory's)."""
        found = [s.problem for s in self.supervisors if s.problem] + list(self.halls.problems)
        return "; ".join(found) or None

    def route(self, hall_code: str, device_code: str) -> Route | None:
        supervisor = self.for_hall(hall_code)
        return supervisor.route(hall_code, device_code) if supervisor else None

    def route_window(self, hall_code: str, window_number: int) -> Route | None:
        supervisor = self.for_hall(hall_code)
        return supervisor.route_window(hall_code, window_number) if supervisor else None

    def wake(self, hall_code: str) -> None:
        supervisor = self.for_hall(hall_code)
        if supervisor is not None:
            supervisor.wake()

    async def start(self) -> None:
        for supervisor in self.supervisors:
            await supervisor.start()

    async def close(self) -> None:
        for supervisor in self.supervisors:
            await supervisor.close()
