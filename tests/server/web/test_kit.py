"""The front-end kit (server/web/static/kit/) in real chromium, on a tiny page served by
Playwright with a scripted WebSocket in place of the hub's: the hall socket applies
events in order, asks for a snapshot on a gap or a ping ahead of it, takes batches, and
reconnects by itself; the API helper throws the hub's error shape."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Route

pytestmark = pytest.mark.browser

KIT = Path(__file__).resolve().parents[3] / "server" / "web" / "static" / "kit"
ORIGIN = "http://kit.test"

# Each socket the page opens is kept in window.sockets; a test plays the hub's part.
FAKE_SOCKET = """
window.sockets = [];
window.WebSocket = class {
  constructor(url) { this.url = url; this.sent = []; window.sockets.push(this); }
  send(text) { this.sent.push(JSON.parse(text)); }
  close() { if (this.onclose) this.onclose(); }
  hubSays(msg) { this.onmessage({ data: JSON.stringify(msg) }); }
};
"""

PAGE = """<!doctype html><html lang="zh-CN"><head><title>kit</title>
<script type="module">
import * as realtime from "/static/kit/realtime.js";
import * as api from "/static/kit/api.js";
window.kit = { realtime, api };
</script></head><body><main>kit</main></body></html>"""


def serve(route: Route) -> None:
    path = route.request.url.removeprefix(ORIGIN)
    if path == "/":
        route.fulfill(body=PAGE, content_type="text/html")
    elif path.startswith("/static/kit/"):
        route.fulfill(path=KIT / path.rsplit("/", 1)[1], content_type="text/javascript")
    elif path == "/api/v1/refused":
        route.fulfill(
            status=409,
            content_type="application/json",
            body='{"error": {"code": "WINDOW_TAKEN", "message_zh": "该窗口已有其他工作人员登录",'
            ' "message_en": "Another clerk is at this window", "details": {}}}',
        )
    else:
        route.abort()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    ctx = browser.new_context()
    ctx.add_init_script(FAKE_SOCKET)
    ctx.route(f"{ORIGIN}/**", serve)
    page = ctx.new_page()
    page.goto(ORIGIN + "/")
    page.wait_for_function("() => window.kit")
    page.evaluate(
        """() => {
        window.seen = [];
        window.hall = new window.kit.realtime.HallSocket("/ws/halls/demo", {
          snapshot: (state, info) => window.seen.push(["snapshot", info.seq, info.previousSeq]),
          event: (msg, state) => window.seen.push(["event", msg.seq]),
          status: (on) => window.seen.push(["status", on]),
        });
        window.hall.start();
      }"""
    )
    yield page
    ctx.close()


def hub_says(page: Page, msg: dict[str, Any], socket: int = -1) -> None:
    page.evaluate("([m, i]) => window.sockets.at(i).hubSays(m)", [msg, socket])


def seen(page: Page) -> list[list[Any]]:
    return list(page.evaluate("() => window.seen"))


def sent(page: Page, socket: int = -1) -> list[dict[str, Any]]:
    return list(page.evaluate("i => window.sockets.at(i).sent", socket))


def snapshot(seq: int, waiting: int) -> dict[str, Any]:
    return {"type": "snapshot", "seq": seq, "state": {"queues": {"A": {"waiting": waiting}}}}


def event(seq: int, waiting: int) -> dict[str, Any]:
    return {
        "type": "event",
        "seq": seq,
        "kind": "ticket_issued",
        "patch": {"queues": {"A": {"waiting": waiting}}},
    }


def waiting(page: Page) -> int:
    return int(page.evaluate("() => window.hall.state.queues.A.waiting"))


def test_events_in_order_apply_and_a_gap_asks_for_a_snapshot(page: Page) -> None:
    assert page.evaluate("() => window.sockets[0].url") == "ws://kit.test/ws/halls/demo"
    hub_says(page, snapshot(5, 1))
    hub_says(page, event(6, 2))
    hub_says(page, event(6, 9))  # the same event again: already applied
    assert waiting(page) == 2
    hub_says(page, event(8, 4))  # 7 never came
    assert waiting(page) == 2, "an event after a gap must not be applied"
    assert sent(page) == [{"type": "resync"}]
    hub_says(page, event(9, 5))  # while the resync is under way: dropped, not re-requested
    assert sent(page) == [{"type": "resync"}]
    hub_says(page, snapshot(9, 5))
    assert waiting(page) == 5
    assert seen(page) == [["status", True], ["snapshot", 5, None], ["event", 6], ["snapshot", 9, 6]]
    counts = page.evaluate("() => window.hall.counts")
    assert counts["gaps"] == 1 and counts["resyncs"] == 1 and counts["events"] == 1


def test_a_ping_ahead_of_the_screen_asks_for_a_snapshot(page: Page) -> None:
    hub_says(page, snapshot(3, 0))
    hub_says(page, {"type": "ping", "seq": 3})
    assert sent(page) == []
    hub_says(page, {"type": "ping", "seq": 4})  # an event went missing, silently
    assert sent(page) == [{"type": "resync"}]


def test_a_batch_is_handled_item_by_item(page: Page) -> None:
    hub_says(page, snapshot(1, 0))
    hub_says(page, {"type": "batch", "items": [event(2, 1), event(3, 2), event(5, 7)]})
    assert waiting(page) == 2
    assert seen(page)[-2:] == [["event", 2], ["event", 3]]
    assert sent(page) == [{"type": "resync"}]


def test_a_closed_socket_is_reopened_and_the_snapshot_replaces_the_state(page: Page) -> None:
    hub_says(page, snapshot(10, 3))
    page.evaluate("() => window.sockets[0].close()")
    assert page.evaluate("() => window.hall.connected") is False
    # The first retry waits 0.25-0.5 s (backoff with jitter).
    page.wait_for_function("() => window.sockets.length === 2", timeout=3000)
    hub_says(page, snapshot(12, 6))
    assert waiting(page) == 6
    assert seen(page)[-3:] == [["status", False], ["status", True], ["snapshot", 12, 10]]
    hub_says(page, event(13, 7), socket=0)  # the old socket's late frame is ignored
    assert waiting(page) == 6


def test_api_errors_carry_the_hubs_code_and_both_languages(page: Page) -> None:
    err = page.evaluate(
        """() => window.kit.api.requestJson("POST", "/api/v1/refused", { body: {} }).then(
          () => null,
          (e) => ({ hub: e instanceof window.kit.api.HubError, code: e.code, status: e.status,
                    zh: e.message_zh, en: e.message_en }))"""
    )
    assert err == {
        "hub": True,
        "code": "WINDOW_TAKEN",
        "status": 409,
        "zh": "该窗口已有其他工作人员登录",
        "en": "Another clerk is at this window",
    }
    down = page.evaluate(
        """() => window.kit.api.requestJson("GET", "/api/v1/gone").then(
          () => null, (e) => e instanceof window.kit.api.HubDown)"""
    )
    assert down is True
