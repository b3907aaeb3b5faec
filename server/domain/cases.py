"""The case (办件) life cycle, as a pure state machine.

A case is registered for one service item, from the ticket being served or without one
(post, online). Its states::

    received ──accept──▶ accepted ──approve──▶ approved ──finish──▶ finished ──collect──▶ collected
       │  ▲                │  ▲
       │  └──resume──┐     │  └──resume──┐
       ├─supplement─▶ supplement ◀─supplement┤
       │                                   │
       └──return──▶ returned ◀──return─────┘
                     │  ▲
             review  ▼  │ uphold
                    review ──overturn──▶ accepted
                     returned ──finish──▶ finished

- 即办件 (immediate) is finished on the spot: ``complete`` takes a received case straight to
  finished (accepted, approved and finished in one step, each stamped).
- 补办 (supplement): the applicant is told in one 一次性告知书 exactly what is missing; the
  clock has not started (from received) or stops (from accepted) until the file is
  complete (``resume``).
- 退回 (return) needs a reason; the applicant may ask for 复核 (``review``), which a
  supervisor upholds or overturns (the case is accepted again, its clock running on).
- 联办件 (joint): a lead case and a sub-case per other department; the lead is decided
  only when every sub-case is (``JOINT_SUBCASES_OPEN``).
- 急办件 (urgent) is a mark the centre sets on a case, with an earlier due date of its own.

Every step is stamped with who and when (:class:`Step`); an action a state does not
allow is refused with CASE_WRONG_STATE, naming the state and the action.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from .calendar import HallCalendar, working_days_between
from .deadlines import CaseClock
from .errors import DomainError


class CaseType(StrEnum):
    IMMEDIATE = "immediate"  # 即办件
    PROMISED = "promised"  # 承诺件
    JOINT = "joint"  # 联办件
    REPORTED = "reported"  # 上报件: decided above the hall, within the item's time limit


CASE_TYPE_TEXT: dict[CaseType, tuple[str, str]] = {
    CaseType.IMMEDIATE: ("即办件", "on-the-spot case"),
    CaseType.PROMISED: ("承诺件", "promised-time case"),
    CaseType.JOINT: ("联办件", "joint case"),
    CaseType.REPORTED: ("上报件", "case decided above the hall"),
}
# How guides name the types (办件类型 in an item's guide) -> the type.
CASE_TYPE_BY_NAME = {zh: kind for kind, (zh, _) in CASE_TYPE_TEXT.items()}


class CaseState(StrEnum):
    RECEIVED = "received"  # 已收件: materials being checked
    SUPPLEMENT = "supplement"  # 补办: waiting for missing materials
    ACCEPTED = "accepted"  # 已受理: the clock runs
    APPROVED = "approved"  # 准予办理
    RETURNED = "returned"  # 退回 (不予受理 / 不予办理), with a reason
    REVIEW = "review"  # 复核 of a return asked
    FINISHED = "finished"  # 办结
    COLLECTED = "collected"  # 已取件 / 已送达


CASE_STATE_TEXT: dict[CaseState, tuple[str, str]] = {
    CaseState.RECEIVED: ("已收件，正在审核材料", "received, materials being checked"),
    CaseState.SUPPLEMENT: ("需补齐材料", "waiting for missing materials"),
    CaseState.ACCEPTED: ("已受理，正在办理", "accepted, in progress"),
    CaseState.APPROVED: ("审批通过，等待办结", "approved"),
    CaseState.RETURNED: ("已退回", "returned"),
    CaseState.REVIEW: ("退回复核中", "return under review"),
    CaseState.FINISHED: ("已办结", "finished"),
    CaseState.COLLECTED: ("已领取", "collected"),
}


class CaseAction(StrEnum):
    RECEIVE = "receive"  # 收件: the first step, when the case is registered (no transition)
    ACCEPT = "accept"  # 受理
    SUPPLEMENT = "supplement"  # 补办: tell what is missing
    RESUME = "resume"  # 补齐: the file is complete
    APPROVE = "approve"  # 准予
    RETURN = "return"  # 退回, with a reason
    REVIEW = "review"  # 申请复核
    UPHOLD = "uphold"  # 复核维持退回
    OVERTURN = "overturn"  # 复核撤销退回: accepted again
    FINISH = "finish"  # 办结
    COLLECT = "collect"  # 取件
    COMPLETE = "complete"  # 即办: accept, approve and finish at once


CASE_ACTION_TEXT: dict[CaseAction, tuple[str, str]] = {
    CaseAction.RECEIVE: ("收件", "received"),
    CaseAction.ACCEPT: ("受理", "accept"),
    CaseAction.SUPPLEMENT: ("一次性告知补齐材料", "ask for missing materials"),
    CaseAction.RESUME: ("材料已补齐", "materials complete"),
    CaseAction.APPROVE: ("审批通过", "approve"),
    CaseAction.RETURN: ("退回", "return"),
    CaseAction.REVIEW: ("申请复核", "ask for review"),
    CaseAction.UPHOLD: ("复核维持退回", "uphold the return"),
    CaseAction.OVERTURN: ("复核撤销退回", "overturn the return"),
    CaseAction.FINISH: ("办结", "finish"),
    CaseAction.COLLECT: ("领取", "collect"),
    CaseAction.COMPLETE: ("当场办结", "finish on the spot"),
}

S, A = CaseState, CaseAction
TRANSITIONS: dict[tuple[CaseState, CaseAction], CaseState] = {
    (S.RECEIVED, A.ACCEPT): S.ACCEPTED,
    (S.RECEIVED, A.SUPPLEMENT): S.SUPPLEMENT,
    (S.RECEIVED, A.RETURN): S.RETURNED,
    (S.RECEIVED, A.COMPLETE): S.FINISHED,
    (S.SUPPLEMENT, A.RESUME): S.ACCEPTED,
    (S.SUPPLEMENT, A.RETURN): S.RETURNED,
    (S.ACCEPTED, A.SUPPLEMENT): S.SUPPLEMENT,
    (S.ACCEPTED, A.APPROVE): S.APPROVED,
    (S.ACCEPTED, A.RETURN): S.RETURNED,
    (S.APPROVED, A.FINISH): S.FINISHED,
    (S.RETURNED, A.REVIEW): S.REVIEW,
    (S.RETURNED, A.FINISH): S.FINISHED,
    (S.REVIEW, A.UPHOLD): S.RETURNED,
    (S.REVIEW, A.OVERTURN): S.ACCEPTED,
    (S.FINISHED, A.COLLECT): S.COLLECTED,
}
# Where a case's clock runs (counted against its time limit).
RUNNING = frozenset({S.ACCEPTED})
# Decided: what the lead of a joint case waits for in each sub-case.
DECIDED = frozenset({S.APPROVED, S.RETURNED, S.FINISHED, S.COLLECTED})
OPEN = frozenset(CaseState) - {S.FINISHED, S.COLLECTED}
# 退回件: a case not accepted is decided (accepted, 补办 or returned) within this many
# working days of its receipt (昆山 centre rules).
RECEIPT_DECISION_DAYS = 3
MAX_REASON = 500


@dataclass(frozen=True)
class Step:
    """One step of a case, on record (步步留痕)."""

    action: CaseAction
    state: CaseState  # the state the step led to
    at: datetime
    by: int | None  # the staff member; None for the applicant or the system
    by_name: str
    note: str = ""
    missing: tuple[str, ...] = ()  # 补办: the materials asked for


@dataclass(frozen=True)
class Case:
    """What the rules need of a case."""

    type: CaseType
    state: CaseState
    clock: CaseClock
    received_on: date
    sub_states: tuple[CaseState, ...] = ()  # a joint lead's sub-cases
    lead: bool = False  # the lead of a joint case
    urgent_due: date | None = None  # 急办: the centre's earlier due date


@dataclass(frozen=True)
class Outcome:
    case: Case
    steps: tuple[Step, ...]


def _refuse(case: Case, action: CaseAction) -> DomainError:
    return DomainError("CASE_WRONG_STATE", state=case.state.value, action=action.value)


def apply(
    calendar: HallCalendar,
    case: Case,
    action: CaseAction,
    *,
    at: datetime,
    by: int | None,
    by_name: str,
    note: str = "",
    missing: Sequence[str] = (),
) -> Outcome:
    """The case after ``action``, and the steps that record it; refused with a stable
    code when the state, the type or the data do not allow it."""
    today = calendar.business_day(at)
    note = note.strip()
    if len(note) > MAX_REASON:
        raise DomainError("CASE_NOTE_TOO_LONG", limit=MAX_REASON)
    if action is A.COMPLETE:
        if case.type is not CaseType.IMMEDIATE:
            raise DomainError("CASE_NOT_IMMEDIATE", type=case.type.value)
        if case.state is not S.RECEIVED:
            raise _refuse(case, action)
        clock = case.clock.start(calendar, today)
        steps = tuple(
            Step(a, s, at, by, by_name, note if a is A.FINISH else "")
            for a, s in ((A.ACCEPT, S.ACCEPTED), (A.APPROVE, S.APPROVED), (A.FINISH, S.FINISHED))
        )
        return Outcome(replace(case, state=S.FINISHED, clock=clock.stop(calendar, today)), steps)
    target = TRANSITIONS.get((case.state, action))
    if target is None:
        raise _refuse(case, action)
    if action in (A.RETURN, A.UPHOLD, A.OVERTURN) and not note:
        raise DomainError("CASE_REASON_REQUIRED", action=action.value)
    if action is A.SUPPLEMENT:
        missing = tuple(m.strip() for m in missing if m.strip())
        if not missing:
            raise DomainError("CASE_MISSING_REQUIRED")
    elif missing:
        missing = ()
    if action in (A.APPROVE, A.RETURN) and case.lead and case.state is S.ACCEPTED:
        open_subs = sum(1 for s in case.sub_states if s not in DECIDED)
        if open_subs:
            raise DomainError("JOINT_SUBCASES_OPEN", open=open_subs)
    clock = case.clock
    if target in RUNNING and case.state not in RUNNING:
        if clock.started is None:
            clock = clock.start(calendar, today)
        elif clock.stopped is not None:
            clock = clock.reopen()
        else:
            clock = clock.resume(calendar, today)
    elif case.state in RUNNING and target is S.SUPPLEMENT:
        clock = clock.pause(today)
    elif case.state in RUNNING:
        clock = clock.stop(calendar, today)
    step = Step(action, target, at, by, by_name, note, tuple(missing))
    return Outcome(replace(case, state=target, clock=clock), (step,))


def allowed_actions(case: Case) -> list[CaseAction]:
    """What a clerk may do next, in the order a screen offers it."""
    found: list[CaseAction] = [
        a for (s, a) in TRANSITIONS if s is case.state and a is not A.COMPLETE
    ]
    if case.state is S.RECEIVED and case.type is CaseType.IMMEDIATE:
        found.insert(0, A.COMPLETE)
    return found


def receipt_due(calendar: HallCalendar, case: Case) -> date | None:
    """While a case waits for its 受理 decision: the day it is due (退回 within 3 days)."""
    if case.state is not S.RECEIVED:
        return None
    return (
        CaseClock(limit_days=RECEIPT_DECISION_DAYS)
        .start(calendar, case.received_on)
        .due(calendar, case.received_on)
    )


def due_date(calendar: HallCalendar, case: Case, today: date) -> date | None:
    """When the case is due: the 受理 decision while received, the time limit (moved by
    every 补办 pause) once accepted, the centre's date for an urgent case; None once
    decided or while the file is incomplete before acceptance."""
    if case.state is S.RECEIVED:
        return receipt_due(calendar, case)
    if case.clock.started is None or case.clock.stopped is not None:
        return None
    due = case.clock.due(calendar, today)
    if case.urgent_due is not None and case.urgent_due < due:
        return case.urgent_due
    return due


def check_urgent_due(calendar: HallCalendar, case: Case, due: date, today: date) -> None:
    """急办: the centre's due date is a working day, not past, and before the normal one."""
    if case.state not in OPEN:
        raise DomainError("CASE_WRONG_STATE", state=case.state.value, action="urgent")
    if due < today:
        raise DomainError("DEADLINE_IN_PAST", due=due.isoformat())
    if not calendar.is_open_day(due):
        raise DomainError("DEADLINE_NOT_WORKING_DAY", due=due.isoformat())
    normal = due_date(calendar, replace(case, urgent_due=None), today)
    if normal is not None and due > normal:
        raise DomainError("URGENT_AFTER_DUE", due=due.isoformat(), normal=normal.isoformat())


def working_days_open(calendar: HallCalendar, case: Case, today: date) -> int:
    """Working days since receipt (for lists: how long a case has been with the hall)."""
    return working_days_between(calendar, case.received_on, today)


def sub_states_open(states: Iterable[CaseState]) -> int:
    return sum(1 for s in states if s not in DECIDED)
