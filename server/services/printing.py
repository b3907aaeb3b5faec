"""Print jobs and device alerts in the database, and what the kiosk tells the citizen.

A ticket's print job is written in the ticket's own transaction (services.tickets), so
a ticket never exists without it; the printer supervisor (server/devices/printing.py)
prints it. Every step of a job and every alert is written here, stamped, and published
after commit.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from printer.document import Document, NoticeData, TicketData
from server.errors import HubError
from server.realtime.bus import HubEvent
from server.realtime.journal import stamp
from server.store import repositories as repo
from server.store import tables as t

from .hub import Hub

if TYPE_CHECKING:
    # Only a type: services.tickets writes the print job inside its own unit of work.
    from .tickets import TicketView


class JobState(StrEnum):
    QUEUED = "queued"
    PRINTING = "printing"
    RETRYING = "retrying"
    FAILED_OVER = "failed_over"
    PRINTED = "printed"
    FAILED = "failed"


FINAL = (JobState.PRINTED, JobState.FAILED)
UNFINISHED = (JobState.PRINTING, JobState.RETRYING, JobState.FAILED_OVER)
_DETAIL_MAX = 300


def _clip(text: str) -> str:
    return text if len(text) <= _DETAIL_MAX else text[: _DETAIL_MAX - 1] + "…"


# ---- documents ------------------------------------------------------------------------


def _local(hall: t.Hall, moment: datetime) -> datetime:
    """Tickets show the hall's wall-clock time, without a zone."""
    return moment.astimezone(ZoneInfo(hall.timezone)).replace(tzinfo=None)


def ticket_document(hall: t.Hall, view: TicketView) -> TicketData:
    return TicketData(
        hall_name=hall.name,
        queue_name=view.queue_name,
        number=view.code,
        people_ahead=view.people_ahead,
        wait_minutes=view.estimated_wait_minutes,
        windows=tuple(f"{n}号" for n in view.windows),
        issued_at=_local(hall, view.issued_at),
        status_url=view.status_url,
    )


def notice_document(hall: t.Hall, item: t.ServiceItem, now: datetime) -> NoticeData:
    guide = item.guide
    lines = []
    for n, material in enumerate(guide.get("materials") or [], start=1):
        if isinstance(material, dict):
            form = f"{material.get('form', '')}{material.get('copies', 1)}份"
            lines.append(f"{n}. {material.get('name', '')}（{form}）")
        else:
            lines.append(f"{n}. {material}")
    if not lines:
        lines.append("无需提交材料")
    for key, title in (("location", "办理地点"), ("hours", "办理时间")):
        if guide.get(key):
            lines.append(f"{title}：{guide[key]}")
    phone = guide.get("contact_phone")
    return NoticeData(
        title=item.name,
        lines=tuple(lines),
        hall_name=hall.name,
        issued_at=_local(hall, now),
        footer=f"咨询电话：{phone}" if phone else "",
    )


def encode_document(document: Document) -> dict[str, Any]:
    data = dataclasses.asdict(document)
    for key in ("issued_at",):
        if isinstance(data.get(key), datetime):
            data[key] = data[key].isoformat()
    kind = "ticket" if isinstance(document, TicketData) else "notice"
    return {"kind": kind, **data}


def decode_document(data: Mapping[str, Any]) -> Document:
    fields = dict(data)
    kind = fields.pop("kind")
    if fields.get("issued_at"):
        fields["issued_at"] = datetime.fromisoformat(fields["issued_at"])
    for key in ("windows", "lines"):
        if key in fields:
            fields[key] = tuple(fields[key])
    return TicketData(**fields) if kind == "ticket" else NoticeData(**fields)


# ---- jobs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """Where a kiosk's documents print: its own printer, then its sibling's."""

    device_code: str
    printer_id: str
    fallback_printer_id: str | None


def _new_job(
    s: Session, hub: Hub, hall_id: int, route: Route, document: Document, ticket_id: int | None
) -> t.PrintJob:
    now = repo.to_db_time(hub.now())
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
    s.add(row)
    return row


def place_ticket_print(s: Session, hub: Hub, hall: t.Hall, view: TicketView, route: Route) -> str:
    """A print job for a ticket, in the ticket's own transaction; returns the job id."""
    assert hall.id is not None
    job = _new_job(s, hub, hall.id, route, ticket_document(hall, view), view.id)
    # Written now: a crash before commit undoes the ticket with it.
    s.flush()
    return job.id


