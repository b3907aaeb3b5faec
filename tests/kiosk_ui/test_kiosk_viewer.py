"""A guide's 示范文本 and 空白表格 at the kiosk: a big button on the material opens it full
screen; an image is fitted to the screen and zooms in and back, a PDF shows in a frame
with a line on where to get it on paper; 返回 goes back to the guide. Portrait and
landscape, normal and 长者模式, axe-clean, every target big enough, screenshots kept.
A life event (一件事) lists its items in order, with their notes."""

from __future__ import annotations

import pytest
from kiosk_hub import KioskHub, axe_violations, close_page, open_kiosk, shoot, small_targets
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser


def check(page: Page, name: str) -> None:
    page.wait_for_timeout(150)
    shoot(page, name)
    assert axe_violations(page) == [], name
    assert small_targets(page) == [], name


def image_box(page: Page) -> dict[str, float]:
    box: dict[str, float] = page.evaluate(
        """() => {
          const img = document.getElementById('viewer-image');
          const stage = document.getElementById('viewer-stage');
          return {w: img.getBoundingClientRect().width, h: img.getBoundingClientRect().height,
                  sw: stage.clientWidth, sh: stage.clientHeight, natural: img.naturalWidth,
                  over: Math.max(stage.scrollWidth - stage.clientWidth,
                                 stage.scrollHeight - stage.clientHeight)};
        }"""
    )
    return box


@pytest.mark.parametrize(
    ("orientation", "elder"),
    [("portrait", False), ("landscape", False), ("portrait", True), ("landscape", True)],
    ids=["portrait", "landscape", "portrait-elder", "landscape-elder"],
)
def test_a_sample_and_a_blank_form_open_full_screen(
    browser: Browser, kiosk_hub: KioskHub, orientation: str, elder: bool
) -> None:
    mode = "elder-" if elder else ""
    page = open_kiosk(
        browser,
        kiosk_hub,
        device="K01" if orientation == "portrait" else "K02",
        orientation=orientation,
        extra="&elder=1" if elder else "",
    )
    page.evaluate("window.kiosk.go('guide', {code: 'A01'})")
    button = page.locator('.material-files [data-role="sample"]')
    expect(button).to_be_visible()
    expect(button).to_contain_text("查看示范文本")
    assert button.bounding_box()["height"] >= 72  # type: ignore[index]
    button.scroll_into_view_if_needed()
    check(page, f"{mode}20-guide-with-sample")

    button.click()
    expect(page.locator("body")).to_have_attribute("data-screen", "file")
    image = page.locator("#viewer-image")
    expect(image).to_be_visible()
    page.wait_for_function("document.getElementById('viewer-image').naturalWidth > 0")
    page.wait_for_timeout(100)
    fitted = image_box(page)
    # Fitted: the whole form on the screen, as large as it goes.
    assert fitted["w"] <= fitted["sw"] + 1 and fitted["h"] <= fitted["sh"] + 1, fitted
    assert max(fitted["w"] / fitted["sw"], fitted["h"] / fitted["sh"]) > 0.97, fitted
    expect(page.locator("#zoom-out")).to_be_disabled()
    check(page, f"{mode}21-viewer-sample")

    page.click("#zoom-in")
    page.click("#zoom-in")
    zoomed = image_box(page)
    assert zoomed["w"] == pytest.approx(fitted["w"] * 2, abs=2), (fitted, zoomed)
    assert zoomed["over"] > 100  # the rest is reached by dragging
    expect(page.locator(".viewer-status")).to_have_text("显示比例 200%")
    check(page, f"{mode}22-viewer-zoomed")
    page.click("#zoom-fit")
    assert image_box(page)["w"] == pytest.approx(fitted["w"], abs=2)

    page.click("#viewer-back")
    expect(page.locator("body")).to_have_attribute("data-screen", "guide")
    expect(page.locator('[data-section="materials"]')).to_be_visible()

    # The blank form is a PDF: in a frame, the browser's own viewer.
    page.evaluate("window.kiosk.go('guide', {code: 'A02'})")
    page.click('.material-files [data-role="blank_form"]')
    frame = page.locator("#viewer-pdf")
    expect(frame).to_be_visible()
    src = frame.get_attribute("src")
    assert src is not None and src.startswith("/api/v1/halls/demo/attachments/")
    answer = page.evaluate(
        "async (u) => { const r = await fetch(u); const b = new Uint8Array(await r.arrayBuffer());"
        " return [r.status, r.headers.get('content-type'), String.fromCharCode(...b.slice(0, 5))]; }",
        src,
    )
    assert answer == [200, "application/pdf", "%PDF-"]
    expect(page.locator("#viewer-note")).to_contain_text("咨询台")
    assert frame.bounding_box()["height"] > 400  # type: ignore[index]
    page.wait_for_timeout(2500)  # the browser's viewer draws the page in its own time
    check(page, f"{mode}23-viewer-pdf")
    page.click("#viewer-back")
    expect(page.locator("body")).to_have_attribute("data-screen", "guide")
    close_page(page)


def test_a_life_event_lists_its_items_in_order_with_notes(
    browser: Browser, kiosk_hub: KioskHub
) -> None:
    page = open_kiosk(browser, kiosk_hub)
    page.evaluate("window.kiosk.go('browse', {by: 'life', group: 'start-business'})")
    rows = page.locator(".list-steps .row")
    expect(rows).to_have_count(5)
    assert [rows.nth(i).get_attribute("data-item") for i in range(5)] == [
        "F05",
        "A01",
        "A02",
        "E02",
        "A05",
    ]
    expect(rows.nth(4).locator(".row-note")).to_have_text("如经营食品")
    expect(page.locator(".screen-title .sub")).to_contain_text("新办企业")
    check(page, "24-life-event-steps")
    close_page(page)
