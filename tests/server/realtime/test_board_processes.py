"""In real chromium: with Redis and two hub processes, a call made on one reaches a hall
board and a window board connected to the other."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hubproc import REDIS_URL, fresh_demo, hub_env, hub_process
from hubprocess import HubProcess, chromium
from playwright.sync_api import expect
from testclock import FakeClock

pytestmark = pytest.mark.browser


@pytest.fixture
def two_hubs(
    pg_url: str, tmp_path: Path, clock: FakeClock
) -> Iterator[tuple[HubProcess, HubProcess, dict[str, str]]]:
    tokens = fresh_demo(pg_url)
    env = hub_env(
        tmp_path, REDIS_URL=REDIS_URL, HALL_REDIS_CHANNEL=f"hall_test_{uuid.uuid4().hex[:8]}"
    )
    a = hub_process(pg_url, env, tmp_path / "a.log", clock.tick())
    b = hub_process(pg_url, env, tmp_path / "b.log", clock.tick())
    try:
        yield a, b, tokens
    finally:
        a.close()
        b.close()


def test_a_call_on_one_process_shows_on_boards_of_the_other(
    two_hubs: tuple[HubProcess, HubProcess, dict[str, str]],
) -> None:
    a, b, tokens = two_hubs
    r = a.http.post(
        "/api/v1/auth/login",
        json={"hall": "demo", "staff_no": "C003", "password": "demo1234", "window": 3},
    )
    assert r.status_code == 200, r.text
    clerk = {"Authorization": f"Bearer {r.json()['token']}"}
    r = a.http.post(
        "/api/v1/halls/demo/tickets",
        json={"queue": "A"},
        headers={"Authorization": f"Bearer {tokens['K01']}"},
    )
    assert r.status_code == 201, r.text
    code = r.json()["code"]

    with chromium() as browser:
        hall = browser.new_page(viewport={"width": 1920, "height": 1080})
        hall.goto(f"{b.base}/board/hall/demo")
        window = browser.new_page(viewport={"width": 1280, "height": 720})
        window.goto(f"{b.base}/board/window/demo/3")
        expect(hall.locator("#conn")).to_be_hidden()
        expect(hall.locator("#now-ticket")).not_to_have_text(code)

        r = a.http.post("/api/v1/halls/demo/windows/3/call-next", headers=clerk)
        assert r.status_code == 200 and r.json()["called"] == code, r.text

        expect(hall.locator("#now-ticket")).to_have_text(code, timeout=5000)
        expect(hall.locator("#now-window")).to_have_text("3")
        expect(window.locator("body")).to_contain_text(code, timeout=5000)
