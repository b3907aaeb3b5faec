"""Several hub processes on one database: a call made on one reaches screens on another.

Real uvicorn processes, real PostgreSQL (LISTEN/NOTIFY) and real Redis (pub/sub). The
listener's connection is cut from the server side, as a network blip or a database
restart would, and the process must listen again and resynchronise its screens.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import redis
from websockets.sync.client import ClientConnection, connect

from server.demo.load import load_demo
from server.store.db import Database

ROOT = Path(__file__).resolve().parents[3]
REDIS_URL = "redis://127.0.0.1:6379/0"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class HubProcess:
    def __init__(self, db_url: str, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.ws = f"ws://127.0.0.1:{self.port}/ws/halls/demo"
        self.log = log
        self.http = httpx.Client(base_url=self.base, timeout=10)
        out = log.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "server.web.app:app_from_env",
             "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"],
            cwd=ROOT,
            env={**os.environ, **env, "DATABASE_URL": db_url},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        out.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(log.read_text()[-3000:])
            try:
                if self.http.get("/api/v1/halls").status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError(f"hub did not start: {log.read_text()[-3000:]}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.http.close()


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
        seen.append((msg["type"], msg.get("kind"), msg.get("seq"), str(msg.get("patch"))[:300]))
        if want(msg):
            return msg


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
def pg_demo(pg_url: str) -> Iterator[tuple[str, dict[str, str]]]:
    with psycopg.connect(pg_url, autocommit=True) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'alembic_version'"
            )
        ]
        conn.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
    db = Database(pg_url)
    try:
        tokens = load_demo(db, always_open=True).device_tokens
    finally:
        db.dispose()
    yield pg_url, tokens


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        "HALL_DEVICES_FILE": str(tmp_path / "no-devices.toml"),
        "HALL_VOICE_DIR": str(tmp_path / "voice"),
        "HALL_ARGON2_TIME_COST": "1",
        "HALL_ARGON2_MEMORY_KIB": "1024",
        "HALL_SEQ_CHECK_SECONDS": "1",
        **extra,
    }
    return env


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

    with connect(b.ws, open_timeout=10) as ws:
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
    pg_demo: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    url, tokens = pg_demo
    env = _env(tmp_path)
    env.pop("REDIS_URL", None)
    os.environ.pop("REDIS_URL", None)
    a = HubProcess(url, env, tmp_path / "a.log")
    b = HubProcess(url, env, tmp_path / "b.log")

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
        a.stop()
        b.stop()


def test_redis_reaches_the_other_process_and_survives_a_cut(
    pg_demo: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    url, tokens = pg_demo
    channel = f"hall_test_{uuid.uuid4().hex[:8]}"
    env = _env(tmp_path, REDIS_URL=REDIS_URL, HALL_REDIS_CHANNEL=channel)
    a = HubProcess(url, env, tmp_path / "a.log")
    b = HubProcess(url, env, tmp_path / "b.log")
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
        a.stop()
        b.stop()
        r.close()
