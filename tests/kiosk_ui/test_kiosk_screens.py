"""Every kiosk screen, portrait and landscape, normal and elderly: axe-core finds no
accessibility violation, every touch target is at least 64 px (15 mm), nothing overflows
sideways, and a screenshot is kept to be looked at (var/screenshots/kiosk/)."""

from __future__ import annotations

import re

import pytest
from kiosk_hub import (
    KioskHub,
    axe_violations,
    close_page,
    hours_excluding_now,
    open_kiosk,
    resident_id,
    shoot,
    small_targets,
    tap_keys,
)
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

API = re.compile(r".*/api/v1/.*")


def check(page: Page, name: str) -> None:
    page.wait_for_timeout(150)  # let the screen settle (fonts, the QR image)
    shoot(page, name)
    assert axe_violations(page) == [], name
    assert small_targets(page) == [], name
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name}: {overflow} px wider than the screen"


@pytest.mark.parametrize(
    ("orientation", "elder"),
    [("portrait", False), ("landscape", False), ("portrait", True), ("landscape", True)],
    ids=["portrait", "landscape", "portrait-elder", "landscape-elder"],
)
def test_every_screen(browser: Browser, kiosk_hub: KioskHub, orientation: str, elder: bool) -> None:
    device = "K01" if orientation == "portrait" else "K02"
    mode = "elder-" if elder else ""
    page = open_kiosk(
        browser,
        kiosk_hub,
        device=device,
        orientation=orientation,
        extra="&elder=1" if elder else "",
    )
    expect(page.locator("html")).to_have_attribute("data-orientation", orientation)
    check(page, f"{mode}01-home")

    page.click("#elder-more" if elder else "#tile-browse")
    check(page, f"{mode}02-browse-departments")
    page.click('[data-tab="life"]')
    check(page, f"{mode}03-browse-life-events")
    page.click('[data-group="buy-home"]')
    check(page, f"{mode}04-browse-items")
    if elder:
        expect(page.locator('[data-tab="queue"]')).to_have_count(0)  # fewer things: Back
        page.click("#btn-back")
    page.click('[data-tab="queue"]')
    page.click('[data-queue="B"]')
    check(page, f"{mode}05-browse-queue")

    page.click("#btn-home")
    if elder:
        page.click("#elder-more")
        page.click('[data-group="BDC"]')
        page.click('[data-item="C02"]')
    else:
        page.click("#tile-search")
        page.click('.chips button:has-text("营业执照")')
        # A01 is also the hottest item, first before the search answers: wait for the note.
        expect(page.locator("#results .row").first.locator(".row-matched")).to_be_visible()
        expect(page.locator("#results .row").first).to_have_attribute("data-item", "A01")
        check(page, f"{mode}06-search-alias")
        tap_keys(page, "bdc", ".keyboard")
        expect(page.locator("#results .row").first).to_have_attribute("data-item", "C04")
        check(page, f"{mode}06-search")
        page.click('#results [data-item="C02"]')
    expect(page.locator('[data-section="materials"]')).to_be_visible()
    check(page, f"{mode}07-guide")
    page.click("#print-notice")
    expect(page.locator("#notice-status")).to_have_attribute("data-state", "printed", timeout=10000)
    check(page, f"{mode}08-guide-printed")

    page.click("#take-item")
    check(page, f"{mode}09-take")
    page.click("#add-id")
    tap_keys(page, "3301061", ".digitpad")
    check(page, f"{mode}10-take-id-keypad")
    page.click('.digitpad [data-key="clear"]')
    tap_keys(
        page,
        resident_id(
            "19520505", 61 + (2 if elder else 0) + (1 if orientation == "landscape" else 0)
        ),
        ".digitpad",
    )
    page.click('.digitpad [data-key="done"]')
    expect(page.locator("#green")).to_be_visible()
    check(page, f"{mode}11-take-green-offered")
    if not elder:
        page.click("#add-phone")
        tap_keys(page, "1381234", ".digitpad")
        page.click('.digitpad [data-key="done"]')
        expect(page.locator("#take-error")).to_have_attribute("data-code", "PHONE_INVALID")
        check(page, f"{mode}12-take-phone-error")
        tap_keys(page, "5678", ".digitpad")
        page.click('.digitpad [data-key="done"]')
    page.click("#confirm")
    expect(page.locator("#print-status")).to_have_attribute("data-state", "printed", timeout=10000)
    check(page, f"{mode}13-ticket")

    page.click("#btn-home")
    if not elder:
        page.click("#tile-hall")
        expect(page.locator("#hall-windows li")).to_have_count(12)
        check(page, f"{mode}14-hall")

    # The countdown before returning home (as if left alone for 80 s of 90).
    page.evaluate("window.kiosk.go('browse', {by: 'department'})")
    page.evaluate("window.kiosk.lastActivity = Date.now() - 80000")
    expect(page.locator("#idle")).to_be_visible()
    check(page, f"{mode}15-idle-countdown")
    page.click("#idle-continue")

    # The hub unreachable (every API request fails), then back.
    page.route(API, lambda route: route.abort("connectionrefused"))
    page.evaluate("window.kiosk.refreshStatus()")  # what the 10 s status refresh does
    expect(page.locator("#offline")).to_be_visible()
    check(page, f"{mode}16-hub-down")
    page.unroute(API)
    expect(page.locator("#offline")).to_be_hidden(timeout=10000)
    close_page(page)


def test_not_issuing_screens(browser: Browser, kiosk_hub: KioskHub) -> None:
    kiosk_hub.update_queue("E", issue_hours=hours_excluding_now(kiosk_hub))
    try:
        for orientation, device in (("portrait", "K01"), ("landscape", "K02")):
            page = open_kiosk(browser, kiosk_hub, device=device, orientation=orientation)
            page.click("#tile-take")
            expect(page.locator('[data-queue="E"] .badge-stop')).to_be_visible()
            check(page, "17-counters-one-not-issuing")
            page.click('[data-queue="E"]')
            page.click('[data-item="E03"]')
            expect(page.locator(".notice-stop")).to_be_visible()
            check(page, "18-guide-out-of-hours")
            close_page(page)
    finally:
        kiosk_hub.update_queue("E", issue_hours=["00:00-23:59"])
