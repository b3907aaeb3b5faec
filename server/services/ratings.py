"""好差评: rating requests, the citizen's rating, and the supervisors' figures.

A request opens when a service finishes (finish, or call-next finishing the current
ticket) or when the clerk asks for a rating; the window's rating pad or tablet then
shows the ticket. The first valid rating closes it and is bound to that service
(ticket, service item, window, clerk, time). A rating with no open request, or a second
one, is stored as rejected and never counted. An unanswered request closes as "not
rated" after the hall's timeout (``Hall.rating_timeout_seconds``, or the installation's
``Settings.rating_timeout_seconds`` where the hall sets none); a phone rating by the
ticket's QR code may still come afterwards, once per ticket. Nothing here ever rates
for anyone.

Every change is stamped inside its transaction and published after commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from sqlmodel import Session, col, select

from server.domain.model import Event, EventKind
from server.domain.model import Window as DWindow
from server.domain.rating import RatingStatus, RatingStep, may_step, sources, step
from server.errors import HubError
from server.realtime.bus import HubEvent
from server.realtime.journal import stamp
from server.store import rating_requests
from server.store import repositories as repo
from server.store import tables as t

from .hub import Hub

# The five national levels, best first: the one order every screen shows them in.
LEVELS: Mapping[int, tuple[str, str]] = MappingProxyType(
    {
        5: ("非常满意", "very satisfied"),
        4: ("满意", "satisfied"),
        3: ("基本满意", "basically satisfied"),
        2: ("不满意", "dissatisfied"),
        1: ("非常不满意", "very dissatisfied"),
    }
)
BAD_LEVELS = frozenset({1, 2})  # 差评, which the hall must follow up
SATISFIED_LEVELS = frozenset({3, 4, 5})
REASONS: Mapping[int, tuple[str, str]] = MappingProxyType(
    {
        1: ("服务态度", "attitude"),
        2: ("办事效率", "efficiency"),
        3: ("办事指南/材料", "guide or materials"),
        4: ("多次跑动", "repeat trips"),
        5: ("超时未办结", "not finished in time"),
        6: ("其他", "other"),
    }
)

# Marks the finish a clerk asked for with 评价 (kept in the event's data).
RATE_MARK = "rating_requested"

# The range an admin may give a hall's timeout, in seconds (HallUpdate checks it).
RATING_TIMEOUT_MIN = 15
RATING_TIMEOUT_MAX = 600


# The lifecycle's states and steps are the domain's (server/domain/rating.py).
Status = RatingStatus


class Channel(StrEnum):
    PAD = "pad"  # 评价器 on the window bus
    TABLET = "tablet"  # a web page at the window
    PHONE = "phone"  # the ticket's QR code


@dataclass(frozen=True)
class RatingOutcome:
    """What became of one rating; a rejected one is stored all the same."""

    accepted: bool
    reject_code: str | None
    level: int
    ticket: str | None
    window: int | None

    def raise_if_rejected(self) -> None:
        if self.reject_code is not None:
            raise HubError(self.reject_code, ticket=self.ticket, window=self.window)


@dataclass(frozen=True)
class OpenRequest:
    request_id: int
    ticket: str
    window: int
    service_item: str | None
    opened_at: datetime
    deadline: datetime


def timeout_of(hub: Hub, hall: t.Hall) -> float:
    """The hall's rating timeout in seconds: its own, else the installation's default."""
    if hall.rating_timeout_seconds is not None:
        return float(hall.rating_timeout_seconds)
    return hub.settings.rating_timeout_seconds


def check_rating(level: int, reason: int | None) -> None:
    if level not in LEVELS:
        raise HubError("INVALID_REQUEST", level=level)
    if reason is not None:
        if reason not in REASONS:
            raise HubError("INVALID_REQUEST", reason=reason)
        if level not in BAD_LEVELS:
            raise HubError("RATING_REASON_NOT_ALLOWED", level=level)


# ---- opening and closing requests -----------------------------------------------------


def finish_and_request(events: list[Event]) -> list[Event]:
    """Mark a finish the clerk asked for with 评价 (the request records who opened it)."""
    return [
        replace(e, data={**e.data, RATE_MARK: True}) if e.kind is EventKind.FINISHED else e
        for e in events
    ]


def on_window_events(
    s: Session, hub: Hub, hall_id: int, window: DWindow, events: list[Event], now: datetime
) -> list[HubEvent]:
    """Called by a window command inside its transaction, after its events are stored:
    every finished service opens a rating request at that window. Returns the stamped
    rating events to publish with the command's own."""
    out: list[HubEvent] = []
    for e in events:
        if e.kind is EventKind.FINISHED and e.ticket_id is not None:
            by = "clerk" if e.data.get(RATE_MARK) else "finish"
            out += _open(s, hub, hall_id, window.number, e.ticket_id, e.clerk_id, now, by)
    return stamp(s, hall_id, out) if out else []


