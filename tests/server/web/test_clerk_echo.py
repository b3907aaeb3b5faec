"""The clerk screen and its own echo. A window action answers with the new view; the
events it produced come back on the hall websocket. When the view carries `seq` (the
number of the last event the action produced), those events are already shown and the
view is not read again; a hub that sends no `seq` gets the read-again of before. Here the
hub's answer is held back and given a `seq` taken from a board on the same hall, so the
test does not depend on which hub version runs."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "display_board"))

from livehub import LiveHub, running_hub, sign_in_clerk, wait_until
from playwright.sync_api import Browser, Page, Route, expect

pytestmark = pytest.mark.browser

WINDOW = 2  # serves queue A
VIEW = re.compile(rf".*/api/v1/halls/demo/windows/{WINDOW}$")
CALL_NEXT = re.compile(rf".*/api/v1/halls/demo/windows/{WINDOW}/call-next$")


@pytest.fixture(scope="module")
def live_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveHub]:
    with running_hub(tmp_path_factory.mktemp("echohub")) as hub:
        yield hub


@pytest.fixture(scope="module")
def board(browser: Browser, live_hub: LiveHub) -> Iterator[Page]:
    ctx = browser.new_context()
    ctx.route("**/voice/**", lambda route: route.abort())
    page = ctx.new_page()
    page.goto(f"{live_hub.base}/board/hall/demo?voice=0")
    expect(page.locator("body")).to_have_attribute("data-connected", "true")
    yield page
    ctx.close()


@pytest.fixture
def desk(browser: Browser, live_hub: LiveHub) -> Iterator[Page]:
    ctx = browser.new_context(viewport={"width": 1366, "height": 768})
    page = ctx.new_page()
    sign_in_clerk(page, live_hub.base, "C002", WINDOW)
    yield page
    if page.evaluate("() => !!window.__clerk.state().view.current"):
        page.keyboard.press("F4")
        page.wait_for_function("() => !window.__clerk.state().view.current")
    ctx.close()


def hall_seq(board: Page) -> int:
    return int(board.evaluate("() => window.__board.socket.seq"))


def settled_seq(board: Page, after: int) -> int:
    """The board's seq once the events of an action have all arrived."""
    wait_until(lambda: hall_seq(board) > after)
    last = hall_seq(board)
    while True:
        board.wait_for_timeout(400)
        now = hall_seq(board)
        if now == last:
            return now
        last = now


def call_next_counting_reads(desk: Page, board: Page, with_seq: bool) -> int:
    """Presses F1 with the hub's answer held until its events are out, then counts the
    reads of the window view in the second that follows."""
    held: list[tuple[Route, Any]] = []
    desk.route(CALL_NEXT, lambda route: held.append((route, route.fetch())))
    reads: list[str] = []
    desk.on(
        "request",
        lambda r: reads.append(r.url) if r.method == "GET" and VIEW.match(r.url) else None,
    )
    try:
        before = hall_seq(board)
        desk.keyboard.press("F1")
        for _ in range(200):  # Playwright runs the route handler only while it is called
            if held:
                break
            desk.wait_for_timeout(50)
        assert held, "the screen did not call next"
        seq = settled_seq(board, before)
        route, answer = held[0]
        body = answer.json()
        assert "current" in body
        if with_seq:
            body["seq"] = seq
        else:
            body.pop("seq", None)  # a hub from before the field
        route.fulfill(response=answer, body=json.dumps(body))
        desk.wait_for_function("() => (window.__clerk.state().view || {}).current")
        desk.wait_for_timeout(1000)
    finally:
        desk.unroute(CALL_NEXT)
    return len(reads)


def test_with_seq_the_screen_does_not_read_its_own_action_again(
    live_hub: LiveHub, board: Page, desk: Page
) -> None:
    code = live_hub.issue("A")
    desk.wait_for_function(
        "c => window.__clerk.state().view.waiting.some(t => t.code === c)", arg=code
    )
    assert call_next_counting_reads(desk, board, with_seq=True) == 0
    expect(desk.locator("#cur-code")).to_have_text(code)
    # Someone else's change is still read: a new ticket in the window's queue.
    other = live_hub.issue("A")
    desk.wait_for_function(
        "c => window.__clerk.state().view.waiting.some(t => t.code === c)", arg=other
    )


def test_without_seq_the_screen_reads_the_view_again_as_before(
    live_hub: LiveHub, board: Page, desk: Page
) -> None:
    code = live_hub.issue("A")
    desk.wait_for_function(
        "c => window.__clerk.state().view.waiting.some(t => t.code === c)", arg=code
    )
    assert call_next_counting_reads(desk, board, with_seq=False) >= 1
    expect(desk.locator("#cur-code")).not_to_have_text("暂无")
