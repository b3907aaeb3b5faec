"""The virtual printer of the demo: prints to PNG images.

It is an emulated printer (status, GS r confirmation, paper state) living in
the hub's process; every job it cuts is drawn with ``render_escpos_to_png``
from the bytes it received, kept in memory and, if configured, written to
``output_dir`` as ``<printer id>-<sequence>.png``.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from printer.emulator import PrinterEmulator
from printer.preview import render_escpos_to_png

KEEP_PREVIEWS = 50


@dataclass(frozen=True, slots=True)
class Preview:
    sequence: int
    png: bytes
    data: bytes
    printed_at: float  # the device's wall_clock (time.time() by default)
    path: Path | None


class VirtualDevice:
    def __init__(
        self,
        printer_id: str,
        paper_dots: int,
        *,
        encoding: str = "gb18030",
        output_dir: Path | None = None,
        font_path: Path | None = None,
        keep: int = KEEP_PREVIEWS,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.printer_id = printer_id
        self.paper_dots = paper_dots
        self.encoding = encoding
        self.output_dir = output_dir
        self.font_path = font_path
        self.previews: deque[Preview] = deque(maxlen=keep)
        self.emulator = PrinterEmulator(on_job=self._render, wall_clock=wall_clock)
        self._sequence = 0
        self._lock = threading.Lock()

    def latest(self) -> Preview | None:
        with self._lock:
            return self.previews[-1] if self.previews else None

    def _render(self, data: bytes) -> None:
        png = render_escpos_to_png(
            data, self.paper_dots, encoding=self.encoding, font_path=self.font_path
        )
        with self._lock:
            self._sequence += 1
            path = None
            if self.output_dir is not None:
                self.output_dir.mkdir(parents=True, exist_ok=True)
                path = self.output_dir / f"{self.printer_id}-{self._sequence:05d}.png"
                path.write_bytes(png)
            self.previews.append(
                Preview(self._sequence, png, data, self.emulator.wall_clock(), path)
            )


class VirtualTransport:
    """A connection to a ``VirtualDevice``: bytes go straight into its emulator."""

    duplex = True

    def __init__(self, device: VirtualDevice) -> None:
        self._emulator = device.emulator
        self._inbox = bytearray()
        self._arrived = threading.Condition()

    def write(self, data: bytes, timeout: float) -> None:
        answer = self._emulator.feed(data)
        if answer:
            with self._arrived:
                self._inbox += answer
                self._arrived.notify_all()

    def read(self, timeout: float, max_bytes: int = 256) -> bytes:
        with self._arrived:
            # Answers released later (paper loaded again) wait in the emulator.
            self._inbox += self._emulator.take_output()
            self._arrived.wait_for(lambda: bool(self._inbox), timeout=timeout)
            data = bytes(self._inbox[:max_bytes])
            del self._inbox[:max_bytes]
            return data

    def close(self) -> None:
        self._emulator.end_session()
