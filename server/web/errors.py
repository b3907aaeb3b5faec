"""One place that turns every error into a clear response: Chinese first, English too."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from server.domain.errors import DomainError
from server.domain.fields import FIELD_MESSAGES, Problem
from server.errors import CATALOGUE, HubError
from server.store.db import IntegrityError, OperationalError

log = logging.getLogger(__name__)

# Queue-rule codes -> HTTP status; anything not listed is a 409 (the state forbids it).
DOMAIN_STATUS: dict[str, int] = {
    "QUEUE_NOT_FOUND": 404,
    "SERVICE_ITEM_NOT_FOUND": 404,
    "WINDOW_NOT_FOUND": 404,
    "TICKET_NOT_FOUND": 404,
    "HALL_NOT_FOUND": 404,
    "PAUSE_REASON_REQUIRED": 422,
    "TRANSFER_TARGET_REQUIRED": 422,
    "ID_NUMBER_FORMAT": 422,
    "ID_NUMBER_BIRTH_DATE": 422,
    "ID_NUMBER_CHECK_DIGIT": 422,
    "PHONE_INVALID": 422,
    "CASE_REASON_REQUIRED": 422,
    "CASE_NOTE_TOO_LONG": 422,
    "CASE_MISSING_REQUIRED": 422,
    "DEADLINE_IN_PAST": 422,
    "DEADLINE_NOT_WORKING_DAY": 422,
    "URGENT_AFTER_DUE": 422,
    "RECEIPT_PATTERN_INVALID": 422,
    "WINDOW_NOT_ALLOWED": 403,
    "ACCOUNT_LOCKED": 423,
}


# The request parser's refusals (pydantic's error types) as the field codes of
# domain/fields.py, with the figures their messages name.
PARSER_CODES: dict[str, str] = {
    "missing": "REQUIRED",
    "extra_forbidden": "UNKNOWN_FIELD",
    "string_too_long": "TOO_LONG",
    "too_long": "TOO_LONG",
    "string_too_short": "TOO_SHORT",
    "too_short": "TOO_SHORT",
    "greater_than_equal": "TOO_SMALL",
    "greater_than": "TOO_SMALL",
    "less_than_equal": "TOO_LARGE",
    "less_than": "TOO_LARGE",
    "int_parsing": "NOT_A_NUMBER",
    "int_type": "NOT_A_NUMBER",
    "int_from_float": "NOT_A_NUMBER",
    "float_parsing": "NOT_A_NUMBER",
    "float_type": "NOT_A_NUMBER",
    "bool_parsing": "NOT_A_BOOLEAN",
    "bool_type": "NOT_A_BOOLEAN",
    "string_type": "NOT_TEXT",
    "list_type": "NOT_A_LIST",
    "dict_type": "NOT_AN_OBJECT",
    "model_type": "NOT_AN_OBJECT",
    "model_attributes_type": "NOT_AN_OBJECT",
    "enum": "NOT_ALLOWED",
    "literal_error": "NOT_ALLOWED",
    "string_pattern_mismatch": "FORMAT",
    "json_invalid": "JSON_INVALID",
}
_FIGURES = {"min": ("min", "min_length", "ge", "gt"), "max": ("max", "max_length", "le", "lt")}


def field_problem(error: Any) -> dict[str, Any]:
    """One of pydantic's errors as a field problem: its dotted field, code and messages."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    code = kind if kind in FIELD_MESSAGES else PARSER_CODES.get(kind, "INVALID")
    details = {
        name: next((ctx[k] for k in keys if k in ctx), "") for name, keys in _FIGURES.items()
    }
    field = ".".join(str(p) for p in error.get("loc", ()) if p != "body")
    out = Problem(field, code, details).as_dict()
    out["problem"] = error.get("msg", "")
    return out


def error_body(
    code: str, zh: str, en: str, details: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "error": {
            "code": code,
            "message": f"{zh} / {en}",
            "message_zh": zh,
            "message_en": en,
            "details": details or {},
        }
    }


def _catalogued(code: str, details: dict[str, Any] | None = None) -> JSONResponse:
    status, zh, en = CATALOGUE[code]
    return JSONResponse(error_body(code, zh, en, details), status_code=status)


def _jsonable(details: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v if isinstance(v, str | int | float | bool | list | type(None)) else str(v)
        for k, v in details.items()
    }


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(_: Request, err: DomainError) -> JSONResponse:
        return JSONResponse(
            error_body(err.code, err.message_zh, err.message_en, _jsonable(err.details)),
            status_code=DOMAIN_STATUS.get(err.code, 409),
        )

    @app.exception_handler(HubError)
    async def _hub(_: Request, err: HubError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if err.status == 401 else None
        return JSONResponse(
            error_body(err.code, err.message_zh, err.message_en, _jsonable(err.details)),
            status_code=err.status,
            headers=headers,
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, err: RequestValidationError) -> JSONResponse:
        fields = [field_problem(e) for e in err.errors()]
        return _catalogued("INVALID_REQUEST", {"fields": fields})

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, err: StarletteHTTPException) -> JSONResponse:
        if err.status_code == 404:
            return _catalogued("NOT_FOUND")
        if err.status_code == 405:
            return _catalogued("METHOD_NOT_ALLOWED")
        return JSONResponse(
            error_body("HTTP_ERROR", str(err.detail), str(err.detail)), status_code=err.status_code
        )

    @app.exception_handler(IntegrityError)
    async def _integrity(_: Request, err: IntegrityError) -> JSONResponse:
        log.warning("integrity error: %s", err)
        return _catalogued("CONFLICT")

    @app.exception_handler(OperationalError)
    async def _busy(_: Request, err: OperationalError) -> JSONResponse:
        log.error("database unavailable: %s", err)
        return _catalogued("BUSY")

    @app.exception_handler(Exception)
    async def _internal(_: Request, err: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=err)
        return _catalogued("INTERNAL")
