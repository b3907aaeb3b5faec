"""The configuration rules alone: removals name every use left, windows a staff member may
sit at, wrong passwords and the lockout they lead to."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from server.domain import config_rules as rules
from server.domain.errors import MESSAGES, DomainError

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def test_a_removal_names_every_use_left_and_nothing_unused() -> None:
    rules.check_removable("QUEUE_IN_USE", {"waiting": 0, "items": 0})
    with pytest.raises(DomainError) as caught:
        rules.check_removable("QUEUE_IN_USE", {"waiting": 2, "items": 0, "windows": 1}, queue="E")
    reasons = caught.value.details["reasons"]
    assert [r["code"] for r in reasons] == ["waiting", "windows"]
    assert reasons[0]["message_zh"] == "今天还有 2 张号在等候"
    assert reasons[0]["message_en"] == "2 tickets are waiting today"
    assert caught.value.details["queue"] == "E"


def test_every_reason_and_code_has_both_languages() -> None:
    for zh, en in rules.IN_USE_REASONS.values():
        assert zh and en and ("{n}" in zh) == ("{n}" in en)
    for code in ("QUEUE_IN_USE", "WINDOW_IN_USE", "ACCOUNT_LOCKED", "WINDOW_NOT_ALLOWED"):
        assert all(MESSAGES[code])


def test_windows_allowed() -> None:
    rules.check_window_allowed([], 7, 7)  # none listed: any
    rules.check_window_allowed([3, 4], 4, 12)
    with pytest.raises(DomainError) as caught:
        rules.check_window_allowed([3, 4], 5, 13)
    assert caught.value.code == "WINDOW_NOT_ALLOWED" and caught.value.details == {"window": 13}


def test_the_fifth_wrong_password_in_a_row_locks_for_fifteen_minutes() -> None:
    failed, locked = 0, None
    for _ in range(rules.MAX_FAILED_LOGINS - 1):
        failed, locked = rules.after_wrong_password(failed, NOW)
        assert locked is None
    assert failed == rules.MAX_FAILED_LOGINS - 1
    failed, locked = rules.after_wrong_password(failed, NOW)
    assert (failed, locked) == (0, NOW + timedelta(minutes=15))
    with pytest.raises(DomainError) as caught:
        rules.check_not_locked(locked, NOW + timedelta(minutes=14, seconds=59))
    assert caught.value.code == "ACCOUNT_LOCKED"
    rules.check_not_locked(locked, NOW + timedelta(minutes=15))
    rules.check_not_locked(None, NOW)


def test_an_admin_does_not_act_on_her_own_account() -> None:
    rules.check_not_own(1, 2)
    rules.check_not_own(None, 2)  # the command line
    with pytest.raises(DomainError):
        rules.check_not_own(2, 2)
