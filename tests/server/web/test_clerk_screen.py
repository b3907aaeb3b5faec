"""The clerk screen (窗口工作台) in real chromium against a real hub process: sign-in,
every window action by click and by shortcut, live timers and lists, live updates
without reloading, the English switch, and errors in Chinese with the English below."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "display_board"))

from livehub import (
    LiveHub,
    axe_violations,
    running_hub,
    screenshot_folder,
    sign_in_clerk,
)
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

WINDOW = 2  # 企业开办2, serves queue A
CLERK = "C002"


@pytest.fixture(scope="module")
def live_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveHub]:
    with running_hub(tmp_path_factory.mktemp("clerkhub")) as hub:
        yield hub


@pytest.fixture(scope="module")
def desk(browser: Browser, live_hub: LiveHub) -> Iterator[Page]:
    ctx = browser.new_context(viewport={"width": 1366, "height": 768})
    page = ctx.new_page()
    sign_in_clerk(page, live_hub.base, CLERK, WINDOW)
    yield page
    ctx.close()


@pytest.fixture(autouse=True)
def chinese(desk: Page) -> None:
    """Every test starts in Chinese with no dialog open and nothing in flight."""
    desk.wait_for_function("() => !window.__clerk.state().busy")
    if desk.locator("#dialog").is_visible():
        desk.keyboard.press("Escape")
    if desk.get_attribute("body", "data-lang") == "en":
        desk.click("#lang-switch")


def view(desk: Page) -> Any:
    return desk.evaluate("() => window.__clerk.state().view")


def current(desk: Page) -> Any:
    return desk.locator("#cur-code")


def called(desk: Page, waiting: list[str]) -> str:
    """The ticket the window just called, which must have been one of those waiting."""
    desk.wait_for_function("() => (window.__clerk.state().view || {}).current")
    code = str(view(desk)["current"]["code"])
    assert code in waiting
    expect(current(desk)).to_have_text(code)
    return code


def waiting(desk: Page) -> list[str]:
    return [t["code"] for t in view(desk)["waiting"]]


def hub_view(live_hub: LiveHub, headers: dict[str, str]) -> Any:
    return live_hub.http.get(f"/api/v1/halls/demo/windows/{WINDOW}", headers=headers).json()


def message(desk: Page, zh: str, en: str, code: str = "") -> None:
    expect(desk.locator("#message")).to_be_visible()
    expect(desk.locator("#message-zh")).to_contain_text(zh)
    expect(desk.locator("#message-en")).to_contain_text(en)
    if code:
        expect(desk.locator("#message-code")).to_have_text(code)


def seconds(text: str | None) -> int:
    m = re.fullmatch(r"(?:(\d+):)?(\d\d):(\d\d)", text or "")
    assert m, text
    return int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + int(m.group(3))


def test_the_desk_shows_the_window_its_queues_and_lists(live_hub: LiveHub, desk: Page) -> None:
    issued = [live_hub.issue("A"), live_hub.issue("A", priority="green")]
    expect(desk.locator("#desk-window")).to_have_text(f"{WINDOW}号窗口")
    expect(desk.locator("#desk-window-name")).to_have_text("企业开办2")
    expect(desk.locator("#desk-clerk")).to_contain_text(CLERK)
    expect(desk.locator("#conn")).to_have_attribute("data-state", "on")
    # Issued by the kiosk after the page loaded: shown without reloading.
    for code in issued:
        expect(desk.locator(f'#waiting [data-ticket="{code}"]')).to_have_count(1)
    expect(desk.locator(f'#waiting [data-ticket="{issued[1]}"] .badge')).to_have_text("绿色通道")
    expect(desk.locator('#queues [data-queue="A"] .q-waiting')).to_have_text("2")
    expect(desk.locator("#cur-code")).to_have_text("暂无")
    for action in ("recall", "start", "finish", "noshow", "hold", "transfer", "callback"):
        expect(desk.locator(f'[data-action="{action}"]')).to_be_disabled()
    assert axe_violations(desk) == []
    desk.keyboard.press("p")
    expect(desk.locator("#pause-reason")).to_be_focused()
    assert axe_violations(desk) == []
    desk.keyboard.press("Escape")
    expect(desk.locator("#dialog")).to_be_hidden()


def test_every_action_by_click(live_hub: LiveHub, desk: Page) -> None:
    clerk = live_hub.login(CLERK, window=WINDOW)  # the same clerk, through the API
    live_hub.issue("A")
    expect(desk.locator("#waiting .ticket-row")).not_to_have_count(0)
    before = waiting(desk)
    desk.click('[data-action="next"]')
    first = called(desk, before)
    expect(desk.locator("#cur-status")).to_have_text("已呼叫")
    message(desk, f"已呼叫 {first}", f"Called {first}")
    since_call = seconds(desk.locator("#t-since-call").text_content())
    desk.wait_for_timeout(1500)
    assert seconds(desk.locator("#t-since-call").text_content()) > since_call  # ticking

    desk.click('[data-action="recall"]')
    expect(desk.locator("#cur-recalls")).to_have_text("重呼 1 次")
    desk.click('[data-action="start"]')
    expect(desk.locator("#cur-status")).to_have_text("办理中")
    expect(desk.locator("#t-since-call")).to_have_text("—")
    expect(desk.locator("#t-service")).to_have_text(re.compile(r"^\d\d:\d\d$"))

    desk.click('[data-action="hold"]')
    expect(current(desk)).to_have_text("暂无")
    expect(desk.locator(f'#held [data-ticket="{first}"]')).to_have_count(1)
    desk.click('[data-action="callback"]')
    expect(desk.locator("#dialog")).to_be_visible()
    desk.click(f'#dialog [data-ticket="{first}"] button')
    expect(current(desk)).to_have_text(first)
    expect(desk.locator("#held .ticket-row")).to_have_count(0)

    desk.click('[data-action="transfer"]')
    desk.select_option("#transfer-queue", "F")
    desk.click("#dialog-ok")
    message(desk, "已转移", "Transferred")
    expect(current(desk)).to_have_text("暂无")
    moved = live_hub.http.get(f"/api/v1/halls/demo/tickets/{first}", headers=clerk).json()
    assert moved["status"] == "waiting" and moved["queue_code"] == "F"

    live_hub.issue("A")
    expect(desk.locator("#waiting .ticket-row")).not_to_have_count(0)
    target = view(desk)["waiting"][-1]["code"]
    desk.click('[data-action="call"]')
    desk.fill("#call-ticket", target.lower())
    desk.click("#dialog-ok")
    expect(current(desk)).to_have_text(target)
    desk.click('[data-action="noshow"]')
    expect(current(desk)).to_have_text("暂无")
    assert hub_view(live_hub, clerk)["current"] is None

    desk.click('[data-action="pause"]')
    desk.click("#dialog .preset >> nth=0")  # 午休
    desk.click("#dialog-ok")
    expect(desk.locator("#paused-banner")).to_be_visible()
    expect(desk.locator("#paused-reason")).to_have_text("午休")
    expect(desk.locator('[data-action="pause"]')).to_contain_text("恢复服务")
    expect(desk.locator('[data-action="next"]')).to_be_disabled()
    assert hub_view(live_hub, clerk)["pause_reason"] == "午休"
    desk.click('[data-action="pause"]')
    expect(desk.locator("#paused-banner")).to_be_hidden()

    live_hub.issue("A")
    desk.click('[data-action="next"]')
    expect(desk.locator("#cur-status")).to_have_text("已呼叫")
    served = int(desk.locator("#served").text_content() or "0")
    desk.click('[data-action="finish"]')
    expect(desk.locator("#served")).to_have_text(str(served + 1))
    expect(desk.locator("#mean-service")).to_have_text(re.compile(r"^\d\d:\d\d$"))


def test_every_action_by_shortcut(live_hub: LiveHub, desk: Page) -> None:
    hints = desk.locator(".act kbd").all_text_contents()
    assert hints == [
        "Space / F1", "F2 / R", "F3 / S", "F4 / D", "F6 / N", "F7 / H",
        "F8 / B", "F9 / T", "F10 / C", "P", "E",
    ]  # fmt: skip
    for _ in range(3):
        live_hub.issue("A")
    expect(desk.locator("#waiting .ticket-row")).not_to_have_count(0)
    before = waiting(desk)
    desk.keyboard.press("F1")
    first = called(desk, before)
    desk.keyboard.press("F2")
    expect(desk.locator("#cur-recalls")).to_have_text("重呼 1 次")
    desk.keyboard.press("r")
    expect(desk.locator("#cur-recalls")).to_have_text("重呼 2 次")
    desk.keyboard.press("F3")
    expect(desk.locator("#cur-status")).to_have_text("办理中")
    desk.keyboard.press("F7")  # hold
    expect(desk.locator(f'#held [data-ticket="{first}"]')).to_have_count(1)
    desk.keyboard.press("F8")  # call back: pick with its number
    expect(desk.locator("#dialog")).to_be_visible()
    desk.keyboard.press("1")
    expect(current(desk)).to_have_text(first)
    desk.keyboard.press("s")
    expect(desk.locator("#cur-status")).to_have_text("办理中")
    desk.keyboard.press("F4")  # finish
    expect(current(desk)).to_have_text("暂无")

    before = waiting(desk)
    desk.keyboard.press("Space")
    called(desk, before)
    desk.keyboard.press("n")  # no-show
    expect(current(desk)).to_have_text("暂无")

    third = view(desk)["waiting"][0]["code"]
    desk.keyboard.press("c")
    desk.keyboard.type(third)
    desk.keyboard.press("Enter")
    expect(current(desk)).to_have_text(third)
    desk.keyboard.press("h")
    expect(desk.locator(f'#held [data-ticket="{third}"]')).to_have_count(1)
    desk.keyboard.press("b")
    desk.keyboard.press("Enter")  # the first held ticket
    expect(current(desk)).to_have_text(third)
    desk.keyboard.press("t")
    desk.select_option("#transfer-window", "1")
    desk.keyboard.press("Enter")
    message(desk, "已转移", "Transferred")
    expect(current(desk)).to_have_text("暂无")

    desk.keyboard.press("p")
    desk.keyboard.type("临时离开")
    desk.keyboard.press("Enter")
    expect(desk.locator("#paused-reason")).to_have_text("临时离开")
    desk.keyboard.press("P")
    expect(desk.locator("#paused-banner")).to_be_hidden()

    # 评价 finishes the service and lights the rating pad.
    live_hub.issue("A")
    desk.keyboard.press("F1")
    expect(desk.locator("#cur-status")).to_have_text("已呼叫")
    desk.keyboard.press("F3")
    expect(desk.locator("#cur-status")).to_have_text("办理中")
    desk.keyboard.press("e")
    message(desk, "已请群众评价", "The citizen is asked to rate")
    expect(current(desk)).to_have_text("暂无")


def test_a_key_held_down_calls_only_one_ticket(live_hub: LiveHub, desk: Page) -> None:
    issued = [live_hub.issue("A"), live_hub.issue("A")]
    desk.wait_for_function(
        "codes => codes.every(c => window.__clerk.state().view.waiting.some(t => t.code === c))",
        arg=issued,
    )
    before = waiting(desk)
    served = view(desk)["served_today"]
    desk.keyboard.down("Space")
    desk.keyboard.down("Space")  # auto-repeat
    desk.keyboard.down("Space")
    desk.keyboard.up("Space")
    first = called(desk, before)
    desk.wait_for_function("() => !window.__clerk.state().busy")
    desk.wait_for_timeout(300)
    # A second call-next would have finished the first ticket and called another.
    after = view(desk)
    assert after["current"]["code"] == first and after["served_today"] == served
    assert set(before) - {first} <= set(waiting(desk))
    desk.keyboard.press("d")
    expect(current(desk)).to_have_text("暂无")


def test_errors_are_shown_in_chinese_with_the_english_below(live_hub: LiveHub, desk: Page) -> None:
    desk.keyboard.press("c")
    desk.keyboard.type("Z999")
    desk.keyboard.press("Enter")
    message(desk, "没有这张号票", "No such ticket", "TICKET_NOT_FOUND")

    desk.keyboard.press("c")
    desk.keyboard.type("123")
    desk.keyboard.press("Enter")
    message(desk, "请求内容不正确", "The request is not valid", "INVALID_REQUEST")
    expect(desk.locator("#message-en")).to_contain_text("ticket")

    desk.keyboard.press("p")
    desk.keyboard.press("Enter")  # no reason
    message(desk, "请求内容不正确", "The request is not valid", "INVALID_REQUEST")
    expect(desk.locator("#paused-banner")).to_be_hidden()


def test_asking_to_rate_with_nothing_served_today_says_so(
    live_hub: LiveHub, browser: Browser
) -> None:
    ctx = browser.new_context(viewport={"width": 1366, "height": 768})
    page = ctx.new_page()
    sign_in_clerk(page, live_hub.base, "C007", 7)
    page.keyboard.press("e")
    message(page, "这个窗口今天还没有可以评价的服务", "no service to be rated", "NOTHING_TO_RATE")
    expect(page.locator("#message")).to_have_attribute("data-kind", "error")
    ctx.close()


def test_the_english_switch(live_hub: LiveHub, desk: Page) -> None:
    desk.click("#lang-switch")
    expect(desk.locator("html")).to_have_attribute("lang", "en")
    expect(desk.locator('[data-action="next"] span')).to_have_text("Call next")
    expect(desk.locator('[data-action="noshow"] span')).to_have_text("No-show")
    expect(desk.locator("#desk-window")).to_have_text(f"Window {WINDOW}")
    expect(desk.locator("#desk-window-name")).to_have_text("Business 2")
    expect(desk.locator("#lang-switch")).to_have_text("中文")
    live_hub.issue("A")
    desk.keyboard.press("F1")
    expect(desk.locator("#cur-status")).to_have_text("Called")
    message(desk, "已呼叫", "Called")  # messages keep both languages
    desk.screenshot(path=str(screenshot_folder() / "clerk-screen-en.png"))
    desk.reload()  # the choice is remembered
    expect(desk.locator('[data-action="next"] span')).to_have_text("Call next")
    desk.keyboard.press("l")
    expect(desk.locator('[data-action="next"] span')).to_have_text("呼叫下一位")
    expect(desk.locator("html")).to_have_attribute("lang", "zh-CN")
    desk.screenshot(path=str(screenshot_folder() / "clerk-screen.png"))
    desk.keyboard.press("d")
    expect(current(desk)).to_have_text("暂无")


def test_sign_in_errors_and_a_reload_keeps_the_clerk_at_her_window(
    live_hub: LiveHub, browser: Browser, desk: Page
) -> None:
    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(live_hub.base + "/clerk")
    page.wait_for_selector(f"#login-window option[value='{WINDOW}']", state="attached")
    assert axe_violations(page) == []
    page.fill("#login-staff", "C003")
    page.fill("#login-password", "wrong-password")
    page.select_option("#login-window", "3")
    page.click("#login-submit")
    message(page, "工号或密码不正确", "Wrong staff number or password", "BAD_CREDENTIALS")
    page.fill("#login-staff", "C003")
    page.fill("#login-password", "demo1234")
    page.select_option("#login-window", str(WINDOW))  # taken by C002
    page.click("#login-submit")
    message(page, "该窗口已有其他工作人员登录", "Another clerk", "WINDOW_TAKEN")
    expect(page.locator("body")).to_have_attribute("data-view", "login")
    ctx.close()

    desk.reload()
    expect(desk.locator("body")).to_have_attribute("data-view", "desk")
    expect(desk.locator("#desk-window")).to_have_text(f"{WINDOW}号窗口")


def test_a_released_clerk_is_sent_back_to_sign_in(live_hub: LiveHub, browser: Browser) -> None:
    ctx = browser.new_context(viewport={"width": 1366, "height": 768})
    page = ctx.new_page()
    sign_in_clerk(page, live_hub.base, "C006", 6)
    live_hub.release(6)
    live_hub.issue("C")
    page.keyboard.press("F1")
    message(page, "请先在窗口登录", "Sign in at a window first", "NOT_AT_WINDOW")
    expect(page.locator("body")).to_have_attribute("data-view", "login")
    ctx.close()


def test_a_late_answer_never_undoes_a_newer_action(live_hub: LiveHub, desk: Page) -> None:
    """A refresh that left before an action and answers after it carries the state from
    before the action: shown, it would take back the call just made (and disable 重呼)."""
    if view(desk)["current"]:
        desk.keyboard.press("F4")  # finish what an earlier test left at the window
        desk.wait_for_function("() => !window.__clerk.state().view.current")
    late: list[Any] = []

    def hold_back(route: Any) -> None:
        if route.request.method == "GET" and not late:
            # Read now, from before the call below; delivered only after it.
            late.append((route, route.fetch()))
        else:
            route.continue_()

    pattern = re.compile(rf".*/api/v1/halls/demo/windows/{WINDOW}$")
    desk.route(pattern, hold_back)
    try:
        live_hub.issue("A")  # the window's queue changed: the screen refreshes its view
        for _ in range(100):
            if late:
                break
            desk.wait_for_timeout(50)
        assert late, "the screen did not refresh on the new ticket"
        desk.keyboard.press("F1")
        desk.wait_for_function("() => (window.__clerk.state().view || {}).current")
        code = view(desk)["current"]["code"]
        stale, answer = late[0]
        with desk.expect_response(lambda r: r.request == stale.request):
            stale.fulfill(response=answer)  # the stale answer arrives now...
        desk.keyboard.press("F2")  # ... and the clerk recalls straight away
        expect(desk.locator("#cur-recalls")).to_have_text("重呼 1 次")
        expect(current(desk)).to_have_text(code)
    finally:
        desk.unroute(pattern)
        desk.keyboard.press("F4")


def test_a_call_reads_nothing_more_its_own_echo_is_ignored(live_hub: LiveHub, desk: Page) -> None:
    """The call's answer carries the seq of its last event: the same events heard back
    over the websocket read nothing (a call-next is its own 4 transactions, not 7)."""
    if view(desk)["current"]:
        desk.keyboard.press("F4")
        desk.wait_for_function("() => !window.__clerk.state().view.current")
    code = live_hub.issue("A")
    desk.wait_for_function(
        "(c) => window.__clerk.state().view.waiting.some((t) => t.code === c)", arg=code
    )
    pattern = re.compile(rf".*/api/v1/halls/demo/windows/{WINDOW}$")
    reads: list[str] = []

    def seen(request: Any) -> None:
        if pattern.match(request.url):
            reads.append(request.url)

    desk.on("request", seen)
    try:
        desk.keyboard.press("F1")
        desk.wait_for_function("() => (window.__clerk.state().view || {}).current")
        seq = view(desk)["seq"]
        assert isinstance(seq, int) and seq > 0
        # The echo has arrived (the socket is at the call's seq), and a little time for
        # a refresh it might have started.
        desk.wait_for_function("(s) => window.__clerk.state().socketSeq >= s", arg=seq)
        desk.wait_for_timeout(300)
        assert reads == []
    finally:
        desk.remove_listener("request", seen)
        desk.keyboard.press("F4")
