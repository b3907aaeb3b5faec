"""The print job lifecycle: which step may follow which.

A job is queued, claimed by the printing process (printing), may be retried or failed
over to the sibling printer, and ends printed or failed. A final state is never left
again, so a late report from the printer cannot undo an outcome. After a hub restart an
unfinished job is queued again (printed whole, marked 补打) or failed.
"""

from __future__ import annotations

from enum import StrEnum

from .errors import DomainError


class JobState(StrEnum):
    QUEUED = "queued"
    PRINTING = "printing"
    RETRYING = "retrying"
    FAILED_OVER = "failed_over"
    PRINTED = "printed"
    FAILED = "failed"


FINAL = frozenset({JobState.PRINTED, JobState.FAILED})
UNFINISHED = frozenset({JobState.PRINTING, JobState.RETRYING, JobState.FAILED_OVER})
_MOVING = frozenset({JobState.RETRYING, JobState.FAILED_OVER, *FINAL})

# state -> the states it may move to. A repeated report (retrying -> retrying: another
# attempt) is a move too: it records the attempt.
TRANSITIONS: dict[JobState, frozenset[JobState]] = {
    JobState.QUEUED: frozenset({JobState.PRINTING, *_MOVING}),
    JobState.PRINTING: _MOVING | {JobState.QUEUED},
    JobState.RETRYING: _MOVING | {JobState.QUEUED},
    JobState.FAILED_OVER: _MOVING | {JobState.QUEUED},
    JobState.PRINTED: frozenset(),
    JobState.FAILED: frozenset(),
}


def move(state: JobState, to: JobState, *, only_from: frozenset[JobState] | None = None) -> None:
    """Check that a job in ``state`` may move to ``to``; ``only_from`` narrows the
    states it may leave (a "no confirmation yet" report only moves a job that has had
    no other report). Raises DomainError otherwise."""
    if state in FINAL:
        raise DomainError("PRINT_JOB_FINISHED", state=state.value, to=to.value)
    if to not in TRANSITIONS[state] or (only_from is not None and state not in only_from):
        raise DomainError("PRINT_JOB_STEP_NOT_ALLOWED", state=state.value, to=to.value)


def may_move(
    state: JobState, to: JobState, *, only_from: frozenset[JobState] | None = None
) -> bool:
    try:
        move(state, to, only_from=only_from)
    except DomainError:
        return False
    return True
