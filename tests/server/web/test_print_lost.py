"""The lost print: the hub dies after the ticket is written but before its print job,
and the kiosk retries with the same Idempotency-Key (as it does after a dropped answer).

The ticket and its print job are one unit of work: either both exist or neither does,
so the retry either replays a ticket that will print or issues one afresh.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from server.store import tables as t

ISSUE = "/api/v1/halls/demo/tickets"


class ProcessDied(Exception):
    """Stands for the hub process dying at the print job's insert."""


@pytest.fixture
def dies_at_first_print_job() -> Iterator[None]:
    died: list[bool] = []

    def crash(*_: Any) -> None:
        if not died:
            died.append(True)
            raise ProcessDied

    event.listen(t.PrintJob, "before_insert", crash)
    yield
    event.remove(t.PrintJob, "before_insert", crash)
    assert died, "the crash was never injected"


def test_a_crash_before_the_print_job_then_the_retry_still_prints(
    client: TestClient,
    kiosk: dict[str, str],
    sql: Callable[..., list[Any]],
    dies_at_first_print_job: None,
) -> None:
    headers = {**kiosk, "Idempotency-Key": "tap-crash-01"}
    # The first answer never reaches the kiosk (the process died while answering).
    with contextlib.suppress(ProcessDied):
        client.post(ISSUE, json={"queue": "A"}, headers=headers)
    retry = client.post(ISSUE, json={"queue": "A"}, headers=headers)
    assert retry.status_code in (200, 201), retry.text
    placed = retry.json()["print"]
    assert placed is not None, "the retry's ticket has no print job: it will never print"
    assert placed["printer"] == "P01"
    for _ in range(500):
        state = client.get(f"/api/v1/print-jobs/{placed['job']}", headers=kiosk).json()["state"]
        if state in ("printed", "failed"):
            break
        time.sleep(0.02)
    assert state == "printed"
    unprinted = sql(
        "SELECT t.code FROM ticket t WHERE NOT EXISTS "
        "(SELECT 1 FROM printjob j WHERE j.ticket_id = t.id)"
    )
    assert [tuple(r) for r in unprinted] == []
    assert sql("SELECT count(*) FROM ticket")[0][0] == 1
