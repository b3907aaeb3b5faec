"""Printing as the kiosk follows it, device alerts, and the window buses' status."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from .base import Moment, Out
from .tickets import PrintRef


class PrintJob(Out):
    job: str
    state: str
    printer: str = Field(description="the printer that has the job now")
    reprint: bool
    message_zh: str = Field(description="what the kiosk tells the citizen")
    message_en: str
    code: str = Field(description="the message's stable code")


class NoticePrint(Out):
    item: str
    print: PrintRef | None = Field(description="null when the kiosk has no printer")


class DeviceAlert(Out):
    id: int
    device: str
    kind: str
    level: str = Field(description="warning or error")
    message_zh: str
    message_en: str
    detail: str
    count: int
    raised_at: Moment
    last_at: Moment
    active: bool
    cleared_at: Moment | None
    acked: bool
    acked_at: Moment | None


class WindowDevicesStatus(Out):
    configured: bool = Field(description="devices.toml has window buses for this hall")
    owner: bool = Field(description="this process drives the buses")
    source: str | None = Field(description="live, shared (another process), or null")
    reported_at: str | None
    reported_by: str | None
    stale: bool = Field(description="the owning process stopped reporting")
    # The bus library's own figures (server/devices/windowbus/stats.py), passed through.
    buses: list[dict[str, Any]]
    simulated: list[dict[str, Any]]


class HubClock(Out):
    now_ms: int = Field(description="the hub's time, ms since the epoch")
