"""The spooler against fake network printers: one test per field fault.

For each fault: the job is not lost (it ends in a reported final event), the
first failure is reported in time, and the ticket that finally prints is the
whole ticket marked 补打.

Bounds: with the tests' timeouts (connect 0.5 s, status 0.3 s, confirm
0.5 s) every first failure report must arrive within FIRST_REPORT_S.
"""

from __future__ import annotations

import asyncio
import dataclasses
import socket
import time
from collections.abc import Callable, Coroutine
from typing import Any

import pytest
from escpos_reader import read_escpos
from printer_helpers import FAST, network_config

from printer.config import PrinterConfig
from printer.device import AsyncPrinter
from printer.document import TicketData
from printer.factory import open_printer
from printer.fake import FakePrinterServer, Fault
from printer.outcome import FailureReason
from printer.spooler import EventKind, PrintEvent, PrintJob, PrintSpooler, UnknownPrinterError

FIRST_REPORT_S = 2.0


class Recorder:
    """Collects events with the time they arrived; can react to one kind."""

    def __init__(self) -> None:
        self.start = time.monotonic()
        self.events: list[tuple[float, PrintEvent]] = []
        self.on: dict[EventKind, Callable[[PrintEvent], None]] = {}

    def __call__(self, event: PrintEvent) -> None:
        self.events.append((time.monotonic() - self.start, event))
        hook = self.on.get(event.kind)
        if hook is not None:
            hook(event)

    def kinds(self) -> list[EventKind]:
        return [event.kind for _, event in self.events]

    def first(self, kind: EventKind) -> tuple[float, PrintEvent]:
        for at, event in self.events:
            if event.kind is kind:
                return at, event
        raise AssertionError(f"no {kind} event; got {self.kinds()}")

    def first_failure_at(self) -> float:
        failures = {EventKind.RETRYING, EventKind.FAILED_OVER, EventKind.FAILED}
        return min(at for at, event in self.events if event.kind in failures)


def run(coro: Coroutine[Any, Any, PrintEvent]) -> PrintEvent:
    return asyncio.run(coro)


async def print_one(
    configs: list[PrinterConfig],
    job: PrintJob,
    recorder: Recorder,
    **options: Any,
) -> PrintEvent:
    printers = [AsyncPrinter(open_printer(c)) for c in configs]
    options.setdefault("retry_delay", 0.05)
    options.setdefault("notify_after", 10.0)
    spooler = PrintSpooler(printers, recorder, **options)
    recorder.start = time.monotonic()
    final = await spooler.print(job)
    await spooler.close()
    return final


def job_for(ticket: TicketData, printer_id: str = "P1") -> PrintJob:
    return PrintJob("job-1", printer_id, ticket, dispenser_id="K01")


def assert_single_reprint(server: FakePrinterServer) -> None:
    assert len(server.jobs) == 1, f"expected exactly one printed ticket, got {len(server.jobs)}"
    text = read_escpos(server.jobs[0]).text
    assert "补打" in text and "A023" in text


def test_prints_and_reports_once(fake_printer: FakePrinterServer, ticket: TicketData) -> None:
    rec = Recorder()
    final = run(print_one([network_config(fake_printer)], job_for(ticket), rec))
    assert final.kind is EventKind.PRINTED and final.final
    assert not final.reprint and final.attempt == 1
    assert final.job_id == "job-1" and final.dispenser_id == "K01"
    assert rec.kinds() == [EventKind.PRINTED]
    assert final.elapsed < 1.0
    assert "补打" not in read_escpos(fake_printer.jobs[0]).text


def test_refused_then_back(fake_printer: FakePrinterServer, ticket: TicketData) -> None:
    fake_printer.set_fault(Fault.REFUSED)
    rec = Recorder()
    # The printer comes back while the spooler waits to retry.
    rec.on[EventKind.RETRYING] = lambda _e: fake_printer.clear_fault(Fault.REFUSED)
    final = run(print_one([network_config(fake_printer)], job_for(ticket), rec))

    at, retry = rec.first(EventKind.RETRYING)
    assert retry.reason is FailureReason.UNREACHABLE and "refused" in retry.detail
    assert at < FIRST_REPORT_S
    assert final.kind is EventKind.PRINTED and final.reprint and final.attempt == 2
    assert rec.first(EventKind.OFFLINE)[0] <= at
    assert rec.first(EventKind.RECOVERED)[1].cleared is EventKind.OFFLINE
    assert_single_reprint(fake_printer)


