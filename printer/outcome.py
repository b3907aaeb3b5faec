"""The result of one attempt to print one job on one printer."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from printer.status import PrinterStatus


class FailureReason(StrEnum):
    UNREACHABLE = "unreachable"  # refused, no route, connect timeout, device missing
    DISCONNECTED = "disconnected"  # the printer closed or reset the connection
    STATUS_TIMEOUT = "status_timeout"  # no answer to the DLE EOT status queries
    INVALID_STATUS = "invalid_status"  # answers that are not status bytes
    OFFLINE = "offline"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    WRITE_TIMEOUT = "write_timeout"  # the printer stopped taking bytes
    NOT_CONFIRMED = "not_confirmed"  # no GS r answer: the job may be half printed
    RENDER_FAILED = "render_failed"  # e.g. no CJK font for image mode

    @property
    def printer_condition(self) -> bool:
        """Reported by the printer itself: trying the same printer again is pointless."""
        return self in {FailureReason.OFFLINE, FailureReason.PAPER_OUT, FailureReason.COVER_OPEN}


@dataclass(frozen=True, slots=True)
class JobResult:
    printer_id: str
    printed: bool
    reason: FailureReason | None = None
    detail: str = ""
    status: PrinterStatus | None = None
    # Some job bytes were written: the paper may hold a partial ticket.
    sent: bool = False
    # The printer answered GS r after the cut (False only for write-only files).
    confirmed: bool = False
    elapsed: float = 0.0
