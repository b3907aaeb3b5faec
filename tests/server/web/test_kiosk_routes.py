"""The kiosk page's configuration, its static files and the ticket QR code (no browser)."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi.testclient import TestClient

from server.web.kiosk import qr_svg


def config_of(client: TestClient, query: str = "") -> dict[str, Any]:
    r = client.get(f"/kiosk/demo{query}")
    assert r.status_code == 200, r.text
    found = re.search(r'<script id="kiosk-config" type="application/json">(.*?)</script>', r.text)
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def test_the_page_carries_the_kiosk_configuration(client: TestClient) -> None:
    config = config_of(client, "?device=K01")
    assert config["hall"]["code"] == "demo" and config["hall"]["green_channel_age"] == 70
    assert config["api"] == "/api/v1/halls/demo" and config["device"] == "K01"
    assert config["orientation"] == "portrait" and config["idle_seconds"] == 90
    # Every code the hub can answer with has its Chinese and English.
    assert config["messages"]["ID_NUMBER_CHECK_DIGIT"][0].startswith("身份证号码有误")
    assert config["messages"]["DEVICE_TOKEN_INVALID"] == [
        "设备未授权",
        "The device token is not valid",
    ]
    assert [f["key"] for f in config["guide_fields"]][:4] == [
        "legal_basis",
        "conditions",
        "quantity_limits",
        "materials",
    ]


def test_orientation_from_devices_toml_or_the_address(client: TestClient) -> None:
    assert config_of(client, "?device=K02")["orientation"] == "landscape"
    assert config_of(client, "?device=K02&orientation=portrait")["orientation"] == "portrait"
    assert config_of(client, "?device=NOPE")["orientation"] == "auto"
    assert config_of(client)["orientation"] == "auto"
    assert config_of(client, "?device=../../etc")["device"] is None


def test_idle_timeout_is_bounded(client: TestClient) -> None:
    assert config_of(client, "?idle=8")["idle_seconds"] == 8
    assert config_of(client, "?idle=1")["idle_seconds"] == 5
    assert config_of(client, "?idle=99999")["idle_seconds"] == 600
    assert config_of(client, "?idle=soon")["idle_seconds"] == 90


def test_the_token_never_reaches_the_page(client: TestClient, kiosk: dict[str, str]) -> None:
    token = kiosk["Authorization"].split()[1]
    r = client.get(f"/kiosk/demo?device=K01&token={token}")
    assert r.status_code == 200 and token not in r.text


def test_unknown_hall_page(client: TestClient) -> None:
    r = client.get("/kiosk/nope")
    assert r.status_code == 404 and "没有这个大厅" in r.text and "No such hall" in r.text


def test_static_files_and_nothing_else(client: TestClient) -> None:
    js = client.get("/kiosk/static/kiosk.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    assert client.get("/kiosk/static/kiosk.css").headers["content-type"].startswith("text/css")
    for name in ("routes.py", "..%2Froutes.py", "missing.js", "KIOSK.JS"):
        r = client.get(f"/kiosk/static/{name}")
        assert r.status_code == 404 and r.json()["error"]["code"] == "NOT_FOUND", name


def test_ticket_qr_code(client: TestClient, kiosk: dict[str, str]) -> None:
    ticket = client.post("/api/v1/halls/demo/tickets", json={"queue": "A"}, headers=kiosk).json()
    r = client.get(f"/kiosk/demo/tickets/{ticket['token']}/qr.svg")
    assert r.status_code == 200 and r.headers["content-type"] == "image/svg+xml"
    assert f"<title>{ticket['status_url']}</title>" in r.text
    assert r.text == qr_svg(ticket["status_url"])
    assert client.get("/kiosk/demo/tickets/not-a-token/qr.svg").status_code == 404
    assert client.get(f"/kiosk/other/tickets/{ticket['token']}/qr.svg").status_code == 404


def test_qr_svg_draws_the_finder_patterns() -> None:
    """Version 1 (21 modules) and a 2-module border: the three finder patterns' rings."""
    svg = qr_svg("A", border=2)
    assert 'viewBox="0 0 25 25"' in svg

    def dark(x: int, y: int) -> bool:
        return f"M{x + 2},{y + 2}h1v1h-1z" in svg

    for fx, fy in ((0, 0), (14, 0), (0, 14)):
        assert dark(fx, fy) and dark(fx + 6, fy + 6)  # outer ring corners
        assert not dark(fx + 1, fy + 1)  # the light ring
        assert dark(fx + 3, fy + 3)  # the centre
    assert not dark(7, 7)  # the separator
