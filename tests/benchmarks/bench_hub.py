"""Benchmark: tickets issued per second and call-next latency with 20 concurrent clients.

Runs a real hub (uvicorn, one process) on SQLite and on PostgreSQL and drives it over
HTTP from 20 client threads. The clerks' phase runs twice in the same hub: as the clerk
screen works now (call-next only; the screen ignores its own echo) and as it worked
before (each call-next followed by a GET of the window view). On PostgreSQL it also
counts the transactions per call-next from pg_stat_database, less the idle hub's own.
Prints numbers; asserts nothing. Usage:

    .venv/bin/python tests/benchmarks/bench_hub.py [--tickets 1000] [--calls 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psycopg
from benchkit import free_port, percentile

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
CLIENTS = 20
PG_ADMIN = os.environ.get("HALL_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


# PostgreSQL publishes a backend's counters within about a second of its going idle, at
# worst ten: wait this long before reading them.
STATS_SETTLE_S = 11.0
IDLE_SAMPLE_S = 10.0


def transactions(url: str) -> int | None:
    """Transactions (committed and rolled back) of the database so far; None on SQLite."""
    if not url.startswith("postgresql"):
        return None
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        row = conn.execute(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = %s",
            (name,),
        ).fetchone()
    assert row is not None
    return int(row[0])


def run(url: str, label: str, tickets: int, calls: int) -> None:
    env = {**os.environ, "DATABASE_URL": url, "HALL_DAY_CHECK_SECONDS": "3600"}
    out = subprocess.run(
        [PY, "-m", "server.cli", "demo", "--no-serve"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    kiosk = out.split("kiosk K01 token: ")[1].split()[0]
    port = free_port()
    server = subprocess.Popen(
        [
            PY,
            "-m",
            "uvicorn",
            "server.web.app:app_from_env",
            "--factory",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        for _ in range(100):
            try:
                httpx.get(f"{base}/halls", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        admin = httpx.post(
            f"{base}/auth/login",
            json={"hall": "demo", "staff_no": "admin", "password": "admin1234"},
        ).json()
        ah = {"Authorization": f"Bearer {admin['token']}"}
        for n in range(13, CLIENTS + 1):  # the demo has 12 windows: add 8 more, with clerks
            httpx.post(
                f"{base}/admin/halls/demo/windows",
                headers=ah,
                json={"number": n, "name": f"综合{n}", "queues": [{"queue": q} for q in "ABCDEF"]},
            )
            httpx.post(
                f"{base}/admin/halls/demo/staff",
                headers=ah,
                json={
                    "staff_no": f"C{n:03d}",
                    "name": f"职员{n}",
                    "role": "clerk",
                    "password": "demo1234",
                },
            )
        queues = "ABCDEF"
        for q in queues:  # the demo's daily caps are realistic; lift them for the load
            httpx.patch(
                f"{base}/admin/halls/demo/queues/{q}", headers=ah, json={"daily_cap": 99999}
            )
        kh = {"Authorization": f"Bearer {kiosk}"}

        def issue(i: int) -> list[str]:
            jobs = []
            with httpx.Client(timeout=120) as c:
                for k in range(tickets // CLIENTS):
                    r = c.post(
                        f"{base}/halls/demo/tickets",
                        headers=kh,
                        json={"queue": queues[(i + k) % 6]},
                    )
                    assert r.status_code == 201, r.text
                    if r.json()["print"]:
                        jobs.append(r.json()["print"]["job"])
            return jobs

        t0 = time.perf_counter()
        with ThreadPoolExecutor(CLIENTS) as pool:
            jobs = [j for js in pool.map(issue, range(CLIENTS)) for j in js]
        issue_secs = time.perf_counter() - t0
        # The clerks' phases are measured on a hub that has finished printing.
        for job in jobs:
            while httpx.get(f"{base}/print-jobs/{job}", headers=kh).json()["state"] not in (
                "printed",
                "failed",
            ):
                time.sleep(0.5)
        printed_secs = time.perf_counter() - t0
        print(
            f"{label:11s} issue: {tickets} tickets by {CLIENTS} clients in {issue_secs:.1f} s = "
            f"{tickets / issue_secs:.0f} tickets/s ({len(jobs)} printed after {printed_secs:.0f} s)",
            flush=True,
        )
        tokens = {}
        for n in range(1, CLIENTS + 1):
            r = httpx.post(
                f"{base}/auth/login",
                json={"hall": "demo", "staff_no": f"C{n:03d}", "password": "demo1234", "window": n},
            )
            tokens[n] = r.json()["token"]

        def clerk(n: int, reread: bool) -> list[float]:
            h = {"Authorization": f"Bearer {tokens[n]}"}
            with httpx.Client(timeout=120) as c:
                lat = []
                for _ in range(calls):
                    t = time.perf_counter()
                    r = c.post(f"{base}/halls/demo/windows/{n}/call-next", headers=h)
                    lat.append(time.perf_counter() - t)
                    assert r.status_code == 200, r.text
                    if reread:
                        # The clerk screen before views carried seq: its own call's echo
                        # on the websocket made it read the window view again.
                        c.get(f"{base}/halls/demo/windows/{n}", headers=h)
                return lat

        time.sleep(STATS_SETTLE_S if url.startswith("postgresql") else 0)
        for reread in (False, True):
            # The idle hub's own transactions (its loops), to subtract from the phase's:
            # sampled until two samples agree, since the fake printers are still
            # printing the issued tickets for a while.
            idle_from, start, idle_rate = transactions(url), transactions(url), 0.0
            if start is not None:
                rates: list[float] = []
                while len(rates) < 2 or (
                    abs(rates[-1] - rates[-2]) > 0.15 * max(rates[-2], 1.0) and len(rates) < 12
                ):
                    idle_from = transactions(url)
                    time.sleep(IDLE_SAMPLE_S)
                    start = transactions(url)
                    assert idle_from is not None and start is not None
                    rates.append((start - idle_from) / IDLE_SAMPLE_S)
                idle_rate = rates[-1]
            t0 = time.perf_counter()
            with ThreadPoolExecutor(CLIENTS) as pool:
                latencies = [
                    x
                    for lat in pool.map(clerk, range(1, CLIENTS + 1), [reread] * CLIENTS)
                    for x in lat
                ]
            phase_s = time.perf_counter() - t0
            per_call = ""
            if start is not None and idle_from is not None:
                time.sleep(STATS_SETTLE_S)
                end = transactions(url)
                assert end is not None
                own = end - start - idle_rate * (phase_s + STATS_SETTLE_S)
                per_call = (
                    f", {own / len(latencies):.1f} transactions per call "
                    f"(idle hub: {idle_rate:.1f}/s subtracted)"
                )
            how = "call-next + GET view (before)" if reread else "call-next only (now)"
            print(
                f"{label:11s} {how}: {len(latencies)} calls by {CLIENTS} clerks in "
                f"{phase_s:.1f} s, p50 {statistics.median(latencies) * 1000:.0f} ms, "
                f"p99 {percentile(latencies, 0.99) * 1000:.0f} ms{per_call}",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(60)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=1000)
    parser.add_argument("--calls", type=int, default=20, help="per clerk and phase")
    args = parser.parse_args()
    assert args.tickets >= 2 * CLIENTS * args.calls, "both phases need a waiting ticket"
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{tmp}/bench.db", "SQLite", args.tickets, args.calls)
    name = f"hallq_bench_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        run(
            PG_ADMIN.rsplit("/", 1)[0] + f"/{name}",
            "PostgreSQL",
            args.tickets,
            args.calls,
        )
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
            )
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


if __name__ == "__main__":
    main()
