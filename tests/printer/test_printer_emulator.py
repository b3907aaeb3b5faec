"""The printer model behind the fake and virtual printers."""

from __future__ import annotations

from printer.emulator import PrinterEmulator

JOB = b"\x1b@\x1c&\xd6\xd0\x1c.\n\x1dV\x00"
GS_R = b"\x1dr\x01"
STATUS = b"\x10\x04\x01\x10\x04\x02\x10\x04\x04"


def test_answers_status_and_confirms_after_the_cut() -> None:
    printer = PrinterEmulator()
    assert printer.feed(STATUS) == b"\x12\x12\x12"
    assert printer.feed(JOB + GS_R) == b"\x00"
    assert [job.data for job in printer.jobs] == [JOB]


def test_offline_printer_answers_status_but_holds_the_job() -> None:
    printer = PrinterEmulator(paper_out=True)
    assert printer.feed(STATUS) == bytes([0x1A, 0x32, 0x72])
    assert printer.feed(JOB + GS_R) == b""  # waits in the buffer
    assert printer.jobs == []
    printer.set_paper(out=False)
    # Loading paper prints the held job, late: why jobs are never sent to it.
    assert len(printer.jobs) == 1
    assert printer.take_output() == b"\x00"


def test_paper_roll_runs_down() -> None:
    printer = PrinterEmulator(tickets_left=2, near_end_at=1)
    assert printer.feed(JOB + GS_R) == b"\x03"  # one left: near end
    assert printer.feed(JOB + GS_R) == b"\x03"  # the last ticket still prints
    assert printer.paper_out
    assert printer.feed(STATUS)[2] & 0x60
    assert len(printer.jobs) == 2
    printer.set_paper(tickets_left=100)
    assert not printer.paper_out and not printer.paper_near_end


def test_muted_status_and_partial_jobs() -> None:
    printer = PrinterEmulator()
    printer.mute_status = True
    assert printer.feed(STATUS + JOB + GS_R) == b""
    printer.mute_status = False
    printer.feed(b"\x1b@\x1c&\xd6")
    printer.end_session()
    assert printer.partial_jobs == [b"\x1b@\x1c&\xd6"]


def test_jobs_are_reported_to_a_hook() -> None:
    seen: list[bytes] = []
    printer = PrinterEmulator(on_job=seen.append)
    printer.feed(JOB[:5])
    printer.feed(JOB[5:])
    assert seen == [JOB]
