"""The API's contract: request bodies (bodies.py) and response models, one module per
noun. Every JSON route names its response model and its error responses."""

from .bodies import (
    Body,
    CallBack,
    CallTicket,
    DeviceCreate,
    HallUpdate,
    IssueTicket,
    Login,
    Pause,
    QueueCreate,
    QueueUpdate,
    StaffCreate,
    Transfer,
    WindowCreate,
    WindowQueueIn,
)

__all__ = [
    "Body",
    "CallBack",
    "CallTicket",
    "DeviceCreate",
    "HallUpdate",
    "IssueTicket",
    "Login",
    "Pause",
    "QueueCreate",
    "QueueUpdate",
    "StaffCreate",
    "Transfer",
    "WindowCreate",
    "WindowQueueIn",
]
