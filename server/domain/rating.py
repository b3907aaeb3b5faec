"""The rating request lifecycle: a service asks for a rating, which is given or not.

A request is opened when a service finishes (or the clerk presses 评价), closed as not
rated when it times out or a newer service at the window replaces it, and may be opened
again while it is not rated. One rating per service: a rated request never moves again.
A rating by phone (the ticket's QR code) is still taken after the request closed.
"""

from __future__ import annotations

from enum import StrEnum

from .errors import DomainError


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