def _request_data(r: t.RatingRequest, window: int | None, **extra: Any) -> dict[str, Any]:
    return {"window": window, "ticket": r.ticket_code, "request_id": r.id, **extra}


def _close(
    s: Session, r: t.RatingRequest, window: int | None, now: datetime, why: str
) -> list[HubEvent]:
    """Close an open request as not rated; nothing if someone closed it meanwhile."""
    assert r.id is not None
    if not may_step(Status(r.status), RatingStep.CLOSE) or not rating_requests.move(
        s,
        r.id,
        sources=sources(RatingStep.CLOSE),
        to=step(Status(r.status), RatingStep.CLOSE).value,
        closed_at=repo.to_db_time(now),
    ):
        return []
    data = _request_data(r, window, outcome=Status.NOT_RATED.value, why=why)
    return [HubEvent(hall_id=r.hall_id, kind="rating_closed", data=data)]


def _open(
    s: Session,
    hub: Hub,
    hall_id: int,
    window_number: int,
    ticket_id: int,
    clerk_id: int | None,
    now: datetime,
    opened_by: str,
) -> list[HubEvent]:
    ticket = s.get(t.Ticket, ticket_id)
    if ticket is None or ticket.window_id is None:
        return []
    events: list[HubEvent] = []
    # A window's pad shows one ticket: a newer service replaces an unanswered one.
    for other in _open_at_window(s, hall_id, ticket.window_id):
        if other.ticket_id != ticket_id:
            events += _close(s, other, window_number, now, "superseded")
    # The caller's transaction has loaded the hall already: this is no second query.
    timeout = timeout_of(hub, repo.hall_by_id(s, hall_id))
    deadline = now + timedelta(seconds=timeout)
    request = s.exec(select(t.RatingRequest).where(t.RatingRequest.ticket_id == ticket_id)).first()
    if request is None:
        request = t.RatingRequest(
            hall_id=hall_id,
            business_day=ticket.business_day,
            ticket_id=ticket_id,
            ticket_code=ticket.code,
            queue_id=ticket.queue_id,
            service_item_id=ticket.service_item_id,
            window_id=ticket.window_id,
            clerk_id=clerk_id,
            status=Status.OPEN.value,
            opened_by=opened_by,
            opened_at=repo.to_db_time(now),
            deadline=repo.to_db_time(deadline),
        )
        s.add(request)
        s.flush()
    elif not may_step(Status(request.status), RatingStep.REOPEN):
        return events  # one rating per service
    else:
        assert request.id is not None
        if not rating_requests.move(
            s,
            request.id,
            sources=sources(RatingStep.REOPEN),
            to=step(Status(request.status), RatingStep.REOPEN).value,
            opened_by=opened_by,
            deadline=repo.to_db_time(deadline),
            closed_at=None,
        ):
            return events  # rated by phone in the meantime
    data = _request_data(request, window_number, deadline=deadline.isoformat(), opened_by=opened_by)
    events.append(HubEvent(hall_id=hall_id, kind="rating_opened", data=data))
    return events


def _open_at_window(s: Session, hall_id: int, window_id: int) -> list[t.RatingRequest]:
    return list(
        s.exec(
            select(t.RatingRequest)
            .where(
                t.RatingRequest.hall_id == hall_id,
                t.RatingRequest.status == Status.OPEN.value,
                t.RatingRequest.window_id == window_id,
            )
            .order_by(col(t.RatingRequest.opened_at).desc(), col(t.RatingRequest.id).desc())
        )
    )


