"""The attachments and life events admin pages in real chromium against a real hub
process: an upload of the wrong type is refused beside its field, a good one listed and
renamed, one in use refused with the items named; a life event edited (an item added,
reordered, a note), a mistake shown beside its item, then saved. Screenshots go to
var/screenshots/admin_attachments/ and admin_life_events/; axe-core finds nothing."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "display_board"))

from fastapi.testclient import TestClient
from livehub import LiveHub, axe_violations, running_hub
from playwright.sync_api import Browser, Page, expect

from server.demo.attachments import social_security_card_sample
from server.demo.load import load_demo
from server.services.hub import Hub

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[3]


def shots(page_name: str) -> Path:
    base = Path(os.environ.get("HALL_SCREENSHOTS", ROOT / "var" / "screenshots"))
    folder = base / page_name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def live_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveHub]:
    with running_hub(tmp_path_factory.mktemp("bundlehub")) as hub:
        yield hub


@pytest.fixture
def page(browser: Browser, live_hub: LiveHub) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    p = context.new_page()
    yield p
    context.close()


def sign_in(page: Page, base: str, target: str, staff_no: str = "admin") -> None:
    page.goto(base + target)
    expect(page.locator("h1")).to_contain_text("大厅管理")
    page.select_option("select[name=hall]", "demo")
    page.fill("input[name=staff_no]", staff_no)
    page.fill("input[name=password]", "admin1234")
    page.click("button[type=submit]")
    page.wait_for_url(f"**{target}")
    page.wait_for_selector("body[data-ready=true]")


def test_attachments_are_uploaded_renamed_and_kept_while_in_use(
    page: Page, live_hub: LiveHub, tmp_path: Path
) -> None:
    folder = shots("admin_attachments")
    sign_in(page, live_hub.base, "/admin/attachments")
    rows = page.locator("#attachments tbody tr")
    expect(rows).to_have_count(3)  # the demo's
    expect(page.locator('nav.admin a[aria-current="page"]')).to_contain_text("附件")
    assert axe_violations(page) == []
    page.screenshot(path=str(folder / "list.png"), full_page=True)

    # A GIF named .png: refused, the reason beside the file field.
    fake = tmp_path / "form.png"
    fake.write_bytes(b"GIF89a" + b"\x00" * 40)
    page.fill("#upload-name", "结婚登记申请表（示范文本）")
    page.set_input_files("#upload-file", str(fake))
    page.click("#upload")
    error = page.locator('.field-error[data-for="file"]')
    expect(error).to_contain_text("只能上传 PDF、PNG 或 JPEG")
    assert page.get_attribute("#upload-file", "aria-invalid") == "true"
    assert axe_violations(page) == []
    page.screenshot(path=str(folder / "upload-wrong-type.png"), full_page=True)

    good = tmp_path / "结婚登记申请表.png"
    good.write_bytes(social_security_card_sample())
    page.set_input_files("#upload-file", str(good))
    page.click("#upload")
    page.wait_for_url("**done=uploaded")
    page.wait_for_selector("body[data-ready=true]")
    expect(rows).to_have_count(4)
    first = rows.first
    expect(first.locator("input[name=name]")).to_have_value("结婚登记申请表（示范文本）")
    expect(first.locator("img.thumb")).to_be_visible()
    page.wait_for_function("document.querySelector('#attachments img.thumb').naturalWidth > 0")

    # Renamed and made a blank form, with the version read.
    first.locator("input[name=name]").fill("结婚登记申请表（空白）")
    first.locator("select[name=kind]").select_option("blank_form")
    first.locator("form.rename button").click()
    expect(page.locator("#done")).to_contain_text("已保存")
    expect(first).to_have_attribute("data-version", "2")
    # A second save from a page that read version 1 would be refused: this page read 2.
    attachment_id = first.get_attribute("data-id")
    admin = live_hub.login("admin", password="admin1234")
    row = live_hub.http.get(f"/api/v1/admin/halls/demo/attachments/{attachment_id}", headers=admin)
    assert row.json()["name"] == "结婚登记申请表（空白）" and row.json()["kind"] == "blank_form"

    # The demo's 公司登记 sample is named by A01's guide: not deleted, the item named.
    used = page.locator('#attachments tbody tr:has(input[value="公司登记（备案）申请书"])')
    used.locator("button.delete").click()
    expect(page.locator("#problems")).to_contain_text("该附件正被事项的申请材料引用")
    expect(page.locator('#in-use li[data-item="A01"]')).to_contain_text("有限责任公司设立登记")
    assert axe_violations(page) == []
    page.screenshot(path=str(folder / "delete-in-use.png"), full_page=True)

    first.locator("button.delete").click()
    page.wait_for_url("**done=deleted")
    page.wait_for_selector("body[data-ready=true]")
    expect(rows).to_have_count(3)
    expect(page.locator("#done")).to_contain_text("已删除")


def test_a_life_event_is_edited_reordered_and_saved(page: Page, live_hub: LiveHub) -> None:
    folder = shots("admin_life_events")
    sign_in(page, live_hub.base, "/admin/life-events")
    expect(page.locator("#events tbody tr")).to_have_count(8)
    assert axe_violations(page) == []
    page.screenshot(path=str(folder / "list.png"), full_page=True)

    page.click('button.edit[data-code="marriage"]')
    members = page.locator("#members li")
    expect(members).to_have_count(2)
    assert page.input_value("#ev-code") == "marriage"
    # An item added twice: refused beside it.
    page.click("#add-member")
    members.nth(2).locator("select").select_option("F01")
    page.click("#save-event")
    error = page.locator('.field-error[data-for="items.2.item"]')
    expect(error).to_contain_text("重复了")
    assert axe_violations(page) == []
    page.screenshot(path=str(folder / "edit-with-a-mistake.png"), full_page=True)

    # Another item instead, moved to the top, with a note.
    members.nth(2).locator("select").select_option("D04")
    members.nth(2).locator("input[name=note]").fill("暂不迁户口的，办理居住证")
    members.nth(2).locator("button.up").click()
    members.nth(1).locator("button.up").click()
    assert [members.nth(i).locator("select").input_value() for i in range(3)] == [
        "D04",
        "F01",
        "D03",
    ]
    page.screenshot(path=str(folder / "edit-reordered.png"), full_page=True)
    page.click("#save-event")
    page.wait_for_url("**done=saved")
    page.wait_for_selector("body[data-ready=true]")
    row = page.locator('#events tr[data-code="marriage"]')
    expect(row).to_contain_text("1. 居住证办理（暂不迁户口的，办理居住证）")
    kiosk = live_hub.http.get("/api/v1/halls/demo/life-events").json()
    marriage = next(e for e in kiosk if e["code"] == "marriage")
    assert [i["code"] for i in marriage["items"]] == ["D04", "F01", "D03"]

    # A new one of a single item, active: told it needs two.
    page.click("#new-event")
    page.fill("#ev-code", "going-abroad")
    page.fill("#ev-name", "出国（境）")
    page.locator("#members li").nth(0).locator("select").select_option("D06")
    page.locator("#members li").nth(1).locator("button.remove").click()
    page.click("#save-event")
    expect(page.locator('.field-error[data-for="items"]')).to_contain_text("至少要包含 2 个事项")
    page.click("#add-member")
    page.locator("#members li").nth(1).locator("select").select_option("D05")
    page.click("#save-event")
    page.wait_for_url("**done=saved")
    page.wait_for_selector("body[data-ready=true]")
    expect(page.locator('#events tr[data-code="going-abroad"]')).to_be_visible()
    assert axe_violations(page) == []
    page.screenshot(path=str(folder / "saved.png"), full_page=True)


def test_the_pages_show_only_the_admins_own_hall(
    client: TestClient, hub: Hub, login: Callable[..., dict[str, str]]
) -> None:
    """A hall's admin gets her hall; another hall's, asked by ?hall=, is refused (the
    sign-in form, 403); an installation admin picks any; a clerk is refused."""
    load_demo(hub.db, hall_code="north")

    def sign_in(hall: str, staff_no: str, password: str) -> None:
        client.cookies.clear()
        r = client.post(
            "/admin/login",
            data={"hall": hall, "staff_no": staff_no, "password": password, "next": "/admin/halls"},
            follow_redirects=False,
        )
        assert r.status_code in (200, 303), r.text

    sign_in("demo", "admin", "admin1234")
    for path in ("/admin/attachments", "/admin/life-events"):
        r = client.get(path)
        assert r.status_code == 200 and 'aria-current="page"' in r.text
        assert client.get(path + "?hall=demo").status_code == 200
        r = client.get(path + "?hall=north")
        assert r.status_code == 403 and "不能操作其他大厅" in r.text
    sign_in("demo", "sysadmin", "admin1234")
    r = client.get("/admin/life-events?hall=north")
    assert r.status_code == 200 and "/api/v1/admin/halls/north/life-events" in r.text
    client.cookies.clear()
    assert client.get("/admin/attachments", headers=login("C001")).status_code == 403
    assert client.get("/admin/attachments").status_code == 401
