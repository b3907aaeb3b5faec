"""Print jobs: placed with their ticket, claimed by the printing process, each step
written and (after commit) published; what the kiosk tells the citizen.

A ticket's print job is written in the ticket's own transaction (services.tickets), so
a ticket never exists without it; the printer supervisor (server/devices/printing.py)
prints it. Which step may follow which is the domain's (server/domain/print_job.py).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from printer.document import Document, NoticeData, TicketData
from server.domain.print_job import FINAL, UNFINISHED, JobState, may_move, move
from server.errors import HubError
from server.realtime.bus import HubEvent
from server.store import catalogue as catalogue_store
from server.store import halls as hall_store
from server.store import print_jobs
from server.store import tables as t
from server.store.db import Session, from_db_time, to_db_time

from . import attachments
from .hub import Hub
from .print_documents import decode_document, encode_document, notice_document, ticket_document

if TYPE_CHECKING:
    from .tickets import TicketView

_DETAIL_MAX = 300


def _clip(text: str) -> str:
    return text if len(text) <= _DETAIL_MAX else text[: _DETAIL_MAX - 1] + "…"


@dataclass(frozen=True)
class Route:
    """Where a kiosk's documents print: its own printer, then its sibling's."""

    device_code: str
    printer_id: str
    fallback_printer_id: str | None


def _new_job(
    s: Session, hub: Hub, hall_id: int, route: Route, document: Document, ticket_id: int | None
) -> t.PrintJob:
    now = to_db_time(hub.now())
    row = t.PrintJob(
        id=uuid.uuid4().hex,
        hall_id=hall_id,
        ticket_id=ticket_id,
        kind="ticket" if isinstance(document, TicketData) else "notice",
        device_code=route.device_code,
        printer_id=route.printer_id,
        fallback_printer_id=route.fallback_printer_id,
        current_printer_id=route.printer_id,
        state=JobState.QUEUED.value,
        document=encode_document(document),
        created_at=now,
        updated_at=now,
    )
    return print_jobs.add(s, row)


def place_ticket_print(s: Session, hub: Hub, hall: t.Hall, view: TicketView, route: Route) -> str:
    """A print job for a ticket, in the ticket's own transaction; returns the job id."""
    assert hall.id is not None
    return _new_job(s, hub, hall.id, route, ticket_document(hall, view), view.id).id


def queue_notice_print(hub: Hub, *, hall_id: int, item_code: str, route: Route) -> str:
    """A print job for the one-time notice (一次性告知单) of a service item."""

    def work(s: Session) -> str:
        hall = hall_store.hall_by_id(s, hall_id)
        item = catalogue_store.service_item_by_code(s, hall_id, item_code)
        guide = attachments.guide_with_files(s, hall_id, hall.code, item.guide)
        document = notice_document(hall, item, hub.now(), guide)
        return _new_job(s, hub, hall_id, route, document, None).id

    return hub.db.write(work)


def queue_document_print(hub: Hub, *, hall_id: int, document: NoticeData, route: Route) -> str:
    """A print job for a document made elsewhere (a case's 受理回执 or 告知书)."""

    def work(s: Session) -> str:
        return _new_job(s, hub, hall_id, route, document, None).id

    return hub.db.write(work)


def job_of_ticket(s: Session, ticket_id: int) -> dict[str, Any] | None:
    """The latest print job of a ticket, as the issue endpoint reports it."""
    row = print_jobs.latest_of_ticket(s, ticket_id)
    if row is None:
        return None
    return {"job": row.id, "state": row.state, "printer": row.current_printer_id}


@dataclass(frozen=True)
class ClaimedJob:
    job_id: str
    printer_id: str
    fallback_printer_id: str | None
    device_code: str | None
    document: Document  # already marked 补打 when it is printed again


def claim_queued(hub: Hub, *, hall_id: int, printer_ids: list[str]) -> list[ClaimedJob]:
    """Queued jobs of these printers, oldest first, now marked as printing.

    Polled several times a second by an idle hub: it only reads until something is
    queued, so it never takes SQLite's one write lock for nothing.
    """

    def queued(s: Session) -> list[t.PrintJob]:
        return print_jobs.oldest_in_states(
            s, hall_id, [JobState.QUEUED.value], printer_ids=printer_ids, limit=50
        )

    with hub.db.read() as s:
        if not queued(s):
            return []

    def work(s: Session) -> list[ClaimedJob]:
        # Read again under the write lock: only this process claims, but a job may have
        # been recovered or finished since.
        rows = queued(s)
        out = []
        for row in rows:
            move(JobState(row.state), JobState.PRINTING)
            row.state = JobState.PRINTING.value
            row.updated_at = to_db_time(hub.now())
            print_jobs.save(s, row)
            document = decode_document(row.document)
            out.append(
                ClaimedJob(
                    row.id,
                    row.printer_id,
                    row.fallback_printer_id,
                    row.device_code,
                    document.as_reprint() if row.reprint else document,
                )
            )
        return out

    return hub.db.write(work)


def _outcome_event(row: t.PrintJob, ticket_code: str | None) -> HubEvent:
    """Not stamped with the hall's seq, so no screen receives it: boards and clerk
    screens have no use for it, and the kiosk follows its job by asking
    (GET /api/v1/print-jobs/{job}), which also works while its websocket is down. It
    is still published, for the hub's own listeners."""
    return HubEvent(
        hall_id=row.hall_id,
        kind="print_outcome",
        data={
            "window": None,
            "job": row.id,
            "ticket": ticket_code,
            "state": row.state,
            "printer": row.current_printer_id,
            "reprint": row.reprint,
        },
    )


