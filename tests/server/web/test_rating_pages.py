"""The rating pages in real chromium against a real hub process: the window's tablet,
the phone page behind the ticket's QR code, and the supervisors' page with 差评 coming
in live. Nothing on them may steer the citizen: five buttons of one size and look, in
one order, nothing preselected or focused."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "display_board"))

from livehub import LiveHub, axe_violations, running_hub, screenshot_folder, wait_until
from playwright.sync_api import Browser, Locator, Page, expect

pytestmark = pytest.mark.browser

LEVELS = ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
API = "/api/v1/halls/demo"


@pytest.fixture(scope="module")
def live_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveHub]:
    with running_hub(tmp_path_factory.mktemp("ratinghub")) as hub:
        yield hub


def issue(hub: LiveHub, queue: str = "B") -> dict[str, Any]:
    r = hub.http.post(
        f"{API}/tickets",
        json={"queue": queue},
        headers={"Authorization": f"Bearer {hub.tokens['K01']}"},
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


def serve(hub: LiveHub, clerk: dict[str, str], window: int, queue: str = "B") -> dict[str, Any]:
    """A citizen is called and served to the end: the window's rating request opens."""
    ticket = issue(hub, queue)
    called = hub.window_action(clerk, window, "call-next")["called"]
    assert called == ticket["code"]
    hub.window_action(clerk, window, "finish")
    return ticket


def rating_tablet_token(hub: LiveHub, code: str, window: int) -> str:
    r = hub.http.post(
        "/api/v1/admin/halls/demo/devices",
        json={"code": code, "kind": "rating_pad", "window": window},
        headers=hub._admin(),
    )
    assert r.status_code == 201, r.text
    return str(r.json()["token"])


def boxes(buttons: Locator) -> list[tuple[float, float]]:
    out = []
    for i in range(buttons.count()):
        box = buttons.nth(i).bounding_box()
        assert box is not None
        out.append((round(box["width"]), round(box["height"])))
    return out


def assert_not_steering(page: Page, buttons: Locator, names: list[str]) -> None:
    expect(buttons).to_have_count(len(names))
    texts = [buttons.nth(i).inner_text().split("\n")[0].strip() for i in range(len(names))]
    assert texts == names
    assert len(set(boxes(buttons))) == 1, boxes(buttons)  # every button the same size
    looks = page.evaluate(
        """(sel) => [...document.querySelectorAll(sel)].filter(b => b.offsetParent)
             .map(b => { const s = getComputedStyle(b);
                         return [s.backgroundColor, s.color, s.borderColor, s.fontSize].join(); })""",
        buttons.first.evaluate("b => b.matches('[data-level]') ? '[data-level]' : '.choice'"),
    )
    assert len(set(looks)) == 1, looks  # and the same look
    assert page.evaluate("() => document.activeElement === document.body")


def ratings_of(hub: LiveHub, supervisor: dict[str, str]) -> dict[str, Any]:
    return dict(hub.http.get(f"{API}/ratings", headers=supervisor).json())


def test_the_window_tablet_lights_for_each_service_and_takes_one_rating(
    live_hub: LiveHub, browser: Browser
) -> None:
    token = rating_tablet_token(live_hub, "RP04", 4)
    clerk = live_hub.login("C004", window=4)
    supervisor = live_hub.login("S001")
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    page = ctx.new_page()
    page.goto(f"{live_hub.base}/rate/demo/4?token={token}")
    assert page.url.endswith("/rate/demo/4")  # the token went into a cookie
    expect(page.locator("#idle")).to_be_visible()
    expect(page.locator("#levels")).to_be_hidden()

    first = serve(live_hub, clerk, 4)
    expect(page.locator("#ticket")).to_have_text(first["code"], timeout=5000)
    levels = page.locator("#levels .choice")
    assert_not_steering(page, levels, LEVELS)
    assert axe_violations(page) == []
    page.screenshot(path=str(screenshot_folder() / "rating-tablet.png"))
    levels.nth(1).click()  # 满意
    expect(page.locator("#thanks")).to_contain_text("感谢您的评价")
    expect(page.locator("#idle")).to_be_visible(timeout=6000)
    day = ratings_of(live_hub, supervisor)
    assert day["windows"][0]["levels"]["4"] == 1 and day["total"]["rated"] == 1

    second = serve(live_hub, clerk, 4)
    expect(page.locator("#ticket")).to_have_text(second["code"], timeout=5000)
    levels.nth(4).click()  # 非常不满意: the reasons may follow, none is required
    reasons = page.locator("#reasons .choice")
    assert_not_steering(
        page,
        reasons,
        ["服务态度", "办事效率", "办事指南/材料", "多次跑动", "超时未办结", "其他", "不选择原因"],
    )
    reasons.nth(1).click()  # 办事效率
    expect(page.locator("#thanks")).to_contain_text("感谢您的评价")
    [bad] = live_hub.http.get(f"{API}/ratings/bad", headers=supervisor).json()
    assert (bad["ticket"], bad["level"], bad["reason_name"], bad["channel"]) == (
        second["code"],
        1,
        "办事效率",
        "tablet",
    )
    ctx.close()


