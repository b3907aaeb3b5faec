"""The demo's virtual printer: prints to PNG through the ordinary driver path."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

from PIL import Image

from printer.config import PrinterConfig
from printer.device import AsyncPrinter
from printer.document import NoticeData, TicketData
from printer.factory import open_printer
from printer.spooler import EventKind, PrintEvent, PrintJob, PrintSpooler


def test_virtual_printer_keeps_a_png_per_job(
    ticket: TicketData, notice: NoticeData, tmp_path: Path
) -> None:
    cfg = PrinterConfig(
        id="V1", driver="virtual", paper_width=58, mode="image", output_dir=tmp_path
    )
    printer = open_printer(cfg)
    assert printer.virtual is not None
    assert printer.status().state == "ok"
    assert printer.print_document(ticket).confirmed
    assert printer.print_document(notice).confirmed
    previews = list(printer.virtual.previews)
    assert [p.sequence for p in previews] == [1, 2]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["V1-00001.png", "V1-00002.png"]
    image = Image.open(io.BytesIO(previews[0].png))
    assert image.width == 384 and image.height > 600
    assert previews[1].path is not None and previews[1].path.read_bytes() == previews[1].png
    latest = printer.virtual.latest()
    assert latest is not None and latest.sequence == 2


def test_virtual_printer_paper_out_through_the_spooler(ticket: TicketData) -> None:
    printer = open_printer(PrinterConfig(id="V1", driver="virtual"))
    assert printer.virtual is not None
    printer.virtual.emulator.set_paper(out=True)
    events: list[PrintEvent] = []

    async def main() -> PrintEvent:
        spooler = PrintSpooler([AsyncPrinter(printer)], events.append)
        return await spooler.print(PrintJob("j", "V1", ticket))

    final = asyncio.run(main())
    assert final.kind is EventKind.FAILED
    assert [e.kind for e in events] == [EventKind.PAPER_OUT, EventKind.FAILED]
    assert not printer.virtual.previews
