"""TCP connection to a network printer (raw port 9100)."""

from __future__ import annotations

import socket
import time

from printer.transports.base import ConnectFailed, Disconnected, WriteTimeout


class NetworkTransport:
    duplex = True

    def __init__(self, host: str, port: int, connect_timeout: float) -> None:
        self.address = (host, port)
        try:
            self._sock = socket.create_connection(self.address, timeout=connect_timeout)
        except ConnectionRefusedError:
            raise ConnectFailed(f"connection refused by {host}:{port}") from None
        except TimeoutError:
            raise ConnectFailed(
                f"no answer from {host}:{port} within {connect_timeout} s"
            ) from None
        except OSError as exc:
            raise ConnectFailed(f"cannot connect to {host}:{port}: {exc.strerror or exc}") from None
        # Status queries are 3 bytes: send them now, not when Nagle decides.
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def write(self, data: bytes, timeout: float) -> None:
        view = memoryview(data)
        deadline = time.monotonic() + timeout
        while view:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WriteTimeout(f"printer stopped taking data ({len(view)} bytes left)")
            self._sock.settimeout(remaining)
            try:
                sent = self._sock.send(view)
            except TimeoutError:
                raise WriteTimeout(
                    f"printer stopped taking data ({len(view)} bytes left)"
                ) from None
            except OSError as exc:
                raise Disconnected(
                    f"connection lost while sending: {exc.strerror or exc}"
                ) from None
            view = view[sent:]

    def read(self, timeout: float, max_bytes: int = 256) -> bytes:
        self._sock.settimeout(max(timeout, 0.001))
        try:
            data = self._sock.recv(max_bytes)
        except TimeoutError:
            return b""
        except OSError as exc:
            raise Disconnected(f"connection lost: {exc.strerror or exc}") from None
        if not data:
            raise Disconnected("the printer closed the connection")
        return data

    def close(self) -> None:
        self._sock.close()
