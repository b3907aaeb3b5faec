"""The audit log page (/admin/audit): admins only, each their own hall's log (an
installation admin any hall's); filters, paging and the CSV link; and in real chromium,
a change made through the API seen on the page, filtered, axe-core clean, and kept as a
screenshot to look at (var/screenshots/admin_audit/)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "display_board"))

from hallclient import admin_session, patch_read
from livehub import LiveHub, axe_violations, running_hub
from playwright.sync_api import Browser, expect

from server.services import admin
from server.services.accounts import Role
from server.services.audit import Actor
from server.services.hub import Hub

ROOT = Path(__file__).resolve().parents[3]
PAGE = "/admin/audit"
Login = Callable[..., dict[str, str]]


def screenshot_folder() -> Path:
    """Kept for a person to look at: HALL_SCREENSHOTS, or var/screenshots/admin_audit."""
    base = Path(os.environ.get("HALL_SCREENSHOTS", ROOT / "var" / "screenshots"))
    folder = base / "admin_audit"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# ---- the page as the server renders it (SQLite and PostgreSQL) ----------------------------


def test_the_page_asks_an_admin_to_sign_in(client: TestClient, login: Login) -> None:
    r = client.get(PAGE)
    assert r.status_code == 401 and "操作日志" in r.text and 'value="/admin/audit"' in r.text
    clerk = login("C001", window=1)
    r = client.get(PAGE, headers=clerk)
    assert r.status_code == 403 and "没有权限" in r.text
    admin_session(client, PAGE)
    r = client.get(PAGE)
    assert r.status_code == 200 and 'data-action="auth.login"' in r.text
    assert 'name="hall"' not in r.text  # a hall's admin has no other hall to choose


def test_filters_paging_and_the_export_link(client: TestClient) -> None:
    admin_session(client, PAGE)
    for n in range(55):
        patch_read(client, "/api/v1/admin/halls/demo/queues/E", {"daily_cap": n + 1})
    r = client.get(PAGE, params={"action": "queue."})
    assert r.text.count('data-action="queue.update"') == 50
    assert "/api/v1/admin/audit.csv?action=queue." in r.text
    older = r.text.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0]
    assert older.startswith("/admin/audit?action=queue.&amp;cursor=")
    r = client.get(older.replace("&amp;", "&"))
    assert r.text.count('data-action="queue.update"') == 5 and 'rel="next"' not in r.text
    assert "最新" in r.text  # back to the newest
    r = client.get(PAGE, params={"from": "23/11/2026"})
    assert r.status_code == 200 and 'aria-invalid="true"' in r.text and "不是日期" in r.text
    r = client.get(PAGE, params={"hall": "nowhere"})
    assert r.status_code == 404 and "没有这个大厅" in r.text


def test_an_installation_admin_chooses_the_hall(client: TestClient, hub: Hub) -> None:
    from server.demo.load import load_demo

    load_demo(hub.db, hall_code="north")
    admin.add_staff(
        hub,
        hall_id=None,
        staff_no="root",
        name="总管理员",
        role=Role.ADMIN,
        password="long enough",
        actor=Actor.cli(),
    )
    r = client.post(
        "/admin/printers/login",
        data={"staff_no": "root", "password": "long enough", "next": PAGE},
        follow_redirects=False,
    )
    assert r.status_code == 303
    r = client.get(PAGE)
    assert '<option value="north">' in r.text and "命令行" in r.text  # root made by the CLI
    r = client.get(PAGE, params={"hall": "north"})
    assert 'data-action="staff.create"' not in r.text  # installation-wide, not north's


# ---- in chromium -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def live_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveHub]:
    with running_hub(tmp_path_factory.mktemp("audithub")) as hub:
        yield hub


@pytest.mark.browser
def test_an_admin_sees_a_change_and_filters_the_log(live_hub: LiveHub, browser: Browser) -> None:
    ctx = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    page = ctx.new_page()
    try:
        page.goto(live_hub.base + PAGE)
        page.fill("input[name=staff_no]", "admin")
        page.fill("input[name=password]", "wrong password")
        page.click("button[type=submit]")
        expect(page.locator("[role=alert]")).to_contain_text("工号或密码不正确")
        page.fill("input[name=staff_no]", "admin")
        page.fill("input[name=password]", "admin1234")
        page.click("button[type=submit]")
        page.wait_for_url("**/admin/audit")

        live_hub.update_hall(notice="今日16:00后停止取号", voice_repeat=2)
        live_hub.create("queues", code="G", prefix="G", name="公积金", issue_hours=["09:00-16:00"])
        page.reload()
        hall_row = page.locator("tr[data-action='hall.update']")
        expect(hall_row).to_have_count(1)
        expect(hall_row).to_contain_text("今日16:00后停止取号")
        expect(hall_row.locator(".field")).to_have_text(["notice", "voice_repeat"])
        expect(hall_row).to_contain_text("127.0.0.1")
        refused = page.locator("tr[data-action='auth.login_failed']")
        expect(refused).to_contain_text("BAD_CREDENTIALS")
        assert axe_violations(page) == []
        page.screenshot(path=str(screenshot_folder() / "audit-all.png"), full_page=True)

        page.select_option("select[name=action]", "hall.")
        page.click("form.filters button[type=submit]")
        page.wait_for_url("**action=hall.**")
        expect(page.locator("tbody tr")).to_have_count(1)
        expect(page.locator("tr[data-action='queue.create']")).to_have_count(0)
        assert axe_violations(page) == []
        page.screenshot(path=str(screenshot_folder() / "audit-filtered.png"), full_page=True)

        with page.expect_download() as download:
            page.click("a[download]")
        saved = download.value.path()
        assert saved is not None
        data = Path(saved).read_bytes()
        assert data.startswith(b"\xef\xbb\xbf") and "修改大厅设置" in data.decode("utf-8-sig")
    finally:
        ctx.close()
