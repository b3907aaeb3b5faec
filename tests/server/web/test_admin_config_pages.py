"""The queue, window, staff and device pages in real chromium against a real hub process:
the demo hall's admin edits a queue (a mistake first, shown beside its field), meets a
concurrent edit, is refused removing a queue in use (with the reasons); edits a window's
queues; creates a clerk, resets a password (shown once), unlocks a locked account;
rotates a device's token (shown once) and revokes a device. Screenshots go to
var/screenshots/admin_queues/, admin_windows/, admin_staff/, admin_devices/; axe-core
finds nothing on any page or dialog."""

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
API = "/api/v1/admin/halls/demo"


def shots(page_name: str) -> Path:
    base = Path(os.environ.get("HALL_SCREENSHOTS", ROOT / "var" / "screenshots"))
    folder = base / page_name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def live_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveHub]:
    with running_hub(tmp_path_factory.mktemp("confighub")) as hub:
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
    page.select_option("select[name=hall]", "demo")
    page.fill("input[name=staff_no]", "admin")
    page.fill("input[name=password]", "admin1234")
    page.click("button[type=submit]")
    page.wait_for_url(f"**{target}")
    page.wait_for_selector("body[data-ready=true]")


def row(page: Page, key: str) -> object:
    return page.locator(f'#records tr[data-key="{key}"]')


def clean(page: Page) -> None:
    assert axe_violations(page) == []


def test_queues_edit_stale_version_and_in_use(page: Page, live_hub: LiveHub) -> None:
    folder = shots("admin_queues")
    sign_in(page, live_hub.base, "/admin/queues")
    expect(page.locator("#records tr[data-key]")).to_have_count(6)
    clean(page)
    page.screenshot(path=str(folder / "list.png"), full_page=True)

    page.locator('#records tr[data-key="E"] button[data-action=edit]').click()
    expect(page.locator("#edit-dialog")).to_be_visible()
    expect(page.locator("#edit-form input[name=name]")).to_have_value("税务")
    page.fill("#edit-form input[name=width]", "9")
    page.fill("#edit-form input[name=issue_hours]", "12:00-09:00")
    page.click("#save")
    expect(page.locator('.field-error[data-for="width"]')).to_contain_text("不能大于 6")
    expect(page.locator("#dialog-problems")).to_contain_text("请修改以下内容")
    clean(page)
    page.screenshot(path=str(folder / "field_errors.png"), full_page=True)

    page.fill("#edit-form input[name=width]", "3")
    page.fill("#edit-form input[name=issue_hours]", "09:00-11:45, 13:30-16:30")
    page.fill("#edit-form input[name=daily_cap]", "120")
    page.click("#save")
    page.wait_for_url("**saved=1")
    expect(page.locator("#saved")).to_be_visible()
    expect(row(page, "E")).to_contain_text("120")  # type: ignore[attr-defined]

    # Someone else saves queue D after this page was read: told, not overwritten.
    admin = live_hub.login("admin", password="admin1234")
    version = live_hub.http.get(f"{API}/queues/D", headers=admin).json()["version"]
    r = live_hub.http.patch(f"{API}/queues/D", json={"sort": 7, "version": version}, headers=admin)
    assert r.status_code == 200, r.text
    page.locator('#records tr[data-key="D"] button[data-action=edit]').click()
    page.fill("#edit-form input[name=name]", "公安户政（改）")
    page.click("#save")
    expect(page.locator('#dialog-problems h2[data-code="STALE_VERSION"]')).to_contain_text(
        "已被他人修改"
    )
    page.screenshot(path=str(folder / "stale.png"), full_page=True)
    page.click("#edit-dialog [data-close]")

    page.locator('#records tr[data-key="A"] button[data-action=remove]').click()
    expect(page.locator("#confirm-dialog")).to_be_visible()
    clean(page)
    page.click("#confirm-yes")
    expect(page.locator('#problems h2[data-code="QUEUE_IN_USE"]')).to_be_visible()
    expect(page.locator('#problems li[data-reason="windows"]')).to_contain_text("窗口")
    clean(page)
    page.screenshot(path=str(folder / "in_use.png"), full_page=True)


def test_windows_serve_many_queues(page: Page, live_hub: LiveHub) -> None:
    folder = shots("admin_windows")
    sign_in(page, live_hub.base, "/admin/windows")
    clean(page)
    page.screenshot(path=str(folder / "list.png"), full_page=True)
    page.locator('#records tr[data-key="11"] button[data-action=edit]').click()
    for code in ("A", "B", "F"):
        page.check(f'#edit-form tr[data-queue="{code}"] input[name=serve]')
    page.fill('#edit-form input[name="weight.F"]', "3")
    page.fill('#edit-form input[name="order.F"]', "0")
    page.fill("#edit-form input[name=name]", "综合窗口")
    clean(page)
    page.screenshot(path=str(folder / "edit.png"), full_page=True)
    page.click("#save")
    page.wait_for_url("**saved=1")
    expect(row(page, "11")).to_contain_text("F（×3）")  # type: ignore[attr-defined]
    admin = live_hub.login("admin", password="admin1234")
    queues = live_hub.http.get(f"{API}/windows/11", headers=admin).json()["queues"]
    assert queues[0] == {"queue": "F", "weight": 3}


