"""Opening printers from their configuration, and checking them."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable

from printer.config import PrinterConfig
from printer.device import AsyncPrinter, Printer
from printer.emulator import PrinterEmulator
from printer.fake import FakePrinterServer
from printer.status import PrinterStatus
from printer.transports.base import Transport
from printer.transports.device_file import open_path
from printer.transports.network import NetworkTransport
from printer.transports.serial_port import SerialTransport
from printer.transports.usb import UsbTransport
from printer.virtual import VirtualDevice, VirtualTransport


def _network(host: str, port: int, config: PrinterConfig) -> Callable[[], Transport]:
    return lambda: NetworkTransport(host, port, config.connect_timeout)


def open_printer(config: PrinterConfig, *, wall_clock: Callable[[], float] = time.time) -> Printer:
    """The driver for ``config``. Nothing is connected yet (that happens per job),
    except that the "fake" driver starts its TCP server on the loopback. ``wall_clock``
    stamps what the fake and virtual printers print."""
    if config.driver == "network":
        assert config.host is not None
        return Printer(config, _network(config.host, config.port, config))
    if config.driver == "serial":
        device = config.device
        assert device is not None
        return Printer(
            config, lambda: SerialTransport(device, config.baudrate, config.flow_control)
        )
    if config.driver == "usb":
        return Printer(
            config,
            lambda: UsbTransport(config.usb_vendor_id, config.usb_product_id, config.device),
        )
    if config.driver == "file":
        path = config.device
        assert path is not None
        return Printer(config, lambda: open_path(path))
    if config.driver == "fake":
        # An unset port means "any free port": 9100 may well be taken.
        port = config.port if "port" in config.model_fields_set else 0
        emulator = PrinterEmulator(wall_clock=wall_clock)
        server = FakePrinterServer(config.host or "127.0.0.1", port, emulator).start()
        return Printer(config, _network(server.host, server.port, config), fake_server=server)
    device_ = VirtualDevice(
        config.id,
        config.paper_dots,
        encoding=config.encoding,
        output_dir=config.output_dir,
        font_path=config.font_path,
        wall_clock=wall_clock,
    )
    return Printer(config, lambda: VirtualTransport(device_), virtual=device_)


def open_async_printer(config: PrinterConfig) -> AsyncPrinter:
    return AsyncPrinter(open_printer(config))


async def check_printers(configs: Iterable[PrinterConfig]) -> list[PrinterStatus]:
    """Each printer's status, in the order given; all are asked at the same time.

    Every query is bounded by the printer's connect and status timeouts.
    """

    async def one(config: PrinterConfig) -> PrinterStatus:
        printer = AsyncPrinter(open_printer(config))
        try:
            return await printer.status()
        finally:
            await printer.close()

    return list(await asyncio.gather(*(one(c) for c in configs)))
