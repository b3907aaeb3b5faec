"""Workers that hammer the hub from several processes, and the checker that judges them.

Also the deliberately naive variants ("max + 1" numbering, read-then-update calling)
that the checker must catch: the negative control that shows the test can fail.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from typing import Any

from sqlalchemy import event, text

RACE_DELAY = 0.004  # seconds of random sleep before each statement, to widen race windows


def _widen_races(engine: Any, delay: float) -> None:
    if delay <= 0:
        return

    @event.listens_for(engine, "before_cursor_execute")
    def _sleep(*_: Any) -> None:
        time.sleep(random.uniform(0, delay))


def _hub(url: str, clock: str | None = None) -> Any:
    """A worker's hub, on the clock of the test that started it (``clock``: the test
    clock's ``spec``). Without one, the worker keeps the HALL_CLOCK it was spawned with:
    in the test suite that is ``unset``, which refuses to tell the time."""
    from server.config import Settings
    from server.services.hub import Hub

    settings = (
        Settings(DATABASE_URL=url) if clock is None else Settings(DATABASE_URL=url, clock=clock)
    )
    hub = Hub.create(settings)
    hub.db.engine.pool.dispose()
    return hub


def issue_worker(
    url: str, clock: str | None, hall_id: int, queue: str, count: int, delay: float
) -> list[str]:
    from server.services.tickets import issue_ticket

    hub = _hub(url, clock)
    _widen_races(hub.db.engine, delay)
    codes = [issue_ticket(hub, hall_id=hall_id, queue_code=queue).code for _ in range(count)]
    hub.db.dispose()
    return codes


def call_worker(
    url: str, clock: str | None, hall_id: int, window: int, delay: float
) -> list[tuple[int, str]]:
    from server.services import windows

    hub = _hub(url, clock)
    _widen_races(hub.db.engine, delay)
    calls: list[tuple[int, str]] = []
    idle = 0
    while idle < 3:
        view = windows.run_command(
            hub, hall_id=hall_id, window_number=window, clerk_id=None, command=windows.call_next
        )
        if view.called:
            calls.append((window, view.called))
            idle = 0
        else:
            idle += 1
    hub.db.dispose()
    return calls


# ---- the naive variants (negative controls) ------------------------------------------


NAIVE_SCHEMA = [
    "CREATE TABLE IF NOT EXISTS naive_ticket (number INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS naive_waiting (id INTEGER PRIMARY KEY, status VARCHAR(10) NOT NULL)",
]


def naive_issue_worker(url: str, count: int, delay: float) -> list[int]:
    """Numbering by max + 1, read and written in separate statements."""
    hub = _hub(url)
    numbers = []
    for _ in range(count):
        with hub.db.engine.connect() as c:
            top = c.execute(text("SELECT COALESCE(MAX(number), 0) FROM naive_ticket")).scalar_one()
            c.commit()
        time.sleep(random.uniform(0, delay))
        with hub.db.engine.begin() as c:
            c.execute(text("INSERT INTO naive_ticket (number) VALUES (:n)"), {"n": top + 1})
        numbers.append(top + 1)
    hub.db.dispose()
    return numbers


def naive_call_worker(url: str, window: int, delay: float) -> list[tuple[int, str]]:
    """Read the first waiting ticket, then mark it called: no lock, no version check."""
    hub = _hub(url)
    calls = []
    while True:
        with hub.db.engine.connect() as c:
            row = c.execute(
                text("SELECT id FROM naive_waiting WHERE status = 'waiting' ORDER BY id LIMIT 1")
            ).first()
            c.commit()
        if row is None:
            break
        time.sleep(random.uniform(0, delay))
        with hub.db.engine.begin() as c:
            c.execute(
                text("UPDATE naive_waiting SET status = 'called' WHERE id = :id"), {"id": row[0]}
            )
        calls.append((window, f"N{row[0]:03d}"))
    hub.db.dispose()
    return calls


# ---- the checker ----------------------------------------------------------------------


def number_problems(numbers: list[int], expected: int) -> list[str]:
    problems = []
    counts = Counter(numbers)
    dupes = sorted(n for n, c in counts.items() if c > 1)
    if dupes:
        problems.append(f"{len(dupes)} duplicated numbers, e.g. {dupes[:5]}")
    missing = sorted(set(range(1, expected + 1)) - set(numbers))
    if missing:
        problems.append(f"{len(missing)} skipped numbers, e.g. {missing[:5]}")
    return problems


def call_problems(calls: list[tuple[int, str]], expected: set[str]) -> list[str]:
    problems = []
    counts = Counter(code for _, code in calls)
    twice = sorted(code for code, c in counts.items() if c > 1)
    if twice:
        problems.append(f"{len(twice)} tickets called more than once, e.g. {twice[:5]}")
    never = sorted(expected - set(counts))
    if never:
        problems.append(f"{len(never)} tickets never called, e.g. {never[:5]}")
    return problems
