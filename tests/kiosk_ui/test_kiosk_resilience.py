"""The kiosk left alone, the hub gone away, and queues that are not issuing."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from kiosk_hub import (
    KioskHub,
    close_page,
    hours_excluding_now,
    open_kiosk,
    resident_id,
    tap_keys,
)
from playwright.sync_api import Browser, expect

pytestmark = pytest.mark.browser


@pytest.fixture
def queue_e_restored(kiosk_hub: KioskHub) -> Iterator[None]:
    yield
    kiosk_hub.update_queue("E", issue_hours=["00:00-23:59"], daily_cap=300)


def test_idle_returns_home_with_a_countdown_and_forgets_what_was_typed(
    browser: Browser, kiosk_hub: KioskHub
) -> None:
    page = open_kiosk(browser, kiosk_hub, idle=8)
    page.click("#btn-lang")  # English, to check that the next citizen gets Chinese again
    page.click("#tile-take")
    page.click('[data-queue="B"]')
    page.click("#take-queue")
    page.click("#add-id")
    tap_keys(page, resident_id("19900101", 51)[:9], ".digitpad")
    started = time.monotonic()
    idle = page.locator("#idle")
    expect(idle).to_be_hidden()
    # The countdown shows in the last seconds (ceil(8 / 3) = 3) and counts down.
    expect(idle).to_be_visible(timeout=10000)
    assert time.monotonic() - started >= 4
    first = int(page.locator("#idle-count").inner_text())
    assert 2 <= first <= 3
    expect(page.locator("#idle-count")).to_have_text(str(first - 1), timeout=3000)
    # Touching "continue" keeps the citizen where they were, with what they typed.
    page.click("#idle-continue")
    expect(idle).to_be_hidden()
    expect(page.locator(".typed")).to_contain_text("9")
    # Left alone again: home, in Chinese, with nothing typed anywhere.
    expect(page.locator("body")).to_have_attribute("data-screen", "home", timeout=12000)
    expect(idle).to_be_hidden()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator("#btn-back")).to_be_hidden()
    # An untouched home screen has nothing to forget: no countdown however long it waits.
    page.evaluate("window.kiosk.lastActivity = Date.now() - 3600 * 1000")
    page.wait_for_timeout(600)
    expect(idle).to_be_hidden()
    page.click("#tile-take")
    page.click('[data-queue="B"]')
    page.click("#take-queue")
    expect(page.locator("#add-id")).to_be_visible()
    expect(page.locator("#filled-id")).to_have_count(0)
    close_page(page)


def test_outside_ticket_hours_is_said_before_the_citizen_starts(
    browser: Browser, kiosk_hub: KioskHub, queue_e_restored: None
) -> None:
    hours = hours_excluding_now(kiosk_hub)
    kiosk_hub.update_queue("E", issue_hours=hours)
    page = open_kiosk(browser, kiosk_hub)
    before = kiosk_hub.ticket_count()
    # In the counter list already…
    page.click("#tile-take")
    queue = page.locator('[data-queue="E"]')
    expect(queue.locator(".badge-stop")).to_have_text("现在不是该队列的取号时间")
    # …in search results, and on the guide, where there is no button to take a ticket.
    page.click("#btn-home")
    page.click("#tile-search")
    tap_keys(page, "qssb", ".keyboard")
    expect(page.locator('#results [data-item="E03"] .badge-stop')).to_be_visible()
    page.click('#results [data-item="E03"]')
    stop = page.locator(".notice-stop")
    expect(stop).to_have_attribute("data-code", "OUT_OF_HOURS")
    expect(stop).to_contain_text("现在不是该队列的取号时间")
    expect(stop).to_contain_text(f"取号时间：{hours[0]}")
    expect(page.locator("#take-item")).to_have_count(0)
    expect(page.locator("#print-notice")).to_be_enabled()  # the guide can still be printed
    assert kiosk_hub.ticket_count() == before
    close_page(page)


def test_daily_cap_reached_is_said_before_the_citizen_starts(
    browser: Browser, kiosk_hub: KioskHub, queue_e_restored: None
) -> None:
    issued = kiosk_hub.http.get("/api/v1/halls/demo/queues").json()["queues"]
    e = next(q for q in issued if q["code"] == "E")
    kiosk_hub.update_queue("E", daily_cap=e["issued_today"] + 1)
    kiosk_hub.issue("E")
    page = open_kiosk(browser, kiosk_hub, device="K02", orientation="landscape")
    page.click("#tile-take")
    expect(page.locator('[data-queue="E"] .badge-stop')).to_have_text("今日该队列的号已取完")
    page.click('[data-queue="E"]')
    expect(page.locator("#take-queue")).to_be_disabled()
    page.click('[data-item="E02"]')
    expect(page.locator(".notice-stop")).to_have_attribute("data-code", "DAILY_CAP_REACHED")
    close_page(page)


def test_hub_down_says_ask_at_the_guide_desk_and_recovers(
    browser: Browser, kiosk_hub: KioskHub
) -> None:
    page = open_kiosk(browser, kiosk_hub)
    page.click("#tile-search")
    expect(page.locator(".result-count")).to_have_text("热门事项")  # nothing in flight
    offline = page.locator("#offline")
    expect(offline).to_be_hidden()
    kiosk_hub.stop(crash=True)
    try:
        tap_keys(page, "j", ".keyboard")  # any request finds the hub gone
        expect(offline).to_be_visible(timeout=10000)
        expect(offline).to_contain_text("暂时无法连接服务系统")
        expect(offline).to_contain_text("请到咨询台")
        expect(offline).to_contain_text("Please ask at the guide desk")
        # Nothing behind the notice can be touched while it is up.
        assert page.evaluate("document.getElementById('screen').inert") is True
        page.wait_for_timeout(2500)  # a few heartbeats fail; the notice stays
        expect(offline).to_be_visible()
    finally:
        kiosk_hub.start()
    expect(offline).to_be_hidden(timeout=10000)
    assert page.evaluate("document.getElementById('screen').inert") is False
    # It carries on where the citizen was, and a ticket can be taken.
    expect(page.locator("body")).to_have_attribute("data-screen", "search")
    tap_keys(page, "hdj", ".keyboard")
    page.click('#results [data-item="F01"]')
    page.click("#take-item")
    page.click("#confirm")
    expect(page.locator("#ticket-code")).to_have_text(re.compile(r"^F\d{3}$"))
    close_page(page)


def test_hub_down_while_taking_a_ticket_then_one_ticket_only(
    browser: Browser, kiosk_hub: KioskHub
) -> None:
    """The hub goes away between the tap and the answer: the kiosk says so; tapped again
    after it is back, the same request id gets one ticket, not two."""
    page = open_kiosk(browser, kiosk_hub)
    page.click("#tile-take")
    page.click('[data-queue="A"]')
    page.click("#take-queue")
    before = kiosk_hub.ticket_count()

    def cut(route: object) -> None:
        # The request reaches the hub and is issued; its answer is lost on the way back.
        from playwright.sync_api import Route

        assert isinstance(route, Route)
        route.fetch()
        route.abort("connectionreset")

    page.route(re.compile(r".*/api/v1/halls/demo/tickets$"), cut)
    page.click("#confirm")
    expect(page.locator("#offline")).to_be_visible(timeout=10000)
    page.unroute(re.compile(r".*/api/v1/halls/demo/tickets$"))
    expect(page.locator("#offline")).to_be_hidden(timeout=10000)
    assert kiosk_hub.ticket_count() == before + 1
    page.click("#confirm")
    expect(page.locator("#ticket-code")).to_have_text(re.compile(r"^A\d{3}$"))
    assert kiosk_hub.ticket_count() == before + 1
    close_page(page)
