"""The launcher (kiosk_ui/static/launcher.html): what a kiosk's or board's chromium opens
from disk at boot. It waits for a hub that is not there yet, saying so, and opens the
hub's page by itself when the hub is ready; a wrong address is said, never looped on."""

from __future__ import annotations

import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from kiosk_hub import KioskHub, axe_violations, screenshot_folder, wait_until
from playwright.sync_api import Browser, Page, expect

from server.store import db as store_db
from server.web.kiosk import LAUNCHER

LAUNCHER_URL = LAUNCHER.as_uri()
PORTRAIT = {"width": 1080, "height": 1920}
LANDSCAPE = {"width": 1920, "height": 1080}


def launcher_url(to: str | None = None, extra: str = "") -> str:
    query = [] if to is None else [f"to={quote(to, safe='')}"]
    if extra:
        query.append(extra)
    return LAUNCHER_URL + ("?" + "&".join(query) if query else "")


@pytest.fixture(scope="module")
def late_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KioskHub]:
    """A hub with its port chosen and its database ready, not started: each test starts it."""
    hub = KioskHub(tmp_path_factory.mktemp("latehub"))
    try:
        yield hub
    finally:
        hub.close()


@pytest.fixture
def hub_down(late_hub: KioskHub) -> KioskHub:
    late_hub.stop()
    return late_hub


def open_launcher(browser: Browser, url: str, viewport: dict[str, int]) -> Page:
    page = browser.new_context(viewport=viewport).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors  # type: ignore[attr-defined]
    page.goto(url)
    return page


def still_launcher(page: Page) -> None:
    """On the launcher, not on chromium's "This site can't be reached" (chrome-error://)."""
    assert page.url.startswith("file://"), page.url
    assert page.errors == [], page.errors  # type: ignore[attr-defined]


def attempts(page: Page) -> int:
    return int(page.evaluate("Number(document.documentElement.dataset.attempts || 0)"))


def shoot(page: Page, name: str) -> Path:
    path = screenshot_folder() / f"launcher-{name}.png"
    page.screenshot(path=str(path))
    return path


# ---- served by the hub ------------------------------------------------------------------


def test_the_hub_serves_the_launcher_for_download(client: TestClient) -> None:
    r = client.get("/launcher.html")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.content == LAUNCHER.read_bytes()


