"""Signing in against a hub app in the tests (TestClient): bearer headers, the admin
pages' session cookie, and the settings of a hub given its hardware inline (create_app's
``hardware``, e.g. ``Hardware.from_toml(...)``) rather than in a devices.toml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from server.config import Settings


def bearer(
    client: TestClient, staff_no: str, window: int | None = None, password: str = "demo1234"
) -> dict[str, str]:
    """Sign a staff member in; returns the bearer header (the cookie is dropped)."""
    body: dict[str, Any] = {"hall": "demo", "staff_no": staff_no, "password": password}
    if window is not None:
        body["window"] = window
    r = client.post("/api/v1/auth/login", json=body)
    assert r.status_code == 200, r.text
    client.cookies.clear()
    return {"Authorization": f"Bearer {r.json()['token']}"}


def patch_hall(client: Any, hall: str, fields: dict[str, Any], headers: dict[str, str]) -> Any:
    """An admin's edit of a hall, naming the version it read as every edit must (a
    caller the GET refuses sends none: the PATCH is refused the same way)."""
    return patch_read(client, f"/api/v1/admin/halls/{hall}", fields, headers)


def patch_read(
    client: Any, url: str, fields: dict[str, Any], headers: dict[str, str] | None = None
) -> Any:
    """An admin's edit of any record (a hall, a queue, a window...): read it, send the
    changes with the version read."""
    read = client.get(url, headers=headers or {})
    body = {**fields, "version": read.json()["version"]} if read.status_code == 200 else fields
    return client.patch(url, json=body, headers=headers or {})


def admin_session(client: TestClient, page: str) -> None:
    """The demo admin signed in on the admin pages' form, sent back to ``page``."""
    r = client.post(
        "/admin/printers/login",
        data={"staff_no": "admin", "password": "admin1234", "next": page},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == page, r.text


def hub_settings(db_url: str, tmp_path: Path) -> Settings:
    """Settings whose devices.toml does not exist: a test that forgot to give the app
    its hardware gets a hub without devices, not the repository's demo hardware."""
    return Settings(
        DATABASE_URL=db_url,
        devices_file=tmp_path / "no-devices.toml",
        public_url="http://hall.test",
        day_check_seconds=3600,
    )
