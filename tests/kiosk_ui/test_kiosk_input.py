"""Bad input at the kiosk gets a clear message and never a second ticket."""

from __future__ import annotations

import re
from typing import Any

import pytest
from kiosk_hub import KioskHub, close_page, open_kiosk, resident_id, tap_keys, wait_until
from playwright.sync_api import Browser, Page, Route, expect

pytestmark = pytest.mark.browser


def take_screen(page: Page) -> None:
    """From home to taking a ticket for 个人所得税综合所得汇算 (E01), found as grsds."""
    page.click("#tile-search")
    tap_keys(page, "grsds", ".keyboard")
    page.click('#results [data-item="E01"]')
    page.click("#take-item")


def type_id(page: Page, number: str) -> None:
    page.click("#add-id")
    tap_keys(page, number, ".digitpad")
    page.click('.digitpad [data-key="done"]')


def test_wrong_id_check_digit(browser: Browser, kiosk_hub: KioskHub) -> None:
    page = open_kiosk(browser, kiosk_hub)
    before = kiosk_hub.ticket_count()
    take_screen(page)
    good = resident_id("19851212", 31)
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    type_id(page, wrong)
    error = page.locator("#take-error")
    expect(error).to_have_attribute("data-code", "ID_NUMBER_CHECK_DIGIT")
    expect(error).to_contain_text("身份证号码有误（校验位不符）")
    expect(error).to_have_attribute("role", "alert")
    # Still on the keypad, number kept for correcting: delete the last digit, fix it.
    expect(page.locator("#field-id")).to_be_visible()
    page.click('.digitpad [data-key="delete"]')
    tap_keys(page, good[17], ".digitpad")
    page.click('.digitpad [data-key="done"]')
    expect(page.locator("#filled-id")).to_be_visible()
    expect(page.locator("#take-error")).to_have_count(0)

    # Too short, and a date of birth that does not exist.
    page.click("#filled-id button:has-text('修改')")
    tap_keys(page, good[:10], ".digitpad")
    page.click('.digitpad [data-key="done"]')
    expect(page.locator("#take-error")).to_have_attribute("data-code", "ID_NUMBER_FORMAT")
    page.click('.digitpad [data-key="clear"]')
    tap_keys(page, "330106" + "19900230" + "0017", ".digitpad")
    page.click('.digitpad [data-key="done"]')
    expect(page.locator("#take-error")).to_have_attribute("data-code", "ID_NUMBER_BIRTH_DATE")
    assert kiosk_hub.ticket_count() == before
    close_page(page)


def test_x_only_as_the_last_character(browser: Browser, kiosk_hub: KioskHub) -> None:
    page = open_kiosk(browser, kiosk_hub)
    take_screen(page)
    page.click("#add-id")
    tap_keys(page, "X12", ".digitpad")
    expect(page.locator("#field-id")).to_have_value("•2")
    expect(page.locator(".typed")).to_have_text("已输入 2/18 位")
    close_page(page)


def test_malformed_phone(browser: Browser, kiosk_hub: KioskHub) -> None:
    page = open_kiosk(browser, kiosk_hub)
    before = kiosk_hub.ticket_count()
    take_screen(page)
    for bad in ("1381234567", "12812345678"):
        if page.locator("#add-phone").count():
            page.click("#add-phone")
        page.click('.digitpad [data-key="clear"]')
        tap_keys(page, bad, ".digitpad")
        page.click('.digitpad [data-key="done"]')
        error = page.locator("#take-error")
        expect(error).to_have_attribute("data-code", "PHONE_INVALID")
        expect(error).to_contain_text("手机号码应为1开头的11位数字")
    # The phone pad has no X.
    expect(page.locator('.digitpad [data-key="X"]')).to_have_count(0)
    assert kiosk_hub.ticket_count() == before
    close_page(page)


def test_double_tap_issues_one_ticket(browser: Browser, kiosk_hub: KioskHub) -> None:
    page = open_kiosk(browser, kiosk_hub)
    before = kiosk_hub.ticket_count()
    take_screen(page)
    page.dblclick("#confirm")
    expect(page.locator("#ticket-code")).to_have_text(re.compile(r"^E\d{3}$"))
    page.wait_for_timeout(500)
    assert kiosk_hub.ticket_count() == before + 1
    close_page(page)


def test_a_request_sent_twice_by_the_network_issues_one_ticket(
    browser: Browser, kiosk_hub: KioskHub
) -> None:
    """Below the button: the kiosk's one request reaches the hub twice (a retrying proxy,
    a lost answer); the Idempotency-Key makes the second one return the same ticket."""
    page = open_kiosk(browser, kiosk_hub)
    before = kiosk_hub.ticket_count()
    answers: list[dict[str, Any]] = []

    def twice(route: Route) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        first = route.fetch()
        second = route.fetch()
        answers.extend(
            [{**first.json(), "http": first.status}, {**second.json(), "http": second.status}]
        )
        route.fulfill(response=second)

    page.route(re.compile(r".*/api/v1/halls/demo/tickets$"), twice)
    take_screen(page)
    page.click("#confirm")
    expect(page.locator("#ticket-code")).to_have_text(re.compile(r"^E\d{3}$"))
    assert [a["http"] for a in answers] == [201, 200]
    assert answers[0]["code"] == answers[1]["code"] == page.locator("#ticket-code").inner_text()
    assert answers[1]["replayed"] is True
    assert kiosk_hub.ticket_count() == before + 1
    close_page(page)


def test_same_id_same_queue_is_refused_before_the_citizen_confirms(
    browser: Browser, kiosk_hub: KioskHub
) -> None:
    page = open_kiosk(browser, kiosk_hub)
    number = resident_id("19770707", 41)
    take_screen(page)
    type_id(page, number)
    page.click("#confirm")
    expect(page.locator("#ticket-code")).to_be_visible()
    page.click("#finish")
    before = kiosk_hub.ticket_count()
    take_screen(page)
    type_id(page, number)
    expect(page.locator("#take-error")).to_have_attribute("data-code", "ID_ALREADY_WAITING")
    expect(page.locator("#take-error")).to_contain_text("您在该队列已有一张等候中的号")
    assert kiosk_hub.ticket_count() == before
    close_page(page)


def test_a_kiosk_without_its_token_says_so(browser: Browser, kiosk_hub: KioskHub) -> None:
    page = open_kiosk(browser, kiosk_hub, device="K02", provision=False)
    take_screen(page)
    expect(page.locator("#not-provisioned")).to_contain_text("本机尚未开通取号，请到咨询台")
    expect(page.locator("#confirm")).to_have_count(0)
    # Provisioned once by URL, the token is kept and leaves the address bar.
    page.goto(f"{kiosk_hub.base}/kiosk/demo?device=K02&token={kiosk_hub.tokens['K02']}")
    page.wait_for_selector("body[data-ready=true]")
    assert "token=" not in page.url
    page.goto(f"{kiosk_hub.base}/kiosk/demo?device=K02")
    page.wait_for_selector("body[data-ready=true]")
    take_screen(page)
    expect(page.locator("#confirm")).to_be_enabled()
    wait_until(lambda: page.locator("#not-provisioned").count() == 0)
    close_page(page)
