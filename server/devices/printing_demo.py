"""The demo's printers: what the fake and virtual printers printed, and faults to show.

Both keep what they printed; the admin page draws it from the very bytes the printer
received, so the demo shows exactly what would come out of a real printer.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from printer import render_escpos_to_png
from printer.fake import Fault

from .printing import PrintingSupervisor

SIMULATED = ("ok", "paper_near_end", "paper_out", "cover_open", "offline")
_KEEP_IMAGES = 100  # drawings of fake-printer jobs kept in memory
# Drawings by content (paper, encoding, font, the job's bytes): the same bytes always
# draw the same picture, whichever printer or hub printed them.
_images: dict[tuple[int, str, str, bytes], bytes] = {}


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


@dataclass(frozen=True)
class PrintedImage:
    """One document a fake or virtual printer printed, drawn as the paper would show it."""

    sequence: int
    printed_at: float
    png: Callable[[], bytes]


def printed(supervisor: PrintingSupervisor, printer_id: str, last: int = 6) -> list[PrintedImage]:
    """The latest documents of a fake or virtual printer, newest first."""
    printer = supervisor.printers.get(printer_id)
    if printer is None:
        return []
    device = printer.printer
    config = printer.config
    if device.virtual is not None:
        return [
            PrintedImage(p.sequence, p.printed_at, functools.partial(bytes, p.png))
            for p in reversed(list(device.virtual.previews)[-last:])
        ]
    if device.fake_server is None:
        return []
    jobs = list(device.fake_server.emulator.jobs)
    out = []
    for sequence in range(len(jobs), max(0, len(jobs) - last), -1):
        data = jobs[sequence - 1].data

        def draw(data: bytes = data) -> bytes:
            key = (config.paper_dots, config.encoding, str(config.font_path), _digest(data))
            if key not in _images:
                while len(_images) >= _KEEP_IMAGES:
                    del _images[next(iter(_images))]
                _images[key] = render_escpos_to_png(
                    data,
                    config.paper_dots,
                    encoding=config.encoding,
                    font_path=config.font_path,
                )
            return _images[key]

        out.append(PrintedImage(sequence, jobs[sequence - 1].printed_at, draw))
    return out


def simulate(supervisor: PrintingSupervisor, printer_id: str, condition: str) -> bool:
    """Put a fake or virtual printer in a condition, for demonstrations."""
    printer = supervisor.printers.get(printer_id)
    if printer is None or condition not in SIMULATED:
        return False
    device = printer.printer
    server = device.fake_server
    emulator = server.emulator if server else device.virtual.emulator if device.virtual else None
    if emulator is None:
        return False
    if condition == "offline":
        if server is None:
            return False
        server.set_fault(Fault.REFUSED)
        return True
    if server is not None:
        server.clear_fault()
    emulator.set_cover(condition == "cover_open")
    emulator.set_paper(
        out=condition == "paper_out", near_end=condition in ("paper_near_end", "paper_out")
    )
    return True
