"""Framing of the window bus: ``FF 68 L L 68 A F D.. CS 16``.

Pure functions and a byte-at-a-time tolerant decoder; no I/O and no clock of its
own (the caller passes ``now``), so every timing rule can be tested exactly.
"""

from __future__ import annotations

from collections import deque
from dataclasses import asdict, dataclass

PREAMBLE = 0xFF
START = 0x68
END = 0x16
MIN_LENGTH = 2  # L counts A and F, so an empty-data frame has L = 2
MAX_LENGTH = 18  # A, F and at most 16 data bytes
MAX_DATA = MAX_LENGTH - MIN_LENGTH
MIN_ADDRESS = 1
MAX_ADDRESS = 247
HEADER_SIZE = 5  # FF 68 L L 68
FRAME_OVERHEAD = HEADER_SIZE + 2  # header plus CS and 16; a frame is L + 7 bytes
FRAME_TIMEOUT = 0.100  # a frame must be complete within 100 ms of its first byte
_SYNC = bytes((PREAMBLE, START))


class FrameError(ValueError):
    """A byte string is not one well-formed frame."""


@dataclass(frozen=True, slots=True)
class Frame:
    """One valid frame. ``raw`` is kept so that the ack can echo it byte for byte."""

    address: int
    function: int
    data: bytes
    raw: bytes


def checksum(body: bytes) -> int:
    """Additive checksum over A, F and the data bytes."""
    return sum(body) & 0xFF


def encode_frame(address: int, function: int, data: bytes = b"") -> bytes:
    """Build the wire bytes of one frame."""
    if not MIN_ADDRESS <= address <= MAX_ADDRESS:
        raise ValueError(f"address {address} is outside {MIN_ADDRESS}..{MAX_ADDRESS}")
    if not 0 <= function <= 0xFF:
        raise ValueError(f"function code {function} is not a byte")
    if len(data) > MAX_DATA:
        raise ValueError(f"{len(data)} data bytes; a frame carries at most {MAX_DATA}")
    body = bytes((address, function)) + bytes(data)
    length = len(body)
    return bytes((PREAMBLE, START, length, length, START)) + body + bytes((checksum(body), END))


def parse_frame(raw: bytes) -> Frame:
    """Parse exactly one complete frame, raising :class:`FrameError` if it is not one."""
    decoder = FrameDecoder()
    frames = decoder.feed(raw, 0.0)
    if len(frames) != 1 or decoder.pending or frames[0].raw != bytes(raw):
        raise FrameError(f"not a single valid frame: {bytes(raw).hex(' ')}")
    return frames[0]


@dataclass(slots=True)
class LineQuality:
    """Counters of one receiving line. ``bytes_received`` always equals
    ``frame_bytes + bytes_dropped`` plus whatever is still buffered."""

    bytes_received: int = 0
    frames_ok: int = 0
    frame_bytes: int = 0
    bytes_dropped: int = 0  # noise and the bytes of every rejected frame
    length_errors: int = 0  # L out of 2..18 or the two copies differ
    header_errors: int = 0  # the second 68 is missing
    address_errors: int = 0  # A outside 1..247
    checksum_errors: int = 0
    end_errors: int = 0  # the closing 16 is missing
    timeouts: int = 0  # not finished within 100 ms of its first byte

    @property
    def frames_rejected(self) -> int:
        return (
            self.length_errors
            + self.header_errors
            + self.address_errors
            + self.checksum_errors
            + self.end_errors
            + self.timeouts
        )

    @property
    def drop_ratio(self) -> float:
        """Share of received bytes that were thrown away (0.0 on a clean line)."""
        return self.bytes_dropped / self.bytes_received if self.bytes_received else 0.0

    def as_dict(self) -> dict[str, float]:
        figures: dict[str, float] = dict(asdict(self))
        figures["frames_rejected"] = self.frames_rejected
        figures["drop_ratio"] = round(self.drop_ratio, 4)
        return figures


