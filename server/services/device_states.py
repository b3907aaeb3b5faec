"""What the hub reads for its window devices: who is signed in at a window, and what
each keypad and rating pad should show. Several devices are read in one go, because
one call-next changes the waiting count on every keypad serving that queue."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from server.devices.windowbus import DeviceKind, DeviceState, KeypadState, RatingPadState
from server.store import accounts as account_store
from server.store import halls as hall_store
from server.store import tickets as ticket_store
from server.store import windows as window_store

from . import rating_requests
from .hub import Hub

Role = tuple[int, DeviceKind]  # (window number, device kind)


def clerk_at_window(hub: Hub, hall_id: int, window_number: int) -> int | None:
    """The clerk signed in at the window now: seated there with a live sign-in."""
    now = hub.now()
    with hub.db.read() as s:
        window = window_store.window_row(s, hall_id, window_number)
        if window.clerk_id is None:
            return None
        assert window.id is not None
        live = account_store.has_live_sign_in(
            s, staff_id=window.clerk_id, window_id=window.id, now=now
        )
        return window.clerk_id if live else None


def device_states(hub: Hub, hall_id: int, roles: Iterable[Role]) -> dict[Role, DeviceState]:
    """The state of each (window, kind) asked for; windows the hall lacks are left out."""
    wanted = set(roles)
    now = hub.now()
    out: dict[Role, DeviceState] = {}
    with hub.db.read() as s:
        hall = hall_store.hall_by_id(s, hall_id)
        day = hall_store.calendar_of(hall).business_day(now)
        rows = {
            w.number: w
            for w in window_store.window_rows(s, hall_id)
            if w.number in {n for n, _ in wanted}
        }
        keypads = [rows[n] for n, kind in wanted if kind is DeviceKind.KEYPAD and n in rows]
        if keypads:
            serves: dict[int, set[int]] = defaultdict(set)
            for wq in window_store.window_queue_rows(s, hall_id):
                serves[wq.window_id].add(wq.queue_id)
            # Waiting tickets by queue and by the window they were transferred to, if any.
            waiting = ticket_store.waiting_counts_by_target(s, hall_id, day)
            current_ids = [w.current_ticket_id for w in keypads if w.current_ticket_id]
            codes = ticket_store.ticket_codes(s, current_ids)
            for w in keypads:
                count = sum(
                    n
                    for queue, target, n in waiting
                    if queue in serves[w.id or 0] and target in (None, w.id)
                )
                current = codes.get(w.current_ticket_id) if w.current_ticket_id else None
                out[(w.number, DeviceKind.KEYPAD)] = KeypadState(count, current)
        for n, kind in wanted:
            if kind is DeviceKind.RATING_PAD and n in rows:
                request = rating_requests.open_request_in(s, hall_id, n, now)
                out[(n, kind)] = RatingPadState(request.ticket if request else None)
    return out


def device_state(hub: Hub, hall_id: int, window: int, kind: DeviceKind) -> DeviceState | None:
    return device_states(hub, hall_id, [(window, kind)]).get((window, kind))
