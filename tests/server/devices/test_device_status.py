"""The devices' status shared across hub processes: the process that drives the
printers and the window buses reports what it sees; the pages of every other process
show that report, and say when it has grown old. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hallclient import admin_session, bearer
from hubprocess import wait_until
from sqlmodel import select

from server.config import Settings
from server.demo.load import load_demo
from server.services import device_status
from server.services.hub import Hub
from server.store import tables as t
from server.web.app import create_app

TOML = """hall = "demo"

[[printer]]
id = "P01"
driver = "virtual"
paper_width = 80
mode = "text"

[[kiosk]]
id = "K01"
printer = "P01"

[[bus]]
id = "sim1"
simulated = true
devices = [
  { address = 1, kind = "keypad", window = 2 },
  { address = 2, kind = "rating_pad", window = 2 },
]
"""


def hall_id(hub: Hub) -> int:
    with hub.db.read() as s:
        hall = s.exec(select(t.Hall).where(t.Hall.code == "demo")).one()
    assert hall.id is not None
    return hall.id


def test_a_report_replaces_the_last_and_grows_stale(db_url: str, clock: Any) -> None:
    hub = Hub.create(Settings(DATABASE_URL=db_url), clock=clock)
    try:
        load_demo(hub.db)
        hid = hall_id(hub)
        assert device_status.read(hub, hall_id=hid, role="printers") is None
        device_status.publish(hub, hall_id=hid, role="printers", data={"n": 1}, every_seconds=5)
        device_status.publish(hub, hall_id=hid, role="printers", data={"n": 2}, every_seconds=5)
        device_status.publish(hub, hall_id=hid, role="windowbus", data={"n": 3}, every_seconds=5)
        shared = device_status.read(hub, hall_id=hid, role="printers")
        assert shared is not None
        assert (shared.data, shared.stale, shared.updated_at) == ({"n": 2}, False, clock.now)
        assert shared.owner == device_status.this_process()
        clock.advance(seconds=15)
        assert not device_status.read(hub, hall_id=hid, role="printers").stale  # type: ignore[union-attr]
        clock.advance(seconds=1)  # three intervals without a report
        assert device_status.read(hub, hall_id=hid, role="printers").stale  # type: ignore[union-attr]
        with hub.db.read() as s:
            assert len(s.exec(select(t.DeviceStatus)).all()) == 2
    finally:
        hub.db.dispose()


@pytest.fixture
def two_processes(
    db_url: str, tmp_path: Path, clock: Any
) -> Iterator[tuple[TestClient, TestClient, Hub]]:
    """Two hubs on one database and one devices.toml, as ``hall serve --workers 2``:
    the first drives the devices, the second only serves pages."""
    toml = tmp_path / "devices.toml"
    toml.write_text(TOML, encoding="utf-8")
    settings = Settings(
        DATABASE_URL=db_url,
        devices_file=toml,
        public_url="http://hall.test",
        day_check_seconds=3600,
    )
    first_hub = Hub.create(settings, clock=clock)
    load_demo(first_hub.db)
    second_hub = Hub.create(settings, clock=clock)
    with TestClient(create_app(settings, hub=first_hub)) as first:
        wait_until(lambda: first.app.state.window_devices["demo"].adapter is not None)  # type: ignore[attr-defined]
        assert first.app.state.printing.for_hall("demo").leader  # type: ignore[attr-defined]
        with TestClient(create_app(settings, hub=second_hub)) as second:
            assert not second.app.state.printing.for_hall("demo").leader  # type: ignore[attr-defined]
            assert second.app.state.window_devices["demo"].adapter is None  # type: ignore[attr-defined]
            yield first, second, first_hub
    first_hub.db.dispose()
    second_hub.db.dispose()


def test_the_other_process_shows_what_the_driving_one_reported(
    two_processes: tuple[TestClient, TestClient, Hub],
) -> None:
    first, second, _ = two_processes
    supervisor = bearer(second, "S001")

    # The window buses: the second process answers with the first one's report.
    def shared_buses() -> dict[str, Any] | None:
        body: dict[str, Any] = second.get(
            "/api/v1/halls/demo/window-devices", headers=supervisor
        ).json()
        devices = body["buses"][0]["devices"] if body["buses"] else []
        return body if devices and all(d["last_seen"] for d in devices) else None

    body = wait_until(shared_buses)
    assert (body["owner"], body["source"], body["stale"]) == (False, "shared", False)
    assert body["reported_by"] == device_status.this_process()
    assert body["buses"][0]["online"] and body["buses"][0]["bus"] == "sim1"
    assert {d["kind"] for d in body["simulated"]} == {"keypad", "rating_pad"}
    live = first.get("/api/v1/halls/demo/window-devices", headers=supervisor).json()
    assert (live["owner"], live["source"]) == (True, "live")

    # Its page shows the devices without keys to press: they are in the first process.
    admin_session(second, "/admin/window-devices")
    page = second.get("/admin/window-devices").text
    assert 'data-source="shared"' in page and 'data-window="2" data-kind="keypad"' in page
    assert "/press" not in page
    admin_session(first, "/admin/window-devices")
    assert "/press" in first.get("/admin/window-devices").text

    # The printers: the state the driving process read, not "unknown".
    admin_session(second, "/admin/printers")
    page = wait_until(
        lambda: (p := second.get("/admin/printers").text) and 'data-state="ok"' in p and p
    )
    assert 'data-source="shared"' in page and 'data-state="unknown"' not in page
