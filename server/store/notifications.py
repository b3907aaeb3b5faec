"""Hearing what other hub processes NOTIFY at commit (PostgreSQL LISTEN); the sending
half is hall_seq.notify, inside the writing transaction."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import psycopg


async def listen(
    url: str,
    channel: str,
    *,
    on_listening: Callable[[], Awaitable[None]],
    heard: Callable[[str], None],
) -> None:
    """LISTEN on ``channel`` on a connection of its own and hand each payload to ``heard``;
    ``on_listening`` runs once the LISTEN is in place. Returns or raises only when the
    connection ends: TCP keepalives notice a peer that vanished without closing it."""
    conn = await psycopg.AsyncConnection.connect(
        url,
        autocommit=True,
        keepalives=1,
        keepalives_idle=10,
        keepalives_interval=5,
        keepalives_count=3,
        connect_timeout=5,
    )
    async with conn:
        await conn.execute(f"LISTEN {channel}")
        await on_listening()
        async for note in conn.notifies():
            heard(note.payload)
