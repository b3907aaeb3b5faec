"""Hall and window boards in real chromium against a real hub process: clerk actions on
the clerk screen reach both boards, pauses show, configuration filters, a board resyncs
on a gap and recovers by itself after the hub restarts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from livehub import LiveHub, axe_violations, screenshot_folder, sign_in_clerk, wait_until
from playwright.sync_api import Browser, BrowserContext, Page, expect

pytestmark = pytest.mark.browser

HALL_VIEW = {"width": 1920, "height": 1080}
WINDOW_VIEW = {"width": 1280, "height": 720}
CLERK_VIEW = {"width": 1366, "height": 768}


@pytest.fixture(scope="module")
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context()
    # The boards would speak; these tests are about what they show (voice: test_voice.py).
    ctx.route("**/voice/**", lambda route: route.abort())
    yield ctx
    ctx.close()


@pytest.fixture(scope="module")
def hall_board(context: BrowserContext, live_hub: LiveHub) -> Page:
    page = context.new_page()
    page.set_viewport_size(HALL_VIEW)
    page.goto(f"{live_hub.base}/board/hall/demo?voice=0")
    expect(page.locator("body")).to_have_attribute("data-connected", "true")
    return page


@pytest.fixture(scope="module")
def window_board(context: BrowserContext, live_hub: LiveHub) -> Page:
    page = context.new_page()
    page.set_viewport_size(WINDOW_VIEW)
    page.goto(f"{live_hub.base}/board/window/demo/4?board=WB04")
    expect(page.locator("body")).to_have_attribute("data-connected", "true")
    return page


@pytest.fixture(scope="module")
def clerk(context: BrowserContext, live_hub: LiveHub) -> Page:
    page = context.new_page()
    page.set_viewport_size(CLERK_VIEW)
    sign_in_clerk(page, live_hub.base, "C004", 4)
    return page


def board_state(page: Page) -> Any:
    return page.evaluate("() => window.__board.state()")


def test_hall_board_shows_the_halls_queues_notice_and_time(
    live_hub: LiveHub, hall_board: Page
) -> None:
    for queue in ("A", "A", "C"):
        live_hub.issue(queue)
    expected = {
        q["code"]: q["waiting"]
        for q in live_hub.http.get("/api/v1/halls/demo/queues").json()["queues"]
    }
    tiles = hall_board.locator(".queue-tile")
    expect(tiles).to_have_count(len(expected))
    for code, waiting in expected.items():
        expect(hall_board.locator(f'.queue-tile[data-queue="{code}"] .q-waiting')).to_have_text(
            str(waiting)
        )
    hall = live_hub.http.get("/api/v1/halls").json()[0]
    expect(hall_board.locator("#hall-name")).to_have_text(hall["name"])
    expect(hall_board.locator("#notice")).to_contain_text("请携带身份证原件")
    # The hub's clock (the test's: a Monday from 10:00), not the browser machine's.
    expect(hall_board.locator("#clock-time")).to_have_text(re.compile(r"^10:\d\d:\d\d$"))
    expect(hall_board.locator("#clock-date")).to_contain_text("星期一")
    expect(hall_board.locator("#conn")).to_be_hidden()


def test_a_clerk_action_shows_on_the_hall_board_and_the_window_board(
    live_hub: LiveHub, hall_board: Page, window_board: Page, clerk: Page
) -> None:
    first, second = live_hub.issue("B"), live_hub.issue("B")
    expect(window_board.locator("body")).to_have_attribute("data-state", "idle")
    expect(window_board.locator("#w-label")).to_have_text("欢迎光临")

    clerk.click('[data-action="next"]')
    expect(hall_board.locator("#now-ticket")).to_have_text(first)
    expect(hall_board.locator("#now-window")).to_have_text("4")
    expect(hall_board.locator("#now")).to_have_class(re.compile(r"\bflash\b"))
    expect(window_board.locator("#w-ticket")).to_have_text(first)
    expect(window_board.locator("body")).to_have_attribute("data-state", "called")
    # The clerk's name is masked on the boards; the staff number is shown.
    expect(window_board.locator("#w-clerk-name")).to_have_text("刘*")
    expect(window_board.locator("#w-clerk-no")).to_have_text("C004")
    expect(window_board.locator("#w-name")).to_have_text("社保医保1")

    clerk.keyboard.press("s")  # start
    expect(window_board.locator("body")).to_have_attribute("data-state", "serving")
    expect(window_board.locator("#w-label")).to_have_text("正在办理")

    clerk.keyboard.press("Space")  # finish and call the next
    expect(hall_board.locator("#now-ticket")).to_have_text(second)
    expect(window_board.locator("#w-ticket")).to_have_text(second)
    recent = hall_board.locator(f'#recent .recent-row[data-ticket="{first}"]')
    expect(recent).to_have_count(1)
    expect(recent.locator(".r-window b")).to_have_text("4")

    clerk.keyboard.press("F2")  # recall: shown as such
    expect(hall_board.locator("#now-recall")).to_be_visible()
    expect(hall_board.locator("#now-ticket")).to_have_text(second)

    clerk.keyboard.press("d")  # finish
    expect(window_board.locator("body")).to_have_attribute("data-state", "idle")
    expect(window_board.locator("#w-ticket")).to_be_hidden()


def test_a_paused_window_shows_pause_on_both_boards(
    live_hub: LiveHub, hall_board: Page, window_board: Page, clerk: Page
) -> None:
    clerk.keyboard.press("p")
    clerk.fill("#pause-reason", "午休")
    clerk.keyboard.press("Enter")
    expect(window_board.locator("body")).to_have_attribute("data-state", "paused")
    expect(window_board.locator("#w-label")).to_have_text("暂停服务")
    expect(window_board.locator("#w-label-en")).to_have_text("Service paused")
    expect(window_board.locator("#w-reason")).to_have_text("午休")
    paused = hall_board.locator('#paused .paused-item[data-window="4"]')
    expect(paused).to_contain_text("4号窗口")
    expect(paused).to_contain_text("午休")
    expect(hall_board.locator("#paused-band")).to_be_visible()

    folder = screenshot_folder()
    window_board.screenshot(path=str(folder / "window-board-paused.png"))
    hall_board.screenshot(path=str(folder / "hall-board.png"))
    assert axe_violations(hall_board) == []
    assert axe_violations(window_board) == []

    clerk.keyboard.press("p")  # resume
    expect(window_board.locator("body")).to_have_attribute("data-state", "idle")
    expect(hall_board.locator("#paused-band")).to_be_hidden()


def test_board_configuration_chooses_windows_and_queues(
    live_hub: LiveHub, context: BrowserContext
) -> None:
    by_board = context.new_page()
    by_board.goto(f"{live_hub.base}/board/hall/demo?board=HB02&voice=0")
    by_query = context.new_page()
    by_query.goto(f"{live_hub.base}/board/hall/demo?windows=1-3&voice=0")
    for page in (by_board, by_query):
        expect(page.locator("body")).to_have_attribute("data-connected", "true")
    # HB02 (devices.toml): windows 4 and 5, queue B. windows=1-3: the queues they serve.
    expect(by_board.locator(".queue-tile")).to_have_count(1)
    expect(by_board.locator('.queue-tile[data-queue="B"]')).to_have_count(1)
    codes = by_query.locator(".queue-tile").evaluate_all("tiles => tiles.map(t => t.dataset.queue)")
    assert codes == ["A", "F"]

    live_hub.issue("A")
    clerk = live_hub.login("C001", window=1)
    ticket = live_hub.window_action(clerk, 1, "call-next")["called"]
    expect(by_query.locator("#now-ticket")).to_have_text(ticket)
    # The other board's last call is not window 1's: it never showed it.
    wait_until(lambda: board_state(by_board)["calls"][0]["ticket"] == ticket)
    assert by_board.locator("#now-ticket").text_content() != ticket
    assert by_board.locator(f'#recent [data-ticket="{ticket}"]').count() == 0
    live_hub.window_action(clerk, 1, "finish")
    by_board.close()
    by_query.close()


@pytest.mark.parametrize(
    ("path", "status", "zh", "en"),
    [
        ("/board/hall/demo?windows=1-x", 422, "窗口参数有误", "bad windows parameter"),
        ("/board/hall/demo?board=NOPE", 404, "没有显示屏 NOPE", "no [[board]]"),
        ("/board/hall/demo?board=WB04", 422, "不是综合屏", "not a hall board"),
        ("/board/hall/demo?voice=maybe", 422, "参数 voice", "must be 1 or 0"),
        ("/board/window/demo/5?board=WB04", 422, "4 号窗口的窗口屏", "not 5"),
        ("/board/hall/nowhere", 404, "没有这个大厅", "No such hall"),
        ("/board/window/demo/99", 404, "没有这个窗口", "No such window"),
    ],
)
def test_a_board_with_a_bad_address_says_what_is_wrong(
    live_hub: LiveHub, path: str, status: int, zh: str, en: str
) -> None:
    r = live_hub.http.get(path)
    assert r.status_code == status
    assert zh in r.text and en in r.text


def test_a_gap_or_a_ping_ahead_resynchronises_from_a_snapshot(
    live_hub: LiveHub, hall_board: Page
) -> None:
    before = hall_board.evaluate("() => ({...window.__board.socket.counts})")
    seq = hall_board.evaluate("() => window.__board.socket.seq")
    fake_call = {
        "ticket": "Z999",
        "window": 9,
        "window_name": "x",
        "queue": "D",
        "at": "",
        "recall": False,
        "seq": seq + 5,
        "voice": [],
    }
    # An event that skips numbers is not applied: the board asks for a snapshot instead.
    hall_board.evaluate(
        "([seq, call]) => window.__board.socket._message(JSON.stringify("
        "{type: 'event', seq: seq + 5, kind: 'called', data: {window: 9}, patch: {call}}))",
        [seq, fake_call],
    )
    hall_board.wait_for_function(
        "n => window.__board.socket.counts.snapshots > n", arg=before["snapshots"]
    )
    counts = hall_board.evaluate("() => window.__board.socket.counts")
    assert counts["resyncs"] == before["resyncs"] + 1
    assert counts["connects"] == before["connects"]  # the same socket, no reconnect
    assert hall_board.locator("#now-ticket").text_content() != "Z999"
    assert all(c["ticket"] != "Z999" for c in board_state(hall_board)["calls"])

    seq = hall_board.evaluate("() => window.__board.socket.seq")
    hall_board.evaluate(
        "seq => window.__board.socket._message(JSON.stringify({type: 'ping', seq: seq + 1}))", seq
    )
    hall_board.wait_for_function(
        "n => window.__board.socket.counts.snapshots > n", arg=counts["snapshots"]
    )
    assert hall_board.evaluate("() => window.__board.socket.seq") == seq


def test_the_longest_ticket_number_at_window_105_fits_both_boards(
    live_hub: LiveHub, context: BrowserContext, hall_board: Page
) -> None:
    live_hub.create("queues", code="LONG", prefix="ABCD", name="长号测试", width=6)
    live_hub.create(
        "windows", number=105, name="综合窗口105", queues=[{"queue": "LONG", "weight": 1}]
    )
    live_hub.create("staff", staff_no="C105", name="欧阳明月", role="clerk", password="demo12345")
    board = context.new_page()
    board.set_viewport_size(WINDOW_VIEW)
    board.goto(f"{live_hub.base}/board/window/demo/105")
    ticket = live_hub.issue("LONG")
    assert ticket == "ABCD000001"
    clerk = live_hub.login("C105", window=105, password="demo12345")
    live_hub.window_action(clerk, 105, "call-next")
    expect(hall_board.locator("#now-ticket")).to_have_text(ticket)
    expect(hall_board.locator("#now-window")).to_have_text("105")
    expect(board.locator("#w-ticket")).to_have_text(ticket)
    expect(board.locator("#w-clerk-name")).to_have_text("欧**月")
    fits = "([el, box]) => document.querySelector(el).scrollWidth <= document.querySelector(box).clientWidth"
    assert hall_board.evaluate(fits, ["#now .now-call", "#now"])
    assert board.evaluate(fits, ["#w-ticket", "#w-main"])
    folder = screenshot_folder()
    hall_board.screenshot(path=str(folder / "hall-board-long-ticket.png"))
    board.screenshot(path=str(folder / "window-board-long-ticket.png"))
    live_hub.window_action(clerk, 105, "finish")
    board.close()


def test_boards_recover_by_themselves_after_the_hub_restarts(
    live_hub: LiveHub, hall_board: Page, window_board: Page, clerk: Page
) -> None:
    shown = hall_board.locator("#now-ticket").text_content()
    tiles = hall_board.locator(".queue-tile").count()
    live_hub.kill()
    for board in (hall_board, window_board):
        expect(board.locator("#conn")).to_be_visible()
        expect(board.locator("body")).to_have_attribute("data-connected", "false")
    # The last state stays on screen while the hub is gone.
    assert hall_board.locator("#now-ticket").text_content() == shown
    expect(hall_board.locator(".queue-tile")).to_have_count(tiles)
    folder = screenshot_folder()
    hall_board.screenshot(path=str(folder / "hall-board-reconnecting.png"))

    live_hub.start()
    # Backoff is at most 10 s; nobody touches the pages.
    for board in (hall_board, window_board):
        expect(board.locator("#conn")).to_be_hidden(timeout=15000)
    ticket = live_hub.issue("B")
    clerk.keyboard.press("F1")
    expect(hall_board.locator("#now-ticket")).to_have_text(ticket)
    expect(hall_board.locator("#now-window")).to_have_text("4")
    expect(window_board.locator("#w-ticket")).to_have_text(ticket)
    window_board.screenshot(path=str(folder / "window-board-called.png"))
    clerk.screenshot(path=str(folder / "clerk-screen-after-restart.png"))
