"""Shared helpers of the printer tests (not fixtures: plain functions and constants)."""

from __future__ import annotations

from typing import Any

from printer.config import PrinterConfig
from printer.fake import FakePrinterServer

# Short timeouts keep fault tests fast; the bounds asserted in the tests are
# derived from them.
FAST = {
    "connect_timeout": 0.5,
    "write_timeout": 0.5,
    "status_timeout": 0.3,
    "confirm_timeout": 0.5,
}


def network_config(server: FakePrinterServer, **changes: Any) -> PrinterConfig:
    """A network printer entry pointing at a fake printer, with short timeouts."""
    fields: dict[str, Any] = {
        "id": "P1",
        "driver": "network",
        "host": "127.0.0.1",
        "port": server.port,
        "paper_width": 58,
        **FAST,
    }
    fields.update(changes)
    return PrinterConfig(**fields)
