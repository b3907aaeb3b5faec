"""Resolving the hall named in a path."""

from __future__ import annotations

from server.services.hub import Hub
from server.store import repositories as repo


def hall_id(hub: Hub, code: str) -> int:
    with hub.db.read() as s:
        hall = repo.hall_by_code(s, code)
        assert hall.id is not None
        return hall.id
