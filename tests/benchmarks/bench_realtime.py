"""Benchmark: call-to-board latency with 1,000 connected websocket screens.

Case 1: one hub process on SQLite (the embedded default), 1,000 screens connected to it.
Case 2: two hub processes on PostgreSQL with Redis; calls are made on process A and all
1,000 screens are connected to process B, so every event crosses Redis.

Clerks at 12 windows press "call next" at a steady rate, stepped up (1, 2, 5, 10, 20,
40 calls/s); for each step the script prints the latency from sending the call request to
each screen receiving the call (p50/p99 over every call x screen), and the highest rate
before latency degrades: the last step, from the slowest up, at which every screen got
every call and 99 % of them within 1 s. The screens run in two separate client processes so the clients' own work does not
sit in the hub's process. Prints numbers; asserts nothing. Usage:

    .venv/bin/python tests/benchmarks/bench_realtime.py [--clients 1000] [--seconds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import psycopg
from benchkit import free_port, percentile

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
PG_ADMIN = os.environ.get("HALL_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("HALL_TEST_REDIS", "redis://127.0.0.1:6379/0")
RATES = [1, 2, 5, 10, 20, 40]
WINDOWS = 12
MARK = '"call":{"ticket":"'


# ---- the screens (a separate process) ---------------------------------------------------


async def screens(url: str, count: int) -> None:
    from websockets.asyncio.client import connect

    received: dict[str, list[float]] = {}
    stop = asyncio.Event()

    ready: list[int] = []
    sem = asyncio.Semaphore(50)  # handshakes at a time

    async def one() -> None:
        async with sem:
            ws = await connect(url, open_timeout=60, max_size=2**22)
            await ws.recv()  # the snapshot
        ready.append(1)
        try:
            while not stop.is_set():
                try:
                    msg = await asyncio.wait_for(ws.recv(), 0.5)
                except TimeoutError:
                    continue
                at = time.time()
                text = msg if isinstance(msg, str) else msg.decode()
                i = text.find(MARK)
                while i >= 0:  # a batch may carry several calls
                    j = i + len(MARK)
                    received.setdefault(text[j : text.index('"', j)], []).append(at)
                    i = text.find(MARK, j)
        finally:
            await ws.close()

    tasks = [asyncio.create_task(one()) for _ in range(count)]
    while len(ready) < count:
        await asyncio.sleep(0.1)
        for t in tasks:
            if t.done() and t.exception():
                raise t.exception()  # type: ignore[misc]
    print("READY", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    print(json.dumps(received), flush=True)


# ---- the hub and the clerks -------------------------------------------------------------


class Hub:
    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [
                PY,
                "-m",
                "uvicorn",
                "server.web.app:app_from_env",
                "--factory",
                "--port",
                str(self.port),
                "--log-level",
                "warning",
                "--ws-per-message-deflate",
                "false",
            ],
            env=env,
            cwd=ROOT,
        )
        for _ in range(300):
            try:
                httpx.get(f"{self.base}/api/v1/halls", timeout=1)
                return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("hub did not start")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(20)


def fresh_pg() -> str:
    name = f"hallq_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


def drop_pg(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


async def drive(
    api: str, kiosk: str, rates: list[int], seconds: float, screens_up: Callable[[], None]
) -> tuple[dict[str, float], dict[str, int]]:
    """Issue enough tickets, connect the screens, then call at each rate; returns the
    send time of each called ticket and the rate it was called at."""
    sent: dict[str, float] = {}
    rate_of: dict[str, int] = {}
    failed: dict[int, int] = {}
    async with httpx.AsyncClient(base_url=api, timeout=30) as http:
        clerks = []
        for w in range(1, WINDOWS + 1):
            r = await http.post(
                "/auth/login",
                json={"hall": "demo", "staff_no": f"C{w:03d}", "password": "demo1234", "window": w},
            )
            r.raise_for_status()
            clerks.append((w, {"Authorization": f"Bearer {r.json()['token']}"}))
        queues = ["A", "B", "C", "D", "E", "F"]
        needed = int(sum(rates) * seconds * 1.1) + WINDOWS * 2
        sem = asyncio.Semaphore(8)

        async def issue(i: int) -> None:
            async with sem:
                r = await http.post(
                    "/halls/demo/tickets",
                    json={"queue": queues[i % len(queues)]},
                    headers={"Authorization": f"Bearer {kiosk}"},
                )
                r.raise_for_status()

        await asyncio.gather(*(issue(i) for i in range(needed)))
        screens_up()  # after issuing: the screens measure calls, not a backlog of tickets
        for rate in rates:
            n = int(rate * seconds)
            start = time.monotonic()
            pending = []
            took: list[float] = []

            async def call(
                w: int, headers: dict[str, str], rate: int = rate, took: list[float] = took
            ) -> None:
                t0 = time.time()
                try:
                    r = await http.post(f"/halls/demo/windows/{w}/call-next", headers=headers)
                except httpx.HTTPError:
                    failed[rate] = failed.get(rate, 0) + 1
                    return
                took.append(time.time() - t0)
                if r.status_code == 200 and r.json().get("called"):
                    sent[r.json()["called"]] = t0
                    rate_of[r.json()["called"]] = rate

            for i in range(n):
                target = start + i / rate
                await asyncio.sleep(max(0.0, target - time.monotonic()))
                w, headers = clerks[i % WINDOWS]
                pending.append(asyncio.create_task(call(w, headers)))
            await asyncio.gather(*pending)
            await asyncio.sleep(1.0)
            if failed.get(rate) or (took and percentile(took, 0.5) > 2.0):
                print(f"  stopped after {rate} calls/s: the hub no longer keeps up", flush=True)
                break
    return sent, rate_of


def run_case(label: str, env: dict[str, str], processes: int, clients: int, seconds: float) -> None:
    out = subprocess.run(
        [PY, "-m", "server.cli", "demo", "--no-serve"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    kiosk = out.split("kiosk K01 token: ")[1].split()[0]
    hubs = [Hub(env) for _ in range(processes)]
    callee, screen_hub = hubs[0], hubs[-1]
    ws_url = f"ws://127.0.0.1:{screen_hub.port}/ws/halls/demo"
    workers: list[subprocess.Popen[str]] = []
    connect_s = 0.0

    def screens_up() -> None:
        nonlocal connect_s
        t0 = time.monotonic()
        for _ in range(2):
            workers.append(
                subprocess.Popen(
                    [PY, __file__, "--screens", ws_url, str(clients // 2)],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    text=True,
                    cwd=ROOT,
                )
            )
        for w in workers:
            assert w.stdout is not None
            line = w.stdout.readline()
            assert line.strip() == "READY", line
        connect_s = time.monotonic() - t0
        time.sleep(2.0)  # let the connection burst settle

    try:
        sent, rate_of = asyncio.run(
            drive(f"{callee.base}/api/v1", kiosk, RATES, seconds, screens_up)
        )
        received: dict[str, list[float]] = {}
        for w in workers:
            assert w.stdin is not None and w.stdout is not None
            w.stdin.write("stop\n")
            w.stdin.flush()
            for code, times in json.loads(w.stdout.readline()).items():
                received.setdefault(code, []).extend(times)
            w.wait(30)
    finally:
        for w in workers:
            if w.poll() is None:
                w.kill()
        for h in hubs:
            h.stop()

    print(f"\n== {label}: {clients} screens connected in {connect_s:.1f} s")
    print(
        f"{'calls/s':>8} {'calls':>6} {'delivered':>10} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}"
    )
    best = None
    degraded = False
    for rate in RATES:
        codes = [c for c, r in rate_of.items() if r == rate]
        lat = [(t - sent[c]) * 1000 for c in codes for t in received.get(c, [])]
        expected = len(codes) * clients
        if not lat:
            print(f"{rate:>8} {len(codes):>6} {'0':>10}")
            degraded = True
            continue
        p50, p99 = percentile(lat, 0.5), percentile(lat, 0.99)
        print(
            f"{rate:>8} {len(codes):>6} {len(lat) / max(1, expected):>9.1%} "
            f"{p50:>8.0f} {p99:>8.0f} {max(lat):>8.0f}"
        )
        if len(lat) >= expected and p99 <= 1000 and not degraded:
            best = rate
        else:
            degraded = True
    print(f"highest rate with every call on every screen within 1 s (p99): {best} calls/s")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--screens":
        asyncio.run(screens(sys.argv[2], int(sys.argv[3])))
        return
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=1000)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--only", choices=["sqlite", "redis"])
    args = ap.parse_args()
    common = {
        **os.environ,
        "HALL_DAY_CHECK_SECONDS": "3600",
        "HALL_DEVICES_FILE": "/nonexistent/devices.toml",
    }
    common.pop("REDIS_URL", None)
    if args.only in (None, "sqlite"):
        with tempfile.TemporaryDirectory() as tmp:
            env = {**common, "DATABASE_URL": f"sqlite:///{tmp}/hall.db"}
            run_case("one process, SQLite", env, 1, args.clients, args.seconds)
    if args.only in (None, "redis"):
        url = fresh_pg()
        try:
            env = {
                **common,
                "DATABASE_URL": url,
                "REDIS_URL": REDIS_URL,
                "HALL_REDIS_CHANNEL": f"bench_{uuid.uuid4().hex[:6]}",
            }
            run_case("two processes, PostgreSQL + Redis", env, 2, args.clients, args.seconds)
        finally:
            drop_pg(url)


if __name__ == "__main__":
    main()
