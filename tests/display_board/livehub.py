"""A real hub for browser tests: uvicorn in a subprocess on a free port, a fresh demo
database that is open around the clock (the subprocess runs on the real clock), and
Debian's chromium driven by Playwright."""

from __future__ import annotations

import io
import math
import os
import struct
import wave
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hubprocess import (  # re-exported for the tests of this folder
    CHROMIUM_ARGS,
    HubProcess,
    axe_violations,
    chromium,
    wait_until,
)
from playwright.sync_api import Page
from testclock import FakeClock

from server.demo.load import load_demo
from server.store.db import Database
from server.store.migrate import upgrade

__all__ = ["CHROMIUM_ARGS", "LiveHub", "axe_violations", "chromium", "wait_until"]

PASSWORD = "demo1234"

DEVICES_TOML = """\
hall = "demo"

[[board]]
id = "HB01"
kind = "hall"

[[board]]
id = "HB02"
kind = "hall"
windows = [4, 5]
queues = ["B"]

[[board]]
id = "WB04"
kind = "window"
windows = [4]
"""


def tone_wav(seconds: float, rate: int = 22050) -> bytes:
    """A quiet 440 Hz tone: what the intercepted /voice/say.wav answers with."""
    frames = int(seconds * rate)
    samples = (int(1500 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(frames))
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"".join(struct.pack("<h", s) for s in samples))
    return buf.getvalue()


class LiveHub(HubProcess):
    """One hub process on a fresh demo database. ``kill()`` and ``start()`` again on the
    same port and database is a hub restart as a hall would see it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.db_url = f"sqlite:///{folder / 'hall.db'}"
        devices = folder / "devices.toml"
        devices.write_text(DEVICES_TOML, encoding="utf-8")
        upgrade(self.db_url)
        db = Database(self.db_url)
        try:
            self.tokens = load_demo(db, always_open=True).device_tokens
        finally:
            db.dispose()
        env = {
            **os.environ,
            "DATABASE_URL": self.db_url,
            "HALL_DEVICES_FILE": str(devices),
            "HALL_VOICE_DIR": str(folder / "voice"),
            "HALL_VOICE_OVERRIDE_DIR": str(folder / "voice-overrides"),
            "HALL_ARGON2_TIME_COST": "1",
            "HALL_ARGON2_MEMORY_KIB": "1024",
        }
        env.pop("REDIS_URL", None)
        # The hub's own clock, ticking from a Monday morning: the same in every test,
        # whatever the machine's date, and it never crosses midnight during a run.
        clock = FakeClock(folder / "clock.json").tick()
        super().__init__(env, folder / "hub.log", clock=clock, start_timeout=30)
        self.admin: dict[str, str] = {}

    def kill(self) -> None:
        """A crash, not a shutdown: the browser's sockets are cut, not closed politely."""
        self.stop(crash=True)

    # ---- what the tests do through the API ------------------------------------------

    def issue(self, queue: str, priority: str = "normal") -> str:
        r = self.http.post(
            "/api/v1/halls/demo/tickets",
            json={"queue": queue, "priority": priority},
            headers={"Authorization": f"Bearer {self.tokens['K01']}"},
        )
        assert r.status_code == 201, r.text
        return str(r.json()["code"])

    def login(
        self, staff_no: str, window: int | None = None, password: str = PASSWORD
    ) -> dict[str, str]:
        body: dict[str, Any] = {"hall": "demo", "staff_no": staff_no, "password": password}
        if window is not None:
            body["window"] = window
        r = self.http.post("/api/v1/auth/login", json=body)
        assert r.status_code == 200, r.text
        self.http.cookies.clear()
        return {"Authorization": f"Bearer {r.json()['token']}"}

    def window_action(
        self, headers: dict[str, str], window: int, action: str, **body: Any
    ) -> dict[str, Any]:
        r = self.http.post(
            f"/api/v1/halls/demo/windows/{window}/{action}", json=body or None, headers=headers
        )
        assert r.status_code == 200, r.text
        return dict(r.json())

    def _admin(self) -> dict[str, str]:
        if not self.admin:
            self.admin = self.login("admin", password="admin1234")
        return self.admin

    def update_hall(self, **fields: Any) -> None:
        url = "/api/v1/admin/halls/demo"
        version = self.http.get(url, headers=self._admin()).json()["version"]
        r = self.http.patch(url, json={**fields, "version": version}, headers=self._admin())
        assert r.status_code == 200, r.text

    def create(self, what: str, **body: Any) -> None:
        """An admin adds queues, windows or staff to the demo hall."""
        r = self.http.post(f"/api/v1/admin/halls/demo/{what}", json=body, headers=self._admin())
        assert r.status_code == 201, r.text

    def release(self, window: int) -> None:
        supervisor = self.login("S001")
        r = self.http.post(f"/api/v1/halls/demo/windows/{window}/release", headers=supervisor)
        assert r.status_code == 204, r.text


@contextmanager
def running_hub(folder: Path) -> Iterator[LiveHub]:
    hub = LiveHub(folder)
    hub.start()
    try:
        yield hub
    finally:
        hub.close()


def sign_in_clerk(page: Page, base: str, staff_no: str, window: int) -> None:
    """Sign in on the clerk screen the way a clerk does: the form, then the desk."""
    page.goto(base + "/clerk")
    page.wait_for_selector("body[data-view=login]")
    page.wait_for_selector(f"#login-window option[value='{window}']", state="attached")
    page.fill("#login-staff", staff_no)
    page.fill("#login-password", PASSWORD)
    page.select_option("#login-window", str(window))
    page.click("#login-submit")
    page.wait_for_selector("body[data-view=desk]")
    page.wait_for_function("() => window.__clerk.state().view !== null")


def screenshot_folder() -> Path:
    """Screenshots are kept for a person to look at (HALL_SCREENSHOTS, or /tmp)."""
    folder = Path(os.environ.get("HALL_SCREENSHOTS", "/tmp/hall-screens"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder
