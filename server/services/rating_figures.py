"""The day's rating figures for supervisors: per window and per clerk, and every 差评."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any

from server.domain.rating import BAD_LEVELS, LEVELS, REASONS, SATISFIED_LEVELS, RatingStatus
from server.store import halls as hall_store
from server.store import ratings as store
from server.store import tables as t
from server.store import windows as window_store
from server.store.db import from_db_time

from .hub import Hub


def _rate(good: int, rated: int) -> float | None:
    return round(good / rated, 4) if rated else None


def _figures(
    accepted: Iterable[t.Rating], requests: Iterable[t.RatingRequest], rejected: int
) -> dict[str, Any]:
    levels = Counter(r.level for r in accepted)
    statuses = Counter(r.status for r in requests)
    rated = sum(levels.values())
    good = sum(n for level, n in levels.items() if level in SATISFIED_LEVELS)
    return {
        "levels": {str(level): levels.get(level, 0) for level in LEVELS},
        "rated": rated,
        "bad": sum(n for level, n in levels.items() if level in BAD_LEVELS),
        "satisfaction_rate": _rate(good, rated),
        "not_rated": statuses.get(RatingStatus.NOT_RATED.value, 0),
        "open": statuses.get(RatingStatus.OPEN.value, 0),
        "rejected": rejected,
    }


def day_summary(hub: Hub, *, hall_id: int, day: date | None = None) -> dict[str, Any]:
    """Per window and per clerk: counts per level, satisfaction rate (levels 3-5 among
    the rated), services not rated, ratings rejected."""
    with hub.db.read() as s:
        hall = hall_store.hall_by_id(s, hall_id)
        day = day or hall_store.calendar_of(hall).business_day(hub.now())
        requests = store.requests_of_day(s, hall_id, day)
        ratings = store.ratings_of_day(s, hall_id, day)
        windows = {w.id: w for w in window_store.window_rows(s, hall_id)}
        clerk_ids = {r.clerk_id for r in requests} | {r.clerk_id for r in ratings}
        staff = store.staff_by_ids(s, clerk_ids)

        def group(key: str) -> list[dict[str, Any]]:
            ids = sorted({getattr(r, key) for r in [*requests, *ratings]} - {None})
            out = []
            for ident in ids:
                mine = [r for r in ratings if getattr(r, key) == ident]
                figures = _figures(
                    [r for r in mine if r.accepted],
                    [r for r in requests if getattr(r, key) == ident],
                    sum(1 for r in mine if not r.accepted),
                )
                if key == "window_id":
                    w = windows.get(ident)
                    head = {"number": w.number if w else None, "name": w.name if w else ""}
                else:
                    st = staff.get(ident)
                    head = {"staff_no": st.staff_no if st else "", "name": st.name if st else ""}
                out.append({**head, **figures})
            if key == "window_id":
                out.sort(key=lambda x: x["number"] or 0)
            else:
                out.sort(key=lambda x: x["staff_no"])
            return out

        return {
            "hall": hall.code,
            "day": day.isoformat(),
            "levels": [
                {"level": level, "name": zh, "name_en": en} for level, (zh, en) in LEVELS.items()
            ],
            "satisfaction_rate_means": "levels 3-5 among the rated / 基本满意及以上占已评价",
            "total": _figures(
                [r for r in ratings if r.accepted],
                requests,
                sum(1 for r in ratings if not r.accepted),
            ),
            "windows": group("window_id"),
            "clerks": group("clerk_id"),
        }


def bad_ratings(hub: Hub, *, hall_id: int, day: date | None = None) -> list[dict[str, Any]]:
    """Every counted 差评 of the day, newest first, with what it is bound to."""
    with hub.db.read() as s:
        hall = hall_store.hall_by_id(s, hall_id)
        day = day or hall_store.calendar_of(hall).business_day(hub.now())
        rows = store.counted_of_day(s, hall_id, day, BAD_LEVELS)
        out = []
        for r in rows:
            clerk = store.staff(s, r.clerk_id)
            item = store.service_item(s, r.service_item_id)
            out.append(
                {
                    "id": r.id,
                    "at": from_db_time(r.at),
                    "ticket": r.ticket_code,
                    "window": store.window_number(s, r.window_id),
                    "clerk_staff_no": clerk.staff_no if clerk else None,
                    "clerk_name": clerk.name if clerk else None,
                    "service_item": item.name if item else None,
                    "level": r.level,
                    "level_name": LEVELS[r.level][0],
                    "reason": r.reason,
                    "reason_name": REASONS[r.reason][0] if r.reason is not None else None,
                    "channel": r.channel,
                }
            )
        return out
