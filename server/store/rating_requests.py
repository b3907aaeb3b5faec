"""Rating requests: one per service (ticket), moved through server/domain/rating.py."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col

from . import tables as t


def move(s: Session, request_id: int, *, sources: Iterable[str], to: str, **values: Any) -> bool:
    """Set the request's status to ``to`` if it is still in one of ``sources`` (another
    transaction may have moved it since it was read); False if it was not."""
    done = s.execute(
        update(t.RatingRequest)
        .where(
            col(t.RatingRequest.id) == request_id, col(t.RatingRequest.status).in_(list(sources))
        )
        .values(status=to, **values)
    )
    return bool(done.rowcount == 1)  # type: ignore[attr-defined]
