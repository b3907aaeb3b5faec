"""The hall named in an address: looked up once per page or request, read-only."""

from __future__ import annotations

from dataclasses import dataclass

from server.store import halls as hall_store
from server.store import queues as queue_store
from server.store import tables as t
from server.store import windows as window_store

from .hub import Hub


def hall_by_code(hub: Hub, code: str, *, window: int | None = None) -> t.Hall:
    """The hall's row (HALL_NOT_FOUND if there is none); with ``window``, also check that
    the hall has that window (WINDOW_NOT_FOUND)."""
    with hub.db.read() as s:
        hall = hall_store.hall_by_code(s, code)
        if window is not None:
            assert hall.id is not None
            window_store.window_row(s, hall.id, window)
    return hall


def hall_id(hub: Hub, code: str) -> int:
    hall = hall_by_code(hub, code)
    assert hall.id is not None
    return hall.id


def hall_id_or_none(hub: Hub, code: str) -> int | None:
    """The hall's id, or None while there is no such hall (a new install)."""
    with hub.db.read() as s:
        hall = hall_store.hall_by_code_or_none(s, code)
    return None if hall is None else hall.id


@dataclass(frozen=True)
class WindowLayout:
    """Which of a hall's windows exist and which queues each serves, by window number."""

    hall_id: int
    window_ids: dict[int, int]
    serving: dict[int, set[str]]


def window_layout(hub: Hub, code: str) -> WindowLayout:
    with hub.db.read() as s:
        hall = hall_store.hall_by_code(s, code)
        assert hall.id is not None
        numbers = {w.number: w.id for w in window_store.window_rows(s, hall.id) if w.id}
        codes = {q.id: q.code for q in queue_store.queues(s, hall.id)}
        by_id = {wid: n for n, wid in numbers.items()}
        serving: dict[int, set[str]] = {}
        for wq in window_store.window_queue_rows(s, hall.id):
            number = by_id.get(wq.window_id)
            if number is not None and wq.queue_id in codes:
                serving.setdefault(number, set()).add(codes[wq.queue_id])
        return WindowLayout(hall.id, numbers, serving)


def hall_by_id(hub: Hub, hall_id: int) -> t.Hall:
    with hub.db.read() as s:
        return hall_store.hall_by_id(s, hall_id)


def halls(hub: Hub) -> list[t.Hall]:
    """Every hall of the installation, by code."""
    with hub.db.read() as s:
        return hall_store.halls(s)


def hall_codes(hub: Hub) -> list[str]:
    with hub.db.read() as s:
        return hall_store.hall_codes(s)


def window_of(hub: Hub, hall_id: int, number: int) -> t.Window:
    """The hall's window with this number (WINDOW_NOT_FOUND if there is none)."""
    with hub.db.read() as s:
        return window_store.window_row(s, hall_id, number)
