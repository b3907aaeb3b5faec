"""Owner-election leases on PostgreSQL: a session advisory lock, held on a connection of
its own for as long as that connection lives (server/devices/owner.py elects with it).

Errors are the driver's (``server.store.db.PgError``): an unreachable database and a
lost connection are the owner loop's business, not this module's.
"""

from __future__ import annotations

from typing import Any

import psycopg

_LOCK_SPACE = 0x50524E54  # our advisory lock keys, apart from anyone else's

LeaseConnection = psycopg.Connection[tuple[Any, ...]]


def connect(url: str) -> LeaseConnection:
    """A connection for one lease (autocommit: the lock belongs to its session, not to a
    transaction). Closing it ends the session and so releases the lease."""
    return psycopg.connect(url, autocommit=True, connect_timeout=5)


def try_take(conn: LeaseConnection, key: int) -> bool:
    """Take the lease ``key`` on this connection's session, if no other session holds it."""
    row = conn.execute("SELECT pg_try_advisory_lock(%s, %s)", (_LOCK_SPACE, key)).fetchone()
    return bool(row and row[0])


def check(conn: LeaseConnection) -> None:
    """Raises if the connection, and with it the lease, is gone."""
    conn.execute("SELECT 1")
