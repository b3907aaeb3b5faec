"""Who is called next: property-based checks of the selection rules."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from server.domain import engine
from server.domain.engine import Actor
from server.domain.model import (
    EventKind,
    Policy,
    PriorityClass,
    Ticket,
    TicketStatus,
    Window,
    WindowQueue,
)

T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
G, N, AP = PriorityClass.GREEN, PriorityClass.NORMAL, PriorityClass.APPOINTMENT


class Hall:
    """A tiny in-memory hall that drives the engine like the services do."""

    def __init__(self) -> None:
        self.tickets: list[Ticket] = []
        self.clock = T0

    def issue(self, queue: int, priority: PriorityClass) -> Ticket:
        self.clock += timedelta(seconds=1)
        t = Ticket(
            id=len(self.tickets) + 1,
            queue_id=queue,
            code=f"Q{len(self.tickets) + 1}",
            number=len(self.tickets) + 1,
            priority=priority,
            status=TicketStatus.WAITING,
            business_day=date(2026, 11, 23),
            issued_at=self.clock,
            rank_at=self.clock,
        )
        self.tickets.append(t)
        return t

    def call(self, w: Window, policy: Policy) -> engine.CallResult:
        self.clock += timedelta(seconds=1)
        current = next((t for t in self.tickets if t.id == w.current_ticket_id), None)
        waiting = [t for t in self.tickets if t.status is TicketStatus.WAITING]
        return engine.call_next(w, current, waiting, policy, Actor(now=self.clock))


ops = st.lists(
    st.one_of(
        st.tuples(st.just("issue"), st.integers(1, 3), st.sampled_from([G, N, AP])),
        st.tuples(st.just("call"), st.integers(0, 3), st.none()),
        st.tuples(st.just("no_show"), st.integers(0, 3), st.none()),
    ),
    max_size=120,
)


@settings(max_examples=150, deadline=None)
@given(ops)
def test_a_ticket_is_never_called_twice_nor_by_a_window_that_does_not_serve_it(
    script: list,
) -> None:  # type: ignore[type-arg]
    hall = Hall()
    windows = [
        Window(id=1, number=1, queues=[WindowQueue(1)]),
        Window(id=2, number=2, queues=[WindowQueue(1), WindowQueue(2, 2)]),
        Window(id=3, number=3, queues=[WindowQueue(3)]),
        Window(id=4, number=4, queues=[WindowQueue(2), WindowQueue(3), WindowQueue(1, 3)]),
    ]
    calls: Counter[int] = Counter()
    for op, n, prio in script:
        if op == "issue":
            hall.issue(n, prio)
            continue
        w = windows[n]
        if op == "call":
            result = hall.call(w, Policy())
            for e in result.events:
                if e.kind is EventKind.CALLED:
                    assert e.ticket_id is not None
                    calls[e.ticket_id] += 1
            if result.called is not None:
                assert w.serves(result.called.queue_id)
        elif w.current_ticket_id is not None:
            current = next(t for t in hall.tickets if t.id == w.current_ticket_id)
            engine.no_show(w, current, Actor(now=hall.clock))
        currents = [x.current_ticket_id for x in windows if x.current_ticket_id is not None]
        assert len(currents) == len(set(currents))
    assert all(c == 1 for c in calls.values())


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([G, N, AP]), min_size=1, max_size=60))
def test_within_a_class_order_is_by_arrival(priorities: list[PriorityClass]) -> None:
    hall = Hall()
    for p in priorities:
        hall.issue(1, p)
    w = Window(id=1, number=1, queues=[WindowQueue(1)])
    order = []
    while (result := hall.call(w, Policy())).called is not None:
        order.append(result.called)
    assert len(order) == len(priorities)
    for cls in (G, N, AP):
        ids = [t.id for t in order if t.priority is cls]
        assert ids == sorted(ids)


@settings(max_examples=30, deadline=None)
@given(st.integers(30, 400), st.integers(1, 4), st.integers(1, 4))
def test_class_ratio_holds_over_long_runs(calls: int, green_w: int, normal_w: int) -> None:
    """With both classes always waiting, every stretch of (g+n) calls has exactly g green."""
    hall = Hall()
    policy = Policy(class_weights={G: green_w, N: normal_w, AP: 1})
    w = Window(id=1, number=1, queues=[WindowQueue(1)])
    picked = []
    for _ in range(calls):
        hall.issue(1, G)
        hall.issue(1, N)
        result = hall.call(w, policy)
        assert result.called is not None
        picked.append(result.called.priority)
    period = green_w + normal_w
    for start in range(0, calls - period + 1, period):
        assert picked[start : start + period].count(G) == green_w


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 5), st.integers(50, 200))
def test_nobody_starves_under_a_stream_of_green_tickets(green_w: int, calls: int) -> None:
    hall = Hall()
    policy = Policy(class_weights={G: green_w, N: 1, AP: 1})
    w = Window(id=1, number=1, queues=[WindowQueue(1)])
    normal = hall.issue(1, N)
    for _ in range(green_w + 1):
        hall.issue(1, G)
    waited = 0
    while normal.status is TicketStatus.WAITING:
        hall.issue(1, G)  # green keeps arriving
        hall.call(w, policy)
        waited += 1
        assert waited <= green_w + 1
    assert calls > 0


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 5), st.integers(1, 5), st.integers(60, 300))
def test_queue_weights_share_a_window(w_a: int, w_b: int, calls: int) -> None:
    hall = Hall()
    w = Window(id=1, number=1, queues=[WindowQueue(1, w_a), WindowQueue(2, w_b)])
    got: Counter[int] = Counter()
    for _ in range(calls):
        hall.issue(1, N)
        hall.issue(2, N)
        result = hall.call(w, Policy())
        assert result.called is not None
        got[result.called.queue_id] += 1
    share = got[1] / calls
    assert abs(share - w_a / (w_a + w_b)) <= (w_a + w_b) / calls
