"""The rules of an admin's configuration: what may be removed, who may sign in where,
and when wrong passwords lock an account. Plain data in, a refusal with a stable code out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from .errors import DomainError

# Wrong passwords in a row that lock an account, and for how long (per hall later).
MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)

# Why a record cannot be removed: reason -> (Chinese, English), ``{n}`` the count.
IN_USE_REASONS: dict[str, tuple[str, str]] = {
    "waiting": ("今天还有 {n} 张号在等候", "{n} tickets are waiting today"),
    "serving": ("今天有 {n} 张号正在办理", "{n} tickets are being served today"),
    "items": ("还有 {n} 个事项使用该队列", "{n} service items still use this queue"),
    "windows": ("还有 {n} 个窗口办理该队列", "{n} windows still serve this queue"),
    "history": (
        "已有 {n} 条办理记录，请改为停用",
        "{n} records refer to it; disable it instead",
    ),
    "clerk": ("有工作人员正在该窗口登录", "A clerk is signed in at this window"),
    "devices": ("还有 {n} 台设备属于该窗口", "{n} devices belong to this window"),
}


@dataclass(frozen=True)
class Reason:
    code: str
    count: int

    def as_dict(self) -> dict[str, object]:
        zh, en = IN_USE_REASONS[self.code]
        return {
            "code": self.code,
            "count": self.count,
            "message_zh": zh.format(n=self.count),
            "message_en": en.format(n=self.count),
        }


def check_removable(error: str, uses: Mapping[str, int], **details: object) -> None:
    """Refuse with ``error`` (QUEUE_IN_USE, WINDOW_IN_USE, ...) naming every use left."""
    reasons = [Reason(code, n) for code, n in uses.items() if n]
    if reasons:
        raise DomainError(error, reasons=[r.as_dict() for r in reasons], **details)


def check_window_allowed(allowed: Sequence[int], window_id: int, number: int) -> None:
    """A staff member with windows of her own signs in only at one of them."""
    if allowed and window_id not in allowed:
        raise DomainError("WINDOW_NOT_ALLOWED", window=number)


def check_not_own(actor_staff_id: int | None, staff_id: int | None) -> None:
    """An admin does not lock herself out: disabling, removing, demoting her own
    account is another admin's job."""
    if actor_staff_id is not None and actor_staff_id == staff_id:
        raise DomainError("OWN_ACCOUNT")


def check_not_locked(locked_until: datetime | None, now: datetime) -> None:
    if locked_until is not None and locked_until > now:
        raise DomainError("ACCOUNT_LOCKED", until=locked_until.isoformat())


def after_wrong_password(failed: int, now: datetime) -> tuple[int, datetime | None]:
    """The count of wrong passwords in a row after one more, and the lock it brings."""
    failed += 1
    if failed >= MAX_FAILED_LOGINS:
        return 0, now + LOCKOUT
    return failed, None