def test_refused_for_good_is_reported_failed(
    fake_printer: FakePrinterServer, ticket: TicketData
) -> None:
    fake_printer.set_fault(Fault.REFUSED)
    rec = Recorder()
    final = run(print_one([network_config(fake_printer)], job_for(ticket), rec))
    assert final.kind is EventKind.FAILED and final.reason is FailureReason.UNREACHABLE
    assert final.job_id == "job-1" and final.attempt == 2
    assert rec.kinds()[-1] is EventKind.FAILED
    assert rec.first_failure_at() < FIRST_REPORT_S
    assert fake_printer.jobs == []


def test_accept_then_close(fake_printer: FakePrinterServer, ticket: TicketData) -> None:
    fake_printer.set_fault(Fault.ACCEPT_CLOSE, sessions=1)
    rec = Recorder()
    final = run(print_one([network_config(fake_printer)], job_for(ticket), rec))
    at, retry = rec.first(EventKind.RETRYING)
    assert retry.reason is FailureReason.DISCONNECTED
    assert at < FIRST_REPORT_S
    assert final.kind is EventKind.PRINTED and final.reprint
    assert_single_reprint(fake_printer)


def test_drop_in_the_middle_of_a_ticket(
    fake_printer: FakePrinterServer, ticket: TicketData
) -> None:
    fake_printer.set_fault(Fault.DROP_MID_TICKET, sessions=1)
    rec = Recorder()
    final = run(print_one([network_config(fake_printer)], job_for(ticket), rec))
    at, retry = rec.first(EventKind.RETRYING)
    assert retry.reason is FailureReason.DISCONNECTED
    assert at < FIRST_REPORT_S
    # Half a ticket came out of the printer, uncut ...
    assert len(fake_printer.emulator.partial_jobs) == 1
    assert b"\x1dV" not in fake_printer.emulator.partial_jobs[0]
    # ... so the whole ticket is printed again, marked as a reprint.
    assert final.kind is EventKind.PRINTED and final.reprint
    assert_single_reprint(fake_printer)


def test_stall_fails_over_to_sibling(
    fake_printer: FakePrinterServer, second_fake_printer: FakePrinterServer, ticket: TicketData
) -> None:
    fake_printer.set_fault(Fault.STALL)
    configs = [
        network_config(fake_printer, sibling="P2"),
        network_config(second_fake_printer, id="P2"),
    ]
    rec = Recorder()
    final = run(print_one(configs, job_for(ticket), rec))

    at, retry = rec.first(EventKind.RETRYING)
    assert retry.reason is FailureReason.NOT_CONFIRMED and retry.printer_id == "P1"
    assert at < FIRST_REPORT_S
    _at, over = rec.first(EventKind.FAILED_OVER)
    # The stalled printer still holds its only session: the retry gets no status.
    assert over.reason is FailureReason.STATUS_TIMEOUT
    assert over.printer_id == "P1" and over.to_printer_id == "P2"
    assert final.kind is EventKind.PRINTED and final.printer_id == "P2" and final.reprint
    assert fake_printer.jobs == []
    assert_single_reprint(second_fake_printer)
    assert final.elapsed < 3.0


def test_delayed_notice_before_a_slow_outcome(
    fake_printer: FakePrinterServer, ticket: TicketData
) -> None:
    fake_printer.set_fault(Fault.STALL)
    cfg = network_config(fake_printer, confirm_timeout=1.0)
    rec = Recorder()
    final = run(print_one([cfg], job_for(ticket), rec, notify_after=0.2, retries=0))
    at, delayed = rec.first(EventKind.DELAYED)
    assert 0.15 < at < 0.6 and delayed.job_id == "job-1"
    assert final.kind is EventKind.FAILED and final.reason is FailureReason.NOT_CONFIRMED
    assert rec.kinds().count(EventKind.DELAYED) == 1


def test_no_answer_to_status(fake_printer: FakePrinterServer, ticket: TicketData) -> None:
    fake_printer.set_fault(Fault.NO_STATUS_ANSWER, sessions=1)
    rec = Recorder()
    final = run(print_one([network_config(fake_printer)], job_for(ticket), rec))
    at, retry = rec.first(EventKind.RETRYING)
    assert retry.reason is FailureReason.STATUS_TIMEOUT
    assert 0.25 < at < FIRST_REPORT_S
    assert final.kind is EventKind.PRINTED and final.reprint
    assert_single_reprint(fake_printer)


