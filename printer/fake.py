"""A fake network ticket printer: a real TCP server on the loopback interface.

It speaks ESC/POS through ``PrinterEmulator`` (answers DLE EOT and GS r,
keeps the jobs it printed) and can reproduce the faults seen in the field:

=====================  ======================================================
``REFUSED``            not listening: connections are refused
``ACCEPT_CLOSE``       accepts a connection, then closes it at once
``DROP_MID_TICKET``    closes the connection part-way through a job
``STALL``              stops reading once a job starts arriving
``NO_STATUS_ANSWER``   ignores status queries (DLE EOT and GS r)
``STALE_STATUS``       an old "all is well" status byte waits at connect
=====================  ======================================================

Paper out, paper near end and cover open are printer states: see
``emulator.set_paper()`` / ``set_cover()``.

Like most network printers it serves one session at a time: a second
connection waits in the listen backlog, unanswered, until the first ends.
"""

from __future__ import annotations

import contextlib
import select
import socket
import struct
import threading
import time
from enum import StrEnum
from types import TracebackType

from printer.emulator import PrinterEmulator

JOB_START = b"\x1b@"  # every job begins with ESC @ (initialize)
_POLL_S = 0.02


class Fault(StrEnum):
    REFUSED = "refused"
    ACCEPT_CLOSE = "accept_close"
    DROP_MID_TICKET = "drop_mid_ticket"
    STALL = "stall"
    NO_STATUS_ANSWER = "no_status_answer"
    STALE_STATUS = "stale_status"


class FakePrinterServer:
    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        emulator: PrinterEmulator | None = None,
        *,
        drop_after: int = 200,
        stall_max_s: float = 30.0,
    ) -> None:
        self.host = host
        self.emulator = emulator or PrinterEmulator()
        self.drop_after = drop_after  # job bytes taken before DROP_MID_TICKET hangs up
        self.stall_max_s = stall_max_s
        self.sessions = 0
        self._port = port
        self._faults: dict[Fault, int | None] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._release_stall = threading.Event()
        self._listener: socket.socket | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------

    def start(self) -> FakePrinterServer:
        self._listen()
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._serve, name=f"fake-printer-{self.port}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self._close_listener()

    def __enter__(self) -> FakePrinterServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return self._port

    @property
    def jobs(self) -> list[bytes]:
        return [job.data for job in self.emulator.jobs]

    # -- faults ----------------------------------------------------------------

    def set_fault(self, fault: Fault, sessions: int | None = None) -> None:
        """Turn a fault on for the next ``sessions`` connections (None: until cleared)."""
        with self._lock:
            self._faults[fault] = sessions
        if fault is Fault.REFUSED:
            self._close_listener()

    def clear_fault(self, fault: Fault | None = None) -> None:
        with self._lock:
            cleared = set(self._faults) if fault is None else {fault}
            for item in cleared:
                self._faults.pop(item, None)
        if Fault.STALL in cleared:
            self._release_stall.set()
        if Fault.REFUSED in cleared and not self._stop.is_set():
            self._listen()

    def _session_faults(self) -> set[Fault]:
        with self._lock:
            active = set(self._faults)
            for fault, left in list(self._faults.items()):
                if left is not None:
                    if left <= 1:
                        del self._faults[fault]
                    else:
                        self._faults[fault] = left - 1
            return active

    # -- sockets ---------------------------------------------------------------

    def _listen(self) -> None:
        with self._lock:
            if self._listener is not None:
                return
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            try:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                sock.bind((self.host, self._port))
                sock.listen(4)
            except OSError:
                sock.close()  # e.g. the port is taken: no socket left behind
                raise
            self._port = sock.getsockname()[1]
            self._listener = sock

    def _close_listener(self) -> None:
        with self._lock:
            sock, self._listener = self._listener, None
        if sock is not None:
            # shutdown() stops listening at once; close() alone is deferred by
            # the kernel while the serving thread still waits in select() on
            # it, and a connection made meanwhile would be reset, not refused.
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                listener = self._listener
            if listener is None:
                time.sleep(_POLL_S)
                continue
            try:
                ready, _w, _x = select.select([listener], [], [], _POLL_S)
                if not ready:
                    continue
                conn, _addr = listener.accept()
            except (OSError, ValueError):
                continue  # the listener was closed under us (REFUSED)
            # One session at a time: the next connection is not accepted
            # until this one has ended.
            with conn:
                self._session(conn)

    def _session(self, conn: socket.socket) -> None:
        self.sessions += 1
        faults = self._session_faults()
        self._release_stall.clear()
        if Fault.ACCEPT_CLOSE in faults:
            return
        self.emulator.mute_status = Fault.NO_STATUS_ANSWER in faults
        if Fault.STALE_STATUS in faults:
            conn.sendall(b"\x12")  # "online, no error", left over from long ago
        job_bytes = -1  # -1 until the job's ESC @ has been seen
        try:
            while not self._stop.is_set():
                self._send(conn, self.emulator.take_output())
                ready, _w, _x = select.select([conn], [], [], _POLL_S)
                if not ready:
                    continue
                data = conn.recv(4096)
                if not data:
                    break
                if job_bytes < 0 and JOB_START in data:
                    start = data.index(JOB_START)
                    self._send(conn, self.emulator.feed(data[:start]))
                    data, job_bytes = data[start:], 0
                if job_bytes >= 0 and Fault.STALL in faults:
                    self._stall()
                    return
                if job_bytes >= 0 and Fault.DROP_MID_TICKET in faults:
                    take = max(0, self.drop_after - job_bytes)
                    if len(data) >= take:
                        self.emulator.feed(data[:take])
                        self._reset(conn)
                        return
                if job_bytes >= 0:
                    job_bytes += len(data)
                self._send(conn, self.emulator.feed(data))
        except OSError:
            pass  # the host went away; a real printer just waits for the next one
        finally:
            self.emulator.mute_status = False
            self.emulator.end_session()

    def _send(self, conn: socket.socket, data: bytes) -> None:
        if data:
            with contextlib.suppress(OSError):
                conn.sendall(data)

    def _stall(self) -> None:
        """Stop reading: the host's bytes pile up in the socket buffers."""
        deadline = time.monotonic() + self.stall_max_s
        while time.monotonic() < deadline and not self._release_stall.is_set():
            if self._stop.wait(_POLL_S):
                return

    @staticmethod
    def _reset(conn: socket.socket) -> None:
        # Linger 0: the close sends RST, as a printer that reboots mid-job does.
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
