"""The status and print protocol of one printer, against the fake printer."""

from __future__ import annotations

import asyncio
import itertools
import time

from escpos_reader import read_escpos
from printer_helpers import network_config

from printer.device import AsyncPrinter, Printer
from printer.document import TicketData
from printer.factory import open_printer
from printer.fake import FakePrinterServer, Fault
from printer.outcome import FailureReason


def printer_for(server: FakePrinterServer, **changes: object) -> Printer:
    return open_printer(network_config(server, **changes))


def test_status_of_a_healthy_printer(fake_printer: FakePrinterServer) -> None:
    status = printer_for(fake_printer).status()
    assert status.reachable and status.ready and status.state == "ok"


def test_status_reports_paper_and_cover(fake_printer: FakePrinterServer) -> None:
    fake_printer.emulator.set_paper(near_end=True)
    assert printer_for(fake_printer).status().state == "paper_near_end"
    fake_printer.emulator.set_cover(True)
    status = printer_for(fake_printer).status()
    assert status.cover_open and not status.online and not status.ready


def test_status_with_a_stale_byte_waiting(fake_printer: FakePrinterServer) -> None:
    fake_printer.set_fault(Fault.STALE_STATUS)
    fake_printer.emulator.set_paper(out=True)
    status = printer_for(fake_printer).status()
    assert status.paper_out and not status.online


def test_status_when_nobody_answers(fake_printer: FakePrinterServer) -> None:
    fake_printer.set_fault(Fault.NO_STATUS_ANSWER)
    started = time.monotonic()
    status = printer_for(fake_printer).status()
    assert not status.reachable and status.error == "no answer to status query"
    assert time.monotonic() - started < 0.3 + 0.5  # status timeout plus the drain


def test_print_is_confirmed(fake_printer: FakePrinterServer, ticket: TicketData) -> None:
    result = printer_for(fake_printer).print_document(ticket)
    assert result.printed and result.confirmed and result.sent and result.reason is None
    assert result.status is not None and result.status.state == "ok"
    assert "A023" in read_escpos(fake_printer.jobs[0]).text


def test_confirmation_reports_paper_near_end(
    fake_printer: FakePrinterServer, ticket: TicketData
) -> None:
    fake_printer.emulator.near_end_at = 5
    fake_printer.emulator.set_paper(tickets_left=6)
    result = printer_for(fake_printer).print_document(ticket)
    assert result.printed and result.status is not None and result.status.paper_near_end


def test_not_confirmed_when_printer_stalls(
    fake_printer: FakePrinterServer, ticket: TicketData
) -> None:
    fake_printer.set_fault(Fault.STALL, sessions=1)
    started = time.monotonic()
    result = printer_for(fake_printer).print_document(ticket)
    assert not result.printed and result.reason is FailureReason.NOT_CONFIRMED
    assert result.sent, "bytes went out: the paper may hold part of the ticket"
    assert 0.5 <= time.monotonic() - started < 1.5
    fake_printer.clear_fault(Fault.STALL)


def test_write_timeout_when_printer_stops_reading_a_big_job(
    fake_printer: FakePrinterServer,
) -> None:
    fake_printer.set_fault(Fault.STALL, sessions=1)
    # Far more than the socket buffers hold: the write itself must give up.
    job = b"\x1b@" + b"A" * 64_000_000 + b"\n\x1dV\x00"
    started = time.monotonic()
    result = printer_for(fake_printer).print_bytes(job)
    assert result.reason is FailureReason.WRITE_TIMEOUT
    assert time.monotonic() - started < 1.5
    fake_printer.clear_fault(Fault.STALL)


def test_async_printer_runs_off_the_event_loop(
    fake_printer: FakePrinterServer, ticket: TicketData
) -> None:
    fake_printer.set_fault(Fault.NO_STATUS_ANSWER, sessions=1)

    async def main() -> list[float]:
        printer = AsyncPrinter(printer_for(fake_printer))
        ticks: list[float] = []

        async def heartbeat() -> None:
            for _ in range(10):
                ticks.append(time.monotonic())
                await asyncio.sleep(0.02)

        await asyncio.gather(printer.print_document(ticket), heartbeat())
        return ticks

    ticks = asyncio.run(main())
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert max(gaps) < 0.15, "the loop kept running while the printer was slow"


def test_cancelled_call_keeps_the_printer_locked_until_its_thread_ends(
    fake_printer: FakePrinterServer, ticket: TicketData
) -> None:
    fake_printer.set_fault(Fault.STALL)

    async def main() -> float:
        printer = AsyncPrinter(printer_for(fake_printer))
        first = asyncio.create_task(printer.print_document(ticket))
        await asyncio.sleep(0.1)
        first.cancel()
        started = time.monotonic()
        await printer.status()  # queued behind the cancelled job's thread
        assert first.cancelled()
        return time.monotonic() - started

    waited = asyncio.run(main())
    # The stalled job's thread ran until its confirm timeout (0.5 s after it
    # started), then the status query met the still stalled printer (0.3 s
    # status timeout): about 0.8 s. Without the lock held it would be 0.35 s.
    assert waited > 0.6