def test_paper_out_is_not_sent_and_fails_over(
    fake_printer: FakePrinterServer, second_fake_printer: FakePrinterServer, ticket: TicketData
) -> None:
    fake_printer.emulator.set_paper(out=True)
    configs = [
        network_config(fake_printer, sibling="P2"),
        network_config(second_fake_printer, id="P2"),
    ]
    rec = Recorder()
    final = run(print_one(configs, job_for(ticket), rec))

    # No retry on a printer that says it has no paper: straight to the sibling.
    assert EventKind.RETRYING not in rec.kinds()
    at, over = rec.first(EventKind.FAILED_OVER)
    assert over.reason is FailureReason.PAPER_OUT and at < FIRST_REPORT_S
    assert rec.first(EventKind.PAPER_OUT)[1].printer_id == "P1"
    assert final.kind is EventKind.PRINTED and final.printer_id == "P2" and final.reprint
    assert_single_reprint(second_fake_printer)
    # Nothing was queued in the empty printer to come out later.
    fake_printer.emulator.set_paper(out=False)
    assert fake_printer.jobs == [] and fake_printer.emulator.partial_jobs == []


def test_paper_out_without_sibling_fails_at_once(
    fake_printer: FakePrinterServer, ticket: TicketData
) -> None:
    fake_printer.emulator.set_cover(True)
    rec = Recorder()
    final = run(print_one([network_config(fake_printer)], job_for(ticket), rec))
    assert final.kind is EventKind.FAILED and final.reason is FailureReason.COVER_OPEN
    assert final.attempt == 1 and final.elapsed < 0.5
    assert EventKind.COVER_OPEN in rec.kinds()


def test_stale_status_byte_does_not_make_an_offline_printer_look_online(
    fake_printer: FakePrinterServer, second_fake_printer: FakePrinterServer, ticket: TicketData
) -> None:
    # An old "all is well" byte waits on the line; the printer's cover is open.
    fake_printer.set_fault(Fault.STALE_STATUS)
    fake_printer.emulator.set_cover(True)
    configs = [
        network_config(fake_printer, sibling="P2"),
        network_config(second_fake_printer, id="P2"),
    ]
    rec = Recorder()
    final = run(print_one(configs, job_for(ticket), rec))
    at, over = rec.first(EventKind.FAILED_OVER)
    assert over.reason is FailureReason.COVER_OPEN and at < FIRST_REPORT_S
    assert final.kind is EventKind.PRINTED and final.printer_id == "P2" and final.reprint
    assert_single_reprint(second_fake_printer)
    fake_printer.emulator.set_cover(False)
    assert fake_printer.jobs == [], "nothing may wait in the offline printer's buffer"


def test_stale_status_byte_on_a_healthy_printer(
    fake_printer: FakePrinterServer, ticket: TicketData
) -> None:
    fake_printer.set_fault(Fault.STALE_STATUS)
    final = run(print_one([network_config(fake_printer)], job_for(ticket), Recorder()))
    assert final.kind is EventKind.PRINTED and final.attempt == 1 and not final.reprint
    assert len(fake_printer.jobs) == 1


def test_single_session_printer_busy_with_someone_else(
    fake_printer: FakePrinterServer, ticket: TicketData
) -> None:
    hog = socket.create_connection(("127.0.0.1", fake_printer.port))
    hog.sendall(b"\x10\x04\x01")
    assert hog.recv(1) == b"\x12"  # the other client holds the one session
    rec = Recorder()
    rec.on[EventKind.RETRYING] = lambda _e: hog.close()
    try:
        final = run(print_one([network_config(fake_printer)], job_for(ticket), rec))
    finally:
        hog.close()
    at, retry = rec.first(EventKind.RETRYING)
    assert retry.reason is FailureReason.STATUS_TIMEOUT and at < FIRST_REPORT_S
    assert final.kind is EventKind.PRINTED and final.reprint
    assert_single_reprint(fake_printer)


def test_failover_when_primary_is_gone(
    second_fake_printer: FakePrinterServer, ticket: TicketData
) -> None:
    gone = socket.socket()
    gone.bind(("127.0.0.1", 0))
    port = gone.getsockname()[1]
    gone.close()  # nothing listens there any more
    configs = [
        PrinterConfig(id="P1", driver="network", host="127.0.0.1", port=port, sibling="P2", **FAST),
        network_config(second_fake_printer, id="P2"),
    ]
    rec = Recorder()
    final = run(print_one(configs, job_for(ticket), rec))
    assert rec.kinds()[:3] == [EventKind.OFFLINE, EventKind.RETRYING, EventKind.FAILED_OVER]
    assert final.kind is EventKind.PRINTED and final.printer_id == "P2" and final.attempt == 3
    assert_single_reprint(second_fake_printer)


