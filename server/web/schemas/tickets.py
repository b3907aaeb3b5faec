"""A ticket as the kiosk, the citizen's phone and the clerks see it."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from .base import Moment, Out


class Ticket(Out):
    """server.services.tickets.TicketView."""

    id: int
    code: str
    token: str = Field(description="the ticket's QR code token (/t/{token})")
    hall_code: str
    hall_name: str
    queue_code: str
    queue_name: str
    queue_name_en: str
    service_item_code: str | None
    service_item_name: str | None
    priority: str
    status: str = Field(description="waiting, called, serving, held, no_show, done, cancelled…")
    business_day: date
    issued_at: Moment
    people_ahead: int
    estimated_wait_minutes: int | None
    windows: list[int] = Field(description="windows that serve the ticket's queue")
    called_to_window: int | None
    status_url: str
    id_masked: str | None = Field(description="110***********1234; the number is never kept")
    phone_masked: str | None
    replayed: bool = Field(description="a repeated Idempotency-Key returned this ticket")


class PrintRef(Out):
    job: str
    state: str = Field(description="queued, printing, printed, retrying, failed…")
    printer: str


class IssuedTicket(Ticket):
    print: PrintRef | None = Field(description="null when the kiosk has no printer")


class IdentityCheck(Out):
    id_masked: str | None
    phone_masked: str | None
    green_channel: bool = Field(description="offer 绿色通道 (by age)")
    green_channel_age: int | None