def request_rating(hub: Hub, *, hall_id: int, window_number: int, clerk_id: int | None) -> None:
    """评价 from the clerk: finish the current service, which opens its request; with
    nobody at the window, ask again for the window's last service of the day."""
    from server.domain.errors import DomainError

    from . import windows

    def finish_for_rating(c: windows.WindowContext) -> tuple[list[Event], Any]:
        events, called = windows.finish(c)
        return finish_and_request(events), called

    try:
        windows.execute(
            hub,
            hall_id=hall_id,
            window_number=window_number,
            clerk_id=clerk_id,
            command=finish_for_rating,
        )
        return
    except DomainError as err:
        if err.code != "NO_CURRENT_TICKET":
            raise
    now = hub.now()

    def work(s: Session) -> list[HubEvent]:
        hall = repo.hall_by_id(s, hall_id)
        window = repo.window_row(s, hall_id, window_number)
        day = repo.calendar_of(hall).business_day(now)
        last = s.exec(
            select(t.RatingRequest)
            .where(
                t.RatingRequest.hall_id == hall_id,
                t.RatingRequest.window_id == window.id,
                t.RatingRequest.business_day == day,
            )
            .order_by(col(t.RatingRequest.opened_at).desc(), col(t.RatingRequest.id).desc())
        ).first()
        if last is None:
            raise HubError("NOTHING_TO_RATE", window=window_number)
        if last.status == Status.RATED:
            raise HubError("RATING_ALREADY_GIVEN", ticket=last.ticket_code)
        events = _open(s, hub, hall_id, window_number, last.ticket_id, last.clerk_id, now, "clerk")
        return stamp(s, hall_id, events)

    hub.publish(hub.db.write(work))


def _due(s: Session, hall_id: int, now: datetime) -> list[t.RatingRequest]:
    return list(
        s.exec(
            select(t.RatingRequest).where(
                t.RatingRequest.hall_id == hall_id,
                t.RatingRequest.status == Status.OPEN.value,
                col(t.RatingRequest.deadline) <= repo.to_db_time(now),
            )
        )
    )


def close_expired(hub: Hub) -> int:
    """Close every request whose time is up as not rated; returns how many."""
    return sweep_expired(hub)[0]


def sweep_expired(hub: Hub) -> tuple[int, float]:
    """Close every request whose time is up as not rated. Returns how many, and the
    shortest timeout any hall has now (how soon the closer should come round again)."""
    now = hub.now()
    default = hub.settings.rating_timeout_seconds
    # Looked for first in a read: on SQLite a write transaction every second would
    # take the one write lock from the window commands for nothing.
    # Two queries whatever the number of halls (a city's installation has many).
    with hub.db.read() as s:
        timeouts = s.exec(select(t.Hall.rating_timeout_seconds)).all()
        halls = sorted(
            s.exec(
                select(t.RatingRequest.hall_id)
                .where(
                    t.RatingRequest.status == Status.OPEN.value,
                    col(t.RatingRequest.deadline) <= repo.to_db_time(now),
                )
                .distinct()
            ).all()
        )
    shortest = min([default, *(float(v) for v in timeouts if v is not None)])
    if not halls:
        return 0, shortest

    def work(s: Session) -> list[HubEvent]:
        out: list[HubEvent] = []
        for hall_id in halls:
            closed: list[HubEvent] = []
            for r in _due(s, hall_id, now):
                closed += _close(s, r, _window_number(s, r.window_id), now, "timeout")
            out += stamp(s, hall_id, closed)
        return out

    events = hub.db.write(work)
    hub.publish(events)
    return len(events), shortest


def _window_number(s: Session, window_id: int | None) -> int | None:
    if window_id is None:
        return None
    row = s.get(t.Window, window_id)
    return row.number if row else None


# ---- rating ---------------------------------------------------------------------------


