"""好差评, the rating itself: the citizen's rating at the window or by phone.

The first valid rating closes the window's open request (services/rating_requests.py)
and is bound to that service (ticket, service item, window, clerk, time). A rating with
no open request, or a second one, is stored as rejected and never counted. A phone
rating by the ticket's QR code may still come after the request closed, once per
ticket. Nothing here ever rates for anyone.

Every change is stamped inside its transaction and published after commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from server.domain.errors import DomainError
from server.domain.rating import BAD_LEVELS, LEVELS, REASONS, RatingStatus, RatingStep, sources
from server.errors import HubError
from server.realtime.bus import HubEvent
from server.realtime.journal import stamp
from server.store import halls as hall_store
from server.store import rating_requests as requests
from server.store import ratings as store
from server.store import tables as t
from server.store import tickets as ticket_store
from server.store import windows as window_store
from server.store.db import Session, from_db_time, to_db_time

from . import rating_requests
from .hub import Hub

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


def check_rating(level: int, reason: int | None) -> None:
    if level not in LEVELS:
        raise HubError("INVALID_REQUEST", level=level)
    if reason is not None:
        if reason not in REASONS:
            raise HubError("INVALID_REQUEST", reason=reason)
        if level not in BAD_LEVELS:
            raise HubError("RATING_REASON_NOT_ALLOWED", level=level)


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
    hall = hall_store.hall_by_id(s, hall_id)
    accepted = reject_code is None
    ticket_id: int | None
    code: str | None
    if request is not None:
        ticket_id, code = request.ticket_id, request.ticket_code
        item_id, clerk_id, window_id = request.service_item_id, request.clerk_id, request.window_id
        day = request.business_day if accepted else hall_store.calendar_of(hall).business_day(now)
    else:
        ticket_id, code = (ticket.id, ticket.code) if ticket else (None, None)
        item_id = ticket.service_item_id if ticket else None
        clerk_id, day = None, hall_store.calendar_of(hall).business_day(now)
    store.add(
        s,
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
            at=to_db_time(now),
        ),
    )
    window = store.window_number(s, window_id)
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
        clerk = store.staff(s, clerk_id)
        item = store.service_item(s, item_id)
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
    return requests.move(
        s,
        request.id,
        sources=sources(what),
        to=Status.RATED.value,
        closed_at=to_db_time(now),
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
        hall = hall_store.hall_by_id(s, hall_id)  # _record needs it too: loaded once
        window = window_store.window_row(s, hall_id, window_number)
        assert window.id is not None
        events: list[HubEvent] = []
        reject: str | None = "RATING_NOT_OPEN"
        request: t.RatingRequest | None = None
        for candidate in requests.open_at_window(s, hall_id, window.id):
            deadline = from_db_time(candidate.deadline)
            assert deadline is not None
            if now >= deadline:  # the closer has not come round yet: it is over all the same
                closed = rating_requests.close(s, candidate, window_number, now, "timeout")
                events += stamp(s, hall_id, closed)
            elif request is None and _accept(s, candidate, now, from_closed=False):
                request, reject = candidate, None
        if request is None:
            timeout = rating_requests.timeout_of(hub, hall)
            request = _latest_rated(s, hall_id, window.id, now, timeout)
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
    return requests.rated_at_window_since(s, hall_id, window_id, to_db_time(since))


def rate_by_token(hub: Hub, *, token: str, level: int, reason: int | None) -> RatingOutcome:
    """A phone rating through the ticket's QR code: once per ticket, after its service."""
    check_rating(level, reason)
    now = hub.now()

    def work(s: Session) -> tuple[RatingOutcome, list[HubEvent]]:
        ticket = ticket_store.ticket_by_token(s, token)
        if ticket is None:
            raise DomainError("TICKET_NOT_FOUND")
        request = requests.of_ticket(s, ticket.id)
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


# ---- reading ----------------------------------------------------------------------------


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
        ticket = ticket_store.ticket_by_token(s, token)
        if ticket is None:
            return None
        hall = hall_store.hall_by_id(s, ticket.hall_id)
        request = requests.of_ticket(s, ticket.id)
        rated = None
        if request is not None:
            rated = store.counted_level(s, request.id)
        item = store.service_item(s, ticket.service_item_id)
        return PhoneRating(
            ticket=ticket.code,
            hall_name=hall.name,
            window=store.window_number(s, request.window_id) if request else None,
            service_item=item.name if item else None,
            can_rate=request is not None and request.status != Status.RATED,
            rated_level=rated,
        )
