"""A real hub for the kiosk's browser tests: uvicorn in a subprocess on a free port, a
fresh demo database open around the clock, real printers from a devices.toml (the fake
TCP printer, the virtual printer, and a network printer nobody listens to), and Debian's
chromium driven by Playwright. Helpers to open the kiosk and to check what it shows."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hubprocess import (  # re-exported for the tests of this folder
    HubProcess,
    axe_violations,
    chromium,
    free_port,
    wait_until,
)
from playwright.sync_api import Browser, Page
from sqlmodel import Session
from testclock import FakeClock

from server.demo.load import load_demo
from server.services.accounts import DeviceKind, create_device
from server.store import halls as hall_store
from server.store.db import Database
from server.store.migrate import upgrade

__all__ = ["KioskHub", "axe_violations", "chromium", "wait_until"]
ROOT = Path(__file__).resolve().parents[2]
VIEWPORTS = {"portrait": (1080, 1920), "landscape": (1920, 1080)}
# server/web/kiosk.py MIN_TARGET_PX: 15 mm on a 21.5" 1920x1080 panel is 60 px.
MIN_TARGET_PX = 64


def devices_toml(dead_port: int, out: Path) -> str:
    return f"""\
hall = "demo"

[[printer]]
id = "P01"
driver = "fake"
port = 0
paper_width = 80
sibling = "P02"

[[printer]]
id = "P02"
driver = "virtual"
paper_width = 58
mode = "image"
output_dir = "{out}"

# Nobody listens here: every job on P03 fails, and it has no sibling.
[[printer]]
id = "P03"
driver = "network"
host = "127.0.0.1"
port = {dead_port}
connect_timeout = 0.3

[[kiosk]]
id = "K01"
printer = "P01"
sibling_printer = "P02"

[[kiosk]]
id = "K02"
printer = "P02"
orientation = "landscape"

[[kiosk]]
id = "K03"
printer = "P03"
"""


class KioskHub(HubProcess):
    """One hub process; ``stop()`` then ``start()`` on the same port and database is the
    hub going away and coming back as a kiosk on the hall LAN sees it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        port = free_port()
        self.db_path = folder / "hall.db"
        self.db_url = f"sqlite:///{self.db_path}"
        devices = folder / "devices.toml"
        devices.write_text(devices_toml(free_port(), folder / "virtual"), encoding="utf-8")
        upgrade(self.db_url)
        db = Database(self.db_url)
        try:
            self.tokens = dict(load_demo(db, always_open=True).device_tokens)

            def k03(s: Session) -> str:
                hall = hall_store.hall_by_code(s, "demo")
                assert hall.id is not None
                _, token = create_device(
                    s, hall_id=hall.id, code="K03", kind=DeviceKind.KIOSK, name="测试取号机"
                )
                return token

            self.tokens["K03"] = db.write(k03)
        finally:
            db.dispose()
        env = {
            **os.environ,
            "DATABASE_URL": self.db_url,
            "HALL_DEVICES_FILE": str(devices),
            "HALL_PUBLIC_URL": f"http://127.0.0.1:{port}",
            "HALL_ARGON2_TIME_COST": "1",
            "HALL_ARGON2_MEMORY_KIB": "1024",
        }
        env.pop("REDIS_URL", None)
        # The hub's own clock, ticking from a Monday morning: the same in every test,
        # whatever the machine's date, and it never crosses midnight during a run.
        clock = FakeClock(folder / "clock.json").tick()
        super().__init__(env, folder / "hub.log", clock=clock, port=port)
        self._admin: dict[str, str] = {}

    # ---- the database and the API, to check what the kiosk did -------------------------

    def sql(self, statement: str, *params: Any) -> list[tuple[Any, ...]]:
        with sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=10) as conn:
            return list(conn.execute(statement, params))

    def ticket_count(self) -> int:
        return int(self.sql("SELECT count(*) FROM ticket")[0][0])

    def admin(self) -> dict[str, str]:
        if not self._admin:
            r = self.http.post(
                "/api/v1/auth/login",
                json={"hall": "demo", "staff_no": "admin", "password": "admin1234"},
            )
            assert r.status_code == 200, r.text
            self.http.cookies.clear()
            self._admin = {"Authorization": f"Bearer {r.json()['token']}"}
        return self._admin

    def update_queue(self, code: str, **fields: Any) -> None:
        url = f"/api/v1/admin/halls/demo/queues/{code}"
        version = self.http.get(url, headers=self.admin()).json()["version"]
        r = self.http.patch(url, json={**fields, "version": version}, headers=self.admin())
        assert r.status_code == 200, r.text

    def issue(self, queue: str) -> dict[str, Any]:
        r = self.http.post(
            "/api/v1/halls/demo/tickets",
            json={"queue": queue},
            headers={"Authorization": f"Bearer {self.tokens['K02']}"},
        )
        assert r.status_code == 201, r.text
        return dict(r.json())


