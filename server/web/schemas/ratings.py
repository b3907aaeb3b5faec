"""好差评: the open request, the choices, a rating's outcome, and the day's figures."""

from __future__ import annotations

from pydantic import Field

from .base import Moment, Out


class OpenRequest(Out):
    """server.services.rating_requests.OpenRequest."""

    request_id: int
    ticket: str
    window: int
    service_item: str | None
    opened_at: Moment
    deadline: Moment = Field(description="closed as not rated after this")


class RequestAnswer(Out):
    open: OpenRequest | None


class LevelChoice(Out):
    level: int = Field(description="5 非常满意 … 1 非常不满意")
    name: str
    name_en: str


class ReasonChoice(Out):
    reason: int = Field(description="1 服务态度 … 6 其他; only with levels 1-2")
    name: str
    name_en: str


class Choices(Out):
    levels: list[LevelChoice]
    reasons: list[ReasonChoice]


class WindowRating(Choices):
    window: int
    open: OpenRequest | None


class RatingOutcome(Out):
    """server.services.ratings.RatingOutcome (a rejected one is answered as an error)."""

    accepted: bool
    reject_code: str | None
    level: int
    ticket: str | None
    window: int | None


class PhoneRating(Choices):
    ticket: str
    hall_name: str
    window: int | None
    service_item: str | None
    can_rate: bool
    rated_level: int | None = Field(description="the counted rating, once given")


class Figures(Out):
    levels: dict[str, int] = Field(description='count per level, keyed "1" … "5"')
    rated: int
    bad: int = Field(description="levels 1-2")
    satisfaction_rate: float | None = Field(description="levels 3-5 among the rated, 0-1")
    not_rated: int
    open: int
    rejected: int


class WindowFigures(Figures):
    number: int | None
    name: str


class ClerkFigures(Figures):
    staff_no: str
    name: str


class DayRatings(Out):
    hall: str
    day: str = Field(description="the business day, YYYY-MM-DD")
    levels: list[LevelChoice]
    satisfaction_rate_means: str
    total: Figures
    windows: list[WindowFigures]
    clerks: list[ClerkFigures]


class BadRating(Out):
    id: int
    at: Moment
    ticket: str | None
    window: int | None
    clerk_staff_no: str | None
    clerk_name: str | None
    service_item: str | None
    level: int
    level_name: str
    reason: int | None
    reason_name: str | None
    channel: str = Field(description="tablet, pad or phone")
