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
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "display_board"))

from livehub import HubProcess, axe_violations
from openpyxl import Workbook
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from testclock import FakeClock

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[3]
CALENDAR_2026 = ROOT / "server" / "demo" / "calendars" / "2026.csv"
ROOT_PASSWORD = "安装管理员口令2026"
CLERK_PASSWORD = "clerk-2026-xinqu"
GUIDE_COMMON = {
    "legal_basis": "《优化营商环境条例》及本省政务服务事项实施清单",
    "quantity_limits": "无数量限制",
    "fees": "不收费",
    "location": "新区政务服务中心一楼",
    "hours": "工作日 9:00-12:00，13:30-17:00",
    "contact_phone": "0571-88001000",
    "complaint_phone": "12345",
}
# code, name, department, queue, case type, statutory, promised, conditions, materials,
# responsible
ITEMS = [
    (
        "X01",
        "有限责任公司设立登记",
        "SCJG",
        "A",
        "承诺件",
        15,
        3,
        "符合《公司法》规定",
        ["公司登记（备案）申请书", "公司章程"],
        "登记注册科 陈立新",
    ),
    (
        "X02",
        "个体工商户注册登记",
        "SCJG",
        "A",
        "即办件",
        15,
        0,
        "有经营能力的自然人",
        ["居民身份证", "经营场所使用证明"],
        "登记注册科 陈立新",
    ),
    (
        "X03",
        "社会保障卡申领",
        "RSJ",
        "B",
        "即办件",
        5,
        0,
        "本市参保人员",
        ["居民身份证"],
        "社会保险经办科 许文华",
    ),
    (
        "X04",
        "职工退休申请",
        "RSJ",
        "B",
        "承诺件",
        20,
        10,
        "达到法定退休年龄且缴费满15年",
        ["居民身份证", "退休申请表"],
        "社会保险经办科 许文华",
    ),
]


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


def new_item(page: Page, base: str, item: tuple[Any, ...]) -> None:
    """One item typed into the item form, its guide complete, saved 上线."""
    code, name, dept, queue, case_type, statutory, promised, conditions, materials, who = item
    page.goto(base + "/admin/items/new?hall=xinqu")
    page.wait_for_selector("body[data-ready=true]")
    page.fill("input[name=code]", code)
    page.fill("input[name=name]", name)
    page.select_option("select[name=department]", dept)
    page.select_option("select[name=queue]", queue)
    page.check("input[name=active]")
    page.select_option('select[name="guide.case_type"]', case_type)
    page.fill('input[name="guide.statutory_limit_days"]', str(statutory))
    page.fill('input[name="guide.promised_limit_days"]', str(promised))
    page.fill('textarea[name="guide.legal_basis"]', GUIDE_COMMON["legal_basis"])
    page.fill('textarea[name="guide.conditions"]', conditions)
    page.fill('textarea[name="guide.quantity_limits"]', GUIDE_COMMON["quantity_limits"])
    for n, material in enumerate(materials):
        if n:
            page.click("#add-material")
        page.fill(f'input[name="guide.materials[{n}].name"]', material)
    for key in ("fees", "location", "hours", "contact_phone", "complaint_phone"):
        page.fill(f'input[name="guide.{key}"]', GUIDE_COMMON[key])
    page.fill('input[name="guide.responsible"]', who)
    page.click("#save")
    page.wait_for_url(f"**/admin/items/{code}?*saved=1*")