class FrameDecoder:
    """Incremental decoder: feed it whatever the port returned, get whole frames back.

    After any malformed frame it drops only the leading ``FF`` and searches again for
    the next ``FF 68``, so a real frame hidden behind noise that looked like a header
    is still found.
    """

    def __init__(self, timeout: float = FRAME_TIMEOUT) -> None:
        self.timeout = timeout
        self.quality = LineQuality()
        self._buf = bytearray()
        # Arrival time of the buffered bytes, one run per read, oldest first;
        # the timeout is measured from the arrival of a frame's first byte.
        self._arrivals: deque[_Arrival] = deque()

    @property
    def pending(self) -> int:
        """Bytes held back as the possible start of a frame."""
        return len(self._buf)

    def deadline(self) -> float | None:
        """When the buffered partial frame times out; poll with ``feed(b"", now)`` then."""
        return self._time_at(0) + self.timeout if self._buf else None

    def reset(self) -> None:
        """Forget a partial frame, e.g. when the port was lost in the middle of it."""
        self._drop(len(self._buf))

    def feed(self, chunk: bytes, now: float) -> list[Frame]:
        if chunk:
            self._buf += chunk
            self._arrivals.append(_Arrival(len(chunk), now))
            self.quality.bytes_received += len(chunk)
        frames: list[Frame] = []
        while self._buf:
            if not self._step(now, frames):
                break
        return frames

    def _step(self, now: float, frames: list[Frame]) -> bool:
        """Consume from the front of the buffer; False when more bytes are needed."""
        buf = self._buf
        start = buf.find(_SYNC)
        if start < 0:
            # Keep a trailing FF: it may be the preamble of a frame still arriving.
            keep = 1 if buf[-1] == PREAMBLE else 0
            if len(buf) > keep:
                self._drop(len(buf) - keep)
                return True
            if now - self._time_at(0) > self.timeout:
                self._drop(1)  # a lone stale FF is noise, not a frame
                return True
            return False
        if start:
            self._drop(start)
            return True
        if len(buf) > 2 and not MIN_LENGTH <= buf[2] <= MAX_LENGTH:
            return self._reject("length_errors")
        if len(buf) > 3 and buf[3] != buf[2]:
            return self._reject("length_errors")
        if len(buf) > 4 and buf[4] != START:
            return self._reject("header_errors")
        if len(buf) > 5 and not MIN_ADDRESS <= buf[5] <= MAX_ADDRESS:
            return self._reject("address_errors")
        size = buf[2] + FRAME_OVERHEAD if len(buf) >= HEADER_SIZE else HEADER_SIZE
        if len(buf) < size:
            if now - self._time_at(0) > self.timeout:
                return self._reject("timeouts")
            return False
        if self._time_at(size - 1) - self._time_at(0) > self.timeout:
            return self._reject("timeouts")
        body = bytes(buf[HEADER_SIZE : size - 2])
        if buf[size - 1] != END:
            return self._reject("end_errors")
        if buf[size - 2] != checksum(body):
            return self._reject("checksum_errors")
        raw = bytes(buf[:size])
        frames.append(Frame(address=body[0], function=body[1], data=body[2:], raw=raw))
        self.quality.frames_ok += 1
        self.quality.frame_bytes += size
        self._consume(size)
        return True

    def _reject(self, counter: str) -> bool:
        setattr(self.quality, counter, getattr(self.quality, counter) + 1)
        self._drop(1)  # resynchronise on the next FF 68 after this one
        return True

    def _drop(self, count: int) -> None:
        self.quality.bytes_dropped += count
        self._consume(count)

    def _consume(self, count: int) -> None:
        del self._buf[:count]
        while count:
            run = self._arrivals[0]
            taken = min(count, run.count)
            run.count -= taken
            count -= taken
            if not run.count:
                self._arrivals.popleft()

    def _time_at(self, index: int) -> float:
        for run in self._arrivals:
            if index < run.count:
                return run.time
            index -= run.count
        raise IndexError(index)


@dataclass(slots=True)
class _Arrival:
    """A run of buffered bytes that arrived in one read."""

    count: int
    time: float
