"""The database's refusals reach clients as the catalogue's codes, not as a 500."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from server.store.db import IntegrityError, OperationalError
from server.web.errors import install


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed")), 409, "CONFLICT"),
        (OperationalError("SELECT", {}, Exception("connection refused")), 503, "BUSY"),
    ],
)
def test_a_database_error_is_translated(error: Exception, status: int, code: str) -> None:
    app = FastAPI()
    install(app)

    @app.get("/fails")
    def fails() -> None:
        raise error

    response = TestClient(app, raise_server_exceptions=False).get("/fails")
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
