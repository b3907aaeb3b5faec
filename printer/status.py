"""Printer status as read from real-time status answers (DLE EOT n, GS r 1).

Every answer byte has fixed bits that tell it apart from other traffic:
DLE EOT answers have bits 1 and 4 set and bits 0 and 7 clear (0x12 when all
is well); a GS r answer has bits 4 and 7 clear. A stale DLE EOT byte can
therefore never be taken for the GS r confirmation of a job.
"""

from __future__ import annotations

from dataclasses import dataclass

_EOT_MASK = 0x93
_EOT_FIXED = 0x12
_GS_R_MASK = 0x90


def is_status_byte(value: int) -> bool:
    """True for a byte shaped like a DLE EOT answer."""
    return value & _EOT_MASK == _EOT_FIXED


def is_paper_answer(value: int) -> bool:
    """True for a byte shaped like a GS r 1 answer."""
    return value & _GS_R_MASK == 0


@dataclass(frozen=True, slots=True)
class PrinterStatus:
    """What a printer reported, or why it could not be asked."""

    printer_id: str
    reachable: bool
    online: bool = False
    paper_near_end: bool = False
    paper_out: bool = False
    cover_open: bool = False
    error: str | None = None

    @property
    def ready(self) -> bool:
        return self.reachable and self.online and not (self.paper_out or self.cover_open)

    @property
    def state(self) -> str:
        """The most important condition, for logs and the CLI."""
        if not self.reachable:
            return "unreachable"
        if self.cover_open:
            return "cover_open"
        if self.paper_out:
            return "paper_out"
        if not self.online:
            return "offline"
        if self.paper_near_end:
            return "paper_near_end"
        return "ok"

    def describe(self) -> str:
        parts = [self.state]
        if self.paper_near_end and self.state != "paper_near_end":
            parts.append("paper_near_end")
        if self.error:
            parts.append(self.error)
        return f"{self.printer_id}: " + ", ".join(parts)


def unreachable(printer_id: str, error: str) -> PrinterStatus:
    return PrinterStatus(printer_id, reachable=False, error=error)


def from_status_bytes(printer_id: str, printer: int, offline: int, paper: int) -> PrinterStatus:
    """Combine answers to DLE EOT 1, 2 and 4."""
    return PrinterStatus(
        printer_id,
        reachable=True,
        online=not printer & 0x08,
        cover_open=bool(offline & 0x04),
        paper_out=bool(paper & 0x60) or bool(offline & 0x20),
        paper_near_end=bool(paper & 0x0C),
    )


def with_paper_answer(status: PrinterStatus, answer: int) -> PrinterStatus:
    """Update paper flags from a GS r 1 answer (bits 0-1 near end, 2-3 out)."""
    return PrinterStatus(
        status.printer_id,
        reachable=True,
        online=status.online,
        cover_open=status.cover_open,
        paper_near_end=bool(answer & 0x03),
        paper_out=bool(answer & 0x0C),
    )