def test_the_phone_rates_once_after_the_service(live_hub: LiveHub, browser: Browser) -> None:
    clerk = live_hub.login("C005", window=5)
    ticket = issue(live_hub)
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = ctx.new_page()
    page.goto(f"{live_hub.base}/t/{ticket['token']}")
    expect(page.get_by_text("评价本次服务")).to_have_count(0)  # not before the service
    live_hub.window_action(clerk, 5, "call-next")
    live_hub.window_action(clerk, 5, "finish")
    page.reload()
    page.get_by_text("评价本次服务").click()
    buttons = page.locator("button.choice")
    assert_not_steering(page, buttons, LEVELS)
    assert axe_violations(page) == []
    page.screenshot(path=str(screenshot_folder() / "rating-phone.png"), full_page=True)
    buttons.nth(3).click()  # 不满意
    expect(page.get_by_text("不选择原因，直接提交")).to_be_visible()
    page.get_by_text("不选择原因，直接提交").click()
    expect(page.get_by_text("感谢您的评价")).to_be_visible()
    page.goto(f"{live_hub.base}/t/{ticket['token']}/rate")
    expect(page.get_by_text("这次服务已经评价过了")).to_be_visible()
    expect(page.locator("button.choice")).to_have_count(0)
    ctx.close()


def test_supervisors_see_the_day_and_each_bad_rating_as_it_comes(
    live_hub: LiveHub, browser: Browser
) -> None:
    token = rating_tablet_token(live_hub, "RP06", 6)
    clerk = live_hub.login("C006", window=6)
    ctx = browser.new_context(viewport={"width": 1440, "height": 900})
    page = ctx.new_page()
    page.goto(f"{live_hub.base}/supervisor/ratings")
    page.fill("input[name=hall]", "demo")
    page.fill("input[name=staff_no]", "S001")
    page.fill("input[name=password]", "demo1234")
    page.click("button[type=submit]")
    expect(page.locator("#windows tbody tr").first).to_be_visible(timeout=5000)
    expect(page.locator("#live")).to_have_text("实时 live", timeout=5000)
    before = page.locator("#bad tbody tr[class=new]").count()
    assert before == 0

    ticket = serve(live_hub, clerk, 6, "C")  # window 6 serves 不动产登记
    tablet = {"Authorization": f"Bearer {token}"}
    r = live_hub.http.post(
        f"{API}/windows/6/rating", json={"level": 2, "reason": 1}, headers=tablet
    )
    assert r.status_code == 201, r.text
    # Pushed by the hall's websocket, well before the 10 s poll.
    row = page.locator("#bad tbody tr", has_text=ticket["code"])
    expect(row).to_be_visible(timeout=4000)
    expect(row).to_contain_text("不满意")
    expect(row).to_contain_text("服务态度")
    expect(row).to_contain_text("C006")
    window6 = page.locator("#windows tbody tr", has_text="6 ")
    expect(window6).to_contain_text("0.0%")
    assert axe_violations(page) == []
    page.screenshot(path=str(screenshot_folder() / "supervisor-ratings.png"), full_page=True)
    wait_until(lambda: page.locator("#bad tbody tr").count() >= 1)
    ctx.close()
