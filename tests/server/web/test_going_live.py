"""A hall goes live without a programmer: from an empty database (`hall migrate`, `hall
create-admin`, as an installer types them) to a hall taking its first ticket, every
step through the admin pages in real chromium against a real hub process. Screenshots
go to var/screenshots/going_live/; axe-core finds nothing on any page."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "display_board"))

from livehub import HubProcess, axe_violations
from playwright.sync_api import Browser, Page, expect
from testclock import FakeClock

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[3]
CALENDAR_2026 = ROOT / "server" / "demo" / "calendars" / "2026.csv"
ROOT_PASSWORD = "安装管理员口令2026"


def shots() -> Path:
    base = Path(os.environ.get("HALL_SCREENSHOTS", ROOT / "var" / "screenshots"))
    folder = base / "going_live"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Installation:
    """A fresh installation: an empty SQLite file, the CLI run as an installer runs it,
    then the hub, all on the test's clock (Monday 23 Nov 2026, 10:00 in Shanghai)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.clock = FakeClock(folder / "clock.json").tick()
        self.env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder / 'hall.db'}",
            "HALL_DEVICES_FILE": str(folder / "devices.toml"),  # none yet: no hardware
            "HALL_VOICE_DIR": str(folder / "voice"),
            "HALL_ARGON2_TIME_COST": "1",
            "HALL_ARGON2_MEMORY_KIB": "1024",
            "HALL_CLOCK": self.clock.spec,
        }
        self.env.pop("REDIS_URL", None)

    def hall(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "server.cli", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout


@pytest.fixture
def installation(tmp_path: Path) -> Iterator[tuple[Installation, HubProcess]]:
    inst = Installation(tmp_path)
    assert "database is up to date" in inst.hall("migrate")
    out = inst.hall("create-admin", "--staff-no", "root", "--password", ROOT_PASSWORD)
    assert "admin root created (all halls)" in out
    hub = HubProcess(inst.env, tmp_path / "hub.log", clock=inst.clock)
    hub.start()
    try:
        yield inst, hub
    finally:
        hub.close()


def look(page: Page, name: str) -> None:
    assert axe_violations(page) == [], name
    page.screenshot(path=str(shots() / f"{name}.png"), full_page=True)


def test_a_hall_goes_live_from_an_empty_database(
    installation: tuple[Installation, HubProcess], browser: Browser
) -> None:
    _, hub = installation
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    try:
        # 1. The installation's admin signs in: there is no hall yet to choose.
        page.goto(hub.base + "/admin/halls")
        expect(page.locator("select[name=hall] option")).to_have_count(1)
        look(page, "01-sign-in")
        page.fill("input[name=staff_no]", "root")
        page.fill("input[name=password]", ROOT_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/admin/halls")
        expect(page.locator("#halls tbody tr[data-hall]")).to_have_count(0)
        expect(page.locator("#halls tbody")).to_contain_text("还没有大厅")

        # 2. The hall: its name, address, and office hours with a lunch break.
        page.click("#new-hall")
        page.wait_for_selector("body[data-ready=true]")
        page.fill("input[name=code]", "xinqu")
        page.fill("input[name=name]", "新区政务服务中心")
        page.fill("input[name=name_en]", "New District Government Service Center")
        page.fill("input[name=address]", "新区行政大道1号")
        for day in range(1, 6):
            page.fill(f'input[name="office_hours.{day}.0.0"]', "09:00")
            page.fill(f'input[name="office_hours.{day}.0.1"]', "12:00")
            page.fill(f'input[name="office_hours.{day}.1.0"]', "13:30")
            page.fill(f'input[name="office_hours.{day}.1.1"]', "17:00")
        look(page, "02-new-hall")
        page.click("#save")
        page.wait_for_url("**/admin/halls/xinqu?saved=1")
        expect(page.locator("#saved")).to_be_visible()

        # 3. The national calendar, imported from the table of the State Council's notice.
        page.goto(hub.base + "/admin/calendar?year=2026")
        page.wait_for_selector("body[data-ready=true]")
        expect(page.locator("#no-entries")).to_be_visible()
        page.set_input_files("#import-file", str(CALENDAR_2026))
        page.click("#dry-run")
        expect(page.locator("#report-result")).to_have_attribute("data-ok", "true")
        page.click("#import")
        page.wait_for_url("**/admin/calendar?year=2026&imported=*")
        expect(page.locator("td[data-date='2026-10-01']")).to_have_class("holiday")
        look(page, "03-calendar")
    finally:
        context.close()
