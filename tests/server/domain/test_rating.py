"""The rating request lifecycle, step by step (server/domain/rating.py)."""

from __future__ import annotations

import pytest

from server.domain.errors import MESSAGES, DomainError
from server.domain.rating import RatingStatus, RatingStep, may_step, sources, step

OPEN, RATED, NOT_RATED = RatingStatus.OPEN, RatingStatus.RATED, RatingStatus.NOT_RATED
CLOSE, REOPEN, RATE, LATE = (
    RatingStep.CLOSE,
    RatingStep.REOPEN,
    RatingStep.RATE,
    RatingStep.RATE_LATE,
)

# Every (state, step): the state after it, or the code of the refusal.
TABLE: list[tuple[RatingStatus, RatingStep, RatingStatus | str]] = [
    (OPEN, CLOSE, NOT_RATED),
    (OPEN, REOPEN, OPEN),
    (OPEN, RATE, RATED),
    (OPEN, LATE, RATED),
    (NOT_RATED, CLOSE, "RATING_REQUEST_NOT_OPEN"),
    (NOT_RATED, REOPEN, OPEN),
    (NOT_RATED, RATE, "RATING_REQUEST_NOT_OPEN"),  # at the window: only while open
    (NOT_RATED, LATE, RATED),  # by phone: also after it closed
    (RATED, CLOSE, "RATING_ALREADY_GIVEN"),
    (RATED, REOPEN, "RATING_ALREADY_GIVEN"),  # one rating per service
    (RATED, RATE, "RATING_ALREADY_GIVEN"),
    (RATED, LATE, "RATING_ALREADY_GIVEN"),
]


def test_the_table_covers_every_pair() -> None:
    assert {(a, b) for a, b, _ in TABLE} == {(a, b) for a in RatingStatus for b in RatingStep}


@pytest.mark.parametrize(("state", "what", "after"), TABLE, ids=[f"{a}-{b}" for a, b, _ in TABLE])
def test_steps(state: RatingStatus, what: RatingStep, after: RatingStatus | str) -> None:
    if isinstance(after, RatingStatus):
        assert may_step(state, what)
        assert step(state, what) is after
    else:
        assert not may_step(state, what)
        with pytest.raises(DomainError) as err:
            step(state, what)
        assert err.value.code == after
        zh, en = MESSAGES[after]
        assert (err.value.message_zh, err.value.message_en) == (zh, en)


@pytest.mark.parametrize(
    ("what", "expected"),
    [
        (CLOSE, {OPEN}),
        (REOPEN, {OPEN, NOT_RATED}),
        (RATE, {OPEN}),
        (LATE, {OPEN, NOT_RATED}),
    ],
)
def test_sources_are_what_the_store_checks_against(
    what: RatingStep, expected: set[RatingStatus]
) -> None:
    assert sources(what) == expected
