"""Character devices (``/dev/usb/lpN``) and plain files.

A printer device node is opened non-blocking and waited on with select(), so
each read and write respects its timeout. A regular file is a write-only sink
(useful to capture what would be printed): it cannot report status.
"""

from __future__ import annotations

import os
import select
import stat
import time

from printer.transports.base import ConnectFailed, Disconnected, WriteTimeout


class DeviceTransport:
    duplex = True

    def __init__(self, path: str) -> None:
        self.path = path
        try:
            self._fd = os.open(path, os.O_RDWR | os.O_NONBLOCK | os.O_NOCTTY)
        except OSError as exc:
            raise ConnectFailed(f"cannot open {path}: {exc.strerror or exc}") from None

    def write(self, data: bytes, timeout: float) -> None:
        view = memoryview(data)
        deadline = time.monotonic() + timeout
        while view:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WriteTimeout(f"{self.path} stopped taking data ({len(view)} bytes left)")
            _r, writable, _x = select.select([], [self._fd], [], remaining)
            if not writable:
                continue
            try:
                written = os.write(self._fd, view)
            except BlockingIOError:
                continue
            except OSError as exc:
                raise Disconnected(f"{self.path}: {exc.strerror or exc}") from None
            view = view[written:]

    def read(self, timeout: float, max_bytes: int = 256) -> bytes:
        readable, _w, _x = select.select([self._fd], [], [], timeout)
        if not readable:
            return b""
        try:
            # usblp returns nothing (not an error) when the printer has no reply.
            return os.read(self._fd, max_bytes)
        except BlockingIOError:
            return b""
        except OSError as exc:
            raise Disconnected(f"{self.path}: {exc.strerror or exc}") from None

    def close(self) -> None:
        os.close(self._fd)


class FileSinkTransport:
    duplex = False

    def __init__(self, path: str) -> None:
        self.path = path
        try:
            self._file = open(path, "ab")  # noqa: SIM115 - closed by close()
        except OSError as exc:
            raise ConnectFailed(f"cannot open {path}: {exc.strerror or exc}") from None

    def write(self, data: bytes, timeout: float) -> None:
        try:
            self._file.write(data)
            self._file.flush()
        except OSError as exc:
            raise Disconnected(f"{self.path}: {exc.strerror or exc}") from None

    def read(self, timeout: float, max_bytes: int = 256) -> bytes:
        return b""

    def close(self) -> None:
        self._file.close()


def open_path(path: str) -> DeviceTransport | FileSinkTransport:
    """A device node talks both ways; anything else is written as a file."""
    try:
        is_device = stat.S_ISCHR(os.stat(path).st_mode)
    except FileNotFoundError:
        is_device = False
    except OSError as exc:
        raise ConnectFailed(f"cannot open {path}: {exc.strerror or exc}") from None
    return DeviceTransport(path) if is_device else FileSinkTransport(path)