def _record(
    s: Session,
    *,
    hall_id: int,
    now: datetime,
    level: int,
    reason: int | None,
    channel: Channel,
    device: str,
    request: t.RatingRequest | None,
    reject_code: str | None,
    window_id: int | None,
    ticket: t.Ticket | None = None,
) -> tuple[RatingOutcome, list[HubEvent]]:
    hall = repo.hall_by_id(s, hall_id)
    accepted = reject_code is None
    ticket_id: int | None
    code: str | None
    if request is not None:
        ticket_id, code = request.ticket_id, request.ticket_code
        item_id, clerk_id, window_id = request.service_item_id, request.clerk_id, request.window_id
        day = request.business_day if accepted else repo.calendar_of(hall).business_day(now)
    else:
        ticket_id, code = (ticket.id, ticket.code) if ticket else (None, None)
        item_id = ticket.service_item_id if ticket else None
        clerk_id, day = None, repo.calendar_of(hall).business_day(now)
    s.add(
        t.Rating(
            hall_id=hall_id,
            business_day=day,
            request_id=request.id if request else None,
            accepted_request_id=request.id if request is not None and accepted else None,
            accepted=accepted,
            reject_reason=reject_code,
            level=level,
            reason=reason if level in BAD_LEVELS else None,
            channel=channel.value,
            device=device,
            ticket_id=ticket_id,
            ticket_code=code,
            service_item_id=item_id,
            window_id=window_id,
            clerk_id=clerk_id,
            at=repo.to_db_time(now),
        )
    )
    s.flush()
    window = _window_number(s, window_id)
    data: dict[str, Any] = {
        "window": window,
        "ticket": code,
        "level": level,
        "bad": level in BAD_LEVELS,
        "channel": channel.value,
        "at": now.isoformat(),
    }
    if accepted:
        assert request is not None
        clerk = s.get(t.Staff, clerk_id) if clerk_id else None
        item = s.get(t.ServiceItem, item_id) if item_id else None
        data.update(
            request_id=request.id,
            level_zh=LEVELS[level][0],
            reason=reason if level in BAD_LEVELS else None,
            reason_zh=REASONS[reason][0] if reason and level in BAD_LEVELS else None,
            clerk=clerk.staff_no if clerk else None,
            item=item.name if item else None,
        )
        kind = "rated"
    else:
        data.update(why=reject_code)
        kind = "rating_rejected"
    outcome = RatingOutcome(accepted, reject_code, level, code, window)
    return outcome, stamp(s, hall_id, [HubEvent(hall_id=hall_id, kind=kind, data=data)])


def _accept(s: Session, request: t.RatingRequest, now: datetime, *, from_closed: bool) -> bool:
    what = RatingStep.RATE_LATE if from_closed else RatingStep.RATE
    assert request.id is not None
    # The request as read may be stale: the store moves it only from a state the
    # domain allows this step from, so two ratings of one service cannot both count.
    return rating_requests.move(
        s,
        request.id,
        sources=sources(what),
        to=Status.RATED.value,
        closed_at=repo.to_db_time(now),
    )


def rate_at_window(
    hub: Hub,
    *,
    hall_id: int,
    window_number: int,
    level: int,
    reason: int | None,
    channel: Channel,
    device: str = "",
) -> RatingOutcome:
    """A rating from the window's pad or tablet: it rates the window's open request."""
    check_rating(level, reason)
    now = hub.now()

    def work(s: Session) -> tuple[RatingOutcome, list[HubEvent]]:
        hall = repo.hall_by_id(s, hall_id)  # _record needs it too: loaded once
        window = repo.window_row(s, hall_id, window_number)
        assert window.id is not None
        events: list[HubEvent] = []
        reject: str | None = "RATING_NOT_OPEN"
        request: t.RatingRequest | None = None
        for candidate in _open_at_window(s, hall_id, window.id):
            deadline = repo.from_db_time(candidate.deadline)
            assert deadline is not None
            if now >= deadline:  # the closer has not come round yet: it is over all the same
                events += stamp(s, hall_id, _close(s, candidate, window_number, now, "timeout"))
            elif request is None and _accept(s, candidate, now, from_closed=False):
                request, reject = candidate, None
        if request is None:
            request = _latest_rated(s, hall_id, window.id, now, timeout_of(hub, hall))
            reject = "RATING_ALREADY_GIVEN" if request is not None else "RATING_NOT_OPEN"
        outcome, rated = _record(
            s,
            hall_id=hall_id,
            now=now,
            level=level,
            reason=reason,
            channel=channel,
            device=device,
            request=request,
            reject_code=reject,
            window_id=window.id,
        )
        return outcome, events + rated

    outcome, events = hub.db.write(work)
    hub.publish(events)
    return outcome


