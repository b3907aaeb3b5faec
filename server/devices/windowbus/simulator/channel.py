"""Where a simulated device's bytes go: a pseudo-terminal it creates, or a real port."""

from __future__ import annotations

import asyncio
import contextlib
import os
import tty
from collections.abc import Callable
from typing import Protocol

from ..link import PortLink

DataCallback = Callable[[bytes, float], None]


class Channel(Protocol):
    path: str

    async def start(self) -> None: ...

    def write(self, data: bytes) -> None: ...

    async def close(self) -> None: ...


class PtyChannel:
    """A pseudo-terminal pair: the simulator holds the master, the hub opens ``path``.

    The simulator also keeps the slave end open, so the terminal stays alive while
    the hub closes and reopens it (as a real device stays on the wire).
    """

    def __init__(self, on_data: DataCallback) -> None:
        self._on_data = on_data
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)  # no echo, no line editing: this is a binary line
        os.set_blocking(self._master, False)
        self.path = os.ttyname(self._slave)
        self.dropped = 0
        self._loop: asyncio.AbstractEventLoop | None = None

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._loop.add_reader(self._master, self._readable)

    def _readable(self) -> None:
        try:
            data = os.read(self._master, 4096)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            return  # EIO while nobody has the slave open; we hold it, so only transient
        if data and self._loop is not None:
            self._on_data(data, self._loop.time())

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            try:
                written = os.write(self._master, view)
            except (BlockingIOError, OSError):
                self.dropped += len(view)  # the hub is not reading: bytes fall off the wire
                return
            view = view[written:]

    async def close(self) -> None:
        if self._loop is not None:
            self._loop.remove_reader(self._master)
            self._loop = None
        for fd in (self._master, self._slave):
            with contextlib.suppress(OSError):
                os.close(fd)


class PortChannel:
    """A serial device path or ``socket://`` URL, reopened whenever it comes back."""

    def __init__(self, port: str, baudrate: int, on_data: DataCallback) -> None:
        self.path = port
        # The simulator paces its own writes, byte-exact with its fault injection.
        self._link = PortLink(
            port, baudrate, on_data=on_data, on_state=lambda online: None, pace=False
        )
        self._task: asyncio.Task[None] | None = None

    @property
    def online(self) -> bool:
        return self._link.online

    async def start(self) -> None:
        self._task = asyncio.create_task(self._link.run())

    def write(self, data: bytes) -> None:
        self._link.send(data)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
