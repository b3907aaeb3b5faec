"""Cases (办件): registered at the window (from the ticket being served) or for post and
online applications, moved through their life cycle (domain/cases.py) step by step,
timed in the hall's working days (domain/deadlines.py), looked up by citizens with the
receipt number and the last four digits of their ID or phone.

Every step is a CaseStep row written with the case in one transaction: the record of
who did what when (步步留痕).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from printer.document import NoticeData
from server.domain import cases as rules
from server.domain.calendar import HallCalendar
from server.domain.cases import (
    CASE_ACTION_TEXT,
    CASE_STATE_TEXT,
    CASE_TYPE_BY_NAME,
    CASE_TYPE_TEXT,
    Case,
    CaseAction,
    CaseState,
    CaseType,
)
from server.domain.deadlines import LIGHT_TEXT, CaseClock, Light
from server.domain.errors import DomainError
from server.domain.fields import Problem
from server.domain.identity import mask_phone, parse_mobile, parse_resident_id
from server.domain.receipts import ReceiptPattern, normalise, receipt_number
from server.errors import HubError
from server.store import accounts as account_store
from server.store import cases as store
from server.store import catalogue as catalogue_store
from server.store import halls as hall_store
from server.store import tables as t
from server.store import tickets as ticket_store
from server.store import windows as window_store
from server.store.db import Session, db_time, to_db_time

from . import calendar as calendars
from . import print_documents, print_jobs
from .accounts import Role, StaffPrincipal
from .hub import Hub
from .tickets import hall_key, keyed

CHANNELS = ("window", "post", "online")
MAX_MATERIALS = 50
# Citizens' status lookups: this many wrong answers from one address within the window
# are followed by a refusal until the window has passed (a guess at a receipt number
# and four digits must not be cheap).
LOOKUP_FAILURES = 5
LOOKUP_WINDOW_SECONDS = 600.0


@dataclass(frozen=True)
class Opening:
    item_code: str
    applicant_name: str
    channel: str = "window"
    id_number: str | None = None
    phone: str | None = None
    materials: Sequence[str] = ()
    type: str | None = None  # default: the item's 办件类型
    joint_departments: Sequence[str] = ()  # 联办: the other departments


def _calendar(s: Session, hall: t.Hall, first: date, limit_days: int, today: date) -> HallCalendar:
    """The hall's calendar over the case's whole span (national entries included)."""
    last = max(today, first) + timedelta(days=7 * limit_days + 90)
    return calendars.calendar_between(s, hall, first - timedelta(days=7), last)


def _clock(row: t.CaseFile) -> CaseClock:
    return CaseClock(
        limit_days=row.limit_days,
        started=row.clock_started,
        paused_since=row.clock_paused_since,
        paused_days=row.clock_paused_days,
        stopped=row.clock_stopped,
    )


def _case(s: Session, row: t.CaseFile) -> Case:
    lead = row.type == CaseType.JOINT.value and row.lead_id is None
    subs = tuple(CaseState(c.state) for c in store.sub_cases(s, row.id)) if lead and row.id else ()
    return Case(
        type=CaseType(row.type),
        state=CaseState(row.state),
        clock=_clock(row),
        received_on=row.received_on,
        sub_states=subs,
        lead=lead,
        urgent_due=row.urgent_due,
    )


def _require_staff(staff: StaffPrincipal, hall_id: int) -> None:
    if not staff.may_see_hall(hall_id):
        raise HubError("WRONG_HALL")


def _item_limit(item: t.ServiceItem) -> tuple[int, CaseType]:
    promised = item.guide.get("promised_limit_days")
    if not isinstance(promised, int) or isinstance(promised, bool) or promised < 0:
        raise HubError("ITEM_NO_TIME_LIMIT", item=item.code)
    kind = CASE_TYPE_BY_NAME.get(str(item.guide.get("case_type", "")), CaseType.PROMISED)
    if promised == 0:
        kind = CaseType.IMMEDIATE
    return promised, kind


def _invalid(field: str, code: str, **details: Any) -> HubError:
    return HubError("INVALID_REQUEST", fields=[Problem(field, code, details).as_dict()])


def _materials(values: Sequence[str], field: str) -> list[str]:
    out = [v.strip() for v in values if v and v.strip()]
    if len(out) > MAX_MATERIALS:
        raise _invalid(field, "TOO_LONG", max=MAX_MATERIALS)
    for n, v in enumerate(out):
        if len(v) > 200:
            raise _invalid(f"{field}.{n}", "TOO_LONG", max=200)
    return out


def _steps(case_id: int, hall_id: int, steps: Sequence[rules.Step]) -> list[t.CaseStep]:
    return [
        t.CaseStep(
            case_id=case_id,
            hall_id=hall_id,
            action=st.action.value,
            state=st.state.value,
            at=to_db_time(st.at),
            by_id=st.by,
            by_name=st.by_name,
            note=st.note,
            missing=list(st.missing),
        )
        for st in steps
    ]


def open_case(hub: Hub, *, hall_id: int, staff: StaffPrincipal, opening: Opening) -> dict[str, Any]:
    """Register a case: from the ticket being served at the clerk's window (channel
    "window"), or received by post or online. Returns the case as staff see it."""
    _require_staff(staff, hall_id)
    if opening.channel not in CHANNELS:
        raise _invalid("channel", "NOT_ALLOWED")
    name = opening.applicant_name.strip()
    if not name:
        raise _invalid("applicant_name", "REQUIRED")
    if len(name) > 100:
        raise _invalid("applicant_name", "TOO_LONG", max=100)
    materials = _materials(opening.materials, "materials")
    now = hub.now()

    def work(s: Session) -> str:
        hall = hall_store.hall_by_id(s, hall_id)
        today = hall_store.calendar_of(hall).business_day(now)
        item = catalogue_store.service_item_by_code(s, hall_id, opening.item_code)
        limit, kind = _item_limit(item)
        if opening.type is not None:
            try:
                kind = CaseType(opening.type)
            except ValueError:
                raise _invalid("type", "NOT_ALLOWED") from None
        ticket_id = window_id = None
        if opening.channel == "window":
            if staff.window_id is None:
                raise HubError("NOT_AT_WINDOW")
            window = window_store.window_row_by_id(s, staff.window_id)
            assert window is not None
            window_id = window.id
            ticket_id = window.current_ticket_id
            if ticket_id is None:
                raise DomainError("NO_CURRENT_TICKET")
        id_hash = id_masked = phone_masked = None
        if opening.id_number:
            resident = parse_resident_id(opening.id_number, today=today)
            id_hash = keyed(hall_key(s, hall_id), f"{hall_id}|case|{resident.number}")
            id_masked = resident.masked
        if opening.phone:
            phone_masked = mask_phone(parse_mobile(opening.phone))
        departments = {d.code: d for d in catalogue_store.departments(s, hall_id)}
        dept = catalogue_store.department_row(s, item.department_id)
        assert dept is not None and dept.id is not None
        others: list[t.Department] = []
        if kind is CaseType.JOINT:
            codes = list(dict.fromkeys(opening.joint_departments))
            unknown = [c for c in codes if c not in departments or c == dept.code]
            if not codes or unknown:
                raise HubError("JOINT_DEPARTMENTS_INVALID", unknown=unknown)
            others = [departments[c] for c in codes]
        elif opening.joint_departments:
            raise HubError("JOINT_DEPARTMENTS_INVALID", unknown=list(opening.joint_departments))
        pattern = ReceiptPattern.parse(hall.receipt_pattern)
        seq = store.next_seq(s, hall_id, today.year)
        number = receipt_number(pattern, day=today, hall=hall.code, dept=dept.code, seq=seq)
        at = to_db_time(now)

        def row(department: t.Department, receipt: str, lead: int | None) -> t.CaseFile:
            assert department.id is not None and item.id is not None
            return t.CaseFile(
                hall_id=hall_id,
                year=today.year,
                seq=seq,
                receipt_no=receipt,
                item_id=item.id,
                department_id=department.id,
                lead_id=lead,
                ticket_id=ticket_id,
                channel=opening.channel,
                type=kind.value,
                state=CaseState.RECEIVED.value,
                applicant_name=name,
                id_hash=id_hash,
                id_masked=id_masked,
                phone_masked=phone_masked,
                materials=materials,
                missing=[],
                window_id=window_id,
                clerk_id=staff.staff_id,
                limit_days=limit,
                received_at=at,
                received_on=today,
                updated_at=at,
            )

        lead = store.add_case(s, row(dept, number, None))
        assert lead.id is not None
        made = [lead]
        for n, other in enumerate(others, start=1):
            made.append(store.add_case(s, row(other, f"{number}-{n}", lead.id)))
        first = rules.Step(CaseAction.RECEIVE, CaseState.RECEIVED, now, staff.staff_id, staff.name)
        for case in made:
            assert case.id is not None
            store.add_steps(s, _steps(case.id, hall_id, [first]))
        return number

    number: str = hub.db.write(work)
    return case_view(hub, hall_id=hall_id, staff=staff, receipt_no=number)


# Who may take which step: 复核's decision is a supervisor's, the rest any staff's.
SUPERVISOR_ACTIONS = frozenset({CaseAction.UPHOLD, CaseAction.OVERTURN})


def act(
    hub: Hub,
    *,
    hall_id: int,
    staff: StaffPrincipal,
    receipt_no: str,
    action: str,
    note: str = "",
    missing: Sequence[str] = (),
    version: int | None = None,
) -> dict[str, Any]:
    """One step of the case's life cycle; refused with the domain's codes."""
    _require_staff(staff, hall_id)
    try:
        step = CaseAction(action)
    except ValueError:
        raise HubError("CASE_ACTION_UNKNOWN", action=action) from None
    if step is CaseAction.RECEIVE:
        raise HubError("CASE_ACTION_UNKNOWN", action=action)
    if step in SUPERVISOR_ACTIONS and staff.role not in (Role.SUPERVISOR, Role.ADMIN):
        raise HubError("FORBIDDEN", role=staff.role.value)
    number = normalise(receipt_no)
    missing_list = _materials(missing, "missing")
    now = hub.now()

    def work(s: Session) -> None:
        hall = hall_store.hall_by_id(s, hall_id)
        found = store.case_by_receipt(s, hall_id, number)
        if found is None or found.id is None:
            raise HubError("CASE_NOT_FOUND", receipt=number)
        row = store.case_for_update(s, found.id)
        assert row is not None and row.id is not None
        if version is not None and row.version != version:
            raise HubError("STALE_VERSION", version=row.version, yours=version)
        if step is CaseAction.SUPPLEMENT:
            item = catalogue_store.service_item_by_id(s, row.item_id)
            listed = {m.get("name") for m in item.guide.get("materials", []) if isinstance(m, dict)}
            unknown = [m for m in missing_list if m not in listed]
            if unknown:
                raise HubError("CASE_MISSING_UNKNOWN", unknown=unknown)
        today = hall_store.calendar_of(hall).business_day(now)
        calendar = _calendar(s, hall, row.received_on, row.limit_days, today)
        outcome = rules.apply(
            calendar,
            _case(s, row),
            step,
            at=now,
            by=staff.staff_id,
            by_name=staff.name,
            note=note,
            missing=missing_list,
        )
        clock = outcome.case.clock
        row.state = outcome.case.state.value
        row.clock_started = clock.started
        row.clock_paused_since = clock.paused_since
        row.clock_paused_days = clock.paused_days
        row.clock_stopped = clock.stopped
        if step is CaseAction.SUPPLEMENT:
            row.missing = list(outcome.steps[-1].missing)
        elif step is CaseAction.RESUME:
            row.missing = []
        if step in (CaseAction.RETURN, CaseAction.UPHOLD, CaseAction.OVERTURN):
            row.reason = outcome.steps[-1].note
        row.updated_at = to_db_time(now)
        store.save_case(s, row)
        store.add_steps(s, _steps(row.id, hall_id, outcome.steps))

    hub.db.write(work)
    return case_view(hub, hall_id=hall_id, staff=staff, receipt_no=number)


def set_urgent(
    hub: Hub, *, hall_id: int, staff: StaffPrincipal, receipt_no: str, due: date
) -> dict[str, Any]:
    """急办: the centre designates the case and gives it an earlier due date."""
    _require_staff(staff, hall_id)
    if staff.role not in (Role.SUPERVISOR, Role.ADMIN):
        raise HubError("FORBIDDEN", role=staff.role.value)
    number = normalise(receipt_no)
    now = hub.now()

    def work(s: Session) -> None:
        hall = hall_store.hall_by_id(s, hall_id)
        row = store.case_by_receipt(s, hall_id, number)
        if row is None or row.id is None:
            raise HubError("CASE_NOT_FOUND", receipt=number)
        today = hall_store.calendar_of(hall).business_day(now)
        calendar = _calendar(s, hall, row.received_on, row.limit_days, max(today, due))
        rules.check_urgent_due(calendar, _case(s, row), due, today)
        row.urgent_due = due
        row.updated_at = to_db_time(now)
        store.save_case(s, row)

    hub.db.write(work)
    return case_view(hub, hall_id=hall_id, staff=staff, receipt_no=number)


# ---- reading ----------------------------------------------------------------------------


def _timing(
    s: Session, hall: t.Hall, row: t.CaseFile, today: date
) -> tuple[date | None, Light, int]:
    calendar = _calendar(s, hall, row.received_on, row.limit_days, today)
    case = _case(s, row)
    due = rules.due_date(calendar, case, today)
    share = hall.case_warning_percent / 100
    if case.state is CaseState.RECEIVED:
        receipt = CaseClock(rules.RECEIPT_DECISION_DAYS).start(calendar, row.received_on)
        light = receipt.light(calendar, today, share)
        used = receipt.used(calendar, today)
    else:
        clock = case.clock
        light = clock.light(calendar, today, share)
        if light is not Light.NONE and due is not None and today > due:
            light = Light.RED  # an urgent date passed
        used = clock.used(calendar, today)
    return due, light, used


def _text(pair: tuple[str, str]) -> dict[str, str]:
    return {"zh": pair[0], "en": pair[1]}


def _view(s: Session, hall: t.Hall, row: t.CaseFile, today: date) -> dict[str, Any]:
    assert row.id is not None
    item = catalogue_store.service_item_by_id(s, row.item_id)
    dept = catalogue_store.department_row(s, row.department_id)
    ticket = ticket_store.ticket_row(s, row.ticket_id)
    clerk = account_store.staff_row(s, row.clerk_id) if row.clerk_id else None
    due, light, used = _timing(s, hall, row, today)
    case = _case(s, row)
    return {
        "receipt_no": row.receipt_no,
        "hall": hall.code,
        "item": item.code,
        "item_name": item.name,
        "department": dept.code if dept else None,
        "department_name": dept.name if dept else None,
        "channel": row.channel,
        "ticket": ticket.code if ticket else None,
        "type": row.type,
        "type_text": _text(CASE_TYPE_TEXT[CaseType(row.type)]),
        "state": row.state,
        "state_text": _text(CASE_STATE_TEXT[CaseState(row.state)]),
        "applicant_name": row.applicant_name,
        "id_masked": row.id_masked,
        "phone_masked": row.phone_masked,
        "materials": row.materials,
        "missing": row.missing,
        "reason": row.reason,
        "limit_days": row.limit_days,
        "used_days": used,
        "due": due.isoformat() if due else None,
        "urgent_due": row.urgent_due.isoformat() if row.urgent_due else None,
        "light": light.value,
        "light_text": _text(LIGHT_TEXT[light]),
        "late": _clock(row).late(_calendar(s, hall, row.received_on, row.limit_days, today)),
        "received_at": db_time(row.received_at).isoformat(),
        "clerk_name": clerk.name if clerk else None,
        "lead": None,
        "sub_cases": [],
        "allowed": [a.value for a in rules.allowed_actions(case)],
        "version": row.version,
    }


def _steps_view(s: Session, row: t.CaseFile) -> list[dict[str, Any]]:
    assert row.id is not None
    return [
        {
            "action": st.action,
            "action_text": _text(CASE_ACTION_TEXT[CaseAction(st.action)]),
            "state": st.state,
            "at": db_time(st.at).isoformat(),
            "by": st.by_name,
            "note": st.note,
            "missing": st.missing,
        }
        for st in store.steps_of(s, row.id)
    ]


def case_view(hub: Hub, *, hall_id: int, staff: StaffPrincipal, receipt_no: str) -> dict[str, Any]:
    """The case as staff see it: every field, its steps, its timing, what may be next."""
    _require_staff(staff, hall_id)
    number = normalise(receipt_no)
    now = hub.now()
    with hub.db.read() as s:
        hall = hall_store.hall_by_id(s, hall_id)
        row = store.case_by_receipt(s, hall_id, number)
        if row is None or row.id is None:
            raise HubError("CASE_NOT_FOUND", receipt=number)
        today = hall_store.calendar_of(hall).business_day(now)
        view = _view(s, hall, row, today)
        view["steps"] = _steps_view(s, row)
        if row.lead_id is not None:
            lead = s.get(t.CaseFile, row.lead_id)
            view["lead"] = lead.receipt_no if lead else None
        view["sub_cases"] = [
            {**_view(s, hall, sub, today), "lead": row.receipt_no}
            for sub in store.sub_cases(s, row.id)
        ]
        return view


LIGHT_ORDER = {Light.RED.value: 0, Light.YELLOW.value: 1, Light.PAUSED.value: 3}


def case_list(
    hub: Hub,
    *,
    hall_id: int,
    staff: StaffPrincipal,
    states: Sequence[str] = (),
    light: str | None = None,
    department: str | None = None,
) -> list[dict[str, Any]]:
    """The hall's open cases (or those in ``states``), overdue first, then yellow, then
    by due date."""
    _require_staff(staff, hall_id)
    wanted = list(states) or [s.value for s in rules.OPEN]
    bad = [x for x in wanted if x not in {s.value for s in CaseState}]
    if bad:
        raise _invalid("state", "NOT_ALLOWED")
    now = hub.now()
    with hub.db.read() as s:
        hall = hall_store.hall_by_id(s, hall_id)
        today = hall_store.calendar_of(hall).business_day(now)
        dept_id = None
        if department:
            match = [d for d in catalogue_store.departments(s, hall_id) if d.code == department]
            if not match:
                raise HubError("DEPARTMENT_NOT_FOUND", department=department)
            dept_id = match[0].id
        rows = store.cases_in_states(s, hall_id, wanted, department_id=dept_id)
        views = [_view(s, hall, r, today) for r in rows]
    if light:
        views = [v for v in views if v["light"] == light]
    views.sort(key=lambda v: (LIGHT_ORDER.get(v["light"], 2), v["due"] or "9999", v["receipt_no"]))
    return views


# ---- citizens' lookups -------------------------------------------------------------------


class LookupLimiter:
    """Wrong answers per address in a sliding window, in this process (a hub with
    several processes allows as many per process; each is still slow to guess with)."""

    def __init__(self, failures: int = LOOKUP_FAILURES, window: float = LOOKUP_WINDOW_SECONDS):
        self.failures = failures
        self.window = window
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        seen = self._seen.setdefault(key, deque())
        while seen and now - seen[0] > self.window:
            seen.popleft()
        return seen

    def check(self, key: str) -> None:
        with self._lock:
            seen = self._recent(key, time.monotonic())
            if len(seen) >= self.failures:
                retry = int(self.window - (time.monotonic() - seen[0])) + 1
                raise HubError("TOO_MANY_ATTEMPTS", retry_after_seconds=retry)

    def failed(self, key: str) -> None:
        with self._lock:
            self._recent(key, time.monotonic()).append(time.monotonic())


LOOKUPS = LookupLimiter()


def citizen_status(
    hub: Hub,
    *,
    hall_code: str,
    receipt_no: str,
    last4: str,
    address: str,
    limiter: LookupLimiter | None = None,
) -> dict[str, Any]:
    """What a citizen may see of a case: its item, step, due date and what is missing,
    once the last four digits of the ID or phone given at receipt match. A wrong answer
    is refused exactly like a number that does not exist."""
    limiter = limiter or LOOKUPS
    key = f"{hall_code}|{address}"
    limiter.check(key)
    number = normalise(receipt_no)
    digits = last4.strip().upper()
    now = hub.now()
    with hub.db.read() as s:
        hall = hall_store.hall_by_code(s, hall_code)
        assert hall.id is not None
        row = store.case_by_receipt(s, hall.id, number) if number else None
        known = [m[-4:] for m in (row.id_masked, row.phone_masked) if m] if row else []
        if row is None or len(digits) != 4 or digits not in known:
            limiter.failed(key)
            raise HubError("CASE_NOT_FOUND", receipt=number)
        today = hall_store.calendar_of(hall).business_day(now)
        view = _view(s, hall, row, today)
        steps = [
            {"action_text": st["action_text"], "at": st["at"], "state": st["state"]}
            for st in _steps_view(s, row)
        ]
    return {
        "receipt_no": view["receipt_no"],
        "item_name": view["item_name"],
        "department_name": view["department_name"],
        "state": view["state"],
        "state_text": view["state_text"],
        "due": view["due"],
        "light": view["light"],
        "missing": view["missing"],
        "steps": steps,
        "checked_at": now.isoformat(),
    }


# ---- the 受理回执 and the 一次性告知书 ---------------------------------------------------------

DOCUMENTS = ("receipt", "notice")


def case_document(
    hub: Hub, *, hall_id: int, staff: StaffPrincipal, receipt_no: str, kind: str
) -> tuple[dict[str, Any], NoticeData, t.Hall]:
    """The case, its document (``receipt``: 受理回执; ``notice``: 一次性告知书, only while
    materials are missing) and its hall."""
    if kind not in DOCUMENTS:
        raise HubError("NOT_FOUND")
    view = case_view(hub, hall_id=hall_id, staff=staff, receipt_no=receipt_no)
    if kind == "notice" and not view["missing"]:
        raise HubError("CASE_NOTHING_MISSING", receipt=view["receipt_no"])
    with hub.db.read() as s:
        hall = hall_store.hall_by_id(s, hall_id)
        item = catalogue_store.service_item_by_code_any(s, hall_id, view["item"])
    document = print_documents.case_document(hall, view, item.guide, kind, hub.now())
    return view, document, hall


def print_case_document(
    hub: Hub,
    *,
    hall_id: int,
    staff: StaffPrincipal,
    receipt_no: str,
    kind: str,
    route: print_jobs.Route | None,
) -> dict[str, Any] | None:
    """Send the document to the window's printer; None when the window has none (the
    clerk prints the A4 page instead)."""
    _, document, _ = case_document(
        hub, hall_id=hall_id, staff=staff, receipt_no=receipt_no, kind=kind
    )
    if route is None:
        return None
    job = print_jobs.queue_document_print(hub, hall_id=hall_id, document=document, route=route)
    return {"job": job, "state": "queued", "printer": route.printer_id}


def item_guide(hub: Hub, *, hall_id: int, item_code: str) -> dict[str, Any]:
    with hub.db.read() as s:
        return dict(catalogue_store.service_item_by_code_any(s, hall_id, item_code).guide)
