"""The hall named in an address: looked up once per page or request, read-only."""

from __future__ import annotations

from server.store import repositories as repo
from server.store import tables as t

from .hub import Hub


def hall_by_code(hub: Hub, code: str, *, window: int | None = None) -> t.Hall:
    """The hall's row (HALL_NOT_FOUND if there is none); with ``window``, also check that
    the hall has that window (WINDOW_NOT_FOUND)."""
    with hub.db.read() as s:
        hall = repo.hall_by_code(s, code)
        if window is not None:
            assert hall.id is not None
            repo.window_row(s, hall.id, window)
    return hall


def hall_id(hub: Hub, code: str) -> int:
    hall = hall_by_code(hub, code)
    assert hall.id is not None
    return hall.id
