"""Decoding status answers."""

from __future__ import annotations

from printer.status import (
    PrinterStatus,
    from_status_bytes,
    is_paper_answer,
    is_status_byte,
    unreachable,
    with_paper_answer,
)


def test_no_byte_is_both_a_status_answer_and_a_paper_answer() -> None:
    # This is what lets a stale DLE EOT answer be skipped while waiting for GS r.
    assert not [b for b in range(256) if is_status_byte(b) and is_paper_answer(b)]
    assert is_status_byte(0x12) and is_paper_answer(0x00) and is_paper_answer(0x0F)


def test_all_well() -> None:
    status = from_status_bytes("P", 0x12, 0x12, 0x12)
    assert status.ready and status.state == "ok"


def test_paper_out_and_near_end() -> None:
    status = from_status_bytes("P", 0x1A, 0x32, 0x7E)
    assert not status.ready and not status.online
    assert status.paper_out and status.paper_near_end and status.state == "paper_out"


def test_cover_open() -> None:
    status = from_status_bytes("P", 0x1A, 0x16, 0x12)
    assert status.cover_open and status.state == "cover_open"


def test_paper_answer_updates_paper_flags() -> None:
    base = PrinterStatus("P", reachable=True, online=True)
    assert with_paper_answer(base, 0x03).paper_near_end
    assert with_paper_answer(base, 0x0C).paper_out
    assert with_paper_answer(base, 0x00).state == "ok"


def test_describe() -> None:
    assert (
        unreachable("P9", "connection refused").describe() == "P9: unreachable, connection refused"
    )
    near = PrinterStatus("P1", reachable=True, online=True, paper_near_end=True)
    assert near.describe() == "P1: paper_near_end"
