"""The owner lock never outlives a release that came while it was being taken (a hub
that stops while its retry is connecting must not leave the connection or file open)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import psycopg
import pytest

from server.devices import owner
from server.devices.owner import FileOwnerLock, PgOwnerLock

PG = "postgresql://postgres@127.0.0.1:5432/test"


def test_a_release_during_a_pg_attempt_closes_the_connection_it_made(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lock = PgOwnerLock(PG, "printers:race", check_seconds=5)
    made: list[psycopg.Connection[Any]] = []
    connected, go_on = threading.Event(), threading.Event()
    real_connect = psycopg.connect

    def slow_connect(*args: Any, **kw: Any) -> psycopg.Connection[Any]:
        conn = real_connect(*args, **kw)
        made.append(conn)
        connected.set()
        go_on.wait(5)
        return conn

    monkeypatch.setattr(psycopg, "connect", slow_connect)
    result: list[bool] = []
    attempt = threading.Thread(target=lambda: result.append(lock.try_acquire()))
    attempt.start()
    assert connected.wait(5)
    lock.release()  # the hub stops while the attempt is connecting
    go_on.set()
    attempt.join(5)
    assert result == [False] and lock.conn is None and made[0].closed
    monkeypatch.setattr(psycopg, "connect", real_connect)
    assert lock.try_acquire() and lock.conn is not None  # a later attempt works as before
    lock.release()


def test_a_release_during_a_file_attempt_closes_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lock = FileOwnerLock(tmp_path / "hall.db.printers-demo.lock")
    locked, go_on = threading.Event(), threading.Event()
    real_flock = owner.fcntl.flock
    handles: list[Any] = []

    def slow_flock(handle: Any, how: int) -> None:
        real_flock(handle, how)
        if how & owner.fcntl.LOCK_EX:
            handles.append(handle)
            locked.set()
            go_on.wait(5)

    monkeypatch.setattr(owner.fcntl, "flock", slow_flock)
    result: list[bool] = []
    attempt = threading.Thread(target=lambda: result.append(lock.try_acquire()))
    attempt.start()
    assert locked.wait(5)
    lock.release()
    go_on.set()
    attempt.join(5)
    assert result == [False] and handles[0].closed
    other = FileOwnerLock(tmp_path / "hall.db.printers-demo.lock")
    assert other.try_acquire()  # nobody holds it any more
    other.release()
