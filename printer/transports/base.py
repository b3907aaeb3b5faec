"""The interface every transport offers, and the errors it raises.

A transport is one open connection. Every call takes its own timeout, so no
call can block for longer than the caller allows.
"""

from __future__ import annotations

from typing import Protocol


class TransportError(Exception):
    """The connection failed; the message says how, in words for an operator."""


class ConnectFailed(TransportError):
    """Could not open the connection (refused, timed out, no such device)."""


class Disconnected(TransportError):
    """The printer closed or reset the connection, or the device went away."""


class WriteTimeout(TransportError):
    """The printer stopped accepting bytes."""


class Transport(Protocol):
    # False for a plain file: nothing can be read back, so there is no status
    # and no confirmation.
    duplex: bool

    def write(self, data: bytes, timeout: float) -> None:
        """Write all of ``data`` within ``timeout`` seconds or raise."""
        ...

    def read(self, timeout: float, max_bytes: int = 256) -> bytes:
        """Bytes available within ``timeout`` seconds; b"" if none arrived."""
        ...

    def close(self) -> None: ...
