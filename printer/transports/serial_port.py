"""RS-232 / USB-serial printers through pyserial."""

from __future__ import annotations

import serial

from printer.transports.base import ConnectFailed, Disconnected, WriteTimeout


class SerialTransport:
    duplex = True

    def __init__(self, device: str, baudrate: int, flow_control: str = "none") -> None:
        try:
            self._port = serial.Serial(
                port=device,
                baudrate=baudrate,
                timeout=0,
                write_timeout=1,
                rtscts=flow_control == "rtscts",
                dsrdtr=flow_control == "dsrdtr",
                exclusive=True,
            )
        except (serial.SerialException, ValueError) as exc:
            raise ConnectFailed(f"cannot open {device}: {exc}") from None

    def write(self, data: bytes, timeout: float) -> None:
        # With hardware flow control a printer that is out of paper holds the
        # line busy; write_timeout turns that into an error instead of a hang.
        self._port.write_timeout = timeout
        try:
            self._port.write(data)
        except serial.SerialTimeoutException:
            raise WriteTimeout("printer stopped taking data (flow control held)") from None
        except serial.SerialException as exc:
            raise Disconnected(f"serial port failed: {exc}") from None

    def read(self, timeout: float, max_bytes: int = 256) -> bytes:
        try:
            self._port.timeout = timeout
            first = self._port.read(1)
            if not first:
                return b""
            self._port.timeout = 0
            return first + self._port.read(max(0, max_bytes - 1))
        except serial.SerialException as exc:
            raise Disconnected(f"serial port failed: {exc}") from None

    def close(self) -> None:
        self._port.close()
