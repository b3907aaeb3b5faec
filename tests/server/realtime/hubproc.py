"""Hub processes for multi-process tests: uvicorn on a free port, on a shared database."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psycopg

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


def fresh_demo(pg_url: str) -> dict[str, str]:
    """Empty the test database and load the demo hall, open around the clock."""
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
        return load_demo(db, always_open=True).device_tokens
    finally:
        db.dispose()


def hub_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "HALL_DEVICES_FILE": str(tmp_path / "no-devices.toml"),
        "HALL_VOICE_DIR": str(tmp_path / "voice"),
        "HALL_ARGON2_TIME_COST": "1",
        "HALL_ARGON2_MEMORY_KIB": "1024",
        "HALL_SEQ_CHECK_SECONDS": "3600",  # prove the bus itself, not the fallback check
        **extra,
    }
