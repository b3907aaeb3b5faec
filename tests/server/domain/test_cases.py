"""The case machine: every state against every action (a table), the 即办, 补办, 退回,
复核 and 联办 paths with their clocks, and receipt numbers."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from server.domain.calendar import HallCalendar
from server.domain.cases import (
    TRANSITIONS,
    Case,
    CaseAction,
    CaseState,
    CaseType,
    allowed_actions,
    apply,
    check_urgent_due,
    due_date,
    receipt_due,
)
from server.domain.deadlines import CaseClock, Light
from server.domain.errors import DomainError
from server.domain.receipts import DEFAULT_PATTERN, ReceiptPattern, normalise, receipt_number

CAL = HallCalendar(holidays=frozenset({date(2026, 10, 1), date(2026, 10, 2)}))
S, A = CaseState, CaseAction
# Monday 23 Nov 2026, 10:00 in Shanghai.
MON = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def case(state: CaseState = S.RECEIVED, kind: CaseType = CaseType.PROMISED, **kw: object) -> Case:
    clock = CaseClock(5)
    if state in (S.ACCEPTED, S.APPROVED, S.RETURNED, S.REVIEW, S.FINISHED, S.COLLECTED):
        clock = clock.start(CAL, date(2026, 11, 23))
    return Case(type=kind, state=state, clock=clock, received_on=date(2026, 11, 23), **kw)  # type: ignore[arg-type]


def act(c: Case, action: CaseAction, *, days: int = 0, **kw: object) -> Case:
    out = apply(CAL, c, action, at=MON + timedelta(days=days), by=7, by_name="王芳", **kw)  # type: ignore[arg-type]
    return out.case


NEEDS = {
    A.RETURN: {"note": "材料不符合要求"},
    A.UPHOLD: {"note": "维持"},
    A.OVERTURN: {"note": "撤销"},
}


@pytest.mark.parametrize("state", list(CaseState))
@pytest.mark.parametrize("action", [a for a in CaseAction if a is not A.COMPLETE])
def test_every_state_against_every_action(state: CaseState, action: CaseAction) -> None:
    extra: dict[str, object] = dict(NEEDS.get(action, {}))
    if action is A.SUPPLEMENT:
        extra["missing"] = ["户口簿"]
    target = TRANSITIONS.get((state, action))
    if target is None:
        with pytest.raises(DomainError) as err:
            act(case(state), action, **extra)
        assert err.value.code == "CASE_WRONG_STATE"
        assert err.value.details == {"state": state.value, "action": action.value}
        assert action not in allowed_actions(case(state))
    else:
        assert act(case(state), action, **extra).state is target
        assert action in allowed_actions(case(state))


def test_an_immediate_case_is_finished_on_the_spot_with_every_step_on_record() -> None:
    out = apply(CAL, case(kind=CaseType.IMMEDIATE), A.COMPLETE, at=MON, by=7, by_name="王芳")
    assert out.case.state is S.FINISHED
    assert [(s.action, s.state, s.by, s.at) for s in out.steps] == [
        (A.ACCEPT, S.ACCEPTED, 7, MON),
        (A.APPROVE, S.APPROVED, 7, MON),
        (A.FINISH, S.FINISHED, 7, MON),
    ]
    assert out.case.clock.stopped == date(2026, 11, 23) and not out.case.clock.late(CAL)
    assert allowed_actions(case(kind=CaseType.IMMEDIATE))[0] is A.COMPLETE
    with pytest.raises(DomainError) as err:
        apply(CAL, case(), A.COMPLETE, at=MON, by=7, by_name="王芳")
    assert err.value.code == "CASE_NOT_IMMEDIATE"


def test_missing_materials_at_receipt_start_the_clock_only_when_complete() -> None:
    waiting = act(case(), A.SUPPLEMENT, missing=["户口簿", " ", "结婚证"])
    assert waiting.state is S.SUPPLEMENT and waiting.clock.started is None
    assert due_date(CAL, waiting, date(2026, 11, 30)) is None
    out = apply(CAL, case(), A.SUPPLEMENT, at=MON, by=7, by_name="王芳", missing=["户口簿", ""])
    assert out.steps[0].missing == ("户口簿",)
    with pytest.raises(DomainError) as err:
        act(case(), A.SUPPLEMENT, missing=["  "])
    assert err.value.code == "CASE_MISSING_REQUIRED"
    # Complete on Thursday: the 5 working days start then.
    running = act(waiting, A.RESUME, days=3)
    assert running.state is S.ACCEPTED and running.clock.started == date(2026, 11, 26)
    assert due_date(CAL, running, date(2026, 11, 26)) == date(2026, 12, 3)


def test_missing_materials_after_acceptance_stop_the_clock() -> None:
    running = act(case(), A.ACCEPT)  # Monday: due Monday 30 Nov
    assert due_date(CAL, running, date(2026, 11, 23)) == date(2026, 11, 30)
    waiting = act(running, A.SUPPLEMENT, days=1, missing=["身份证复印件"])  # Tuesday
    assert waiting.clock.light(CAL, date(2026, 11, 26)) is Light.PAUSED
    back = act(waiting, A.RESUME, days=3)  # Thursday: Wed and Thu not counted
    assert due_date(CAL, back, date(2026, 11, 26)) == date(2026, 12, 2)
    done = act(act(back, A.APPROVE, days=4), A.FINISH, days=4)
    assert done.state is S.FINISHED and not done.clock.late(CAL)


def test_a_return_needs_a_reason_and_can_be_reviewed() -> None:
    with pytest.raises(DomainError) as err:
        act(case(S.ACCEPTED), A.RETURN, note="   ")
    assert err.value.code == "CASE_REASON_REQUIRED"
    with pytest.raises(DomainError) as err:
        act(case(S.ACCEPTED), A.RETURN, note="x" * 501)
    assert err.value.code == "CASE_NOTE_TOO_LONG"
    returned = act(case(S.ACCEPTED), A.RETURN, days=1, note="不符合受理条件")
    assert returned.clock.stopped == date(2026, 11, 24)
    assert due_date(CAL, returned, date(2026, 11, 24)) is None
    reviewed = act(returned, A.REVIEW, days=2)
    assert act(reviewed, A.UPHOLD, days=3, note="维持退回").state is S.RETURNED
    again = act(reviewed, A.OVERTURN, days=3, note="材料齐全，应予受理")
    # Accepted again: the clock runs on from where it was, the days in between counted.
    assert again.state is S.ACCEPTED and again.clock.started == date(2026, 11, 23)
    assert again.clock.stopped is None


def test_a_received_case_is_decided_within_three_working_days() -> None:
    friday = replace(case(), received_on=date(2026, 11, 27))
    assert receipt_due(CAL, friday) == date(2026, 12, 2)
    assert due_date(CAL, friday, date(2026, 11, 27)) == date(2026, 12, 2)
    assert receipt_due(CAL, act(case(), A.ACCEPT)) is None
    # Over a holiday: received 30 Sep, decided by 7 Oct (1-2 Oct off, 3-4 a weekend).
    autumn = replace(case(), received_on=date(2026, 9, 30))
    assert receipt_due(CAL, autumn) == date(2026, 10, 7)


def test_a_joint_lead_is_decided_only_when_every_department_has() -> None:
    lead = case(S.ACCEPTED, CaseType.JOINT, lead=True, sub_states=(S.APPROVED, S.ACCEPTED))
    with pytest.raises(DomainError) as err:
        act(lead, A.APPROVE)
    assert err.value.code == "JOINT_SUBCASES_OPEN" and err.value.details == {"open": 1}
    with pytest.raises(DomainError):
        act(lead, A.RETURN, note="协办部门不同意")
    done = replace(lead, sub_states=(S.APPROVED, S.RETURNED))
    assert act(done, A.APPROVE).state is S.APPROVED


def test_an_urgent_due_date_comes_before_the_promised_one() -> None:
    running = act(case(), A.ACCEPT)  # due 30 Nov
    today = date(2026, 11, 23)
    check_urgent_due(CAL, running, date(2026, 11, 25), today)
    urgent = replace(running, urgent_due=date(2026, 11, 25))
    assert due_date(CAL, urgent, today) == date(2026, 11, 25)
    for due, code in (
        (date(2026, 11, 20), "DEADLINE_IN_PAST"),
        (date(2026, 11, 28), "DEADLINE_NOT_WORKING_DAY"),
        (date(2026, 12, 1), "URGENT_AFTER_DUE"),
    ):
        with pytest.raises(DomainError) as err:
            check_urgent_due(CAL, running, due, today)
        assert err.value.code == code
    with pytest.raises(DomainError) as err:
        check_urgent_due(CAL, case(S.FINISHED), date(2026, 11, 25), today)
    assert err.value.code == "CASE_WRONG_STATE"


@pytest.mark.parametrize(
    ("pattern", "number"),
    [
        (DEFAULT_PATTERN, "DEMO2026000042"),
        ("SL-{yy}{month}-{seq:4}", "SL-2611-0042"),
        ("{dept}{year}{seq}", "SCJG2026000042"),
        ("{year}{seq:1}", "202642"),
    ],
)
def test_receipt_numbers_follow_the_halls_pattern(pattern: str, number: str) -> None:
    parsed = ReceiptPattern.parse(pattern)
    day = date(2026, 11, 23)
    assert receipt_number(parsed, day=day, hall="demo", dept="scjg", seq=42) == number
    assert normalise(" " + number.lower() + " ") == number


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("{hall}{seq}", "a {year} or {yy}"),
        ("{year}", "exactly one {seq}"),
        ("{year}{seq}{seq}", "exactly one {seq}"),
        ("{year}{seq:0}", "{seq:N} with N from 1 to 10"),
        ("{year:4}{seq}", "only {seq} takes a width"),
        ("{year}/{seq}", "only letters, digits and - outside the fields"),
        ("{year}{seq}{colour}", "unknown field: colour"),
        ("受理{year}{seq}", "only letters, digits and - outside the fields"),
        ("{hall}-{dept}-{year}{month}{seq:10}", "a number longer than 32 characters"),
    ],
)
def test_a_bad_pattern_is_refused_saying_why(pattern: str, problem: str) -> None:
    with pytest.raises(DomainError) as err:
        ReceiptPattern.parse(pattern)
    assert err.value.code == "RECEIPT_PATTERN_INVALID"
    assert err.value.details["problem"] == problem
