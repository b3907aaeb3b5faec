"""What a hall board says: the WAV it asks the hub for each call (the right clips in the
right order), one announcement after another, repeated as the hall says, and never
stuck behind a clip that failed."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from livehub import LiveHub, tone_wav
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from server.voice.sentence import build_call, build_recall

pytestmark = pytest.mark.browser

TONE_SECONDS = 0.5
TONE = tone_wav(TONE_SECONDS)


@dataclass
class Speaker:
    """Answers /voice/say.wav like the hub would, and remembers what was asked, when."""

    fail_next: int = 0
    asked: list[tuple[float, list[str]]] = field(default_factory=list)

    def handle(self, route: Route) -> None:
        clips = parse_qs(urlparse(route.request.url).query)["clips"][0].split(",")
        self.asked.append((time.monotonic(), clips))
        if self.fail_next:
            self.fail_next -= 1
            route.fulfill(status=503, body=b"")
        else:
            route.fulfill(status=200, body=TONE, headers={"Content-Type": "audio/wav"})


@pytest.fixture(scope="module")
def speaker() -> Speaker:
    return Speaker()


@pytest.fixture(scope="module")
def context(browser: Browser, speaker: Speaker) -> Iterator[BrowserContext]:
    ctx = browser.new_context()
    ctx.route("**/voice/say.wav*", speaker.handle)
    yield ctx
    ctx.close()


def open_board(context: BrowserContext, url: str) -> Page:
    page = context.new_page()
    page.goto(url)
    expect(page.locator("body")).to_have_attribute("data-connected", "true")
    return page


@pytest.fixture(scope="module")
def board(context: BrowserContext, live_hub: LiveHub) -> Page:
    return open_board(context, f"{live_hub.base}/board/hall/demo")


@pytest.fixture(scope="module")
def clerks(live_hub: LiveHub) -> dict[int, dict[str, str]]:
    return {1: live_hub.login("C001", window=1), 5: live_hub.login("C005", window=5)}


def voice_log(page: Page) -> list[dict[str, Any]]:
    return list(page.evaluate("() => window.__board.announcer.log"))


def wait_for_announcements(page: Page, n: int) -> list[dict[str, Any]]:
    page.wait_for_function(
        "n => window.__board.announcer.log.filter(e => e.ended !== null).length >= n",
        arg=n,
        timeout=20000,
    )
    return voice_log(page)


def hall_setting(live_hub: LiveHub, page: Page, **fields: Any) -> None:
    live_hub.update_hall(**fields)
    for key, value in fields.items():
        page.wait_for_function("([k, v]) => window.__board.state().hall[k] === v", arg=[key, value])


def test_each_call_is_announced_in_order_one_after_another(
    live_hub: LiveHub,
    context: BrowserContext,
    board: Page,
    speaker: Speaker,
    clerks: dict[int, dict[str, str]],
) -> None:
    silent = open_board(context, f"{live_hub.base}/board/hall/demo?voice=0")
    window_board = open_board(context, f"{live_hub.base}/board/window/demo/1")
    silent_requests: list[str] = []
    for page in (silent, window_board):
        page.on("request", lambda r: silent_requests.append(r.url) if "/voice/" in r.url else None)
    live_hub.issue("A"), live_hub.issue("B")
    speaker.asked.clear()
    first = live_hub.window_action(clerks[1], 1, "call-next")["called"]
    second = live_hub.window_action(clerks[5], 5, "call-next")["called"]
    live_hub.window_action(clerks[1], 1, "recall")

    log = wait_for_announcements(board, 3)
    expected = [
        build_call(first, 1, english=False, repeat=1),
        build_call(second, 5, english=False, repeat=1),
        build_recall(first, 1, english=False, repeat=1),
    ]
    assert [clips for _, clips in speaker.asked] == expected
    assert [e["clips"] for e in log] == expected
    assert [(e["ticket"], e["recall"]) for e in log] == [
        (first, False),
        (second, False),
        (first, True),
    ]
    for earlier, later in pairwise(log):
        # The next WAV is not even fetched before the previous one finished playing.
        assert later["requested"] >= earlier["ended"]
        assert later["started"] >= earlier["ended"]
    for entry in log:
        assert entry["error"] is None
        assert entry["ended"] - entry["started"] >= TONE_SECONDS * 1000 * 0.9
    gaps = [b[0] - a[0] for a, b in pairwise(speaker.asked)]
    assert all(gap >= TONE_SECONDS * 0.9 for gap in gaps), gaps

    assert silent_requests == []  # voice=0 and window boards stay silent
    silent.close()
    window_board.close()
    live_hub.window_action(clerks[1], 1, "finish")
    live_hub.window_action(clerks[5], 5, "finish")


def test_the_halls_repeat_and_english_settings_are_followed(
    live_hub: LiveHub, board: Page, speaker: Speaker, clerks: dict[int, dict[str, str]]
) -> None:
    hall_setting(live_hub, board, voice_repeat=2, english_voice=True)
    done = len(voice_log(board))
    live_hub.issue("A")
    speaker.asked.clear()
    ticket = live_hub.window_action(clerks[1], 1, "call-next")["called"]

    entry = wait_for_announcements(board, done + 1)[done]
    expected = build_call(ticket, 1, english=True, repeat=1)
    assert "en_window" in expected  # the English sentence follows the Chinese one
    assert [clips for _, clips in speaker.asked] == [expected]  # one WAV, played twice
    assert entry["repeat"] == 2
    assert entry["ended"] - entry["started"] >= 2 * TONE_SECONDS * 1000 * 0.9
    hall_setting(live_hub, board, voice_repeat=1, english_voice=False)
    live_hub.window_action(clerks[1], 1, "finish")


def test_a_clip_that_fails_never_blocks_the_announcements_after_it(
    live_hub: LiveHub, board: Page, speaker: Speaker, clerks: dict[int, dict[str, str]]
) -> None:
    done = len(voice_log(board))
    live_hub.issue("A"), live_hub.issue("B")
    speaker.asked.clear()
    speaker.fail_next = 1  # the first announcement cannot be fetched
    failing = live_hub.window_action(clerks[1], 1, "call-next")["called"]
    working = live_hub.window_action(clerks[5], 5, "call-next")["called"]
    log = wait_for_announcements(board, done + 2)[done:]
    assert [e["ticket"] for e in log] == [failing, working]
    assert log[0]["error"] == "HTTP 503"
    assert log[1]["error"] is None
    assert log[1]["ended"] - log[1]["started"] >= TONE_SECONDS * 1000 * 0.9


def test_a_call_missed_in_a_gap_is_announced_after_the_resync(
    live_hub: LiveHub, board: Page, clerks: dict[int, dict[str, str]]
) -> None:
    done = len(voice_log(board))
    resyncs = board.evaluate("() => window.__board.socket.counts.resyncs")
    live_hub.issue("B")
    # As if the board had lost the last event: the next one looks like a gap.
    board.evaluate("() => { window.__board.socket.seq -= 1; }")
    ticket = live_hub.window_action(clerks[5], 5, "call-next")["called"]
    log = wait_for_announcements(board, done + 1)
    assert [e["ticket"] for e in log[done:]] == [ticket]
    assert board.evaluate("() => window.__board.socket.counts.resyncs") == resyncs + 1
    expect(board.locator("#now-ticket")).to_have_text(ticket)
    board.wait_for_timeout(600)
    assert len(voice_log(board)) == done + 1  # announced once
    live_hub.window_action(clerks[5], 5, "finish")


REFUSING_BROWSER = """
(() => {
  // What chromium does without --autoplay-policy=no-user-gesture-required until someone
  // clicks the page (headless chromium plays regardless, so the refusal is reproduced).
  let clicked = false;
  document.addEventListener("click", () => { clicked = true; }, true);
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function () {
    if (clicked) return play.call(this);
    return Promise.reject(new DOMException(
      "play() failed because the user didn't interact with the document first.",
      "NotAllowedError"));
  };
})();
"""


def test_a_browser_that_refuses_sound_says_so_and_a_click_enables_it(
    live_hub: LiveHub, context: BrowserContext, clerks: dict[int, dict[str, str]]
) -> None:
    page = context.new_page()
    page.add_init_script(REFUSING_BROWSER)
    page.goto(f"{live_hub.base}/board/hall/demo")
    expect(page.locator("body")).to_have_attribute("data-connected", "true")
    live_hub.issue("A")
    live_hub.window_action(clerks[1], 1, "call-next")
    live_hub.window_action(clerks[1], 1, "recall")
    log = wait_for_announcements(page, 2)  # the refused one does not hold up the next
    assert all("user didn't interact" in (e["error"] or "") for e in log)
    expect(page.locator("#sound-blocked")).to_be_visible()

    page.mouse.click(960, 540)
    expect(page.locator("#sound-blocked")).to_be_hidden()
    live_hub.window_action(clerks[1], 1, "recall")
    entry = wait_for_announcements(page, 3)[2]
    assert entry["error"] is None
    assert entry["ended"] - entry["started"] >= TONE_SECONDS * 1000 * 0.9
    live_hub.window_action(clerks[1], 1, "finish")
    page.close()
