"""One printer: the status and print protocol over any transport.

``Printer`` is blocking and must run in a worker thread; ``AsyncPrinter``
does exactly that for asyncio code.

A connection is opened per job and closed after it: network printers usually
serve one session at a time, so holding one open would lock out everything
else (a status check from the CLI, a technician's test page).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from printer.commands import (
    ASB_OFF,
    PAPER_SENSOR_REQUEST,
    STATUS_OFFLINE_CAUSE,
    STATUS_PAPER,
    STATUS_PRINTER,
    status_request,
)
from printer.config import PrinterConfig
from printer.document import Document
from printer.fonts import FontNotFoundError
from printer.outcome import FailureReason, JobResult
from printer.render import render_document
from printer.status import (
    PrinterStatus,
    from_status_bytes,
    is_paper_answer,
    is_status_byte,
    unreachable,
    with_paper_answer,
)
from printer.transports.base import ConnectFailed, Disconnected, Transport, WriteTimeout

if TYPE_CHECKING:
    from printer.fake import FakePrinterServer
    from printer.virtual import VirtualDevice

T = TypeVar("T")

# Stale bytes (a late answer to an earlier query, a status a printer sends on
# connect) are drained until the line has been quiet this long.
DRAIN_QUIET_S = 0.05
DRAIN_MAX_S = 0.3
_QUERIES = (STATUS_PRINTER, STATUS_OFFLINE_CAUSE, STATUS_PAPER)


class StatusTimeout(Exception):
    pass


class InvalidStatus(Exception):
    pass


class NotConfirmed(Exception):
    pass


def _condition_reason(status: PrinterStatus) -> FailureReason:
    if status.cover_open:
        return FailureReason.COVER_OPEN
    if status.paper_out:
        return FailureReason.PAPER_OUT
    return FailureReason.OFFLINE


class Printer:
    def __init__(
        self,
        config: PrinterConfig,
        connect: Callable[[], Transport],
        *,
        fake_server: FakePrinterServer | None = None,
        virtual: VirtualDevice | None = None,
    ) -> None:
        self.config = config
        self._connect = connect
        # Set for the "fake" and "virtual" drivers: the demo and tests use them.
        self.fake_server = fake_server
        self.virtual = virtual

    @property
    def id(self) -> str:
        return self.config.id

    def status(self) -> PrinterStatus:
        try:
            transport = self._connect()
        except ConnectFailed as exc:
            return unreachable(self.id, str(exc))
        try:
            if not transport.duplex:
                return PrinterStatus(self.id, reachable=True, online=True, error="write-only")
            return self._query(transport)
        except StatusTimeout:
            return unreachable(self.id, "no answer to status query")
        except InvalidStatus as exc:
            return unreachable(self.id, str(exc))
        except (Disconnected, WriteTimeout) as exc:
            return unreachable(self.id, str(exc))
        finally:
            transport.close()

    def print_document(self, document: Document) -> JobResult:
        try:
            data = render_document(document, self.config)
        except (FontNotFoundError, OSError, ValueError) as exc:
            return JobResult(
                self.id, printed=False, reason=FailureReason.RENDER_FAILED, detail=str(exc)
            )
        return self.print_bytes(data)

    def print_bytes(self, data: bytes) -> JobResult:
        """Send one complete job (ESC @ ... cut) and wait for the printer to confirm it."""
        started = time.monotonic()
        status: PrinterStatus | None = None
        sent = False

        def result(
            reason: FailureReason | None, detail: str = "", confirmed: bool = False
        ) -> JobResult:
            return JobResult(
                self.id,
                printed=reason is None,
                reason=reason,
                detail=detail,
                status=status,
                sent=sent,
                confirmed=confirmed,
                elapsed=time.monotonic() - started,
            )

        try:
            transport = self._connect()
        except ConnectFailed as exc:
            return result(FailureReason.UNREACHABLE, str(exc))
        try:
            if transport.duplex:
                status = self._query(transport)
                if not status.ready:
                    return result(_condition_reason(status), f"printer reports {status.state}")
            sent = True
            transport.write(data + PAPER_SENSOR_REQUEST, self.config.write_timeout)
            if not transport.duplex:
                return result(None, "written to a file: nothing can confirm it")
            answer = self._await_confirmation(transport)
            assert status is not None
            status = with_paper_answer(status, answer)
            return result(None, confirmed=True)
        except StatusTimeout:
            return result(FailureReason.STATUS_TIMEOUT, "no answer to status query")
        except InvalidStatus as exc:
            return result(FailureReason.INVALID_STATUS, str(exc))
        except WriteTimeout as exc:
            return result(FailureReason.WRITE_TIMEOUT, str(exc))
        except Disconnected as exc:
            return result(FailureReason.DISCONNECTED, str(exc))
        except NotConfirmed:
            return result(
                FailureReason.NOT_CONFIRMED,
                f"no confirmation within {self.config.confirm_timeout} s",
            )
        finally:
            transport.close()

    def close(self) -> None:
        if self.fake_server is not None:
            self.fake_server.stop()

    def _drain(self, transport: Transport) -> None:
        deadline = time.monotonic() + DRAIN_MAX_S
        while time.monotonic() < deadline:
            if not transport.read(DRAIN_QUIET_S):
                return

    def _query(self, transport: Transport) -> PrinterStatus:
        transport.write(ASB_OFF, self.config.write_timeout)
        self._drain(transport)
        transport.write(b"".join(status_request(n) for n in _QUERIES), self.config.write_timeout)
        received = b""
        deadline = time.monotonic() + self.config.status_timeout
        while len(received) < len(_QUERIES):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise StatusTimeout
            received += transport.read(remaining)
        # Any byte that slipped in ahead of the answers is stale: the answers
        # are always the last three bytes on the line.
        answers = received[-len(_QUERIES) :]
        if not all(is_status_byte(b) for b in answers):
            raise InvalidStatus(f"unexpected status answer {answers.hex(' ')}")
        return from_status_bytes(self.id, *answers)

    def _await_confirmation(self, transport: Transport) -> int:
        deadline = time.monotonic() + self.config.confirm_timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise NotConfirmed
            for byte in transport.read(remaining):
                # Skip late DLE EOT answers; their fixed bits differ from GS r's.
                if is_paper_answer(byte):
                    return byte


class AsyncPrinter:
    """A ``Printer`` for asyncio: blocking I/O runs in a worker thread."""

    def __init__(self, printer: Printer) -> None:
        self.printer = printer
        # One job at a time per printer: two jobs on one printer would mix the
        # bytes of two tickets (serial, USB) or the second connection would
        # just wait behind the first one (network printers serve one session)
        # and time out. The lock also queues tickets in the order they came.
        self._lock = asyncio.Lock()

    @property
    def id(self) -> str:
        return self.printer.id

    @property
    def config(self) -> PrinterConfig:
        return self.printer.config

    async def _run(self, call: Callable[[], T]) -> T:
        async with self._lock:
            work = asyncio.ensure_future(asyncio.to_thread(call))
            try:
                return await asyncio.shield(work)
            except asyncio.CancelledError:
                # A thread cannot be stopped: keep the printer locked until its
                # own timeouts end it, so no other job talks to it meanwhile.
                await asyncio.wait({work})
                raise

    async def status(self) -> PrinterStatus:
        return await self._run(self.printer.status)

    async def print_document(self, document: Document) -> JobResult:
        return await self._run(lambda: self.printer.print_document(document))

    async def print_bytes(self, data: bytes) -> JobResult:
        return await self._run(lambda: self.printer.print_bytes(data))

    async def close(self) -> None:
        await self._run(self.printer.close)