def _latest_rated(
    s: Session, hall_id: int, window_id: int, now: datetime, timeout: float
) -> t.RatingRequest | None:
    """The window's service rated a moment ago: a second press is 'already rated'."""
    since = now - timedelta(seconds=max(timeout, 1.0))
    return s.exec(
        select(t.RatingRequest)
        .where(
            t.RatingRequest.hall_id == hall_id,
            t.RatingRequest.window_id == window_id,
            t.RatingRequest.status == Status.RATED.value,
            col(t.RatingRequest.closed_at) >= repo.to_db_time(since),
        )
        .order_by(col(t.RatingRequest.closed_at).desc())
    ).first()


def rate_by_token(hub: Hub, *, token: str, level: int, reason: int | None) -> RatingOutcome:
    """A phone rating through the ticket's QR code: once per ticket, after its service."""
    check_rating(level, reason)
    now = hub.now()

    def work(s: Session) -> tuple[RatingOutcome, list[HubEvent]]:
        ticket = repo.ticket_by_token(s, token)
        if ticket is None:
            from server.domain.errors import DomainError

            raise DomainError("TICKET_NOT_FOUND")
        request = s.exec(
            select(t.RatingRequest).where(t.RatingRequest.ticket_id == ticket.id)
        ).first()
        if request is None:
            reject: str | None = "RATING_NOT_AVAILABLE"
        elif _accept(s, request, now, from_closed=True):
            reject = None
        else:
            reject = "RATING_ALREADY_GIVEN"
        return _record(
            s,
            hall_id=ticket.hall_id,
            now=now,
            level=level,
            reason=reason,
            channel=Channel.PHONE,
            device="",
            request=request,
            reject_code=reject,
            window_id=request.window_id if request else ticket.window_id,
            ticket=ticket,
        )

    outcome, events = hub.db.write(work)
    hub.publish(events)
    return outcome


# ---- reading --------------------------------------------------------------------------


def open_request(hub: Hub, *, hall_id: int, window_number: int) -> OpenRequest | None:
    """The request the window's pad or tablet should show now, if any."""
    now = hub.now()
    with hub.db.read() as s:
        return open_request_in(s, hall_id, window_number, now)


def open_request_in(
    s: Session, hall_id: int, window_number: int, now: datetime
) -> OpenRequest | None:
    window = repo.window_row(s, hall_id, window_number)
    assert window.id is not None
    for r in _open_at_window(s, hall_id, window.id):
        deadline = repo.from_db_time(r.deadline)
        opened = repo.from_db_time(r.opened_at)
        assert deadline is not None and opened is not None and r.id is not None
        if deadline > now:
            item = s.get(t.ServiceItem, r.service_item_id) if r.service_item_id else None
            return OpenRequest(
                r.id, r.ticket_code, window_number, item.name if item else None, opened, deadline
            )
    return None


@dataclass(frozen=True)
class PhoneRating:
    """What the ticket's rating page shows."""

    ticket: str
    hall_name: str
    window: int | None
    service_item: str | None
    can_rate: bool
    rated_level: int | None  # the counted rating, once given


def phone_rating(hub: Hub, token: str) -> PhoneRating | None:
    with hub.db.read() as s:
        ticket = repo.ticket_by_token(s, token)
        if ticket is None:
            return None
        hall = repo.hall_by_id(s, ticket.hall_id)
        request = s.exec(
            select(t.RatingRequest).where(t.RatingRequest.ticket_id == ticket.id)
        ).first()
        rated = None
        if request is not None:
            rated = s.exec(
                select(t.Rating.level).where(t.Rating.accepted_request_id == request.id)
            ).first()
        item = s.get(t.ServiceItem, ticket.service_item_id) if ticket.service_item_id else None
        return PhoneRating(
            ticket=ticket.code,
            hall_name=hall.name,
            window=_window_number(s, request.window_id) if request else None,
            service_item=item.name if item else None,
            can_rate=request is not None and request.status != Status.RATED,
            rated_level=rated,
        )
