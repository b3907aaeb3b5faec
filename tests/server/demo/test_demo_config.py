"""The demo shows every state the admin pages know: clerks with photos and titles (亮牌),
clerks limited to some windows, a clerk who has left, a kiosk taken out of service."""

from __future__ import annotations

import io
from collections.abc import Callable

from fastapi.testclient import TestClient
from PIL import Image

ADMIN = "/api/v1/admin/halls/demo"


def test_the_demo_clerks_have_photos_titles_and_windows(
    client: TestClient, login: Callable[..., dict[str, str]], kiosk: dict[str, str]
) -> None:
    admin = login("admin", password="admin1234")
    staff = {s["staff_no"]: s for s in client.get(f"{ADMIN}/staff", headers=admin).json()["staff"]}
    clerk = staff["C001"]
    assert clerk["title"] == "窗口受理岗" and clerk["windows"] == []
    photo = client.get(clerk["photo"])
    assert photo.status_code == 200 and photo.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(photo.content)).size == (240, 240)
    assert staff["C011"]["windows"] == [11, 12] and staff["C011"]["title"] == "综合受理岗"
    assert staff["admin"]["photo"] == ""

    r = client.post(
        "/api/v1/auth/login",
        json={"hall": "demo", "staff_no": "C011", "password": "demo1234", "window": 3},
    )
    assert r.json()["error"]["code"] == "WINDOW_NOT_ALLOWED"
    assert staff["C013"]["active"] is False
    r = client.post(
        "/api/v1/auth/login", json={"hall": "demo", "staff_no": "C013", "password": "demo1234"}
    )
    assert r.json()["error"]["code"] == "BAD_CREDENTIALS"

    devices = {
        d["code"]: d for d in client.get(f"{ADMIN}/devices", headers=admin).json()["devices"]
    }
    assert devices["K21"]["active"] is False and devices["K01"]["active"] is True
