"""A citizen at the kiosk, in real chromium against a real hub with real (fake) printers:
search by pinyin initials, read the guide, print the materials list, take a ticket, see
it printed; the elderly mode; English."""

from __future__ import annotations

import re

import pytest
from kiosk_hub import (
    KioskHub,
    close_page,
    open_kiosk,
    resident_id,
    tap_keys,
    wait_until,
)
from playwright.sync_api import Browser, expect

pytestmark = pytest.mark.browser


def test_search_guide_ticket_printed(browser: Browser, kiosk_hub: KioskHub) -> None:
    page = open_kiosk(browser, kiosk_hub)
    before = kiosk_hub.ticket_count()
    page.click("#tile-search")
    expect(page.locator("#search-field")).to_have_attribute("readonly", "")
    expect(page.locator("#search-field")).to_have_attribute("inputmode", "none")
    tap_keys(page, "bdc", ".keyboard")
    expect(page.locator("#search-field")).to_have_value("bdc")
    first = page.locator("#results .row").first
    expect(first).to_have_attribute("data-item", "C04")
    expect(first).to_contain_text("不动产登记资料查询")
    page.click('#results [data-item="C02"]')

    # The guide: every public element, then the materials list printed (一次性告知单).
    expect(page.locator("h1")).to_have_text("二手房转移登记")
    for key in (
        "conditions",
        "materials",
        "procedure",
        "promised_limit_days",
        "fees",
        "contact_phone",
    ):
        expect(page.locator(f'[data-section="{key}"]')).to_be_visible()
    expect(page.locator('[data-section="materials"] tbody tr')).to_have_count(4)
    expect(page.locator('[data-section="fees"]')).to_contain_text("住宅80元/件")
    page.click("#print-notice")
    expect(page.locator("#notice-status")).to_have_attribute("data-state", "printed", timeout=10000)
    expect(page.locator("#notice-status")).to_contain_text("请取走告知单")

    # Take a ticket with an ID number and a phone, both shown masked only.
    number = resident_id("19800101", 11)
    page.click("#take-item")
    page.click("#add-id")
    tap_keys(page, number, ".digitpad")
    expect(page.locator("#field-id")).to_have_value(re.compile(r"^•{17}" + number[-1] + "$"))
    page.click('.digitpad [data-key="done"]')
    expect(page.locator("#filled-id .filled-value")).to_have_text(
        number[:3] + "*" * 11 + number[-4:]
    )
    expect(page.locator("#green")).to_have_count(0)  # 46 years old: no green channel
    page.click("#add-phone")
    tap_keys(page, "13812345678", ".digitpad")
    page.click('.digitpad [data-key="done"]')
    expect(page.locator("#filled-phone .filled-value")).to_have_text("138****5678")
    assert number not in page.content() and "13812345678" not in page.content()
    page.click("#confirm")

    # The ticket: number, people ahead, windows, QR code, and the printer's outcome.
    code = page.locator("#ticket-code")
    expect(code).to_have_text(re.compile(r"^C\d{3}$"))
    expect(page.locator(".ticket-windows")).to_contain_text("6、7")
    expect(page.locator("img.qr")).to_have_js_property("complete", True)
    assert page.eval_on_selector("img.qr", "i => i.naturalWidth") > 0
    expect(page.locator("#print-status")).to_have_attribute("data-state", "printed", timeout=10000)
    expect(page.locator("#print-status")).to_contain_text("请取走您的号票")
    expect(page.locator(".ticket-who")).to_contain_text("138****5678")
    assert kiosk_hub.ticket_count() == before + 1
    stored = kiosk_hub.sql(
        "SELECT code, id_masked, phone_masked, id_hash FROM ticket ORDER BY id DESC LIMIT 1"
    )[0]
    assert stored[0] == code.inner_text() and stored[1].endswith(number[-4:])
    assert stored[2] == "138****5678" and len(stored[3]) == 64
    assert number not in kiosk_hub.log_path.read_text(encoding="utf-8", errors="replace")
    # The QR code leads to the ticket's own status page.
    token = re.search(r"/tickets/([^/]+)/qr\.svg", page.get_attribute("img.qr", "src") or "")
    assert token is not None
    status = kiosk_hub.http.get(f"/api/v1/tickets/{token.group(1)}").json()
    assert status["code"] == stored[0] and status["status"] == "waiting"
    page.click("#finish")
    expect(page.locator("body")).to_have_attribute("data-screen", "home")
    close_page(page)


def test_a_printer_that_fails_is_reported_with_the_qr_code(
    browser: Browser, kiosk_hub: KioskHub
) -> None:
    """K03's printer does not answer and has no sibling: the ticket stands, the kiosk says
    what to do, and the QR code is there to photograph."""
    page = open_kiosk(browser, kiosk_hub, device="K03")
    page.click("#tile-take")
    page.click('[data-queue="F"]')
    page.click("#take-queue")
    page.click("#confirm")
    expect(page.locator("#ticket-code")).to_have_text(re.compile(r"^F\d{3}$"))
    status = page.locator("#print-status")
    expect(status).to_have_attribute("data-state", "failed", timeout=15000)
    expect(status).to_contain_text("请拍下屏幕上的二维码")
    expect(status).to_contain_text(page.locator("#ticket-code").inner_text())
    expect(page.locator("img.qr")).to_be_visible()
    close_page(page)


