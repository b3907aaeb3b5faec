"""The printer supervisor: starting from devices.toml, one process driving the printers,
and what happens to unfinished jobs after a restart."""

from __future__ import annotations

import asyncio
import dataclasses
import shutil
import socket
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient
from printing_helpers import ISSUE, expected_bytes, fake_jobs, text_of
from sqlalchemy import event
from sqlmodel import Session

from server.demo.load import DemoResult
from server.devices.owner import PgOwnerLock, owner_lock
from server.devices.printing import HallsPrinting, PrintingSupervisor
from server.hardware import read_hardware
from server.services import print_jobs, tickets
from server.services.hub import Hub
from server.services.print_jobs import Route
from server.store import halls as hall_store
from server.store import tables as t
from server.web.app import create_app

DEVICES = """
hall = "demo"

[[printer]]
id = "P01"
driver = "fake"
port = {port}
sibling = "P02"

[[printer]]
id = "P02"
driver = "virtual"
paper_width = 58
mode = "text"

[[kiosk]]
id = "K01"
printer = "P01"
sibling_printer = "P02"
"""


def sqlite_only(sqlite_template: Path, tmp_path: Path) -> str:
    target = tmp_path / "hall.db"
    shutil.copy(sqlite_template, target)
    return f"sqlite:///{target}"


def app_with(hub: Hub, devices: Path) -> TestClient:
    settings = hub.settings.model_copy(update={"devices_file": devices})
    return TestClient(create_app(settings, hub=dataclasses.replace(hub, settings=settings)))


def hall_id(hub: Hub) -> int:
    with hub.db.read() as s:
        hid = hall_store.hall_by_code(s, "demo").id
    assert hid is not None
    return hid


def printed_ticket(hub: Hub, route: Route | None, queue: str = "B") -> str:
    """Issue a ticket with its print job (as the issue endpoint does); the job's id."""
    placed = tickets.issue(hub, hall_id=hall_id(hub), queue_code=queue, print_route=route).print
    assert placed is not None
    return str(placed["job"])


async def until(condition: Callable[[], bool]) -> None:
    for _ in range(250):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("not within 5 s")


async def wait_final(hub: Hub, job: str) -> str:
    for _ in range(500):
        state = (await asyncio.to_thread(print_jobs.job_record, hub, job)).state
        if state in ("printed", "failed"):
            return state
        await asyncio.sleep(0.02)
    raise AssertionError(f"job {job} not finished in 10 s")


# -- starting --------------------------------------------------------------------------


