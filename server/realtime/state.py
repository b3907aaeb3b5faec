"""What the hall's screens show: the snapshot and the patches of PROTOCOL.md.

Built from the database inside a transaction, so a patch describes the state exactly as
its own transaction committed it, and a snapshot carries the sequence number it is
consistent with. Only what public screens may show leaves here: names masked, never an
ID or phone number.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from server.domain.model import TicketStatus
from server.store import events as event_store
from server.store import halls as hall_store
from server.store import queues as queue_store
from server.store import tables as t
from server.store import tickets as ticket_store
from server.store import windows as window_store
from server.store.db import Session, from_db_time
from server.store.ratings import staff_by_ids
from server.voice.sentence import build_call, build_recall

from .journal import current_seq

CALLS_KEPT = 10
CALL_KINDS = ("called", "recalled", "called_back")


def mask_name(name: str | None) -> str | None:
    """张三丰 -> 张*丰, 张三 -> 张*, a Latin name keeps its first letter: Li Lei -> L*****."""
    if not name:
        return None
    name = name.strip()
    if len(name) <= 1:
        return name
    if name.isascii():
        return name[0] + "*" * (len(name) - 1)
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def hall_entry(hall: t.Hall) -> dict[str, Any]:
    return {
        "code": hall.code,
        "name": hall.name,
        "name_en": hall.name_en,
        "notice": hall.notice,
        "english_voice": hall.english_voice,
        "voice_repeat": hall.voice_repeat,
        "timezone": hall.timezone,
        "closed": hall.closed_at is not None,
        "closed_reason": hall.closed_reason,
    }


def queue_entry(q: t.Queue, waiting: int) -> dict[str, Any]:
    return {"code": q.code, "name": q.name, "name_en": q.name_en, "waiting": waiting}


class _HallData:
    """Rows a snapshot or patch needs, loaded once per transaction."""

    def __init__(self, s: Session, hall: t.Hall, day: date) -> None:
        assert hall.id is not None
        self.s = s
        self.hall = hall
        self.day = day
        self.queues = {q.id: q for q in queue_store.queues(s, hall.id)}
        self._links: list[t.WindowQueue] | None = None
        self._counts: dict[int, int] | None = None

    @property
    def counts(self) -> dict[int, int]:
        if self._counts is None:
            assert self.hall.id is not None
            self._counts = ticket_store.waiting_counts(self.s, self.hall.id, self.day)
        return self._counts

    @property
    def links(self) -> list[t.WindowQueue]:
        if self._links is None:
            assert self.hall.id is not None
            self._links = window_store.window_queue_rows(self.s, self.hall.id)
        return self._links

    def queue(self, queue_id: int) -> dict[str, Any] | None:
        q = self.queues.get(queue_id)
        return queue_entry(q, self.counts.get(queue_id, 0)) if q else None

    def windows(self, rows: Iterable[t.Window]) -> dict[str, dict[str, Any]]:
        rows = list(rows)
        clerk_ids = {w.clerk_id for w in rows if w.clerk_id}
        ticket_ids = {w.current_ticket_id for w in rows if w.current_ticket_id}
        clerks = staff_by_ids(self.s, clerk_ids)
        tickets = ticket_store.tickets_by_ids(self.s, ticket_ids)
        out = {}
        for w in rows:
            clerk = clerks.get(w.clerk_id) if w.clerk_id else None
            cur = tickets.get(w.current_ticket_id) if w.current_ticket_id else None
            status = None
            if cur is not None:
                status = "serving" if cur.status == TicketStatus.SERVING.value else "called"
            serves = [
                self.queues[wq.queue_id].code
                for wq in sorted(self.links, key=lambda wq: wq.position)
                if wq.window_id == w.id and wq.queue_id in self.queues
            ]
            out[str(w.number)] = {
                "number": w.number,
                "name": w.name,
                "name_en": w.name_en,
                "paused": w.paused,
                "pause_reason": w.pause_reason,
                "current": cur.code if cur else None,
                "current_status": status,
                "clerk_name": mask_name(clerk.name) if clerk else None,
                "clerk_staff_no": clerk.staff_no if clerk else None,
                "queues": serves,
                "active": w.active,
            }
        return out


def call_entry(
    hall: t.Hall,
    *,
    ticket: str,
    window: t.Window,
    queue: str,
    at: datetime,
    recall: bool,
    seq: int,
) -> dict[str, Any]:
    build = build_recall if recall else build_call
    try:
        voice = build(ticket, window.number, english=hall.english_voice, repeat=1)
    except ValueError:
        voice = []  # a number the voice cannot read (e.g. window 1000): shown, not spoken
    return {
        "ticket": ticket,
        "window": window.number,
        "window_name": window.name,
        "window_name_en": window.name_en,
        "queue": queue,
        "at": at.isoformat(),
        "recall": recall,
        "seq": seq,
        "voice": voice,
    }


def recent_calls(s: Session, hall: t.Hall, day: date) -> list[dict[str, Any]]:
    assert hall.id is not None
    rows = event_store.latest_calls(s, hall.id, day, kinds=CALL_KINDS, limit=CALLS_KEPT)
    queues = {q.id: q.code for q in queue_store.queues(s, hall.id)}
    return [
        call_entry(
            hall,
            ticket=tk.code,
            window=w,
            queue=queues.get(tk.queue_id, ""),
            at=from_db_time(ev.at) or ev.at,
            recall=ev.kind == "recalled",
            seq=0,
        )
        for ev, tk, w in rows
    ]


def snapshot(s: Session, hall_id: int, now: datetime) -> dict[str, Any]:
    """The whole state of a hall's screens and the sequence number it is consistent with."""
    hall = hall_store.hall_by_id(s, hall_id)
    day = hall_store.calendar_of(hall).business_day(now)
    data = _HallData(s, hall, day)
    seq = current_seq(s, hall_id)
    state = {
        "hall": hall_entry(hall),
        "queues": {
            q.code: queue_entry(q, data.counts.get(qid, 0))
            for qid, q in sorted(data.queues.items(), key=lambda kv: (kv[1].sort, kv[1].code))
            if qid is not None
        },
        "windows": data.windows(w for w in window_store.window_rows(s, hall_id)),
        "calls": recent_calls(s, hall, day),
    }
    return {"type": "snapshot", "seq": seq, "state": state}


def patch(
    s: Session,
    hall: t.Hall,
    day: date,
    *,
    window_ids: Iterable[int] = (),
    queue_ids: Iterable[int] = (),
    hall_changed: bool = False,
) -> dict[str, Any]:
    """The named windows and queues as they are now in this transaction."""
    data = _HallData(s, hall, day)
    out: dict[str, Any] = {}
    qids = sorted(set(queue_ids))
    if qids:
        out["queues"] = {data.queues[q].code: data.queue(q) for q in qids if q in data.queues}
    wids = sorted(set(window_ids))
    if wids:
        out["windows"] = data.windows(window_store.window_rows_by_ids(s, wids))
    if hall_changed:
        out["hall"] = hall_entry(hall)
    return out
