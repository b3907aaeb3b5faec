"""Opening each driver from its configuration, and the status check."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

from printer.config import PrinterConfig
from printer.document import TicketData
from printer.factory import check_printers, open_printer
from printer.fake import FakePrinterServer


def free_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port: int = sock.getsockname()[1]
    sock.close()
    return port


def test_fake_driver_starts_its_own_printer(ticket: TicketData) -> None:
    printer = open_printer(PrinterConfig(id="F1", driver="fake", paper_width=58))
    try:
        assert printer.fake_server is not None and printer.fake_server.port not in (0, 9100)
        result = printer.print_document(ticket)
        assert result.printed and result.confirmed
        assert len(printer.fake_server.jobs) == 1
    finally:
        printer.close()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", printer.fake_server.port)) != 0, "stopped too"


def test_fake_driver_on_a_chosen_port() -> None:
    port = free_port()
    printer = open_printer(PrinterConfig(id="F1", driver="fake", port=port))
    try:
        assert printer.fake_server is not None and printer.fake_server.port == port
        assert printer.status().state == "ok"
    finally:
        printer.close()


def test_file_driver_writes_unconfirmed(ticket: TicketData, tmp_path: Path) -> None:
    path = tmp_path / "tickets.bin"
    printer = open_printer(PrinterConfig(id="D1", driver="file", device=str(path)))
    result = printer.print_document(ticket)
    assert result.printed and not result.confirmed
    assert path.read_bytes().startswith(b"\x1b@")
    assert printer.status().error == "write-only"


def test_missing_serial_and_usb_devices_are_reported(ticket: TicketData) -> None:
    serial = open_printer(PrinterConfig(id="S1", driver="serial", device="/dev/ttyNOPE"))
    result = serial.print_document(ticket)
    assert not result.printed and result.reason == "unreachable" and "/dev/ttyNOPE" in result.detail
    usb = open_printer(
        PrinterConfig(id="U1", driver="usb", usb_vendor_id=0x0416, usb_product_id=0x5011)
    )
    assert usb.status().state == "unreachable"


def test_check_printers_in_order(fake_printer: FakePrinterServer) -> None:
    fake_printer.emulator.set_paper(near_end=True)
    configs = [
        PrinterConfig(id="A", driver="network", host="127.0.0.1", port=fake_printer.port),
        PrinterConfig(id="B", driver="network", host="127.0.0.1", port=free_port()),
        PrinterConfig(id="C", driver="virtual"),
    ]
    statuses = asyncio.run(check_printers(configs))
    assert [s.printer_id for s in statuses] == ["A", "B", "C"]
    assert [s.state for s in statuses] == ["paper_near_end", "unreachable", "ok"]
    assert "refused" in (statuses[1].error or "")
