"""Which waiting ticket a window gets next.

Decided by data: tickets transferred to this window first, then the hall's class
weights (e.g. 2 green : 1 normal), then the window's queue weights, then arrival.
Both weightings use smooth weighted round-robin, whose credits the window keeps, so
ratios hold over a whole day and no class or queue with a positive weight starves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .model import CLASS_ORDER, PriorityClass, Ticket, TicketStatus, Window


@dataclass(frozen=True)
class Pick:
    ticket: Ticket
    class_credits: dict[str, int]
    queue_credits: dict[str, int]


def eligible(window: Window, tickets: Iterable[Ticket]) -> list[Ticket]:
    """Waiting tickets this window may receive."""
    return [
        t
        for t in tickets
        if t.status is TicketStatus.WAITING
        and window.serves(t.queue_id)
        and t.target_window_id in (None, window.id)
    ]


def _arrival_key(t: Ticket) -> tuple[object, int, int]:
    return (t.rank_at, t.number, t.id)


def smooth_wrr(
    credits: Mapping[str, int], weights: Sequence[tuple[str, int]]
) -> tuple[str, dict[str, int]]:
    """One step of smooth weighted round-robin over the present members.

    ``weights`` is ordered: on equal credit the earlier member wins. Members absent
    from ``weights`` lose their credit, so a class that comes back does not burst.
    """
    new = {key: credits.get(key, 0) + weight for key, weight in weights}
    total = sum(weight for _, weight in weights)
    chosen = max(weights, key=lambda kw: (new[kw[0]], -weights.index(kw)))[0]
    new[chosen] -= total
    return chosen, new


def pick_next(
    window: Window, tickets: Iterable[Ticket], class_weights: Mapping[PriorityClass, int]
) -> Pick | None:
    candidates = eligible(window, tickets)
    if not candidates:
        return None
    targeted = [t for t in candidates if t.target_window_id == window.id]
    if targeted:
        return Pick(
            min(targeted, key=_arrival_key), dict(window.class_credits), dict(window.queue_credits)
        )

    present_classes = {t.priority for t in candidates}
    class_w = [
        (c.value, max(1, class_weights.get(c, 1))) for c in CLASS_ORDER if c in present_classes
    ]
    chosen_class, class_credits = smooth_wrr(window.class_credits, class_w)
    in_class = [t for t in candidates if t.priority.value == chosen_class]

    present_queues = {t.queue_id for t in in_class}
    queue_w = [
        (str(q.queue_id), max(1, q.weight)) for q in window.queues if q.queue_id in present_queues
    ]
    chosen_queue, queue_credits = smooth_wrr(window.queue_credits, queue_w)
    # Credits of queues not present in this class are kept: they compete again next time.
    merged_queue_credits = {**window.queue_credits, **queue_credits}
    in_queue = [t for t in in_class if str(t.queue_id) == chosen_queue]
    return Pick(min(in_queue, key=_arrival_key), class_credits, merged_queue_credits)