def _ticket_code(s: Session, row: t.PrintJob) -> str | None:
    ticket = print_jobs.ticket_of(s, row)
    return ticket.code if ticket else None


def record_step(
    hub: Hub,
    *,
    job_id: str,
    state: JobState,
    printer_id: str,
    reprint: bool | None = None,
    attempts: int = 0,
    reason: str | None = None,
    detail: str = "",
    only_from: tuple[JobState, ...] | None = None,
) -> bool:
    """Move a job to ``state`` and publish ``print_outcome``; False if nothing changed.

    A final state is never left again, so a late report cannot undo an outcome.
    ``only_from`` limits the move further (a "no confirmation yet" report only moves a
    job that has had no other report). ``reprint`` None keeps the job's mark.
    """
    now = to_db_time(hub.now())

    def work(s: Session) -> list[HubEvent]:
        row = print_jobs.by_id(s, job_id)
        narrowed = frozenset(only_from) if only_from is not None else None
        if row is None or not may_move(JobState(row.state), state, only_from=narrowed):
            return []
        row.state = state.value
        row.current_printer_id = printer_id
        if reprint is not None:
            row.reprint = reprint
        row.attempts = max(row.attempts, attempts)
        row.reason = reason
        row.detail = _clip(detail)
        row.updated_at = now
        if state in FINAL:
            row.finished_at = now
        print_jobs.save(s, row)
        return [_outcome_event(row, _ticket_code(s, row))]

    events = hub.db.write(work)
    hub.publish(events)
    return bool(events)


def recover_unfinished(
    hub: Hub, *, hall_id: int, printer_ids: list[str], max_age: timedelta
) -> tuple[int, int]:
    """After a hub restart: what to do with jobs that had not finished.

    A job interrupted while printing is printed again, whole and marked 补打, if it is
    recent (``max_age``) and its ticket is still waiting: the citizen may still be at
    the kiosk. Older jobs, jobs whose ticket has moved on and jobs for printers that are
    no longer configured are marked failed: a ticket printed long after it was issued
    helps nobody, and the citizen was told the number on the screen. Returns
    (printed again, failed).
    """
    now = hub.now()

    def work(s: Session) -> tuple[tuple[int, int], list[HubEvent]]:
        rows = print_jobs.oldest_in_states(
            s, hall_id, [st.value for st in (JobState.QUEUED, *UNFINISHED)]
        )
        again = failed = 0
        events = []
        for row in rows:
            created = from_db_time(row.created_at)
            assert created is not None
            ticket = print_jobs.ticket_of(s, row)
            stale = now - created > max_age
            moved_on = ticket is not None and ticket.status != "waiting"
            if row.printer_id in printer_ids and not stale and not moved_on:
                if row.state != JobState.QUEUED.value:
                    move(JobState(row.state), JobState.QUEUED)
                    row.state = JobState.QUEUED.value
                    row.reprint = True
                    again += 1
                continue
            move(JobState(row.state), JobState.FAILED)
            row.state = JobState.FAILED.value
            row.reason = "hub_restarted"
            row.detail = (
                "printer no longer configured"
                if row.printer_id not in printer_ids
                else "ticket no longer waiting"
                if moved_on
                else "too old to print after the restart"
            )
            row.finished_at = to_db_time(now)
            failed += 1
            events.append(_outcome_event(row, ticket.code if ticket else None))
        for row in rows:
            row.updated_at = to_db_time(now)
            print_jobs.save(s, row)
        return (again, failed), events

    counts, events = hub.db.write(work)
    hub.publish(events)
    return counts


@dataclass(frozen=True)
class JobRecord:
    """A print job as the kiosk asks about it."""

    job: str
    hall_id: int
    kind: str  # ticket | notice
    state: str
    printer_id: str  # the kiosk's own printer
    current_printer: str
    reprint: bool
    number: str  # the ticket's number; "" for a notice
    windows: tuple[str, ...]


# A job still waiting for its first report this long after it was issued is reported as
# retrying, whatever holds it up (a stalled printer, the printing process busy,
# restarting or handing over): the kiosk must be able to tell the citizen what to do
# within 2 seconds of issuing. Counted from the job's creation, not its last change: a
# job claimed (queued -> printing) at 0.5 s must not push the report past 2 s.
QUIET_LIMIT = timedelta(seconds=1.5)


def job_record(hub: Hub, job_id: str) -> JobRecord:
    with hub.db.read() as s:
        row = print_jobs.by_id(s, job_id)
        if row is None:
            raise HubError("PRINT_JOB_NOT_FOUND", job=job_id)
    state = row.state
    created = from_db_time(row.created_at)
    assert created is not None
    if state in (JobState.QUEUED, JobState.PRINTING) and hub.now() - created > QUIET_LIMIT:
        state = JobState.RETRYING.value
    return JobRecord(
        job=row.id,
        hall_id=row.hall_id,
        kind=row.kind,
        state=state,
        printer_id=row.printer_id,
        current_printer=row.current_printer_id,
        reprint=row.reprint,
        number=str(row.document.get("number", "")),
        windows=tuple(row.document.get("windows") or ()),
    )