def queue_notice_print(hub: Hub, *, hall_id: int, item_code: str, route: Route) -> str:
    """A print job for the one-time notice (一次性告知单) of a service item."""

    def work(s: Session) -> str:
        hall = repo.hall_by_id(s, hall_id)
        item = repo.service_item_by_code(s, hall_id, item_code)
        return _new_job(s, hub, hall_id, route, notice_document(hall, item, hub.now()), None).id

    return hub.db.write(work)


def job_of_ticket(s: Session, ticket_id: int) -> dict[str, Any] | None:
    """The latest print job of a ticket, as the issue endpoint reports it."""
    row = s.exec(
        select(t.PrintJob)
        .where(t.PrintJob.ticket_id == ticket_id)
        .order_by(col(t.PrintJob.created_at).desc())
    ).first()
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
        return list(
            s.exec(
                select(t.PrintJob)
                .where(
                    t.PrintJob.hall_id == hall_id,
                    t.PrintJob.state == JobState.QUEUED.value,
                    col(t.PrintJob.printer_id).in_(printer_ids),
                )
                .order_by(col(t.PrintJob.created_at))
                .limit(50)
            ).all()
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
            row.state = JobState.PRINTING.value
            row.updated_at = repo.to_db_time(hub.now())
            s.add(row)
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
    ticket = s.get(t.Ticket, row.ticket_id) if row.ticket_id is not None else None
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
    now = repo.to_db_time(hub.now())

    def work(s: Session) -> list[HubEvent]:
        row = s.get(t.PrintJob, job_id)
        if row is None or row.state in FINAL:
            return []
        if only_from is not None and row.state not in only_from:
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
        s.add(row)
        s.flush()
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
        rows = s.exec(
            select(t.PrintJob).where(
                t.PrintJob.hall_id == hall_id,
                col(t.PrintJob.state).in_([st.value for st in (JobState.QUEUED, *UNFINISHED)]),
            )
        ).all()
        again = failed = 0
        events = []
        for row in rows:
            created = repo.from_db_time(row.created_at)
            assert created is not None
            ticket = s.get(t.Ticket, row.ticket_id) if row.ticket_id is not None else None
            stale = now - created > max_age
            moved_on = ticket is not None and ticket.status != "waiting"
            if row.printer_id in printer_ids and not stale and not moved_on:
                if row.state != JobState.QUEUED.value:
                    row.state = JobState.QUEUED.value
                    row.reprint = True
                    again += 1
                continue
            row.state = JobState.FAILED.value
            row.reason = "hub_restarted"
            row.detail = (
                "printer no longer configured"
                if row.printer_id not in printer_ids
                else "ticket no longer waiting"
                if moved_on
                else "too old to print after the restart"
            )
            row.finished_at = repo.to_db_time(now)
            failed += 1
            events.append(_outcome_event(row, ticket.code if ticket else None))
        for row in rows:
            row.updated_at = repo.to_db_time(now)
            s.add(row)
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
        row = s.get(t.PrintJob, job_id)
        if row is None:
            raise HubError("PRINT_JOB_NOT_FOUND", job=job_id)
    state = row.state
    created = repo.from_db_time(row.created_at)
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


# ---- device alerts ----------------------------------------------------------------------


@dataclass(frozen=True)
class AlertText:
    level: str  # warning | error
    message_zh: str
    message_en: str


def _alert_dict(row: t.DeviceAlert) -> dict[str, Any]:
    return {
        "id": row.id,
        "device": row.device,
        "kind": row.kind,
        "level": row.level,
        "message_zh": row.message_zh,
        "message_en": row.message_en,
        "detail": row.detail,
        "count": row.count,
        "raised_at": repo.from_db_time(row.raised_at),
        "last_at": repo.from_db_time(row.last_at),
        "active": row.cleared_at is None,
        "cleared_at": repo.from_db_time(row.cleared_at),
        "acked": row.acked_at is not None,
        "acked_at": repo.from_db_time(row.acked_at),
    }


def _alert_event(row: t.DeviceAlert) -> HubEvent:
    return HubEvent(
        hall_id=row.hall_id,
        kind="device_alert",
        data={
            "window": None,
            "id": row.id,
            "device": row.device,
            "kind": row.kind,
            "level": row.level,
            "message_zh": row.message_zh,
            "message_en": row.message_en,
            "count": row.count,
            "cleared": row.cleared_at is not None,
        },
    )


def _active_alert(
    s: Session,
    hall_id: int,
    device: str,
    kind: str,
    *,
    until: Literal["cleared_at", "acked_at"] = "cleared_at",
) -> t.DeviceAlert | None:
    """The latest such alert not yet cleared (``until="acked_at"``: not yet acknowledged)."""
    return s.exec(
        select(t.DeviceAlert)
        .where(
            t.DeviceAlert.hall_id == hall_id,
            t.DeviceAlert.device == device,
            t.DeviceAlert.kind == kind,
            col(getattr(t.DeviceAlert, until)).is_(None),
        )
        .order_by(col(t.DeviceAlert.id).desc())
    ).first()


def raise_alert(
    hub: Hub,
    *,
    hall_id: int,
    device: str,
    kind: str,
    text: AlertText,
    detail: str = "",
    momentary: bool = False,
) -> dict[str, Any]:
    """Record an alert and publish ``device_alert``.

    A condition (paper out...) already active is not raised twice (after a restart the
    printer reports it again). A momentary alert (a failover) is cleared at once but
    stays listed until acknowledged; repeats while unacknowledged only count up.
    """
    now = repo.to_db_time(hub.now())

    def work(s: Session) -> tuple[dict[str, Any], list[HubEvent]]:
        row = _active_alert(
            s, hall_id, device, kind, until="acked_at" if momentary else "cleared_at"
        )
        if row is not None:
            row.count += 1
            row.last_at = now
            row.detail = _clip(detail) or row.detail
        else:
            row = t.DeviceAlert(
                hall_id=hall_id,
                device=device,
                kind=kind,
                level=text.level,
                message_zh=_clip(text.message_zh),
                message_en=_clip(text.message_en),
                detail=_clip(detail),
                raised_at=now,
                last_at=now,
                cleared_at=now if momentary else None,
            )
        s.add(row)
        s.flush()
        return _alert_dict(row), stamp(s, hall_id, [_alert_event(row)])

    alert, events = hub.db.write(work)
    hub.publish(events)
    return alert


def clear_alert(hub: Hub, *, hall_id: int, device: str, kind: str) -> bool:
    """The device reports the condition gone; False if no such alert was active."""
    now = repo.to_db_time(hub.now())

    def work(s: Session) -> list[HubEvent]:
        row = _active_alert(s, hall_id, device, kind)
        if row is None:
            return []
        row.cleared_at = now
        row.last_at = now
        s.add(row)
        s.flush()
        return stamp(s, hall_id, [_alert_event(row)])

    events = hub.db.write(work)
    hub.publish(events)
    return bool(events)


def active_alert_kinds(hub: Hub, *, hall_id: int) -> set[tuple[str, str]]:
    """(device, kind) of every condition alert still active in the hall."""
    with hub.db.read() as s:
        rows = s.exec(
            select(t.DeviceAlert.device, t.DeviceAlert.kind).where(
                t.DeviceAlert.hall_id == hall_id, col(t.DeviceAlert.cleared_at).is_(None)
            )
        ).all()
    return {(device, kind) for device, kind in rows}


def open_alerts(hub: Hub, *, hall_id: int) -> list[dict[str, Any]]:
    """Alerts still active or not yet acknowledged, newest first."""
    with hub.db.read() as s:
        rows = s.exec(
            select(t.DeviceAlert)
            .where(
                t.DeviceAlert.hall_id == hall_id,
                col(t.DeviceAlert.cleared_at).is_(None) | col(t.DeviceAlert.acked_at).is_(None),
            )
            .order_by(col(t.DeviceAlert.id).desc())
        ).all()
        return [_alert_dict(row) for row in rows]


def ack_alert(hub: Hub, *, hall_id: int, alert_id: int, staff_id: int) -> dict[str, Any]:
    """A supervisor has seen the alert. An active condition stays listed until cleared."""
    now = repo.to_db_time(hub.now())

    def work(s: Session) -> dict[str, Any]:
        row = s.get(t.DeviceAlert, alert_id)
        if row is None or row.hall_id != hall_id:
            raise HubError("DEVICE_ALERT_NOT_FOUND", alert=alert_id)
        if row.acked_at is None:
            row.acked_at = now
            row.acked_by = staff_id
            s.add(row)
        return _alert_dict(row)

    return hub.db.write(work)