class TestStart:
    @pytest.fixture
    def db_url(self, sqlite_template: Path, tmp_path: Path) -> str:
        return sqlite_only(sqlite_template, tmp_path)

    def test_without_devices_toml_the_hub_runs_without_printers(
        self, hub: Hub, demo: DemoResult, kiosk: dict[str, str], tmp_path: Path
    ) -> None:
        with app_with(hub, tmp_path / "absent.toml") as client:
            r = client.post(ISSUE, json={"queue": "A"}, headers=kiosk)
            assert r.status_code == 201 and r.json()["print"] is None
            printing: HallsPrinting = client.app.state.printing  # type: ignore[attr-defined]
            # No file names the hall: it has no supervisor, and the hub says why.
            assert printing.for_hall("demo") is None
            assert "not found" in (printing.problem or "")

    def test_a_broken_devices_toml_is_reported_not_fatal(
        self, hub: Hub, demo: DemoResult, kiosk: dict[str, str], tmp_path: Path
    ) -> None:
        devices = tmp_path / "devices.toml"
        devices.write_text(DEVICES.format(port=70000), encoding="utf-8")
        with app_with(hub, devices) as client:
            r = client.post(ISSUE, json={"queue": "A"}, headers=kiosk)
            assert r.status_code == 201 and r.json()["print"] is None
            printing: HallsPrinting = client.app.state.printing  # type: ignore[attr-defined]
            assert printing.for_hall("demo") is None and printing.problem is not None
            assert '[[printer]] #1 (id "P01"), field "port"' in printing.problem

    def test_a_printer_that_cannot_start_is_an_alert_and_its_kiosk_fails_over(
        self,
        hub: Hub,
        demo: DemoResult,
        kiosk: dict[str, str],
        tmp_path: Path,
        sql: Callable[..., list[Any]],
    ) -> None:
        taken = socket.socket()
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        devices = tmp_path / "devices.toml"
        devices.write_text(DEVICES.format(port=taken.getsockname()[1]), encoding="utf-8")
        try:
            with app_with(hub, devices) as client:
                supervisor: PrintingSupervisor = client.app.state.printing.for_hall("demo")  # type: ignore[attr-defined]
                assert "P01" in supervisor.not_started
                r = client.post(ISSUE, json={"queue": "A"}, headers=kiosk)
                assert r.status_code == 201
                job = r.json()["print"]["job"]
                for _ in range(250):
                    body = client.get(f"/api/v1/print-jobs/{job}", headers=kiosk).json()
                    if body["state"] == "printed":
                        break
                    time.sleep(0.02)
                assert body["printer"] == "P02" and body["reprint"]
                virtual = supervisor.printers["P02"].printer.virtual
                assert virtual is not None
                assert "补打" in text_of(virtual.previews[-1].data).text
        finally:
            taken.close()
        kinds = [r[0] for r in sql("SELECT kind FROM devicealert WHERE device = 'P01'")]
        assert "not_started" in kinds and "failed_over" in kinds

    def test_a_job_nobody_reports_on_is_shown_as_retrying_within_2_s(
        self, hub: Hub, demo: DemoResult, kiosk: dict[str, str], clock: Any
    ) -> None:
        # Another process owns the printers and is not picking the job up.
        lock = owner_lock(hub.db.url, "printers", "demo")
        assert lock.try_acquire()
        try:
            with TestClient(create_app(hub.settings, hub=hub)) as client:
                job = client.post(ISSUE, json={"queue": "A"}, headers=kiosk).json()["print"]
                assert job["state"] == "queued"
                url = f"/api/v1/print-jobs/{job['job']}"
                assert client.get(url, headers=kiosk).json()["state"] == "queued"
                clock.advance(seconds=1.6)
                body = client.get(url, headers=kiosk).json()
                assert (body["state"], body["code"]) == ("retrying", "PRINT_RETRYING")
                assert "A001" in body["message_zh"]
        finally:
            lock.release()

    def test_a_job_claimed_late_still_reports_within_2_s_of_issuing(
        self, hub: Hub, demo: DemoResult, clock: Any
    ) -> None:
        # The printing process picks the job up at 1 s and then the printer stalls: the
        # 1.5 s allowance counts from issuing, not from the claim.
        hid = hall_id(hub)
        job = printed_ticket(hub, Route("K01", "P01", "P02"), "A")
        clock.advance(seconds=1.0)
        claimed = print_jobs.claim_queued(hub, hall_id=hid, printer_ids=["P01"])
        assert [c.job_id for c in claimed] == [job]
        assert print_jobs.job_record(hub, job).state == "printing"
        clock.advance(seconds=0.6)
        assert print_jobs.job_record(hub, job).state == "retrying"


# -- one process drives the printers ------------------------------------------------------
# On both databases: the lock that elects it is a file next to SQLite, an advisory lock
# on PostgreSQL.


