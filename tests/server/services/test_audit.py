"""The audit service: an entry lives and dies with the change it records, and holds
only what changed, never a secret."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from server.demo.load import DemoResult
from server.services import audit
from server.services.audit import Actor, ActorKind
from server.services.hub import Hub
from server.store.db import Session

ACTOR = Actor(ActorKind.STAFF, label="admin", address="10.1.2.3", staff_id=1, name="管理员")


def _record(s: Session, hub: Hub, key: str) -> None:
    audit.record(
        s,
        at=hub.now(),
        actor=ACTOR,
        hall_id=None,
        action="queue.create",
        entity_kind="queue",
        entity_key=key,
        after={"code": key},
    )


def _keys(hub: Hub) -> list[str]:
    found = audit.page(hub, audit.query(hub, hall_ids=None), limit=10)
    return [e.entity_key for e in found.entries]


def test_an_entry_is_rolled_back_with_its_change(hub: Hub, demo: DemoResult) -> None:
    def fails(s: Session) -> None:
        _record(s, hub, "LOST")
        raise RuntimeError("the change fails after its entry was written")

    with pytest.raises(RuntimeError):
        hub.db.write(fails)
    hub.db.write(lambda s: _record(s, hub, "KEPT"))
    assert _keys(hub) == ["KEPT"]


def test_the_diff_keeps_only_changed_fields_and_no_secrets() -> None:
    before = {"name": "税务", "daily_cap": 300, "hours": ["09:00-12:00"], "version": 1}
    after = {"name": "税务", "daily_cap": 2, "hours": ["09:00-12:00"], "version": 2, "new": 1}
    assert audit.diff(before, after) == (
        {"daily_cap": 300, "new": None},
        {"daily_cap": 2, "new": 1},
    )
    assert audit.diff({"password_hash": "x"}, {"password_hash": "y"}) == ({}, {})
    # Values JSON cannot hold become text it can.
    assert audit.diff({"day": date(2026, 1, 1)}, {"day": date(2026, 1, 2)}) == (
        {"day": "2026-01-01"},
        {"day": "2026-01-02"},
    )


def test_a_secret_passed_by_mistake_never_reaches_the_log(hub: Hub, demo: DemoResult) -> None:
    def work(s: Session) -> None:
        audit.record(
            s,
            at=hub.now(),
            actor=ACTOR,
            hall_id=None,
            action="staff.create",
            entity_kind="staff",
            entity_key="C1",
            after={"password": "hunter22", "token_hash": "abc", "name": "x"},
            before={"password": audit.SECRET_SET},
        )

    hub.db.write(work)
    [entry] = audit.page(hub, audit.query(hub, hall_ids=None), limit=10).entries
    assert entry.after == {"name": "x"} and entry.before == {"password": "set"}


def test_an_unknown_action_is_a_mistake(hub: Hub, demo: DemoResult) -> None:
    def work(s: Session) -> None:
        audit.record(
            s, at=hub.now(), actor=ACTOR, hall_id=None, action="hall.delete",
            entity_kind="hall", entity_key="demo",
        )  # fmt: skip

    with pytest.raises(ValueError, match=r"hall\.delete"):
        hub.db.write(work)


def test_a_date_is_the_whole_day_in_the_halls_zone() -> None:
    zone = ZoneInfo("Asia/Shanghai")
    day = date(2026, 11, 23)
    assert audit.bound(day, zone, end=False) == datetime(2026, 11, 22, 16, 0, tzinfo=UTC)
    assert audit.bound(day, zone, end=True) == datetime(2026, 11, 23, 16, 0, tzinfo=UTC)
    naive = datetime(2026, 11, 23, 12, 0)
    assert audit.bound(naive, zone, end=False) == datetime(2026, 11, 23, 4, 0, tzinfo=UTC)
    aware = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    assert audit.bound(aware, zone, end=True) == aware
