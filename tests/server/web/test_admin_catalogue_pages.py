"""The catalogue's admin pages in real chromium against a real hub process: the demo
hall's admin keeps its departments (a mistake shown beside its field, a concurrent edit,
a removal refused while items belong to one), lists and orders its items, writes a whole
办事指南 with a materials table (each mistake beside its cell), and imports a catalogue
after a dry run that lists the bad rows. Screenshots go to var/screenshots/admin_departments/,
admin_items/ and admin_catalogue/; axe-core finds nothing."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "display_board"))

from livehub import LiveHub, axe_violations, running_hub
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser
API = "/api/v1/admin/halls/demo"
ROOT = Path(__file__).resolve().parents[3]


def shots(page_name: str) -> Path:
    base = Path(os.environ.get("HALL_SCREENSHOTS", ROOT / "var" / "screenshots"))
    folder = base / page_name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def live_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveHub]:
    with running_hub(tmp_path_factory.mktemp("cataloguehub")) as hub:
        yield hub


@pytest.fixture
def page(browser: Browser, live_hub: LiveHub) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    p = context.new_page()
    p.on("dialog", lambda dialog: dialog.accept())
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


def test_departments_are_added_edited_and_kept_while_in_use(page: Page, live_hub: LiveHub) -> None:
    folder = shots("admin_departments")
    sign_in(page, live_hub.base, "/admin/departments")
    expect(page.locator("#departments tbody tr")).to_have_count(9)
    expect(page.locator('tr[data-department="SCJG"]')).to_contain_text("一楼 A 区")
    expect(page.locator('tr[data-department="SCJG"] td').nth(4)).to_have_text("5")
    expect(page.locator("#new-department")).to_be_hidden()
    assert axe_violations(page) == []
    page.screenshot(path=str(folder / "list.png"), full_page=True)

    form = page.locator("#department-form")
    form.locator("input[name=code]").fill("WLJ")
    form.locator("input[name=name]").fill("文化广电旅游局")
    form.locator("input[name=phone]").fill("电话号码")
    page.click("#save")
    expect(page.locator('.field-error[data-for="phone"]')).to_contain_text("电话号码格式不正确")
    assert form.locator("input[name=phone]").get_attribute("aria-invalid") == "true"
    assert axe_violations(page) == []
    page.screenshot(path=str(folder / "create-with-a-mistake.png"), full_page=True)
    form.locator("input[name=phone]").fill("0571-12345190")
    page.click("#save")
    page.wait_for_url("**/admin/departments?saved=1")
    expect(page.locator('tr[data-department="WLJ"]')).to_contain_text("文化广电旅游局")

    # Editing while someone else saves first: refused, and told so.
    page.wait_for_selector("body[data-ready=true]")
    page.click('tr[data-department="WLJ"] button.edit')
    expect(page.locator("#department-form-title")).to_contain_text("编辑部门")
    expect(page.locator("#new-department")).to_be_visible()
    assert page.input_value("#department-form input[name=phone]") == "0571-12345190"
    admin = live_hub.login("admin", password="admin1234")
    r = live_hub.http.patch(
        f"{API}/departments/WLJ", json={"location": "二楼", "version": 1}, headers=admin
    )
    assert r.status_code == 200, r.text
    form.locator("input[name=location]").fill("三楼")
    page.click("#save")
    expect(page.locator("#problems")).to_contain_text("已被他人修改，请刷新后重试")
    assert axe_violations(page) == []
    page.screenshot(path=str(folder / "stale.png"), full_page=True)

    page.goto(live_hub.base + "/admin/departments")
    page.wait_for_selector("body[data-ready=true]")
    page.click('tr[data-department="SCJG"] button.remove')
    expect(page.locator("#problems h2")).to_have_attribute("data-code", "DEPARTMENT_IN_USE")
    expect(page.locator("#problems")).to_contain_text("该部门下还有事项，不能删除")
    page.screenshot(path=str(folder / "in-use.png"), full_page=True)
    page.click('tr[data-department="WLJ"] button.remove')
    page.wait_for_url("**/admin/departments?saved=1")
    expect(page.locator('tr[data-department="WLJ"]')).to_have_count(0)


def test_items_are_listed_filtered_and_ordered(page: Page, live_hub: LiveHub) -> None:
    folder = shots("admin_items")
    sign_in(page, live_hub.base, "/admin/items")
    expect(page.locator("#items tbody tr")).to_have_count(33)
    assert page.locator("#items tbody tr").first.get_attribute("data-item") == "A01"
    assert axe_violations(page) == []
    page.screenshot(path=str(folder / "list.png"), full_page=True)

    page.click('tr[data-item="A01"] button.down')
    page.wait_for_url("**/admin/items?saved=1")
    rows = page.locator("#items tbody tr")
    assert [rows.nth(n).get_attribute("data-item") for n in range(2)] == ["A02", "A01"]

    page.select_option("#filter-department", "GAJ")
    page.click("#filter")
    page.wait_for_selector("body[data-ready=true]")
    expect(page.locator("#items tbody tr")).to_have_count(
        len(
            [
                i
                for i in live_hub.http.get(
                    f"{API}/items?department=GAJ",
                    headers=live_hub.login("admin", password="admin1234"),
                ).json()["items"]
            ]
        )
    )
    expect(page.locator("#order-hint")).to_contain_text("筛选时不能调整顺序")
    assert axe_violations(page) == []
    page.screenshot(path=str(folder / "filtered.png"), full_page=True)
    page.select_option("#filter-active", "0")
    page.click("#filter")
    expect(page.locator("#no-items")).to_be_visible()


def test_a_whole_guide_is_written_with_its_mistakes_shown_beside_them(
    page: Page, live_hub: LiveHub
) -> None:
    folder = shots("admin_items")
    sign_in(page, live_hub.base, "/admin/items")
    page.click("#new-item")
    page.wait_for_url("**/admin/items/new")
    page.wait_for_selector("body[data-ready=true]")
    page.fill("input[name=code]", "A09")
    page.fill("input[name=name]", "出版物经营许可")
    page.select_option("select[name=department]", "SCJG")
    page.select_option("select[name=queue]", "A")
    page.check("input[name=active]")
    page.select_option('select[name="guide.case_type"]', "承诺件")
    page.fill('input[name="guide.statutory_limit_days"]', "15")
    expect(page.locator("#promise-max")).to_contain_text("最多 7 个工作日")
    page.fill('input[name="guide.promised_limit_days"]', "8")
    page.fill('textarea[name="guide.legal_basis"]', "《出版管理条例》")
    page.fill('textarea[name="guide.conditions"]', "在本区登记的出版物经营单位")
    page.fill('textarea[name="guide.quantity_limits"]', "无数量限制")
    page.click("#add-material")
    page.fill('input[name="guide.materials[1].name"]', "营业执照")
    page.click("#add-material")
    page.fill('input[name="guide.materials[2].name"]', "申请书")
    page.fill('input[name="guide.materials[2].copies"]', "0")
    page.fill('input[name="guide.fees"]', "不收费")
    page.fill('input[name="guide.location"]', "政务服务中心一楼 A 区")
    page.fill('input[name="guide.hours"]', "工作日 9:00-17:00")
    page.fill('input[name="guide.contact_phone"]', "0571-12345109")
    page.fill('input[name="guide.complaint_phone"]', "12345")
    page.click("#save")
    expect(page.locator('.field-error[data-for="guide.promised_limit_days"]')).to_contain_text(
        "法定 15 个工作日 × 50% = 最多 7 个工作日"
    )
    expect(page.locator('.field-error[data-for="guide.materials[0].name"]')).to_contain_text(
        "必须填写"
    )
    expect(page.locator('.field-error[data-for="guide.materials[2].copies"]')).to_contain_text(
        "不能小于 1"
    )
    expect(page.locator('.field-error[data-for="guide.responsible"]')).to_contain_text(
        "上线的事项必须填写"
    )
    assert page.get_attribute('input[name="guide.materials[2].copies"]', "aria-invalid") == "true"
    assert axe_violations(page) == []
    page.screenshot(path=str(folder / "new-with-mistakes.png"), full_page=True)

    page.fill('input[name="guide.promised_limit_days"]', "5")
    page.locator("#materials tbody tr").first.locator(".remove-material").click()
    # The rows were renumbered: the former third is the second now.
    page.fill('input[name="guide.materials[1].copies"]', "1")
    page.fill('input[name="guide.responsible"]', "文化市场科 李明")
    page.fill('input[name="guide.procedure[1]"]', "审核")
    page.click("#add-step")
    page.fill('input[name="guide.procedure[2]"]', "发证")
    page.click("#save")
    page.wait_for_url("**/admin/items/A09?saved=1")
    expect(page.locator("#item-version")).to_have_text("1")
    admin = live_hub.login("admin", password="admin1234")
    row = live_hub.http.get(f"{API}/items/A09", headers=admin).json()
    assert [m["name"] for m in row["guide"]["materials"]] == ["营业执照", "申请书"]
    assert row["guide"]["procedure"] == ["取号", "审核", "发证"] and row["active"] is True
    assert row["pinyin_initials"] == "cbwjyxk"
    assert axe_violations(page) == []
    page.screenshot(path=str(folder / "edit.png"), full_page=True)

    r = live_hub.http.patch(
        f"{API}/items/A09", json={"guide": {"hours": "周一至周六"}, "version": 1}, headers=admin
    )
    assert r.status_code == 200
    page.fill('input[name="guide.location"]', "二楼")
    page.click("#save")
    expect(page.locator("#problems")).to_contain_text("已被他人修改，请刷新后重试")
    expect(page.locator("#problems")).to_contain_text("您的修改未保存")
    page.screenshot(path=str(folder / "stale.png"), full_page=True)

    page.goto(live_hub.base + "/admin/items/A09")
    page.wait_for_selector("body[data-ready=true]")
    assert page.input_value('input[name="guide.hours"]') == "周一至周六"
    page.click("#remove-item")
    page.wait_for_url("**/admin/items?saved=1")
    expect(page.locator('tr[data-item="A09"]')).to_have_count(0)


def test_a_catalogue_is_checked_then_imported(
    page: Page, live_hub: LiveHub, tmp_path: Path
) -> None:
    folder = shots("admin_catalogue")
    sign_in(page, live_hub.base, "/admin/catalogue")
    assert axe_violations(page) == []
    page.screenshot(path=str(folder / "page.png"), full_page=True)
    with page.expect_download() as download:
        page.click("#template-link")
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert book.sheetnames == ["事项", "部门", "说明"]

    admin = live_hub.login("admin", password="admin1234")
    exported = load_workbook(
        io.BytesIO(live_hub.http.get(f"{API}/catalogue/export.xlsx", headers=admin).content)
    )
    sheet = exported["事项"]
    sheet.cell(row=3, column=11).value = 14  # the first item's promise: too long
    sheet.cell(row=4, column=15).value = "申请书|原件|两份|必需"  # not a number of copies
    bad = tmp_path / "bad.xlsx"
    exported.save(bad)
    page.set_input_files("#import-file", str(bad))
    page.click("#dry-run")
    rows = page.locator("#import-problems tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("承诺办结时限（工作日）")
    expect(rows.nth(1)).to_contain_text("申请材料")
    assert [rows.nth(n).get_attribute("data-row") for n in range(2)] == ["3", "4"]
    assert axe_violations(page) == []
    page.screenshot(path=str(folder / "dry-run-report.png"), full_page=True)
    page.click("#import")
    expect(page.locator("#report-result")).to_have_attribute(
        "data-code", "CATALOGUE_IMPORT_INVALID"
    )
    expect(page.locator("#import-problems tbody tr")).to_have_count(2)

    good = tmp_path / "hours.csv"
    good.write_text(
        "事项编码,事项名称,部门编码,队列编码,办理时间\n"
        "code,name,department code,queue code,hours\n"
        "A01,有限责任公司设立登记,SCJG,A,周一至周六 9:00-17:00\n",
        encoding="utf-8-sig",
    )
    page.set_input_files("#import-file", str(good))
    page.click("#dry-run")
    expect(page.locator("#report-result")).to_have_attribute("data-ok", "true")
    expect(page.locator("#report-counts")).to_contain_text("更新事项 1")
    page.click("#import")
    expect(page.locator("#report-result")).to_contain_text("已导入")
    assert axe_violations(page) == []
    page.screenshot(path=str(folder / "imported.png"), full_page=True)
    row = live_hub.http.get(f"{API}/items/A01", headers=admin).json()
    assert row["guide"]["hours"] == "周一至周六 9:00-17:00"