def hours_excluding_now(hub: HubProcess, tz: str = "Asia/Shanghai") -> list[str]:
    """A one-minute ticket period that is certainly not now on the hub's clock."""
    now = hub.clock().astimezone(ZoneInfo(tz))
    start = (now + timedelta(hours=2)).replace(second=0, microsecond=0)
    if start.hour == 23 and start.minute == 59:
        start -= timedelta(minutes=1)
    end = start + timedelta(minutes=1)
    return [f"{start:%H:%M}-{end:%H:%M}"]


@contextmanager
def running_hub(folder: Path) -> Iterator[KioskHub]:
    hub = KioskHub(folder)
    hub.start()
    try:
        yield hub
    finally:
        hub.close()


def open_kiosk(
    browser: Browser,
    hub: KioskHub,
    *,
    device: str = "K01",
    orientation: str = "portrait",
    idle: int | None = None,
    extra: str = "",
    provision: bool = True,
) -> Page:
    """A fresh kiosk (its own storage), provisioned the way a hall does it: once, by URL."""
    width, height = VIEWPORTS[orientation]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors  # type: ignore[attr-defined]
    query = f"device={device}&orientation={orientation}"
    if provision:
        query += f"&token={hub.tokens[device]}"
    if idle is not None:
        query += f"&idle={idle}"
    page.goto(f"{hub.base}/kiosk/demo?{query}{extra}")
    page.wait_for_selector("body[data-ready=true]")
    return page


def close_page(page: Page) -> None:
    assert page.errors == [], page.errors  # type: ignore[attr-defined]
    page.context.close()


def tap_keys(page: Page, keys: str, scope: str) -> None:
    for key in keys:
        page.click(f'{scope} [data-key="{key}"]')


def screenshot_folder() -> Path:
    """Kept for a person to look at: HALL_SCREENSHOTS, or var/screenshots/kiosk."""
    folder = Path(os.environ.get("HALL_SCREENSHOTS", ROOT / "var" / "screenshots")) / "kiosk"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def shoot(page: Page, name: str) -> Path:
    orientation = page.evaluate("document.documentElement.dataset.orientation")
    path = screenshot_folder() / f"{name}-{orientation}.png"
    page.screenshot(path=str(path))
    return path


SMALL_TARGETS_JS = """
(min) => {
  const out = [];
  for (const el of document.querySelectorAll('button, a[href], input, select, textarea, [role=button]')) {
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (r.width === 0 || r.height === 0 || style.visibility === 'hidden') continue;
    if (el.closest('[hidden]')) continue;
    if (r.width < min || r.height < min) {
      out.push(`${el.tagName.toLowerCase()}#${el.id}.${el.className} ${el.textContent.trim().slice(0, 20)} ${Math.round(r.width)}x${Math.round(r.height)}`);
    }
  }
  return out;
}
"""


def small_targets(page: Page) -> list[str]:
    found: list[str] = page.evaluate(SMALL_TARGETS_JS, MIN_TARGET_PX)
    return found


def resident_id(born: str, serial: int) -> str:
    """A valid ID number (GB 11643 check character) born on ``born`` (YYYYMMDD)."""
    from server.domain.identity import id_check_char

    first17 = f"330106{born}{serial % 1000:03d}"
    return first17 + id_check_char(first17)
