"""The hall websocket's messages (server/realtime/PROTOCOL.md), as models.

The hub builds these frames as plain dicts on its hot path (server/realtime/state.py);
the models are the contract the protocol document names and the tests check real
frames against, field for field.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from .base import ErrorDetail, Out


class HallEntry(Out):
    code: str
    name: str
    name_en: str
    notice: str = Field(description="scrolling text")
    english_voice: bool
    voice_repeat: int
    timezone: str
    closed: bool = Field(description="closed by an admin: the board says so (HALL_CLOSED)")
    closed_reason: str


class QueueEntry(Out):
    code: str
    name: str
    name_en: str
    waiting: int


class WindowEntry(Out):
    number: int
    name: str
    name_en: str
    paused: bool
    pause_reason: str | None
    current: str | None
    current_status: Literal["called", "serving"] | None
    clerk_name: str | None = Field(description="masked: 张*三")
    clerk_staff_no: str | None
    queues: list[str]
    active: bool


class Call(Out):
    ticket: str
    window: int
    window_name: str
    window_name_en: str
    queue: str
    at: str = Field(description="ISO 8601")
    recall: bool
    seq: int = Field(description="the call's event; 0 in a snapshot's calls")
    voice: list[str] = Field(description="clip names, for /voice/say.wav")


class State(Out):
    hall: HallEntry
    queues: dict[str, QueueEntry] = Field(description="by queue code")
    windows: dict[str, WindowEntry] = Field(description="by window number, as text")
    calls: list[Call] = Field(description="newest first, at most 10")


class Patch(Out):
    queues: dict[str, QueueEntry] | None = None
    windows: dict[str, WindowEntry] | None = None
    call: Call | None = None
    hall: HallEntry | None = None


class Snapshot(Out):
    type: Literal["snapshot"]
    seq: int
    state: State


class EventFrame(Out):
    type: Literal["event"]
    seq: int
    kind: str
    data: dict[str, Any] = Field(description="always has window; ticket events ticket, queue")
    patch: Patch | None


class Batch(Out):
    type: Literal["batch"]
    items: list[EventFrame]


class Ping(Out):
    type: Literal["ping"]
    seq: int


class ErrorFrame(Out):
    type: Literal["error"]
    error: ErrorDetail


class Resync(Out):
    """The one message a client sends."""

    type: Literal["resync"]


# Shape name in PROTOCOL.md -> its model, for the test that keeps the two in step.
DOCUMENTED: dict[str, type[Out]] = {
    "STATE": State,
    "HALL": HallEntry,
    "QUEUE": QueueEntry,
    "WINDOW": WindowEntry,
    "CALL": Call,
    "PATCH": Patch,
}
