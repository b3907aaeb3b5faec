"""Ticket size, render time, and issue-to-confirmed-print latency against the fake printer.

    .venv/bin/python tests/benchmarks/bench_printer.py [--jobs 200]

For 58/80 mm paper in text and image mode: the bytes of one ticket, the time
to render it, and, over ``--jobs`` tickets printed one after another through
the spooler, the time from submitting a job to its ``printed`` event (the
printer's GS r answer after the cut). The fake printer runs in a thread of
the same process and "prints" instantly, so the latency is the software's
share: connect, the stale-byte drain (50 ms of silence), status, transfer,
confirmation. A real printer adds its print and cut time.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from dataclasses import replace
from datetime import datetime

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


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=200)
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


if __name__ == "__main__":
    main()
