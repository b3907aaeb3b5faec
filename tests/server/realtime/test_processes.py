"""Several hub processes on one database: a call made on one reaches screens on another.

Real uvicorn processes, real PostgreSQL (LISTEN/NOTIFY) and real Redis (pub/sub). The
listener's connection is cut from the server side, as a network blip or a database
restart would, and the process must listen again and resynchronise its screens.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest
import redis
from hubproc import REDIS_URL, fresh_demo, hub_env, hub_process
from hubprocess import HubProcess
from testclock import FakeClock
from websockets.sync.client import ClientConnection, connect


def next_message(ws: ClientConnection, timeout: float) -> dict[str, Any]:
    msg: dict[str, Any] = json.loads(ws.recv(timeout=timeout))
    return msg


def wait_for(ws: ClientConnection, want: Any, timeout: float = 5.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    seen = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"not received within {timeout} s; saw {seen}")
        try:
            msg = next_message(ws, left)
        except TimeoutError:
            continue
        for one in msg["items"] if msg["type"] == "batch" else [msg]:
            seen.append((one["type"], one.get("kind"), one.get("seq")))
            if want(one):
                return one


def call_of(ticket: str) -> Any:
    def match(msg: dict[str, Any]) -> bool:
        if msg["type"] == "event":
            return bool((msg.get("patch") or {}).get("call", {}).get("ticket") == ticket)
        if msg["type"] == "snapshot":
            calls = msg["state"]["calls"]
            return bool(calls and calls[0]["ticket"] == ticket)
        return False

    return match


@pytest.fixture
def pg_demo(pg_url: str) -> tuple[str, dict[str, str]]:
    return pg_url, fresh_demo(pg_url)


def _run_calls(a: HubProcess, b: HubProcess, tokens: dict[str, str], cut: Any) -> None:
    kiosk = {"Authorization": f"Bearer {tokens['K01']}"}
    r = a.http.post(
        "/api/v1/auth/login",
        json={"hall": "demo", "staff_no": "C001", "password": "demo1234", "window": 1},
    )
    assert r.status_code == 200, r.text
    clerk = {"Authorization": f"Bearer {r.json()['token']}"}
    codes = []
    for _ in range(2):
        r = a.http.post("/api/v1/halls/demo/tickets", json={"queue": "A"}, headers=kiosk)
        assert r.status_code == 201, r.text
        codes.append(r.json()["code"])

    with connect(f"ws://127.0.0.1:{b.port}/ws/halls/demo", open_timeout=10) as ws:
        first = next_message(ws, 10)
        assert first["type"] == "snapshot"
        started = time.monotonic()
        r = a.http.post("/api/v1/halls/demo/windows/1/call-next", headers=clerk)
        assert r.status_code == 200, r.text
        msg = wait_for(ws, call_of(codes[0]), timeout=3)
        assert msg["type"] == "event" and msg["seq"] > first["seq"]
        assert time.monotonic() - started < 3

        # Cut B's listener; a call made meanwhile must still reach B's screens.
        cut()
        r = a.http.post("/api/v1/halls/demo/windows/1/call-next", headers=clerk)
        assert r.status_code == 200, r.text
        msg = wait_for(ws, call_of(codes[1]), timeout=15)
        assert msg["state" if msg["type"] == "snapshot" else "patch"]


def test_postgres_notify_reaches_the_other_process_and_survives_a_cut(
    pg_demo: tuple[str, dict[str, str]], tmp_path: Path, clock: FakeClock
) -> None:
    url, tokens = pg_demo
    env = hub_env(tmp_path)
    env.pop("REDIS_URL", None)
    os.environ.pop("REDIS_URL", None)
    a = hub_process(url, env, tmp_path / "a.log", clock.tick())
    b = hub_process(url, env, tmp_path / "b.log", clock.tick())

    def cut() -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            rows = conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE query LIKE 'LISTEN%%' AND datname = current_database()"
            ).fetchall()
        assert len(rows) == 2  # one listener per hub process

    try:
        _run_calls(a, b, tokens, cut)
    finally:
        a.close()
        b.close()


def test_redis_reaches_the_other_process_and_survives_a_cut(
    pg_demo: tuple[str, dict[str, str]], tmp_path: Path, clock: FakeClock
) -> None:
    url, tokens = pg_demo
    channel = f"hall_test_{uuid.uuid4().hex[:8]}"
    env = hub_env(tmp_path, REDIS_URL=REDIS_URL, HALL_REDIS_CHANNEL=channel)
    a = hub_process(url, env, tmp_path / "a.log", clock.tick())
    b = hub_process(url, env, tmp_path / "b.log", clock.tick())
    r = redis.Redis.from_url(REDIS_URL)

    def cut() -> None:
        killed = 0
        for c in r.client_list(_type="pubsub"):
            if c.get("name") == f"hall-hub-{channel}":
                r.client_kill_filter(_id=c["id"])
                killed += 1
        assert killed >= 2

    try:
        # Both processes subscribed to this installation's channel.
        deadline = time.monotonic() + 10
        while r.pubsub_numsub(channel)[0][1] < 2:
            assert time.monotonic() < deadline, "hub processes did not subscribe"
            time.sleep(0.1)
        _run_calls(a, b, tokens, cut)
    finally:
        a.close()
        b.close()
        r.close()
