"""The ticket lifecycle, rule by rule."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from server.domain import engine
from server.domain.engine import Actor
from server.domain.errors import DomainError
from server.domain.model import (
    EventKind,
    Policy,
    PriorityClass,
    Ticket,
    TicketStatus,
    Window,
    WindowQueue,
)

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
DAY = date(2026, 11, 23)


def ticket(
    tid: int,
    queue: int = 1,
    priority: PriorityClass = PriorityClass.NORMAL,
    minute: int | None = None,
) -> Ticket:
    at = T0 + timedelta(minutes=tid if minute is None else minute)
    return Ticket(
        id=tid,
        queue_id=queue,
        code=f"A{tid:03d}",
        number=tid,
        priority=priority,
        status=TicketStatus.WAITING,
        business_day=DAY,
        issued_at=at,
        rank_at=at,
    )


def window(wid: int = 1, queues: tuple[int, ...] = (1,)) -> Window:
    return Window(id=wid, number=wid, queues=[WindowQueue(q) for q in queues])


def actor(minutes: float = 60) -> Actor:
    return Actor(now=T0 + timedelta(minutes=minutes), clerk_id=7)


def called(w: Window, tickets: list[Ticket], policy: Policy | None = None) -> Ticket:
    current = next((t for t in tickets if t.id == w.current_ticket_id), None)
    result = engine.call_next(w, current, tickets, policy or Policy(), actor())
    assert result.called is not None
    return result.called


def test_call_next_takes_the_earliest_and_finishes_the_current() -> None:
    w, tickets = window(), [ticket(2), ticket(1), ticket(3)]
    first = called(w, tickets)
    assert first.id == 1 and first.status is TicketStatus.CALLED and w.current_ticket_id == 1
    result = engine.call_next(w, first, tickets, Policy(), actor())
    assert [e.kind for e in result.events] == [
        EventKind.STARTED,
        EventKind.FINISHED,
        EventKind.CALLED,
    ]
    assert first.status is TicketStatus.DONE and result.called is tickets[0]


def test_call_next_with_nobody_waiting_still_finishes_the_current() -> None:
    w, t = window(), ticket(1)
    called(w, [t])
    result = engine.call_next(w, t, [t], Policy(), actor())
    assert result.called is None and t.status is TicketStatus.DONE and w.current_ticket_id is None


def test_paused_window_cannot_call() -> None:
    w = window()
    engine.pause(w, "午休", actor())
    with pytest.raises(DomainError) as err:
        engine.call_next(w, None, [ticket(1)], Policy(), actor())
    assert err.value.code == "WINDOW_PAUSED"


@pytest.mark.parametrize(
    ("steps", "code"),
    [
        (["recall"], "NO_CURRENT_TICKET"),
        (["call", "start", "recall"], "TICKET_NOT_CALLED"),
        (["call", "recall", "recall", "recall", "recall"], "RECALL_LIMIT_REACHED"),
        (["call", "start", "no_show"], "TICKET_NOT_CALLED"),
        (["start"], "NO_CURRENT_TICKET"),
        (["finish"], "NO_CURRENT_TICKET"),
        (["hold"], "NO_CURRENT_TICKET"),
        (["resume"], "WINDOW_NOT_PAUSED"),
        (["pause", "pause"], "WINDOW_ALREADY_PAUSED"),
        (["call", "finish", "cancel"], "TICKET_CLOSED"),
        (["reactivate"], "TICKET_NOT_NO_SHOW"),
        (["call", "hold", "call_back_other"], "TICKET_HELD_ELSEWHERE"),
    ],
)
def test_rule_violations_raise_stable_codes(steps: list[str], code: str) -> None:
    w, other, t = window(1), window(2), ticket(1)
    policy = Policy(recall_limit=3)
    run = {
        "call": lambda: engine.call_next(w, None, [t], policy, actor()),
        "recall": lambda: engine.recall(w, t, policy, actor()),
        "start": lambda: engine.start(w, t, actor()),
        "finish": lambda: engine.finish(w, t, actor()),
        "no_show": lambda: engine.no_show(w, t, actor()),
        "hold": lambda: engine.hold(w, t, actor()),
        "pause": lambda: engine.pause(w, "会议", actor()),
        "resume": lambda: engine.resume(w, actor()),
        "cancel": lambda: engine.cancel(t, actor()),
        "reactivate": lambda: engine.reactivate(t, policy, actor()),
        "call_back_other": lambda: engine.call_back(other, None, t, actor()),
    }
    for step in steps[:-1]:
        run[step]()
    with pytest.raises(DomainError) as err:
        run[steps[-1]]()
    assert err.value.code == code
    assert err.value.message_zh and err.value.message_en


def test_recall_counts_up_to_the_limit() -> None:
    w, t = window(), ticket(1)
    called(w, [t])
    for n in (1, 2, 3):
        (ev,) = engine.recall(w, t, Policy(recall_limit=3), actor())
        assert ev.kind is EventKind.RECALLED and ev.data["count"] == n


def test_no_show_can_be_reactivated_within_the_limit_and_goes_to_the_back() -> None:
    w, t, later = window(), ticket(1), ticket(2)
    called(w, [t, later])
    engine.no_show(w, t, Actor(now=T0 + timedelta(minutes=10)))
    assert w.current_ticket_id is None
    engine.reactivate(
        t, Policy(no_show_reactivate_minutes=30), Actor(now=T0 + timedelta(minutes=39))
    )
    assert t.status is TicketStatus.WAITING and t.rank_at > later.rank_at
    assert called(w, [t, later]) is later


def test_no_show_expires_after_the_limit() -> None:
    w, t = window(), ticket(1)
    called(w, [t])
    engine.no_show(w, t, Actor(now=T0))
    with pytest.raises(DomainError) as err:
        engine.reactivate(
            t, Policy(no_show_reactivate_minutes=30), Actor(now=T0 + timedelta(minutes=31))
        )
    assert err.value.code == "NO_SHOW_EXPIRED"


def test_hold_and_call_back() -> None:
    w, held, nxt = window(), ticket(1), ticket(2)
    called(w, [held, nxt])
    engine.hold(w, held, actor())
    assert (
        held.status is TicketStatus.HELD and held.window_id == w.id and w.current_ticket_id is None
    )
    assert called(w, [held, nxt]) is nxt  # held tickets are not called by call-next
    result = engine.call_back(w, nxt, held, actor())
    assert nxt.status is TicketStatus.DONE and held.status is TicketStatus.CALLED
    assert result.events[-1].kind is EventKind.CALLED_BACK


def test_transfer_to_a_queue_keeps_number_and_place() -> None:
    a_window, f_window = window(1, (1,)), window(2, (2,))
    t, f_early, f_late = (
        ticket(5, queue=1, minute=5),
        ticket(3, queue=2, minute=3),
        ticket(9, queue=2, minute=9),
    )
    called(a_window, [t])
    (ev,) = engine.transfer(a_window, t, actor(), to_queue_id=2)
    assert (t.status, t.queue_id, t.code) == (TicketStatus.WAITING, 2, "A005")
    assert ev.data["from_queue_id"] == 1 and ev.data["to_queue_id"] == 2
    order = [called(f_window, [t, f_early, f_late]).id for _ in range(3)]
    assert order == [3, 5, 9]


def test_transfer_to_a_window_is_only_called_there() -> None:
    w1, w2, w3 = window(1), window(2), window(3)
    t, other = ticket(1), ticket(2)
    called(w1, [t, other])
    engine.transfer(w1, t, actor(), to_window=w3)
    assert called(w2, [t, other]) is other
    with pytest.raises(DomainError) as err:
        engine.call_specific(w2, other, t, actor())
    assert err.value.code == "TICKET_FOR_OTHER_WINDOW"
    assert called(w3, [t, other]) is t


def test_transfer_to_a_window_that_does_not_serve_the_queue_is_refused() -> None:
    w1, w9 = window(1, (1,)), window(9, (2,))
    t = ticket(1)
    called(w1, [t])
    with pytest.raises(DomainError) as err:
        engine.transfer(w1, t, actor(), to_window=w9)
    assert err.value.code == "WINDOW_DOES_NOT_SERVE_QUEUE" and t.status is TicketStatus.CALLED


def test_call_specific_refuses_other_queues() -> None:
    w = window(1, (1,))
    with pytest.raises(DomainError) as err:
        engine.call_specific(w, None, ticket(1, queue=2), actor())
    assert err.value.code == "WINDOW_DOES_NOT_SERVE_QUEUE"


def test_pause_needs_a_reason() -> None:
    with pytest.raises(DomainError) as err:
        engine.pause(window(), "  ", actor())
    assert err.value.code == "PAUSE_REASON_REQUIRED"


def test_close_day_expires_every_open_ticket() -> None:
    w = window()
    tickets = [ticket(i) for i in range(1, 6)]
    called(w, tickets)
    engine.finish(w, tickets[0], actor())
    called(w, tickets)
    engine.hold(w, tickets[1], actor())
    events = engine.close_day(tickets, [w], actor())
    assert tickets[0].status is TicketStatus.DONE
    assert all(t.status is TicketStatus.EXPIRED for t in tickets[1:])
    assert len(events) == 4 and all(e.kind is EventKind.EXPIRED for e in events)
