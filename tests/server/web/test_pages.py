"""The front door and the clerk screen's choice of hall."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient

from server.demo.load import load_demo
from server.services.hub import Hub


def clerk_config(client: TestClient) -> dict[str, object]:
    page = client.get("/clerk").text
    found = re.search(r'<script id="clerk-config" type="application/json">(.*?)</script>', page)
    assert found is not None
    config: dict[str, object] = json.loads(found.group(1))
    return config


def test_the_front_door_lists_the_halls_by_code(client: TestClient, hub: Hub) -> None:
    load_demo(hub.db, hall_code="north")
    page = client.get("/").text
    assert page.index("/api/v1/halls/demo/queues") < page.index("/api/v1/halls/north/queues")


def test_the_clerk_screen_takes_the_only_hall(client: TestClient, hub: Hub) -> None:
    assert clerk_config(client)["hall"] == "demo"
    load_demo(hub.db, hall_code="north")
    assert clerk_config(client)["hall"] is None
