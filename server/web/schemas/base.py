"""What every answer is built from: the response base, the error body, and the table of
which error codes a route can answer with."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from server.domain.errors import MESSAGES
from server.errors import CATALOGUE

from ..errors import DOMAIN_STATUS


class Out(BaseModel):
    """A response. ``extra="forbid"``: a key the services return but the model does not
    name is a loud error in every test that reaches the route, never silently dropped."""

    model_config = ConfigDict(extra="forbid")


# datetime.isoformat(), as the API wrote it before it had models ("+00:00", not "Z").
Moment = Annotated[
    datetime,
    PlainSerializer(lambda d: d.isoformat(), return_type=str, when_used="json"),
]


class ErrorDetail(Out):
    code: str = Field(description="stable; part of the API (server/errors.py, domain/errors.py)")
    message: str = Field(description="message_zh / message_en")
    message_zh: str
    message_en: str
    details: dict[str, Any] = Field(description="what the refusal was about, per code")


class ErrorBody(Out):
    """Every error the hub answers with (server/web/errors.py)."""

    error: ErrorDetail


class FieldProblem(Out):
    field: str = Field(description="dotted path of the field, e.g. queues.0.weight")
    code: str = Field(description="stable: server/domain/fields.py FIELD_MESSAGES")
    problem: str = Field(description="in English, as the parser or the rule put it")
    message_zh: str
    message_en: str


class InvalidDetails(Out):
    fields: list[FieldProblem]


class InvalidDetail(ErrorDetail):
    code: str = Field(description="INVALID_REQUEST")
    details: InvalidDetails  # type: ignore[assignment]


class InvalidRequestBody(Out):
    """A request that does not match the route's parameters or body (422 INVALID_REQUEST)."""

    error: InvalidDetail


def status_of(code: str) -> int:
    if code in CATALOGUE:
        return CATALOGUE[code][0]
    if code not in MESSAGES:
        raise KeyError(f"unknown error code {code!r}")
    return DOMAIN_STATUS.get(code, 409)


Responses = dict[int | str, dict[str, Any]]


def errors(*codes: str, validated: bool = True) -> Responses:
    """The ``responses=`` of a route: each status it can answer with, the codes behind it.

    A 422 is declared with the validation shape wherever FastAPI checks parameters or a
    body (``validated``); other 422 codes (rule refusals) share its status and the error
    body.
    """
    by_status: dict[int, list[str]] = {}
    for code in dict.fromkeys(codes):
        by_status.setdefault(status_of(code), []).append(code)
    out: Responses = {}
    for status, listed in sorted(by_status.items()):
        out[status] = {"model": ErrorBody, "description": "Codes: " + ", ".join(listed)}
    rules = [c for c in by_status.get(422, []) if c != "INVALID_REQUEST"]
    if not validated and not rules:
        out.pop(422, None)
        return out
    text = "INVALID_REQUEST (details.fields)" + (
        "; or, with the error body, " + ", ".join(rules) if rules else ""
    )
    model: Any = InvalidRequestBody | ErrorBody if rules else InvalidRequestBody
    out[422] = {"model": model, "description": "Codes: " + text}
    return out


# Refusals shared by many routes: a {hall} in the path; a staff sign-in of that hall
# (server/web/auth.py); a supervisor's or admin's; a kiosk's or dispenser's token.
HALL = ("HALL_NOT_FOUND",)
STAFF = ("AUTH_REQUIRED", "AUTH_INVALID", "WRONG_HALL")
SUPERVISOR = (*STAFF, "FORBIDDEN")
DEVICE = ("AUTH_REQUIRED", "DEVICE_TOKEN_INVALID", "FORBIDDEN", "WRONG_HALL")