def test_staff_create_reset_and_unlock(page: Page, live_hub: LiveHub) -> None:
    folder = shots("admin_staff")
    for _ in range(5):
        live_hub.http.post(
            "/api/v1/auth/login", json={"hall": "demo", "staff_no": "C010", "password": "nope"}
        )
    live_hub.http.cookies.clear()
    sign_in(page, live_hub.base, "/admin/staff")
    expect(row(page, "C010")).to_contain_text("已锁定")  # type: ignore[attr-defined]
    clean(page)
    page.screenshot(path=str(folder / "list.png"), full_page=True)

    page.click("#new-record")
    page.fill("#edit-form input[name=staff_no]", "C200")
    page.fill("#edit-form input[name=name]", "钱多多")
    page.fill("#edit-form input[name=title]", "综合受理岗")
    page.fill("#edit-form input[name=windows]", "3, 4")
    page.fill("#edit-form input[name=password]", "short")
    page.click("#save")
    expect(page.locator('.field-error[data-for="password"]')).to_contain_text("太短")
    clean(page)
    page.screenshot(path=str(folder / "create_errors.png"), full_page=True)
    page.fill("#edit-form input[name=password]", "clerk12345")
    page.click("#save")
    page.wait_for_url("**saved=1")
    expect(row(page, "C200")).to_contain_text("3、4")  # type: ignore[attr-defined]

    page.locator('#records tr[data-key="C010"] button[data-post=unlock]').click()
    page.wait_for_url("**saved=1")
    expect(row(page, "C010")).to_contain_text("正常")  # type: ignore[attr-defined]

    page.locator('#records tr[data-key="C200"] button[data-post="reset-password"]').click()
    page.click("#confirm-yes")
    expect(page.locator("#secret-dialog")).to_be_visible()
    temporary = page.locator("#secret-value").text_content() or ""
    assert len(temporary) >= 8
    clean(page)
    page.screenshot(path=str(folder / "password_once.png"), full_page=True)
    page.click("#secret-close")
    page.wait_for_url("**saved=1")
    expect(row(page, "C200")).to_contain_text("待改密码")  # type: ignore[attr-defined]
    r = live_hub.http.post(
        "/api/v1/auth/login", json={"hall": "demo", "staff_no": "C200", "password": temporary}
    )
    live_hub.http.cookies.clear()
    assert r.status_code == 200 and r.json()["staff"]["must_change_password"] is True


def test_devices_rotate_and_revoke(page: Page, live_hub: LiveHub) -> None:
    folder = shots("admin_devices")
    sign_in(page, live_hub.base, "/admin/devices")
    clean(page)
    page.screenshot(path=str(folder / "list.png"), full_page=True)
    old = {"Authorization": f"Bearer {live_hub.tokens['K02']}"}

    page.locator('#records tr[data-key="K02"] button[data-post=rotate]').click()
    page.click("#confirm-yes")
    expect(page.locator("#secret-dialog")).to_be_visible()
    token = page.locator("#secret-value").text_content() or ""
    page.click("#secret-copy")
    expect(page.locator("#secret-copied")).to_contain_text("已复制")
    clean(page)
    page.screenshot(path=str(folder / "token_once.png"), full_page=True)
    page.click("#secret-close")
    page.wait_for_url("**saved=1")
    r = live_hub.http.post("/api/v1/halls/demo/tickets", json={"queue": "A"}, headers=old)
    assert r.status_code == 401
    new = {"Authorization": f"Bearer {token}"}
    r = live_hub.http.post("/api/v1/halls/demo/tickets", json={"queue": "A"}, headers=new)
    assert r.status_code == 201, r.text

    page.locator('#records tr[data-key="K02"] button[data-post=revoke]').click()
    page.click("#confirm-yes")
    page.wait_for_url("**saved=1")
    expect(row(page, "K02")).to_contain_text("已停用")  # type: ignore[attr-defined]
    expect(row(page, "K02")).not_to_contain_text("从未")  # type: ignore[attr-defined]
    r = live_hub.http.post("/api/v1/halls/demo/tickets", json={"queue": "A"}, headers=new)
    assert r.status_code == 401
    clean(page)
    page.screenshot(path=str(folder / "revoked.png"), full_page=True)
