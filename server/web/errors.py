"""One place that turns every error into a clear response: Chinese first, English too."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from server.domain.errors import DomainError
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
}


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
        fields = [
            {
                "field": ".".join(str(p) for p in e.get("loc", ()) if p != "body"),
                "problem": e.get("msg", ""),
            }
            for e in err.errors()
        ]
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
