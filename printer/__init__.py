"""Ticket printers: rendering, drivers, status, the spooler, fake and virtual printers.

Imports nothing from the hub. The hub typically does::

    from printer import PrintJob, PrintSpooler, PrinterConfig, open_async_printer

    printers = [open_async_printer(PrinterConfig(**entry)) for entry in entries]
    spooler = PrintSpooler(printers, on_event=handle_print_event)
    spooler.submit(PrintJob(job_id, printer_id, TicketData(...)))
"""

from printer.config import PrinterConfig, check_siblings
from printer.device import AsyncPrinter, Printer
from printer.document import NoticeData, TicketData
from printer.factory import check_printers, open_async_printer, open_printer
from printer.fake import FakePrinterServer, Fault
from printer.outcome import FailureReason, JobResult
from printer.preview import render_escpos_to_png
from printer.render import render_document
from printer.spooler import EventKind, PrintEvent, PrintJob, PrintSpooler, UnknownPrinterError
from printer.status import PrinterStatus
from printer.virtual import VirtualDevice

__all__ = [
    "AsyncPrinter",
    "EventKind",
    "FailureReason",
    "FakePrinterServer",
    "Fault",
    "JobResult",
    "NoticeData",
    "PrintEvent",
    "PrintJob",
    "PrintSpooler",
    "Printer",
    "PrinterConfig",
    "PrinterStatus",
    "TicketData",
    "UnknownPrinterError",
    "VirtualDevice",
    "check_printers",
    "check_siblings",
    "open_async_printer",
    "open_printer",
    "render_document",
    "render_escpos_to_png",
]
