"""A real hub for browser tests: uvicorn in a subprocess on a free port, a fresh demo
database that is open around the clock (the subprocess runs on the real clock), and
Debian's chromium driven by Playwright."""

from __future__ import annotations

import io
import math
import os
import signal
import socket
import struct
import subprocess
import sys
import time
import wave
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

from server.demo.load import load_demo
from server.store.db import Database
from server.store.migrate import upgrade

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
# --autoplay-policy: boards speak without anyone clicking (kiosk mode does the same).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
]
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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


class LiveHub:
    """One hub process. ``kill()`` and ``start()`` again on the same port and database
    is a hub restart as a hall would see it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.db_url = f"sqlite:///{folder / 'hall.db'}"
        devices = folder / "devices.toml"
        devices.write_text(DEVICES_TOML, encoding="utf-8")
        upgrade(self.db_url)
        db = Database(self.db_url)
        try:
            self.tokens = load_demo(db, always_open=True).device_tokens
        finally:
            db.dispose()
        self.env = {
            **os.environ,
            "DATABASE_URL": self.db_url,
            "HALL_DEVICES_FILE": str(devices),
            "HALL_VOICE_DIR": str(folder / "voice"),
            "HALL_VOICE_OVERRIDE_DIR": str(folder / "voice-overrides"),
            "HALL_ARGON2_TIME_COST": "1",
            "HALL_ARGON2_MEMORY_KIB": "1024",
        }
        self.env.pop("REDIS_URL", None)
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = folder / "hub.log"
        self.http = httpx.Client(base_url=self.base, timeout=10)
        self.admin: dict[str, str] = {}

    def start(self) -> None:
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "server.web.app:app_from_env",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the hub exited: {self.log_path.read_text()[-3000:]}")
            try:
                if self.http.get("/api/v1/halls").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"the hub did not start: {self.log_path.read_text()[-3000:]}")

    def kill(self) -> None:
        """A crash, not a shutdown: the browser's sockets are cut, not closed politely."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)
        self.proc = None

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.proc = None
        self.http.close()

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
        r = self.http.patch("/api/v1/admin/halls/demo", json=fields, headers=self._admin())
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
        hub.stop()


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


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


AXE = Axe()


def axe_violations(page: Page) -> list[str]:
    """axe-core (bundled with axe-playwright-python, runs offline) on the whole page."""
    result = AXE.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(", ".join(n["target"]) for n in v["nodes"][:5])
        for v in result.response["violations"]
    ]


def screenshot_folder() -> Path:
    """Screenshots are kept for a person to look at (HALL_SCREENSHOTS, or /tmp)."""
    folder = Path(os.environ.get("HALL_SCREENSHOTS", "/tmp/hall-screens"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def wait_until(check: Callable[[], Any], timeout: float = 10.0, step: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s: {check}")
        time.sleep(step)
