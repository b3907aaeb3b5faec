"""Several processes issue and call at once: numbers are never duplicated or skipped,
and no ticket is called twice. The naive variants prove the checker can fail."""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from server.demo.load import load_demo
from server.services.hub import Hub

sys.path.insert(0, str(Path(__file__).parent))
import hammer

PROCESSES = 4


@pytest.fixture(scope="module")
def pool() -> Iterator[Any]:
    # spawn: each worker is a fresh interpreter, like separate hub processes.
    with multiprocessing.get_context("spawn").Pool(PROCESSES) as p:
        yield p


@pytest.fixture
def hall_id(hub: Hub) -> int:
    load_demo(hub.db, always_open=True)
    with hub.db.read() as s:
        return int(s.execute(text("SELECT id FROM hall WHERE code = 'demo'")).scalar_one())


@pytest.mark.slow
def test_concurrent_issuing_never_duplicates_or_skips(hub: Hub, hall_id: int, pool: Any) -> None:
    per = 50
    results = pool.starmap(
        hammer.issue_worker,
        [(hub.settings.database_url, hub.settings.clock, hall_id, "A", per, hammer.RACE_DELAY)]
        * PROCESSES,
    )
    numbers = [int(code[1:]) for codes in results for code in codes]
    assert hammer.number_problems(numbers, PROCESSES * per) == []
    with hub.db.read() as s:
        stored = [r[0] for r in s.execute(text("SELECT number FROM ticket ORDER BY number"))]
        counter = s.execute(text("SELECT value FROM ticketcounter")).scalar_one()
        issued_events = s.execute(
            text("SELECT count(*) FROM ticketevent WHERE kind = 'issued'")
        ).scalar_one()
    assert (
        stored == list(range(1, PROCESSES * per + 1))
        and counter == PROCESSES * per == issued_events
    )


@pytest.mark.slow
def test_concurrent_calling_never_gives_a_ticket_twice(hub: Hub, hall_id: int, pool: Any) -> None:
    from server.services.tickets import issue_ticket

    expected = {issue_ticket(hub, hall_id=hall_id, queue_code="B").code for _ in range(90)}
    # Windows 4, 5 and 11 all serve queue B; window 11 also F and D (empty here).
    args = [
        (hub.settings.database_url, hub.settings.clock, hall_id, w, hammer.RACE_DELAY)
        for w in (4, 5, 11, 4)
    ]
    calls = [c for r in pool.starmap(hammer.call_worker, args) for c in r]
    assert hammer.call_problems(calls, expected) == []
    assert {w for w, _ in calls} >= {4, 5, 11}
    with hub.db.read() as s:
        called_events = s.execute(
            text("SELECT count(*) FROM ticketevent WHERE kind = 'called'")
        ).scalar_one()
    assert called_events == len(expected)


@pytest.mark.slow
def test_a_worker_without_the_tests_clock_fails_loudly(
    hub: Hub, hall_id: int, pool: Any, clock_watch: Any
) -> None:
    """The old mistake: a worker that builds its hub without the test's clock (here on a
    Monday in November, whatever the machine's date) would have run on the machine's date
    and seen every ticket as one of a past day. It is refused, and reported."""
    from server.clock import ClockNotGiven
    from server.services.tickets import issue_ticket

    issue_ticket(hub, hall_id=hall_id, queue_code="B")
    with pytest.raises(ClockNotGiven, match="started without a clock"):
        pool.starmap(hammer.call_worker, [(hub.settings.database_url, None, hall_id, 4, 0)])
    reported = clock_watch.take()
    assert "started without a clock" in reported and "call_worker" in reported


@pytest.fixture
def naive_tables(hub: Hub) -> Iterator[None]:
    with hub.db.engine.begin() as c:
        for stmt in hammer.NAIVE_SCHEMA:
            c.execute(text(stmt))
    yield
    # The session's PostgreSQL database is shared: leave only the hub's own tables.
    with hub.db.engine.begin() as c:
        c.execute(text("DROP TABLE naive_ticket"))
        c.execute(text("DROP TABLE naive_waiting"))


@pytest.mark.slow
@pytest.mark.usefixtures("naive_tables")
def test_the_checker_catches_naive_max_plus_one(hub: Hub, pool: Any) -> None:
    per = 25
    results = pool.starmap(
        hammer.naive_issue_worker, [(hub.settings.database_url, per, 0.01)] * PROCESSES
    )
    numbers = [n for r in results for n in r]
    problems = hammer.number_problems(numbers, PROCESSES * per)
    assert any("duplicated" in p for p in problems), problems


@pytest.mark.slow
@pytest.mark.usefixtures("naive_tables")
def test_the_checker_catches_naive_read_then_update(hub: Hub, pool: Any) -> None:
    with hub.db.engine.begin() as c:
        for i in range(1, 61):
            c.execute(
                text("INSERT INTO naive_waiting (id, status) VALUES (:i, 'waiting')"), {"i": i}
            )
    args = [(hub.settings.database_url, w, 0.01) for w in range(1, PROCESSES + 1)]
    calls = [c for r in pool.starmap(hammer.naive_call_worker, args) for c in r]
    problems = hammer.call_problems(calls, {f"N{i:03d}" for i in range(1, 61)})
    assert any("more than once" in p for p in problems), problems
