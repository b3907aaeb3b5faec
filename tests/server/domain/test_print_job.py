"""The print job lifecycle, step by step (server/domain/print_job.py)."""

from __future__ import annotations

import pytest

from server.domain.errors import MESSAGES, DomainError
from server.domain.print_job import JobState, may_move, move

Q, P, R, FO, OK, F = (
    JobState.QUEUED,
    JobState.PRINTING,
    JobState.RETRYING,
    JobState.FAILED_OVER,
    JobState.PRINTED,
    JobState.FAILED,
)

# (from, to, allowed?) for every pair: the whole table, so a change to it is a choice.
ALLOWED = {
    Q: {P, R, FO, OK, F},  # claimed; or a report about a job not yet marked claimed
    P: {R, FO, OK, F, Q},  # Q: put back after a restart, to print again (补打)
    R: {R, FO, OK, F, Q},  # R -> R: another attempt
    FO: {R, FO, OK, F, Q},
    OK: set(),
    F: set(),
}
CASES = [(a, b, b in ALLOWED[a]) for a in JobState for b in JobState]


@pytest.mark.parametrize(("state", "to", "allowed"), CASES, ids=[f"{a}->{b}" for a, b, _ in CASES])
def test_transitions(state: JobState, to: JobState, allowed: bool) -> None:
    assert may_move(state, to) is allowed
    if allowed:
        move(state, to)
    else:
        with pytest.raises(DomainError) as err:
            move(state, to)
        final = state in (OK, F)
        assert err.value.code == ("PRINT_JOB_FINISHED" if final else "PRINT_JOB_STEP_NOT_ALLOWED")
        assert err.value.details == {"state": state.value, "to": to.value}


@pytest.mark.parametrize(
    ("state", "allowed"), [(Q, True), (P, True), (R, False), (FO, False), (OK, False)]
)
def test_a_no_confirmation_yet_report_moves_only_a_job_with_no_other_report(
    state: JobState, allowed: bool
) -> None:
    assert may_move(state, R, only_from=frozenset({Q, P})) is allowed


@pytest.mark.parametrize("code", ["PRINT_JOB_FINISHED", "PRINT_JOB_STEP_NOT_ALLOWED"])
def test_refusals_have_chinese_and_english(code: str) -> None:
    zh, en = MESSAGES[code]
    assert zh and en and zh != en
