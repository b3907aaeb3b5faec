"""Byte pipes to printers: one small class per kind of connection."""

from printer.transports.base import (
    ConnectFailed,
    Disconnected,
    Transport,
    TransportError,
    WriteTimeout,
)

__all__ = ["ConnectFailed", "Disconnected", "Transport", "TransportError", "WriteTimeout"]
