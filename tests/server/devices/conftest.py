"""Fixtures for the hub's printing: the demo hall's devices.toml (K01 -> fake TCP printer
P01 with sibling P02, K02 -> virtual printer P02), with the production timeouts."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from server.demo.load import DemoResult
from server.devices.printing import PrintingSupervisor
from server.realtime.bus import HubEvent
from server.services.hub import Hub

HERE = Path(__file__).parent
# printing_helpers beside this file; the ESC/POS reader kept with the printer tests.
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1] / "printer"))


@pytest.fixture
def printing(client: TestClient) -> PrintingSupervisor:
    """The app's printer supervisor, once its first status check of every printer is done."""
    supervisor: PrintingSupervisor = client.app.state.printing.for_hall("demo")  # type: ignore[attr-defined]
    deadline = time.monotonic() + 5
    while len(supervisor.statuses) < len(supervisor.printers) or not supervisor.printers:
        assert time.monotonic() < deadline, "printers not checked within 5 s"
        time.sleep(0.02)
    return supervisor


@pytest.fixture
def events(hub: Hub, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[HubEvent]]:
    """Every event the hub publishes (after commit), in order."""
    seen: list[HubEvent] = []
    publish = hub.bus.publish

    def record(batch: list[HubEvent]) -> None:
        seen.extend(batch)
        publish(batch)

    monkeypatch.setattr(hub.bus, "publish", record)
    yield seen


@pytest.fixture
def kiosk2(demo: DemoResult) -> dict[str, str]:
    return {"Authorization": f"Bearer {demo.device_tokens['K02']}"}