def test_elderly_mode_takes_a_ticket_in_two_taps(browser: Browser, kiosk_hub: KioskHub) -> None:
    page = open_kiosk(browser, kiosk_hub)
    normal_size = page.eval_on_selector("html", "e => parseFloat(getComputedStyle(e).fontSize)")
    page.click("#tile-search")  # reachable from every screen, not only home
    page.click("#btn-elder")
    expect(page.locator("#btn-elder")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("html")).to_have_class(re.compile("elder"))
    elder_size = page.eval_on_selector("html", "e => parseFloat(getComputedStyle(e).fontSize)")
    assert elder_size >= 1.4 * normal_size
    background = page.eval_on_selector(
        "body", "e => getComputedStyle(document.documentElement).backgroundColor"
    )
    assert background == "rgb(0, 0, 0)"  # high contrast: white and yellow on black
    # Its home screen is the list of counters: tap one, then take the ticket.
    expect(page.locator("body")).to_have_attribute("data-screen", "home")
    page.click('.list-big [data-queue="D"]')
    page.click("#confirm")
    expect(page.locator("#ticket-code")).to_have_text(re.compile(r"^D\d{3}$"))
    expect(page.locator("#print-status")).to_have_attribute("data-state", "printed", timeout=10000)
    page.click("#finish")

    # With an ID showing 70 or more, the green channel is taken up front.
    page.click('.list-big [data-queue="B"]')
    page.click("#add-id")
    tap_keys(page, resident_id("19500301", 21), ".digitpad")
    page.click('.digitpad [data-key="done"]')
    expect(page.locator("#green")).to_have_attribute("aria-pressed", "true")
    page.click("#confirm")
    expect(page.locator(".badge-green")).to_be_visible()
    expect(page.locator("#ticket-code")).to_have_text(re.compile(r"^B\d{3}$"))
    code = page.locator("#ticket-code").inner_text()
    assert (
        kiosk_hub.sql("SELECT priority FROM ticket WHERE code = ? ORDER BY id DESC", code)[0][0]
        == "green"
    )
    page.click("#btn-elder")
    expect(page.locator("html")).not_to_have_class(re.compile("elder"))
    close_page(page)


def test_english_and_back_to_chinese(browser: Browser, kiosk_hub: KioskHub) -> None:
    page = open_kiosk(browser, kiosk_hub, orientation="landscape", device="K02")
    page.click("#btn-lang")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#tile-search")).to_contain_text("Search")
    page.click("#tile-browse")
    page.click('[data-tab="life"]')
    expect(page.locator('[data-group="buy-home"]')).to_contain_text("Buying a home")
    page.click('[data-group="buy-home"]')
    expect(page.locator("h1")).to_have_text("Buying a home")
    page.click('[data-item="C02"]')
    expect(page.locator("h1")).to_have_text("Resale housing transfer registration")
    expect(page.locator('[data-section="materials"] h2')).to_have_text("Materials")
    page.click("#btn-lang")
    expect(page.locator("h1")).to_have_text("二手房转移登记")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    close_page(page)


def test_search_finds_what_citizens_say_and_says_which_word(
    browser: Browser, kiosk_hub: KioskHub
) -> None:
    page = open_kiosk(browser, kiosk_hub)
    page.click("#tile-search")
    page.click('.chips button:has-text("营业执照")')  # the kiosk's own suggestion
    first = page.locator("#results .row").first
    expect(first.locator(".row-matched")).to_have_text("（营业执照）")
    expect(first).to_have_attribute("data-item", "A01")
    expect(first.locator(".row-name")).to_have_text("有限责任公司设立登记")
    tap_keys(page, "sfz", ".keyboard")
    expect(page.locator("#results .row").first).to_have_attribute("data-item", "D01")
    expect(page.locator("#results .row").first.locator(".row-matched")).to_have_text("（身份证）")
    page.click('.keyboard [data-key="clear"]')
    tap_keys(page, "pasport", ".keyboard")  # a letter missing
    expect(page.locator("#results .row").first).to_have_attribute("data-item", "D06")
    expect(page.locator("#results .row").first.locator(".row-matched")).to_have_attribute(
        "data-match", "fuzzy"
    )
    close_page(page)


def test_browse_by_department_and_queue_hot_first(browser: Browser, kiosk_hub: KioskHub) -> None:
    page = open_kiosk(browser, kiosk_hub)
    page.click("#tile-browse")
    page.click('[data-group="GAJ"]')
    rows = page.locator(".list .row")
    expect(rows.first).to_have_attribute("data-item", re.compile("^D0"))
    codes = [rows.nth(i).get_attribute("data-item") for i in range(rows.count())]
    assert sorted(codes) == ["D01", "D02", "D03", "D04", "D05", "D06", "D07"]
    page.click('[data-tab="queue"]')
    page.click('[data-queue="B"]')
    expect(page.locator("#take-queue")).to_be_enabled()
    wait_until(lambda: page.locator(".list .row").count() == 6)
    close_page(page)


def test_the_kiosk_shows_the_hubs_time_not_the_pcs(browser: Browser, kiosk_hub: KioskHub) -> None:
    """The hub runs on the test's clock (a Monday, 23 November, from 10:00 in Shanghai),
    whatever the date of the machine the browser runs on."""
    page = open_kiosk(browser, kiosk_hub)
    expect(page.locator("#bar-clock")).to_have_text(re.compile(r"11月23日.*周一.*\b10:\d\d$"))
    close_page(page)
