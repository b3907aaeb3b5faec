"""The print spooler: prints each job, retries, fails over, and reports.

Every job ends in exactly one final event, ``printed`` or ``failed``; on the
way there the spooler reports ``retrying`` and ``failed_over`` steps, and a
``delayed`` notice if no outcome is known after ``notify_after`` seconds (a
kiosk can tell the citizen within 2 seconds that something is wrong).
Printer conditions (paper near end, paper out, cover open, offline) are
reported as alert events when they appear, and ``recovered`` when they go.

Every attempt after the first prints the whole document again, marked 补打,
because the failed attempt may have left part of a ticket on the paper.

No hub code is imported: the hub passes a callback that receives
``PrintEvent`` objects (it may be a plain function or a coroutine function).

When the first report arrives, with the default timeouts: a refused
connection, a connection closed or reset by the printer, paper out or cover
open are reported at once (milliseconds); no answer to the status query
after ``status_timeout`` (1 s) plus the 50 ms drain; a printer that stops
reading after ``confirm_timeout`` (3 s) or ``write_timeout`` (3 s), which is
why ``delayed`` is sent at ``notify_after`` (1.5 s). An unreachable host is
reported after ``connect_timeout`` (2 s).
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, replace
from enum import StrEnum

from printer.device import AsyncPrinter
from printer.document import Document
from printer.outcome import FailureReason, JobResult
from printer.status import PrinterStatus

log = logging.getLogger(__name__)


class EventKind(StrEnum):
    PRINTED = "printed"
    FAILED = "failed"
    DELAYED = "delayed"
    RETRYING = "retrying"
    FAILED_OVER = "failed_over"
    PAPER_NEAR_END = "paper_near_end"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"
    RECOVERED = "recovered"


ALERTS = (EventKind.PAPER_NEAR_END, EventKind.PAPER_OUT, EventKind.COVER_OPEN, EventKind.OFFLINE)
# Failures that mean nobody is answering at all: the printer is offline for
# alerting purposes. A dropped connection or a missing confirmation is not.
_OFFLINE_REASONS = {FailureReason.UNREACHABLE, FailureReason.STATUS_TIMEOUT}


def _offline_unexplained(status: PrinterStatus) -> bool:
    # Paper out and an open cover also put a printer offline; they have their
    # own alerts, so "offline" is kept for the cases nothing else explains.
    return not status.online and not (status.paper_out or status.cover_open)


@dataclass(frozen=True, slots=True)
class PrintJob:
    job_id: str
    printer_id: str  # the dispenser's own printer
    document: Document
    dispenser_id: str | None = None
    # The printer to fail over to; None: the sibling in the printer's config.
    fallback_printer_id: str | None = None


@dataclass(frozen=True, slots=True)
class PrintEvent:
    kind: EventKind
    printer_id: str
    job_id: str | None = None
    dispenser_id: str | None = None
    attempt: int = 0
    reprint: bool = False
    reason: FailureReason | None = None
    detail: str = ""
    elapsed: float = 0.0  # seconds since the job was submitted
    status: PrinterStatus | None = None
    to_printer_id: str | None = None  # failed_over: the printer tried next
    cleared: EventKind | None = None  # recovered: the alert that went away

    @property
    def final(self) -> bool:
        return self.kind in (EventKind.PRINTED, EventKind.FAILED)

    @property
    def alert(self) -> bool:
        return self.kind in ALERTS or self.kind is EventKind.RECOVERED


EventCallback = Callable[[PrintEvent], Awaitable[None] | None]


class UnknownPrinterError(KeyError):
    pass


class PrintSpooler:
    def __init__(
        self,
        printers: Iterable[AsyncPrinter],
        on_event: EventCallback,
        *,
        retries: int = 1,
        retry_delay: float = 0.2,
        notify_after: float = 1.5,
    ) -> None:
        self.printers = {p.id: p for p in printers}
        self._on_event = on_event
        self.retries = retries  # extra attempts on the same printer
        self.retry_delay = retry_delay
        self.notify_after = notify_after
        self._alerts: dict[str, set[EventKind]] = {pid: set() for pid in self.printers}
        self._tasks: set[asyncio.Task[PrintEvent]] = set()
        self._closed = False

    # -- public ----------------------------------------------------------------

    def submit(self, job: PrintJob) -> asyncio.Task[PrintEvent]:
        """Start printing ``job``; the task's result is its final event."""
        if self._closed:
            raise RuntimeError("the spooler is closed")
        if job.printer_id not in self.printers:
            raise UnknownPrinterError(job.printer_id)
        task = asyncio.get_running_loop().create_task(self._run(job), name=f"print-{job.job_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def print(self, job: PrintJob) -> PrintEvent:
        return await self.submit(job)

    async def check(self) -> list[PrinterStatus]:
        """Ask every printer for its status (queued behind its jobs) and raise alerts."""
        statuses = await asyncio.gather(*(p.status() for p in self.printers.values()))
        for status in statuses:
            await self._observe(status.printer_id, status, None)
        return list(statuses)

    async def run_monitor(self, interval: float = 30.0) -> None:
        """Check all printers every ``interval`` seconds, until cancelled."""
        while True:
            await self.check()
            await asyncio.sleep(interval)

    def alerts(self, printer_id: str) -> frozenset[EventKind]:
        return frozenset(self._alerts.get(printer_id, set()))

    async def close(self) -> None:
        """Refuse new jobs and wait for the ones in flight (each is time-bounded)."""
        self._closed = True
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    # -- the job ---------------------------------------------------------------

    def _candidates(self, job: PrintJob) -> list[AsyncPrinter]:
        primary = self.printers[job.printer_id]
        sibling = job.fallback_printer_id or primary.config.sibling
        if sibling is not None and sibling != primary.id and sibling in self.printers:
            return [primary, self.printers[sibling]]
        return [primary]

    async def _run(self, job: PrintJob) -> PrintEvent:
        started = time.monotonic()
        notice = asyncio.create_task(self._notify_delayed(job, started))
        try:
            final = await self._attempts(job, started)
        except asyncio.CancelledError:
            final = self._event(EventKind.FAILED, job, started, job.printer_id, detail="cancelled")
            await asyncio.shield(self._emit(final))
            raise
        except Exception as exc:  # a bug must not swallow the job
            log.exception("print job %s crashed", job.job_id)
            final = self._event(EventKind.FAILED, job, started, job.printer_id, detail=repr(exc))
        finally:
            notice.cancel()
        await self._emit(final)
        return final

    async def _attempts(self, job: PrintJob, started: float) -> PrintEvent:
        candidates = self._candidates(job)
        attempt = 0
        last: JobResult | None = None
        for index, printer in enumerate(candidates):
            for local in range(1 + self.retries):
                attempt += 1
                reprint = job.document.reprint or attempt > 1
                document = job.document.as_reprint() if reprint else job.document
                result = await printer.print_document(document)
                await self._observe(printer.id, result.status, result)
                if result.printed:
                    return self._event(
                        EventKind.PRINTED,
                        job,
                        started,
                        printer.id,
                        attempt=attempt,
                        reprint=reprint,
                        status=result.status,
                    )
                last = result
                assert result.reason is not None
                if result.reason.printer_condition or local == self.retries:
                    break
                await self._emit(self._failure(EventKind.RETRYING, job, started, result, attempt))
                await asyncio.sleep(self.retry_delay)
            if index + 1 < len(candidates):
                assert last is not None
                step = self._failure(EventKind.FAILED_OVER, job, started, last, attempt)
                await self._emit(replace(step, to_printer_id=candidates[index + 1].id))
        assert last is not None
        return self._failure(EventKind.FAILED, job, started, last, attempt)

    async def _notify_delayed(self, job: PrintJob, started: float) -> None:
        await asyncio.sleep(self.notify_after)
        await self._emit(
            self._event(
                EventKind.DELAYED, job, started, job.printer_id, detail="no confirmation yet"
            )
        )

    # -- alerts ----------------------------------------------------------------

    async def _observe(
        self, printer_id: str, status: PrinterStatus | None, result: JobResult | None
    ) -> None:
        current = self._alerts.setdefault(printer_id, set())
        if status is not None and status.reachable:
            now = {
                kind
                for kind, on in (
                    (EventKind.PAPER_NEAR_END, status.paper_near_end),
                    (EventKind.PAPER_OUT, status.paper_out),
                    (EventKind.COVER_OPEN, status.cover_open),
                    (EventKind.OFFLINE, _offline_unexplained(status)),
                )
                if on
            }
        elif (status is not None and not status.reachable) or (
            result is not None and result.reason in _OFFLINE_REASONS
        ):
            # Unreachable: paper flags are unknown, keep them as they were.
            now = current | {EventKind.OFFLINE}
        else:
            return
        detail = result.detail if result is not None else (status.error or "") if status else ""
        # Record first, then emit: another job's report may run while we await.
        self._alerts[printer_id] = now
        for kind in ALERTS:
            if kind in now and kind not in current:
                await self._emit(PrintEvent(kind, printer_id, detail=detail, status=status))
            elif kind in current and kind not in now:
                await self._emit(
                    PrintEvent(EventKind.RECOVERED, printer_id, status=status, cleared=kind)
                )

    # -- events ----------------------------------------------------------------

    def _event(
        self,
        kind: EventKind,
        job: PrintJob,
        started: float,
        printer_id: str,
        *,
        attempt: int = 0,
        reprint: bool = False,
        reason: FailureReason | None = None,
        detail: str = "",
        status: PrinterStatus | None = None,
    ) -> PrintEvent:
        return PrintEvent(
            kind,
            printer_id,
            job_id=job.job_id,
            dispenser_id=job.dispenser_id,
            attempt=attempt,
            reprint=reprint,
            reason=reason,
            detail=detail,
            elapsed=time.monotonic() - started,
            status=status,
        )

    def _failure(
        self, kind: EventKind, job: PrintJob, started: float, result: JobResult, attempt: int
    ) -> PrintEvent:
        return self._event(
            kind,
            job,
            started,
            result.printer_id,
            attempt=attempt,
            reprint=attempt > 1 or job.document.reprint,
            reason=result.reason,
            detail=result.detail,
            status=result.status,
        )

    async def _emit(self, event: PrintEvent) -> None:
        try:
            outcome = self._on_event(event)
            if inspect.isawaitable(outcome):
                await outcome
        except Exception:  # the hub's handler must not stop the spooler
            log.exception("print event handler failed for %s", event)
