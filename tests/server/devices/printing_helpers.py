"""Helpers of the printing tests: issue through the API, follow a job, read printouts."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from escpos_reader import Printout, read_escpos
from fastapi.testclient import TestClient

from printer import render_document
from printer.document import Document
from server.devices.printing import PrintingSupervisor
from server.services import print_documents
from server.services.hub import Hub
from server.store import tables as t

ISSUE = "/api/v1/halls/demo/tickets"
WAITING = {"queued", "printing"}
FINAL = {"printed", "failed"}
# The kiosk must know what happened within this long after issuing.
REPORT_WITHIN_S = 2.0


def issue(client: TestClient, headers: dict[str, str], queue: str = "B") -> dict[str, Any]:
    r = client.post(ISSUE, json={"queue": queue}, headers=headers)
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


def job_state(client: TestClient, headers: dict[str, str], job: str) -> dict[str, Any]:
    r = client.get(f"/api/v1/print-jobs/{job}", headers=headers)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def follow(
    client: TestClient, headers: dict[str, str], job: str, until: set[str], timeout: float = 15
) -> tuple[float, dict[str, Any], list[str]]:
    """Poll the job until its state is in ``until``: (seconds, last answer, states seen)."""
    started = time.monotonic()
    seen: list[str] = []
    while True:
        body = job_state(client, headers, job)
        if not seen or seen[-1] != body["state"]:
            seen.append(body["state"])
        if body["state"] in until:
            return time.monotonic() - started, body, seen
        assert time.monotonic() - started < timeout, f"job stuck; states {seen}"
        time.sleep(0.02)


@dataclass
class Followed:
    """A ticket issued through the API and its print job followed to the end."""

    ticket: dict[str, Any]
    first_at: float  # seconds from issuing to the first report of an outcome
    first: dict[str, Any]  # that report
    final: dict[str, Any]
    states: list[str]


def issue_and_follow(client: TestClient, headers: dict[str, str], queue: str = "B") -> Followed:
    started = time.monotonic()
    ticket = issue(client, headers, queue)
    job = ticket["print"]["job"]
    _, first, _ = follow(client, headers, job, {"retrying", "failed_over", *FINAL})
    first_at = time.monotonic() - started
    _, final, states = follow(client, headers, job, FINAL)
    return Followed(ticket, first_at, first, final, states)


def text_of(data: bytes) -> Printout:
    return read_escpos(data)


def fake_jobs(supervisor: PrintingSupervisor, printer_id: str) -> list[bytes]:
    server = supervisor.printers[printer_id].printer.fake_server
    assert server is not None
    return server.jobs


def virtual_jobs(supervisor: PrintingSupervisor, printer_id: str) -> list[bytes]:
    device = supervisor.printers[printer_id].printer.virtual
    assert device is not None
    return [p.data for p in device.previews]


def expected_bytes(
    hub: Hub, supervisor: PrintingSupervisor, job: str, printer_id: str, *, reprint: bool
) -> bytes:
    """What ``printer_id`` must have received for ``job``: rendered here from the job's
    document, so a byte-exact match proves the whole ticket (and its 补打 mark) arrived."""
    with hub.db.read() as s:
        row = s.get(t.PrintJob, job)
        assert row is not None
        document: Document = print_documents.decode_document(row.document)
    if reprint:
        document = document.as_reprint()
    config = supervisor.printers[printer_id].config
    return render_document(document, config)
