"""Ticket size, render time, and issue-to-confirmed-print latency against the fake printer.

    .venv/bin/python tests/benchmarks/bench_printer.py [--jobs 200] [--hub-tickets 100]

For 58/80 mm paper in text and image mode: the bytes of one ticket, the time
to render it, and, over ``--jobs`` tickets printed one after another through
the spooler, the time from submitting a job to its ``printed`` event (the
printer's GS r answer after the cut). The fake printer runs in a thread of
the same process and "prints" instantly, so the latency is the software's
share: connect, the stale-byte drain (50 ms of silence), status, transfer,
confirmation. A real printer adds its print and cut time.

Then, through the hub: a real hub process (uvicorn, one worker, the demo hall and the
repository's devices.toml, so K01 prints on the fake TCP printer P01) on SQLite and on
PostgreSQL. One kiosk issues ``--hub-tickets`` tickets over HTTP one after another and
polls ``GET /api/v1/print-jobs/{job}`` every 5 ms until the job is ``printed``: the
issue request's latency, and the time from sending the issue request to seeing the
confirmed print (what a citizen waits at the kiosk, less the printer's mechanics).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import httpx
import psycopg
from benchkit import free_port, percentile

from printer.config import PrinterConfig
from printer.device import AsyncPrinter
from printer.document import TicketData
from printer.factory import open_printer
from printer.render import render_document
from printer.spooler import EventKind, PrintEvent, PrintJob, PrintSpooler

TICKET = TicketData(
    hall_name="XX市政务服务中心",
    queue_name="社保医保综合业务",
    number="A023",
    people_ahead=12,
    wait_minutes=25,
    windows=("3号窗口", "4号窗口", "5号窗口"),
    issued_at=datetime(2026, 11, 23, 9, 31, 5),
    status_url="http://127.0.0.1:8000/t/2f6c1e0a9b7d4e21",
)


async def latencies(config: PrinterConfig, jobs: int) -> list[float]:
    printer = open_printer(config)
    events: list[PrintEvent] = []
    spooler = PrintSpooler([AsyncPrinter(printer)], events.append)
    times = []
    try:
        for n in range(jobs):
            ticket = replace(TICKET, number=f"A{n % 1000:03d}")
            started = time.perf_counter()
            final = await spooler.print(PrintJob(f"bench-{n}", config.id, ticket))
            times.append(time.perf_counter() - started)
            if final.kind is not EventKind.PRINTED:
                raise SystemExit(f"job {n} not printed: {final}")
        assert printer.fake_server is not None
        if len(printer.fake_server.jobs) != jobs:
            raise SystemExit("the fake printer did not receive every job")
    finally:
        await spooler.close()
        printer.close()
    return times


ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN = os.environ.get("HALL_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def through_the_hub(url: str, label: str, tickets: int) -> None:
    env = {**os.environ, "DATABASE_URL": url, "HALL_DEVICES_FILE": str(ROOT / "devices.toml")}
    out = subprocess.run(
        [sys.executable, "-m", "server.cli", "demo", "--no-serve"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    kiosk = {"Authorization": "Bearer " + out.split("kiosk K01 token: ")[1].split()[0]}
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "server.web.app:app_from_env", "--factory"]
    server = subprocess.Popen(
        [*command, "--port", str(port), "--log-level", "warning"], env=env, cwd=ROOT
    )
    base = f"http://127.0.0.1:{port}/api/v1"
    issue_times, confirmed = [], []
    try:
        with httpx.Client(timeout=30) as client:
            for _ in range(100):
                try:
                    client.get(f"{base}/halls", timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            for n in range(tickets):
                started = time.perf_counter()
                r = client.post(
                    f"{base}/halls/demo/tickets", headers=kiosk, json={"queue": "ABCDEF"[n % 6]}
                )
                issue_times.append(time.perf_counter() - started)
                if r.status_code != 201 or r.json()["print"] is None:
                    raise SystemExit(f"ticket {n}: {r.status_code} {r.text}")
                job = r.json()["print"]["job"]
                while True:
                    state = client.get(f"{base}/print-jobs/{job}", headers=kiosk).json()["state"]
                    if state == "printed":
                        break
                    if state in ("failed", "retrying", "failed_over"):
                        raise SystemExit(f"ticket {n}: print {state}")
                    time.sleep(0.005)
                confirmed.append(time.perf_counter() - started)
    finally:
        server.terminate()
        server.wait(10)
    print(
        f"{label:<10} {tickets:>7} {statistics.median(issue_times) * 1000:>7.1f}"
        f" {percentile(issue_times, 0.99) * 1000:>7.1f}"
        f" {statistics.median(confirmed) * 1000:>7.1f} {percentile(confirmed, 0.99) * 1000:>7.1f}"
        f" {max(confirmed) * 1000:>7.1f}"
    )


def hub_benchmark(tickets: int) -> None:
    print()
    print("through the hub: issue over HTTP -> confirmed print on the fake printer P01 (ms)")
    print(
        f"{'database':<10} {'tickets':>7} {'issue50':>7} {'issue99':>7}"
        f" {'conf50':>7} {'conf99':>7} {'max':>7}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        through_the_hub(f"sqlite:///{tmp}/bench.db", "SQLite", tickets)
    name = f"hallq_bench_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        through_the_hub(PG_ADMIN.rsplit("/", 1)[0] + f"/{name}", "PostgreSQL", tickets)
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
            )
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=200)
    parser.add_argument("--hub-tickets", type=int, default=100)
    args = parser.parse_args()

    print(
        f"{'paper':>5} {'mode':>5} {'bytes':>7} {'render ms':>9} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7}"
    )
    for paper in (58, 80):
        for mode in ("text", "image"):
            config = PrinterConfig.model_validate(
                {"id": "B1", "driver": "fake", "paper_width": paper, "mode": mode}
            )
            renders = []
            for _ in range(10):
                started = time.perf_counter()
                data = render_document(TICKET, config)
                renders.append(time.perf_counter() - started)
            times = asyncio.run(latencies(config, args.jobs))
            print(
                f"{paper:>5} {mode:>5} {len(data):>7} {statistics.median(renders) * 1000:>9.1f}"
                f" {percentile(times, 0.5) * 1000:>7.1f} {percentile(times, 0.99) * 1000:>7.1f}"
                f" {max(times) * 1000:>7.1f}"
            )
    hub_benchmark(args.hub_tickets)


if __name__ == "__main__":
    main()
