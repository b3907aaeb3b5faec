"""One serial port (or ``socket://`` gateway) kept open, and a paced transmitter.

Serial I/O goes through pyserial-asyncio-fast, which reads from the event loop only
when the descriptor is readable and never blocks it; opening (which may block on a
USB adapter) runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Callable

import serial_asyncio_fast

log = logging.getLogger(__name__)

BITS_PER_BYTE = 10  # 8N1: start bit, 8 data bits, stop bit
TURNAROUND_BYTES = 2  # idle time left after each frame for RS-485 drivers to switch
MAX_BUFFERED = 4096  # transport bytes not yet taken by the OS: the line is stuck
ECHO_GRACE = 0.1  # how long after sending we still expect to hear our own bytes


class PortLink:
    """Opens ``port``, reopens it whenever it is lost, and transmits queued frames.

    The backoff between failed opens doubles from ``backoff_initial`` but is capped
    at ``backoff_max`` so that a replugged adapter is back within a few seconds.
    """

    def __init__(
        self,
        port: str,
        baudrate: int,
        *,
        on_data: Callable[[bytes, float], None],
        on_state: Callable[[bool], None],
        name: str = "",
        pace: bool = True,
        local_echo: bool = False,
        backoff_initial: float = 0.1,
        backoff_max: float = 1.0,
        open_timeout: float = 3.0,
    ) -> None:
        self.port = port
        self.baudrate = baudrate
        self.name = name or port
        self.pace = pace
        self.local_echo = local_echo
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self.open_timeout = open_timeout
        self._on_data = on_data
        self._on_state = on_state
        self.online = False
        self.last_error: str | None = None
        self.opened = 0
        self.lost = 0
        self.discarded = 0
        self.echoes = 0
        self._urgent: deque[bytes] = deque()
        self._normal: deque[bytes] = deque()
        self._ready = asyncio.Event()
        self._echo = bytearray()
        self._echo_until = 0.0

    def wire_time(self, size: int) -> float:
        return (size + TURNAROUND_BYTES) * BITS_PER_BYTE / self.baudrate

    def send(self, data: bytes, *, urgent: bool = False) -> bool:
        """Queue bytes for the wire; urgent ones (acks) go before anything queued.
        Returns False, dropping the bytes, while the port is down."""
        if not self.online:
            self.discarded += 1
            return False
        (self._urgent if urgent else self._normal).append(data)
        self._ready.set()
        return True

    async def run(self) -> None:
        """Keep the port open until cancelled."""
        delay = self.backoff_initial
        while True:
            try:
                # asyncio.timeout, not wait_for: on Python 3.11 wait_for loses a
                # cancellation that arrives as the open completes, and the stopped bus
                # would then serve the port forever.
                async with asyncio.timeout(self.open_timeout):
                    transport, protocol = await self._open()
            except Exception as exc:  # whatever the driver raises, try again later
                self._note_failure(exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.backoff_max)
                continue
            delay = self.backoff_initial
            await self._serve(transport, protocol)

    async def _open(self) -> tuple[asyncio.BaseTransport, _PortProtocol]:
        loop = asyncio.get_running_loop()
        protocol = _PortProtocol(self, loop)
        options: dict[str, object] = {"baudrate": self.baudrate}
        if "://" not in self.port:
            options["exclusive"] = True  # a second hub on the same bus would garble it
        transport, _ = await serial_asyncio_fast.create_serial_connection(
            loop, lambda: protocol, self.port, **options
        )
        return transport, protocol

    def _note_failure(self, exc: BaseException) -> None:
        message = f"{type(exc).__name__}: {exc}"
        if message != self.last_error:
            log.warning("window bus %s: cannot open %s: %s", self.name, self.port, message)
        self.last_error = message

    async def _serve(self, transport: asyncio.BaseTransport, protocol: _PortProtocol) -> None:
        assert isinstance(transport, asyncio.WriteTransport)
        self.opened += 1
        self.online = True
        self.last_error = None
        log.info("window bus %s: %s open", self.name, self.port)
        transmitter = asyncio.create_task(self._transmit(transport))
        self._notify(True)
        try:
            # Shielded: cancelling this task must not cancel ``lost`` itself, or the
            # cleanup below would take the port for closed and leave it open (and
            # exclusively locked against the next owner).
            exc = await asyncio.shield(protocol.lost)
            self.lost += 1
            self.last_error = f"port lost: {exc}" if exc else "port closed"
            log.warning("window bus %s: %s", self.name, self.last_error)
        finally:
            self.online = False
            transmitter.cancel()
            self.discarded += len(self._urgent) + len(self._normal)
            self._urgent.clear()
            self._normal.clear()
            if not protocol.lost.done():  # we are being cancelled: close cleanly
                transport.close()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(2.0):
                        await asyncio.shield(protocol.lost)
            self._notify(False)

    def _notify(self, online: bool) -> None:
        try:
            self._on_state(online)
        except Exception:
            log.exception("window bus %s: port state callback failed", self.name)

    async def _transmit(self, transport: asyncio.WriteTransport) -> None:
        # The only writer on this port, so frames never interleave; with two-wire
        # RS-485 only one party may talk at a time, and a device answering while we
        # talk would be lost. Each frame is given its wire time before the next, so
        # an ack never waits behind a burst of refreshes sitting in an OS or gateway
        # buffer: its 50 ms budget is only a few frames long at 9600 baud.
        loop = asyncio.get_running_loop()
        while True:
            await self._ready.wait()
            queue = self._urgent or self._normal
            if not queue:
                self._ready.clear()
                continue
            data = queue.popleft()
            if transport.get_write_buffer_size() > MAX_BUFFERED:
                self.discarded += 1  # nobody is draining the line; state is re-sent later
                continue
            if self.local_echo:
                self._expect_echo(data, loop.time())
            transport.write(data)
            if self.pace:
                await asyncio.sleep(self.wire_time(len(data)))

    def _expect_echo(self, data: bytes, now: float) -> None:
        if now > self._echo_until:
            self._echo.clear()
        self._echo += data
        self._echo_until = now + self.wire_time(len(self._echo)) + ECHO_GRACE

    def _strip_echo(self, data: bytes, now: float) -> bytes:
        if not self._echo:
            return data
        if now > self._echo_until:
            self._echo.clear()
            return data
        matched = 0
        limit = min(len(data), len(self._echo))
        while matched < limit and data[matched] == self._echo[matched]:
            matched += 1
        if matched < limit:
            self._echo.clear()  # not our echo after all (or a garbled one): stop guessing
        else:
            del self._echo[:matched]
        self.echoes += matched
        return data[matched:]

    def _received(self, data: bytes) -> None:
        now = asyncio.get_running_loop().time()
        if self.local_echo:
            data = self._strip_echo(data, now)
        if not data:
            return
        try:
            self._on_data(data, now)
        except Exception:
            # An exception escaping data_received would make asyncio close a socket
            # transport; a bug in decoding must not take the port down with it.
            log.exception("window bus %s: receive callback failed", self.name)


class _PortProtocol(asyncio.Protocol):
    def __init__(self, link: PortLink, loop: asyncio.AbstractEventLoop) -> None:
        self._link = link
        self.lost: asyncio.Future[Exception | None] = loop.create_future()

    def data_received(self, data: bytes) -> None:
        self._link._received(data)

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.lost.done():
            self.lost.set_result(exc)
