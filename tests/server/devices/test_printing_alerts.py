"""Device alerts from the printers: paper near end comes before paper out, and alerts
clear when the printer reports the condition gone. Printer behaviour: SQLite only."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from printing_helpers import issue_and_follow

from server.demo.load import DemoResult
from server.devices.printing import PrintingSupervisor
from server.devices.printing_text import alert_text
from server.realtime.bus import HubEvent
from server.services import device_alerts
from server.services.hub import Hub
from server.store import halls as hall_store
from server.web.app import create_app


@pytest.fixture
def db_url(sqlite_template: Path, tmp_path: Path) -> str:
    target = tmp_path / "hall.db"
    shutil.copy(sqlite_template, target)
    return f"sqlite:///{target}"


def test_paper_near_end_is_raised_before_paper_out_and_both_clear(
    client: TestClient,
    kiosk: dict[str, str],
    printing: PrintingSupervisor,
    events: list[HubEvent],
    sql: Callable[..., list[Any]],
    login: Callable[..., dict[str, str]],
) -> None:
    server = printing.printers["P01"].printer.fake_server
    assert server is not None
    # Two tickets left on the roll; the near-end sensor trips at one.
    server.emulator.near_end_at = 1
    server.emulator.set_paper(tickets_left=2)

    first = issue_and_follow(client, kiosk).final
    assert (first["state"], first["printer"]) == ("printed", "P01")
    alerts = [(e.data["kind"], e.data["cleared"]) for e in events if e.kind == "device_alert"]
    assert alerts == [("paper_near_end", False)]
    near_end = next(e.data for e in events if e.kind == "device_alert")
    assert near_end["device"] == "P01" and near_end["level"] == "warning"
    assert "K01" in near_end["message_zh"] and "纸将用完" in near_end["message_zh"]

    # The last ticket of the roll still prints; the next one goes to the sibling.
    second = issue_and_follow(client, kiosk).final
    assert (second["state"], second["printer"]) == ("printed", "P01")
    third = issue_and_follow(client, kiosk).final
    assert (third["state"], third["printer"], third["reprint"]) == ("printed", "P02", True)
    kinds = [r[0] for r in sql("SELECT kind FROM devicealert WHERE device = 'P01' ORDER BY id")]
    assert kinds == ["paper_near_end", "paper_out", "failed_over"]

    # A new roll: the next check clears both conditions (the failover stays until seen).
    server.emulator.set_paper(tickets_left=500)
    client.portal.call(printing.check_now)  # type: ignore[attr-defined]
    cleared = [e.data["kind"] for e in events if e.kind == "device_alert" and e.data["cleared"]]
    assert cleared[-2:] == ["paper_near_end", "paper_out"]
    listed = client.get("/api/v1/halls/demo/device-alerts", headers=login("S001")).json()
    assert [(a["kind"], a["active"], a["acked"]) for a in listed] == [
        ("failed_over", False, False),
        ("paper_out", False, False),
        ("paper_near_end", False, False),
    ]
    fourth = issue_and_follow(client, kiosk).final
    assert (fourth["state"], fourth["printer"], fourth["reprint"]) == ("printed", "P01", False)


def test_conditions_gone_while_the_hub_was_down_are_cleared_at_start(
    hub: Hub, demo: DemoResult, sql: Callable[..., list[Any]]
) -> None:
    with hub.db.read() as s:
        hall = hall_store.hall_by_code(s, "demo").id
    assert hall is not None
    for kind in ("paper_out", "cover_open"):
        device_alerts.raise_alert(
            hub, hall_id=hall, device="P01", kind=kind, text=alert_text(kind, "P01", "K01")
        )
    with TestClient(create_app(hub.settings, hub=hub)) as client:
        supervisor: PrintingSupervisor = client.app.state.printing.for_hall("demo")  # type: ignore[attr-defined]
        for _ in range(250):
            rows = sql("SELECT kind FROM devicealert WHERE cleared_at IS NULL")
            if not rows:
                break
            time.sleep(0.02)
        assert rows == [] and supervisor.statuses["P01"].state == "ok"