def test_ready_answers_200_as_a_script_and_503_when_the_database_fails(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    r = client.get("/launcher/ready.js?t=1")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/javascript")
    assert r.headers["cache-control"] == "no-store"
    # The readiness query fails (only this one: the hub's background tasks go on).
    monkeypatch.setattr(store_db, "READINESS_QUERY", "SELECT * FROM no_such_table")
    r = client.get("/launcher/ready.js")
    assert r.status_code == 503 and r.headers["content-type"].startswith("text/javascript")


def test_the_launcher_is_self_contained() -> None:
    html = LAUNCHER.read_text(encoding="utf-8")
    for external in ("<link", " src=", "@import", "url("):
        assert external not in html, external


# ---- in chromium ------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.slow
def test_kiosk_waits_for_the_hub_and_opens_by_itself(browser: Browser, hub_down: KioskHub) -> None:
    hub = hub_down
    token = hub.tokens["K01"]
    page = open_launcher(
        browser,
        launcher_url(f"{hub.base}/kiosk/demo?device=K01&orientation=portrait&token={token}"),
        PORTRAIT,
    )
    expect(page.locator("html")).to_have_attribute("data-view", "kiosk")
    notice = page.locator("#kiosk")
    expect(notice).to_be_visible()
    expect(notice.locator("h1")).to_contain_text("系统正在启动")
    expect(notice).to_contain_text("请到咨询台咨询")
    expect(notice).to_contain_text("Please ask at the guide desk")
    expect(page.locator("#retry")).to_contain_text(f"127.0.0.1:{hub.port}")
    # It keeps trying, and stays on its own page.
    wait_until(lambda: attempts(page) >= 3, timeout=15)
    still_launcher(page)
    assert token not in page.locator("body").inner_text()
    assert axe_violations(page) == []
    shoot(page, "kiosk-portrait")
    page.set_viewport_size(LANDSCAPE)
    shoot(page, "kiosk-landscape")

    hub.start()
    # Retries are at most 5 s apart (4 s and jitter): the launcher leaves within seconds.
    page.wait_for_url(f"{hub.base}/**", timeout=7000)
    page.wait_for_selector("body[data-ready=true]", timeout=15000)
    assert page.url.startswith(f"{hub.base}/kiosk/demo?device=K01")
    # The kiosk page took the token (provisioned) and removed it from the address bar.
    assert "token=" not in page.url
    stored = page.evaluate("JSON.stringify(Object.assign({}, localStorage))")
    assert token in stored
    page.context.close()


@pytest.mark.browser
@pytest.mark.slow
def test_board_shows_the_time_and_connecting_then_opens_by_itself(
    browser: Browser, hub_down: KioskHub
) -> None:
    hub = hub_down
    page = open_launcher(browser, launcher_url(f"{hub.base}/board/hall/demo?voice=0"), LANDSCAPE)
    expect(page.locator("html")).to_have_attribute("data-view", "board")
    screen = page.locator("#board")
    expect(screen).to_be_visible()
    expect(screen.locator("h1")).to_have_text("系统连接中 Connecting")
    expect(page.locator("#time")).to_have_text(re.compile(r"^([01]\d|2[0-3]):[0-5]\d$"))
    expect(page.locator("#date")).to_contain_text("星期")
    # Neutral: it sends nobody anywhere, and says nothing about the hub's address.
    text = page.locator("body").inner_text()
    assert "咨询台" not in text and "guide desk" not in text and "127.0.0.1" not in text
    wait_until(lambda: attempts(page) >= 2, timeout=10)
    still_launcher(page)
    assert axe_violations(page) == []
    shoot(page, "board-landscape")

    hub.start()
    page.wait_for_url(f"{hub.base}/**", timeout=7000)
    expect(page.locator("body")).to_have_attribute("data-connected", "true", timeout=15000)
    assert page.url == f"{hub.base}/board/hall/demo?voice=0"
    page.context.close()


class _Answer502(http.server.BaseHTTPRequestHandler):
    """A reverse proxy in front of a hub that is not up: 502 for everything."""

    def do_GET(self) -> None:
        body = b"<html><body>502 Bad Gateway</body></html>"
        self.send_response(502)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.mark.browser
@pytest.mark.slow
def test_an_answer_that_is_not_ready_is_waited_out(browser: Browser, hub_down: KioskHub) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", hub_down.port), _Answer502)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        page = open_launcher(
            browser, launcher_url(f"{hub_down.base}/kiosk/demo?device=K01"), PORTRAIT
        )
        expect(page.locator("#kiosk")).to_be_visible()
        wait_until(lambda: attempts(page) >= 3, timeout=15)
        still_launcher(page)
        expect(page.locator("html")).to_have_attribute("data-state", "waiting")
        page.context.close()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.mark.browser
def test_kind_board_overrides_the_path(browser: Browser) -> None:
    page = open_launcher(
        browser,
        launcher_url("http://127.0.0.1:9/kiosk/demo?device=K01", extra="kind=board"),
        LANDSCAPE,
    )
    expect(page.locator("html")).to_have_attribute("data-view", "board")
    expect(page.locator("#board")).to_be_visible()
    expect(page.locator("#kiosk")).to_be_hidden()
    page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("to", "extra", "problem"),
    [
        (None, "", "缺少参数 to"),
        ("hub:8000/kiosk/demo", "", "不是完整的 http:// 或 https:// 网址"),
        ("file:///etc/hostname", "", "不是完整的 http:// 或 https:// 网址"),
        ("http://127.0.0.1:9/kiosk/demo", "kind=phone", "参数 kind 只能是 kiosk 或 board"),
        # Not URL-encoded: the kiosk's own parameters land beside "to".
        (None, "to=http://127.0.0.1:9/kiosk/demo?device=K01&token=SECRET42", "多余的参数：token"),
    ],
    ids=["missing", "no-scheme", "file", "bad-kind", "not-encoded"],
)
def test_a_wrong_address_is_a_configuration_error_not_a_loop(
    browser: Browser, to: str | None, extra: str, problem: str
) -> None:
    page = open_launcher(browser, launcher_url(to, extra), PORTRAIT)
    expect(page.locator("html")).to_have_attribute("data-view", "config")
    expect(page.locator("#config h1")).to_contain_text("启动页配置错误")
    expect(page.locator("#config .problem")).to_contain_text(problem)
    expect(page.locator("#example")).to_contain_text("launcher.html?to=http%3A%2F%2F")
    expect(page.locator("#retry")).to_be_hidden()
    page.wait_for_timeout(1500)
    still_launcher(page)
    assert attempts(page) == 0
    assert "SECRET42" not in page.locator("body").inner_text()
    if to is None and not extra:
        assert axe_violations(page) == []
        shoot(page, "config-error-portrait")
    page.context.close()