def test_paper_near_end_alert_comes_before_paper_out(
    fake_printer: FakePrinterServer, ticket: TicketData
) -> None:
    fake_printer.emulator.near_end_at = 1
    fake_printer.emulator.set_paper(tickets_left=3)
    rec = Recorder()

    async def four_jobs() -> list[PrintEvent]:
        printers = [AsyncPrinter(open_printer(network_config(fake_printer)))]
        spooler = PrintSpooler(printers, rec, retry_delay=0.05)
        finals = []
        for n in range(4):
            number = dataclasses.replace(ticket, number=f"A{n:03d}")
            finals.append(await spooler.print(PrintJob(f"job-{n}", "P1", number)))
        return finals

    finals = asyncio.run(four_jobs())
    assert [f.kind for f in finals] == [EventKind.PRINTED] * 3 + [EventKind.FAILED]
    kinds = rec.kinds()
    near, out = kinds.index(EventKind.PAPER_NEAR_END), kinds.index(EventKind.PAPER_OUT)
    assert near < kinds.index(EventKind.PRINTED, near) < out
    assert kinds.count(EventKind.PAPER_NEAR_END) == 1, "an alert is raised once, not per job"
    assert finals[3].reason is FailureReason.PAPER_OUT
    assert len(fake_printer.jobs) == 3


def test_jobs_on_one_printer_print_one_at_a_time_in_order(
    fake_printer: FakePrinterServer, ticket: TicketData
) -> None:
    async def burst() -> list[PrintEvent]:
        printers = [AsyncPrinter(open_printer(network_config(fake_printer)))]
        spooler = PrintSpooler(printers, Recorder())
        tasks = [
            spooler.submit(PrintJob(f"j{n}", "P1", dataclasses.replace(ticket, number=f"B{n:03d}")))
            for n in range(6)
        ]
        return list(await asyncio.gather(*tasks))

    finals = asyncio.run(burst())
    assert all(f.kind is EventKind.PRINTED and not f.reprint for f in finals)
    numbers = [read_escpos(job).find("B0").text.strip() for job in fake_printer.jobs]
    assert numbers == [f"B{n:03d}" for n in range(6)]
    assert fake_printer.sessions == 6


def test_a_failing_event_handler_does_not_lose_the_job(
    fake_printer: FakePrinterServer, ticket: TicketData
) -> None:
    seen: list[EventKind] = []

    async def broken(event: PrintEvent) -> None:
        seen.append(event.kind)
        raise RuntimeError("hub handler bug")

    async def main() -> PrintEvent:
        spooler = PrintSpooler([AsyncPrinter(open_printer(network_config(fake_printer)))], broken)
        return await spooler.print(job_for(ticket))

    final = asyncio.run(main())
    assert final.kind is EventKind.PRINTED and seen == [EventKind.PRINTED]
    assert len(fake_printer.jobs) == 1


def test_cancelled_job_is_reported(fake_printer: FakePrinterServer, ticket: TicketData) -> None:
    fake_printer.set_fault(Fault.STALL)
    rec = Recorder()

    async def main() -> None:
        spooler = PrintSpooler([AsyncPrinter(open_printer(network_config(fake_printer)))], rec)
        task = spooler.submit(job_for(ticket))
        await asyncio.sleep(0.2)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())
    final = rec.events[-1][1]
    assert final.kind is EventKind.FAILED and final.detail == "cancelled"


def test_unknown_printer_is_refused_loudly(ticket: TicketData) -> None:
    async def main() -> None:
        spooler = PrintSpooler([], Recorder())
        with pytest.raises(UnknownPrinterError):
            spooler.submit(job_for(ticket, "nope"))

    asyncio.run(main())


def test_check_raises_and_clears_alerts(fake_printer: FakePrinterServer) -> None:
    rec = Recorder()

    async def main() -> None:
        spooler = PrintSpooler([AsyncPrinter(open_printer(network_config(fake_printer)))], rec)
        fake_printer.emulator.set_paper(near_end=True)
        await spooler.check()
        assert spooler.alerts("P1") == {EventKind.PAPER_NEAR_END}
        fake_printer.emulator.set_paper(near_end=False)
        [status] = await spooler.check()
        assert status.state == "ok"
        assert spooler.alerts("P1") == frozenset()

    asyncio.run(main())
    assert rec.kinds() == [EventKind.PAPER_NEAR_END, EventKind.RECOVERED]


def test_job_can_name_its_own_fallback(
    fake_printer: FakePrinterServer, second_fake_printer: FakePrinterServer, ticket: TicketData
) -> None:
    # A kiosk's own fallback printer wins over the printer's configured sibling.
    fake_printer.set_fault(Fault.REFUSED)
    configs = [
        network_config(fake_printer, sibling="P3"),
        network_config(second_fake_printer, id="P2"),
        network_config(second_fake_printer, id="P3", port=1),
    ]
    rec = Recorder()
    job = dataclasses.replace(job_for(ticket), fallback_printer_id="P2")
    final = run(print_one(configs, job, rec, retries=0))
    assert rec.first(EventKind.FAILED_OVER)[1].to_printer_id == "P2"
    assert final.kind is EventKind.PRINTED and final.printer_id == "P2"
    assert_single_reprint(second_fake_printer)
