"""The hall and calendar admin pages in real chromium against a real hub process: an
installation admin signs in, creates a hall with a lunch break (a mistake first, shown
beside its field), edits it, meets a concurrent edit, closes and reopens it; then imports
a calendar with a bad row (the report names it) and a good one. Screenshots go to
var/screenshots/admin_halls/ and admin_calendar/; axe-core finds nothing."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "display_board"))

from livehub import LiveHub, axe_violations, running_hub
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[3]
BAD_CSV = "日期,类型(放假/上班),名称\n2028-01-01,放假,元旦\n2028-01-32,放假,元旦\n2028-01-29,上班,春节调休\n"
GOOD_CSV = "日期,类型(放假/上班),名称\n2028-01-01,放假,元旦\n2028-01-29,上班,春节调休\n2028-10-01,放假,国庆节\n"


def shots(page_name: str) -> Path:
    base = Path(os.environ.get("HALL_SCREENSHOTS", ROOT / "var" / "screenshots"))
    folder = base / page_name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def live_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveHub]:
    with running_hub(tmp_path_factory.mktemp("adminhub")) as hub:
        yield hub


@pytest.fixture
def page(browser: Browser, live_hub: LiveHub) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    p = context.new_page()
    yield p
    context.close()


def sign_in(page: Page, base: str, target: str) -> None:
    page.goto(base + target)
    expect(page.locator("h1")).to_contain_text("大厅管理")
    assert axe_violations(page) == []
    page.select_option("select[name=hall]", "demo")
    page.fill("input[name=staff_no]", "sysadmin")
    page.fill("input[name=password]", "admin1234")
    page.click("button[type=submit]")
    page.wait_for_url(f"**{target}")


def fill_span(page: Page, prefix: str, day: int, n: int, start: str, end: str) -> None:
    page.fill(f'input[name="{prefix}.{day}.{n}.0"]', start)
    page.fill(f'input[name="{prefix}.{day}.{n}.1"]', end)


def test_a_hall_is_created_with_a_lunch_break_edited_closed_and_reopened(
    page: Page, live_hub: LiveHub
) -> None:
    folder = shots("admin_halls")
    sign_in(page, live_hub.base, "/admin/halls")
    expect(page.locator('#halls tr[data-hall="demo"]')).to_be_visible()
    assert axe_violations(page) == []
    page.screenshot(path=str(folder / "list.png"), full_page=True)

    page.click("#new-hall")
    page.wait_for_selector("body[data-ready=true]")
    page.fill("input[name=code]", "east-1")
    page.fill("input[name=name]", "东区政务服务中心")
    page.fill("input[name=name_en]", "East District Service Center")
    for day in range(1, 6):
        fill_span(page, "office_hours", day, 0, "09:00", "12:00")
        # Monday's afternoon typed to start before the morning ends: refused, shown there.
        fill_span(page, "office_hours", day, 1, "11:00" if day == 1 else "13:30", "17:00")
    fill_span(page, "ticket_hours", 1, 0, "08:45", "16:30")
    page.click("#save")
    error = page.locator('.field-error[data-for="office_hours.1.1"]')
    expect(error).to_contain_text("时段重叠或顺序颠倒")
    expect(page.locator("#problems")).to_be_visible()
    assert page.get_attribute('input[name="office_hours.1.1.0"]', "aria-invalid") == "true"
    assert axe_violations(page) == []
    page.screenshot(path=str(folder / "create-with-a-mistake.png"), full_page=True)

    fill_span(page, "office_hours", 1, 1, "13:30", "17:00")
    page.click("#save")
    page.wait_for_url("**/admin/halls/east-1?saved=1")
    expect(page.locator("#saved")).to_be_visible()
    assert page.input_value('input[name="office_hours.1.1.0"]') == "13:30"
    assert page.input_value('input[name="office_hours.6.0.0"]') == ""
    expect(page.locator("#hall-version")).to_have_text("1")
    root = live_hub.login("sysadmin", password="admin1234")
    row = live_hub.http.get("/api/v1/admin/halls/east-1", headers=root).json()
    assert row["office_hours"]["1"] == [["09:00", "12:00"], ["13:30", "17:00"]]
    assert row["ticket_hours"] == {"1": [["08:45", "16:30"]]}
    assert axe_violations(page) == []
    page.screenshot(path=str(folder / "edit.png"), full_page=True)

    # An edit: the notice, a Saturday morning, a closed date.
    page.fill("textarea[name=notice]", "本周六上午加开服务")
    fill_span(page, "office_hours", 6, 0, "09:00", "12:00")
    page.fill("textarea[name=closed_dates]", "2026-12-31")
    page.click("#save")
    page.wait_for_url("**/admin/halls/east-1?saved=1")
    expect(page.locator("#hall-version")).to_have_text("2")
    assert page.input_value("textarea[name=notice]") == "本周六上午加开服务"
    row = live_hub.http.get("/api/v1/admin/halls/east-1", headers=root).json()
    assert row["office_hours"]["6"] == [["09:00", "12:00"]] and row["closed_dates"] == [
        "2026-12-31"
    ]

    # Someone else saves meanwhile: this page's save is refused, not silently lost.
    r = live_hub.http.patch(
        "/api/v1/admin/halls/east-1", json={"phone": "0571-2", "version": 2}, headers=root
    )
    assert r.status_code == 200
    page.fill("input[name=phone]", "0571-9")
    page.click("#save")
    expect(page.locator("#problems")).to_contain_text("已被他人修改，请刷新后重试")
    page.screenshot(path=str(folder / "stale.png"), full_page=True)
    page.goto(live_hub.base + "/admin/halls/east-1")
    assert page.input_value("input[name=phone]") == "0571-2"

    page.fill("#state-form input[name=reason]", "系统升级")
    page.click("#close")
    page.wait_for_url("**/admin/halls/east-1?saved=1")
    expect(page.locator("#hall-state")).to_contain_text("已关闭")
    assert axe_violations(page) == []
    page.screenshot(path=str(folder / "closed.png"), full_page=True)
    status = live_hub.http.get("/api/v1/halls/east-1/queues").json()
    assert status["closed"] is True and status["closed_reason"] == "系统升级"
    page.click("#reopen")
    page.wait_for_url("**/admin/halls/east-1?saved=1")
    expect(page.locator("#hall-state")).to_contain_text("开放中")


def test_a_calendar_is_checked_then_imported(page: Page, live_hub: LiveHub, tmp_path: Path) -> None:
    folder = shots("admin_calendar")
    sign_in(page, live_hub.base, "/admin/calendar")
    expect(page.locator("#entries tr[data-date='2026-02-15']")).to_contain_text("春节")
    assert axe_violations(page) == []
    page.screenshot(path=str(folder / "2026.png"), full_page=True)
    page.goto(live_hub.base + "/admin/calendar?year=2027")
    expect(page.locator("#example-warning")).to_be_visible()

    page.goto(live_hub.base + "/admin/calendar?year=2028")
    page.wait_for_selector("body[data-ready=true]")
    expect(page.locator("#no-entries")).to_be_visible()
    bad = tmp_path / "2028-bad.csv"
    bad.write_text(BAD_CSV, encoding="utf-8")
    page.set_input_files("#import-file", str(bad))
    page.click("#dry-run")
    rows = page.locator("#problems tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-row", "3")
    expect(rows.first).to_contain_text("日期")
    expect(rows.first).to_contain_text("2028-01-32")
    assert axe_violations(page) == []
    page.screenshot(path=str(folder / "dry-run-report.png"), full_page=True)
    page.click("#import")  # imported anyway: refused whole, the same report
    expect(page.locator("#report-result")).to_have_attribute("data-code", "CALENDAR_IMPORT_INVALID")
    expect(page.locator("#problems tbody tr")).to_have_count(1)
    root = live_hub.login("sysadmin", password="admin1234")
    assert live_hub.http.get("/api/v1/admin/calendar/2028", headers=root).json()["entries"] == []

    good = tmp_path / "2028.csv"
    good.write_text(GOOD_CSV, encoding="utf-8")
    page.set_input_files("#import-file", str(good))
    page.click("#dry-run")
    expect(page.locator("#report-result")).to_have_attribute("data-ok", "true")
    page.click("#import")
    page.wait_for_url("**/admin/calendar?year=2028&imported=3")
    expect(page.locator("#imported")).to_be_visible()
    expect(page.locator("#entries tbody tr")).to_have_count(3)
    expect(page.locator("td[data-date='2028-10-01']")).to_have_class("holiday")
    assert axe_violations(page) == []
    page.screenshot(path=str(folder / "imported.png"), full_page=True)