def test_only_one_supervisor_drives_the_printers_and_another_takes_over(
    hub: Hub, demo: DemoResult, tmp_path: Path
) -> None:
    devices = tmp_path / "devices.toml"
    devices.write_text(DEVICES.format(port=0), encoding="utf-8")

    async def scenario() -> None:
        first = PrintingSupervisor(hub, read_hardware(devices), poll_interval=0.05)
        second = PrintingSupervisor(hub, read_hardware(devices), lock_retry=0.05)
        await first.start()
        await second.start()
        try:
            assert first.leader and not second.leader and second.printers == {}
            # A ticket issued by the other process is printed by the leader.
            job = await asyncio.to_thread(printed_ticket, hub, second.route("demo", "K01"))
            assert await wait_final(hub, job) == "printed"
            assert len(fake_jobs(first, "P01")) == 1
            await first.close()
            await until(lambda: second.leader)
            job = await asyncio.to_thread(printed_ticket, hub, second.route("demo", "K01"))
            assert await wait_final(hub, job) == "printed"
            assert len(fake_jobs(second, "P01")) == 1
        finally:
            await first.close()
            await second.close()

    asyncio.run(scenario())


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_lost_database_lock_hands_the_printers_over(
    hub: Hub, demo: DemoResult, tmp_path: Path, db_url: str
) -> None:
    devices = tmp_path / "devices.toml"
    devices.write_text(DEVICES.format(port=0), encoding="utf-8")

    async def scenario() -> None:
        first = PrintingSupervisor(hub, read_hardware(devices), lock_check=0.05)
        second = PrintingSupervisor(hub, read_hardware(devices), lock_retry=0.05)
        await first.start()
        await second.start()
        try:
            assert first.leader and not second.leader
            assert first._election is not None
            lock = first._election.lock
            assert isinstance(lock, PgOwnerLock) and lock.conn is not None
            pid = lock.conn.info.backend_pid
            with psycopg.connect(db_url.replace("+psycopg", ""), autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
            # The first process notices, stops printing; the second takes the printers.
            await until(lambda: not first.leader and second.leader)
            assert first.printers == {}
            job = await asyncio.to_thread(printed_ticket, hub, first.route("demo", "K01"))
            assert await wait_final(hub, job) == "printed"
            assert len(fake_jobs(second, "P01")) == 1
        finally:
            await first.close()
            await second.close()

    asyncio.run(scenario())


# -- after a restart (on both databases: this is what the database keeps) ----------------


def set_states(hub: Hub, states: dict[str, str], cancel_ticket_of: str) -> None:
    """Leave jobs as a hub that died mid-print would, and cancel one job's ticket."""

    def work(s: Session) -> None:
        for job, state in states.items():
            row = s.get(t.PrintJob, job)
            assert row is not None
            row.state = state
            s.add(row)
        job = s.get(t.PrintJob, cancel_ticket_of)
        assert job is not None
        ticket = s.get(t.Ticket, job.ticket_id)
        assert ticket is not None
        ticket.status = "cancelled"
        s.add(ticket)

    hub.db.write(work)


def test_unfinished_jobs_after_a_restart(hub: Hub, demo: DemoResult, clock: Any) -> None:
    """Recent interrupted jobs are printed again, marked 补打; old ones, jobs whose ticket
    moved on and jobs of printers no longer configured are marked failed; queued ones
    print normally."""
    route = Route("K01", "P01", "P02")
    old = printed_ticket(hub, route)
    clock.advance(minutes=11)
    interrupted = printed_ticket(hub, route)
    queued = printed_ticket(hub, route)
    moved_on = printed_ticket(hub, route)
    removed = printed_ticket(hub, Route("K9", "P9", None))
    set_states(
        hub,
        {old: "printing", interrupted: "retrying", moved_on: "failed_over", removed: "printing"},
        cancel_ticket_of=moved_on,
    )

    async def restart() -> tuple[list[bytes], list[bytes]]:
        supervisor = PrintingSupervisor(
            hub, read_hardware(hub.settings.devices_file), poll_interval=0.05
        )
        await supervisor.start()
        try:
            assert await wait_final(hub, interrupted) == "printed"
            assert await wait_final(hub, queued) == "printed"
            expected = [
                expected_bytes(hub, supervisor, interrupted, "P01", reprint=True),
                expected_bytes(hub, supervisor, queued, "P01", reprint=False),
            ]
            return fake_jobs(supervisor, "P01"), expected
        finally:
            await supervisor.close()

    printed, expected = asyncio.run(restart())
    records = {
        j: print_jobs.job_record(hub, j) for j in (old, interrupted, queued, moved_on, removed)
    }
    assert {j: r.state for j, r in records.items()} == {
        old: "failed",
        interrupted: "printed",
        queued: "printed",
        moved_on: "failed",
        removed: "failed",
    }
    assert records[interrupted].reprint and not records[queued].reprint
    assert sorted(printed) == sorted(expected)


# -- an idle hub ------------------------------------------------------------------------


def test_an_idle_print_queue_takes_no_write_transaction(
    hub: Hub, demo: DemoResult, tmp_path: Path
) -> None:
    """The queue is polled every 50 ms here (250 ms in production): while nothing is
    queued it only reads, so it never takes SQLite's one write lock; a queued job is
    still claimed and printed."""
    devices = tmp_path / "devices.toml"
    devices.write_text(DEVICES.format(port=0), encoding="utf-8")
    commits: list[float] = []

    def count(_conn: Any) -> None:
        commits.append(time.monotonic())

    async def scenario() -> None:
        supervisor = PrintingSupervisor(hub, read_hardware(devices), poll_interval=0.05)
        await supervisor.start()
        try:
            assert supervisor.leader
            # Let the restart recovery and the first printer check finish.
            await until(lambda: len(supervisor.statuses) == 2)
            await asyncio.sleep(0.3)
            event.listen(hub.db.engine, "commit", count)
            try:
                await asyncio.sleep(1.5)  # about 30 polls
                assert commits == []
                job = await asyncio.to_thread(printed_ticket, hub, supervisor.route("demo", "K01"))
                assert await wait_final(hub, job) == "printed"
                assert commits
            finally:
                event.remove(hub.db.engine, "commit", count)
        finally:
            await supervisor.close()

    asyncio.run(scenario())