def xlsx_with_one_item(folder: Path) -> Path:
    """The catalogue table a hall keeps in Excel: the template's two header rows and
    one item."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "事项"
    sheet.append(
        [
            "事项编码",
            "事项名称",
            "部门编码",
            "队列编码",
            "上线",
            "办件类型",
            "法定办结时限（工作日）",
            "承诺办结时限（工作日）",
            "设定依据",
            "受理条件",
            "数量限制",
            "申请材料",
            "收费标准",
            "办理地点",
            "办理时间",
            "咨询电话",
            "投诉电话",
            "责任人/责任科室",
            "办理流程",
        ]
    )
    sheet.append(
        [
            "code",
            "name",
            "department code",
            "queue code",
            "online",
            "case type",
            "statutory",
            "promised",
            "legal basis",
            "conditions",
            "quantity limits",
            "materials",
            "fees",
            "location",
            "hours",
            "enquiries",
            "complaints",
            "responsible",
            "procedure",
        ]
    )
    sheet.append(
        [
            "X05",
            "失业保险金申领",
            "RSJ",
            "B",
            "是",
            "承诺件",
            10,
            5,
            GUIDE_COMMON["legal_basis"],
            "非因本人意愿中断就业",
            "无数量限制",
            "居民身份证|原件|1|必需\n解除劳动合同证明|复印件|1|必需",
            "不收费",
            GUIDE_COMMON["location"],
            GUIDE_COMMON["hours"],
            "0571-88001000",
            "12345",
            "就业服务科 王强",
            "取号\n窗口受理\n审核\n办结",
        ]
    )
    path = folder / "catalogue.xlsx"
    book.save(path)
    return path


def saved(page: Page) -> None:
    """The page went back to its list with ?saved=1; if it did not, the test says what
    the page showed instead (its problems box)."""
    try:
        page.wait_for_url("**saved=1*", timeout=15000)
    except PlaywrightTimeout:
        shown = page.locator("#dialog-problems, #problems, .field-error").all_inner_texts()
        page.screenshot(path=str(shots() / "not-saved.png"), full_page=True)
        raise AssertionError(f"not saved: {shown}") from None


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

        # 4. Two departments (进驻部门).
        page.goto(hub.base + "/admin/departments?hall=xinqu")
        page.wait_for_selector("body[data-ready=true]")
        for code, name, phone in (
            ("SCJG", "市场监督管理局", "0571-88001001"),
            ("RSJ", "人力资源和社会保障局", "0571-88001002"),
        ):
            form = page.locator("#department-form")
            form.locator("input[name=code]").fill(code)
            form.locator("input[name=name]").fill(name)
            form.locator("input[name=phone]").fill(phone)
            page.click("#save")
            saved(page)
            page.wait_for_selector("body[data-ready=true]")
        expect(page.locator("#departments tbody tr[data-department]")).to_have_count(2)
        look(page, "04-departments")

        # 5. Two queues.
        page.goto(hub.base + "/admin/queues?hall=xinqu")
        for code, name in (("A", "企业开办"), ("B", "社保业务")):
            page.click("#new-record")
            page.fill("#edit-form input[name=code]", code)
            page.fill("#edit-form input[name=prefix]", code)
            page.fill("#edit-form input[name=name]", name)
            page.click("#save")
            saved(page)
        expect(page.locator("#records tr[data-key]")).to_have_count(2)
        look(page, "05-queues")

        # 6. Four items typed in with their whole guide, a fifth imported from XLSX.
        for item in ITEMS:
            new_item(page, hub.base, item)
        page.goto(hub.base + "/admin/items?hall=xinqu")
        expect(page.locator("#items tbody tr[data-item]")).to_have_count(4)
        look(page, "06-items")
        page.goto(hub.base + "/admin/catalogue?hall=xinqu")
        page.wait_for_selector("body[data-ready=true]")
        page.set_input_files("#import-file", str(xlsx_with_one_item(installation[0].folder)))
        page.click("#dry-run")
        expect(page.locator("#report-result")).to_have_attribute("data-ok", "true")
        expect(page.locator("#report-counts")).to_contain_text("新建事项 1")
        page.click("#import")
        expect(page.locator("#report-result")).to_contain_text("已导入")
        look(page, "07-catalogue-import")

        # 7. A window serving both queues, a clerk, a kiosk and its token.
        page.goto(hub.base + "/admin/windows?hall=xinqu")
        page.click("#new-record")
        page.fill("#edit-form input[name=number]", "1")
        page.fill("#edit-form input[name=name]", "综合窗口1")
        page.check('#edit-form tr[data-queue="A"] input[name=serve]')
        page.check('#edit-form tr[data-queue="B"] input[name=serve]')
        page.click("#save")
        saved(page)
        look(page, "08-windows")
        page.goto(hub.base + "/admin/staff?hall=xinqu")
        page.click("#new-record")
        page.fill("#edit-form input[name=staff_no]", "C001")
        page.fill("#edit-form input[name=name]", "李娜")
        page.fill("#edit-form input[name=title]", "综合受理岗")
        page.select_option("#edit-form select[name=role]", "clerk")
        page.fill("#edit-form input[name=password]", CLERK_PASSWORD)
        page.click("#save")
        saved(page)
        look(page, "09-staff")
        page.goto(hub.base + "/admin/devices?hall=xinqu")
        page.click("#new-record")
        page.fill("#edit-form input[name=code]", "K01")
        page.select_option("#edit-form select[name=kind]", "kiosk")
        page.fill("#edit-form input[name=name]", "一楼取号机")
        page.click("#save")
        expect(page.locator("#secret-dialog")).to_be_visible()
        token = (page.locator("#secret-value").text_content() or "").strip()
        assert len(token) > 20
        look(page, "10-kiosk-token")
        page.click("#secret-close")
        saved(page)
    finally:
        context.close()

    # 8. The kiosk, provisioned by its URL, issues a ticket for an item typed in above.
    kiosk = browser.new_context(viewport={"width": 1080, "height": 1920}, locale="zh-CN")
    page = kiosk.new_page()
    try:
        page.goto(f"{hub.base}/kiosk/xinqu?device=K01&orientation=portrait&token={token}")
        page.wait_for_selector("body[data-ready=true]")
        look(page, "11-kiosk")
        page.click("#tile-take")
        page.click('[data-queue="B"]')
        page.click("#take-queue")
        page.click("#confirm")
        expect(page.locator("#ticket-code")).to_have_text("B001")
        look(page, "12-ticket")
    finally:
        kiosk.close()

    # 9. The clerk signs in at window 1 and calls it.
    desk = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = desk.new_page()
    try:
        page.goto(hub.base + "/clerk")
        page.wait_for_selector("body[data-view=login]")
        page.wait_for_selector("#login-hall option[value='xinqu']", state="attached")
        page.select_option("#login-hall", "xinqu")
        page.wait_for_selector("#login-window option[value='1']", state="attached")
        page.fill("#login-staff", "C001")
        page.fill("#login-password", CLERK_PASSWORD)
        page.select_option("#login-window", "1")
        page.click("#login-submit")
        page.wait_for_selector("body[data-view=desk]")
        page.click('[data-action="next"]')
        expect(page.locator("#cur-code")).to_have_text("B001")
        look(page, "13-clerk-called")
    finally:
        desk.close()
