"""A model of a ticket printer, shared by the fake TCP printer and the virtual one.

It consumes ESC/POS like a real printer does:

* real-time queries (DLE EOT n) are answered at once, whatever the state;
* every other command is executed in order; while the printer is offline
  (paper out, cover open) commands wait in its buffer and run after the
  paper is loaded, as on real hardware (this is why a job must never be
  sent to a printer that reports paper out: it would print much later);
* GS r 1 is answered when it is executed, i.e. after everything before it;
* a job ends with a cut (GS V); its bytes are kept in ``jobs``.

Paper can be counted: with ``tickets_left`` set, each cut uses one ticket
and the near-end sensor trips at ``near_end_at`` tickets left. The last
ticket still prints and is confirmed (its GS r answer says "near end"); the
printer reports paper out from then on.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from printer.escpos_stream import Command, CommandStream

_NOT_IN_JOB = {"DLE 04", "GS r", "GS a", "DLE 05", "DLE 14"}


@dataclass(frozen=True, slots=True)
class PrintedJob:
    data: bytes
    printed_at: float  # the emulator's wall_clock (time.time() by default)


class PrinterEmulator:
    def __init__(
        self,
        *,
        paper_out: bool = False,
        paper_near_end: bool = False,
        cover_open: bool = False,
        tickets_left: int | None = None,
        near_end_at: int = 0,
        on_job: Callable[[bytes], None] | None = None,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        # The owner's clock (a hub on a test's clock shows its prints at that clock's time).
        self.wall_clock = wall_clock
        self._lock = threading.RLock()
        self.paper_out = paper_out
        self.paper_near_end = paper_near_end
        self.cover_open = cover_open
        self.tickets_left = tickets_left
        self.near_end_at = near_end_at
        # A firmware that ignores status queries (a fault to reproduce).
        self.mute_status = False
        self.jobs: list[PrintedJob] = []
        # Jobs cut short by a lost connection: on paper they are printed
        # without a cut, as a real printer would do.
        self.partial_jobs: list[bytes] = []
        self._on_job = on_job
        self._stream = CommandStream()
        self._waiting: list[Command] = []
        self._current = bytearray()
        self._outbox = bytearray()
        self._roll_ended = False

    # -- state changes (from tests, the demo, the fake server) ---------------

    def set_paper(
        self,
        *,
        out: bool | None = None,
        near_end: bool | None = None,
        tickets_left: int | None = None,
    ) -> None:
        with self._lock:
            if out is not None:
                self.paper_out = out
            if near_end is not None:
                self.paper_near_end = near_end
            if tickets_left is not None:
                self.tickets_left = tickets_left
                self._count_paper()
            self._resume()

    def set_cover(self, open_: bool) -> None:
        with self._lock:
            self.cover_open = open_
            self._resume()

    @property
    def offline(self) -> bool:
        return self.paper_out or self.cover_open

    # -- the byte interface --------------------------------------------------

    def feed(self, data: bytes) -> bytes:
        """Consume bytes from the host; return what the printer sends back."""
        with self._lock:
            for command in self._stream.feed(data):
                if command.name == "DLE 04":
                    self._answer_realtime(command.args[0])
                elif self._waiting or self.offline:
                    self._waiting.append(command)
                else:
                    self._execute(command)
            return self.take_output()

    def take_output(self) -> bytes:
        with self._lock:
            out = bytes(self._outbox)
            self._outbox.clear()
            return out

    def end_session(self) -> None:
        """The host disconnected: whatever was not cut stays a partial job."""
        with self._lock:
            for command in self._stream.flush():
                self._waiting.append(command)
            if not self.offline:
                self._resume()
            self._end_of_roll()
            if self._current.strip(b"\x00"):
                self.partial_jobs.append(bytes(self._current))
            self._current.clear()
            self._outbox.clear()

    # -- internals -------------------------------------------------------------

    def status_byte(self, n: int) -> int:
        value = 0x12
        if n == 1 and self.offline:
            value |= 0x08
        elif n == 2:
            value |= (0x04 if self.cover_open else 0) | (0x20 if self.paper_out else 0)
        elif n == 4:
            value |= (0x0C if self.paper_near_end else 0) | (0x60 if self.paper_out else 0)
        return value

    def _answer_realtime(self, n: int) -> None:
        if not self.mute_status:
            self._outbox.append(self.status_byte(n))

    def _resume(self) -> None:
        while self._waiting and not self.offline:
            self._execute(self._waiting.pop(0))

    def _execute(self, command: Command) -> None:
        if command.name == "GS r":
            if not self.mute_status:
                near = 0x03 if self.paper_near_end else 0
                self._outbox.append(near | (0x0C if self.paper_out else 0))
            self._end_of_roll()
            return
        if command.name in _NOT_IN_JOB:
            return
        self._current += command.raw
        if command.name == "GS V":
            self._finish_job()

    def _finish_job(self) -> None:
        data = bytes(self._current)
        self._current.clear()
        self.jobs.append(PrintedJob(data, self.wall_clock()))
        if self.tickets_left is not None:
            self.tickets_left = max(0, self.tickets_left - 1)
            self._count_paper()
        if self._on_job is not None:
            self._on_job(data)

    def _count_paper(self) -> None:
        if self.tickets_left is None:
            return
        self.paper_near_end = self.tickets_left <= self.near_end_at
        if self.tickets_left == 0:
            self._roll_ended = True
        else:
            self.paper_out = False

    def _end_of_roll(self) -> None:
        if self._roll_ended:
            self._roll_ended = False
            self.paper_out = True
