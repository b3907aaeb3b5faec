"""The rating request lifecycle: a service asks for a rating, which is given or not.

A request is opened when a service finishes (or the clerk presses 评价), closed as not
rated when it times out or a newer service at the window replaces it, and may be opened
again while it is not rated. One rating per service: a rated request never moves again.
A rating by phone (the ticket's QR code) is still taken after the request closed.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from .errors import DomainError

# The five national levels, best first: the one order every screen shows them in.
LEVELS: Mapping[int, tuple[str, str]] = MappingProxyType(
    {
        5: ("非常满意", "very satisfied"),
        4: ("满意", "satisfied"),
        3: ("基本满意", "basically satisfied"),
        2: ("不满意", "dissatisfied"),
        1: ("非常不满意", "very dissatisfied"),
    }
)
BAD_LEVELS = frozenset({1, 2})  # 差评, which the hall must follow up
SATISFIED_LEVELS = frozenset({3, 4, 5})
REASONS: Mapping[int, tuple[str, str]] = MappingProxyType(
    {
        1: ("服务态度", "attitude"),
        2: ("办事效率", "efficiency"),
        3: ("办事指南/材料", "guide or materials"),
        4: ("多次跑动", "repeat trips"),
        5: ("超时未办结", "not finished in time"),
        6: ("其他", "other"),
    }
)

# The range an admin may give a hall's timeout, in seconds (HallUpdate checks it).
RATING_TIMEOUT_MIN = 15
RATING_TIMEOUT_MAX = 600


class RatingStatus(StrEnum):
    OPEN = "open"
    RATED = "rated"
    NOT_RATED = "not_rated"


class RatingStep(StrEnum):
    CLOSE = "close"  # timed out, superseded, the clerk moved on
    REOPEN = "reopen"  # the clerk asks again (评价), or the service finished again
    RATE = "rate"  # a rating at the window, while the request is open
    RATE_LATE = "rate_late"  # a rating by phone, also after the request closed


# (state, step) -> the state after it. Anything else is refused.
TRANSITIONS: dict[tuple[RatingStatus, RatingStep], RatingStatus] = {
    (RatingStatus.OPEN, RatingStep.CLOSE): RatingStatus.NOT_RATED,
    (RatingStatus.OPEN, RatingStep.REOPEN): RatingStatus.OPEN,
    (RatingStatus.NOT_RATED, RatingStep.REOPEN): RatingStatus.OPEN,
    (RatingStatus.OPEN, RatingStep.RATE): RatingStatus.RATED,
    (RatingStatus.OPEN, RatingStep.RATE_LATE): RatingStatus.RATED,
    (RatingStatus.NOT_RATED, RatingStep.RATE_LATE): RatingStatus.RATED,
}


def step(status: RatingStatus, what: RatingStep) -> RatingStatus:
    """The state after ``what``; DomainError if a request in ``status`` cannot take it."""
    after = TRANSITIONS.get((status, what))
    if after is not None:
        return after
    if status is RatingStatus.RATED:
        raise DomainError("RATING_ALREADY_GIVEN", step=what.value)
    raise DomainError("RATING_REQUEST_NOT_OPEN", status=status.value, step=what.value)


def may_step(status: RatingStatus, what: RatingStep) -> bool:
    return (status, what) in TRANSITIONS


def sources(what: RatingStep) -> frozenset[RatingStatus]:
    """The states a request may take ``what`` from: the store's version check when
    another transaction may have moved it since it was read."""
    return frozenset(state for state, s in TRANSITIONS if s is what)
