"""The API's contract: every JSON operation in /docs has a typed answer and its error
responses, and what the routes really answer is what the models say."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import BaseModel

from server.config import Settings
from server.services import audit, rating_requests, ratings, status, tickets, windows
from server.web import auth
from server.web.app import create_app
from server.web.schemas import audit as a
from server.web.schemas import catalogue as c
from server.web.schemas import devices as d
from server.web.schemas import ratings as r
from server.web.schemas import tickets as tk
from server.web.schemas import windows as w
from server.web.schemas.base import ErrorBody, InvalidRequestBody

Login = Callable[..., dict[str, str]]
H = "/api/v1/halls/demo"


@pytest.fixture(scope="module")
def app() -> FastAPI:
    return create_app(Settings(database_url="sqlite://"))


@pytest.fixture(scope="module")
def spec(app: FastAPI) -> dict[str, Any]:
    return app.openapi()


def json_operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            media = {m for answer in op["responses"].values() for m in answer.get("content", {})}
            if media <= {"application/json"}:
                yield path, method, op


def resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def is_typed(spec: dict[str, Any], schema: dict[str, Any]) -> bool:
    """A model with named properties, or an array of such; never a bare object."""
    schema = resolve(spec, schema)
    if schema.get("type") == "array":
        return is_typed(spec, schema.get("items", {}))
    return schema.get("type") == "object" and bool(schema.get("properties"))


def refs(schema: dict[str, Any]) -> set[str]:
    found = {schema["$ref"].rsplit("/", 1)[1]} if "$ref" in schema else set()
    for option in schema.get("anyOf", []):
        found |= refs(option)
    return found


def test_the_spec_reader_tells_a_bare_object_from_a_model(spec: dict[str, Any]) -> None:
    assert not is_typed(spec, {"type": "object", "additionalProperties": True})
    assert not is_typed(spec, {"type": "array", "items": {}})
    assert not is_typed(spec, {})
    assert is_typed(spec, {"$ref": "#/components/schemas/ErrorBody"})


def test_every_json_operation_answers_with_a_typed_model(spec: dict[str, Any]) -> None:
    operations = list(json_operations(spec))
    assert len(operations) >= 45
    untyped = []
    for path, method, op in operations:
        ok = {s: a for s, a in op["responses"].items() if s.startswith("2")}
        assert ok, (method, path)
        for code, answer in ok.items():
            if code == "204":
                assert "content" not in answer, (method, path)
                continue
            schema = answer.get("content", {}).get("application/json", {}).get("schema", {})
            if not is_typed(spec, schema):
                untyped.append(f"{method.upper()} {path} {code}")
    assert untyped == []


FILES = ["application/pdf", "image/png", "image/jpeg"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_audio_and_csv_routes_declare_their_media_type(spec: dict[str, Any]) -> None:
    other = {
        path: list(op["responses"]["200"].get("content", {}))
        for path, ops in spec["paths"].items()
        for op in ops.values()
        if path not in {p for p, _, _ in json_operations(spec)}
    }
    assert other == {
        "/voice/say.wav": ["audio/wav"],
        "/voice/clips/{name}.wav": ["audio/wav"],
        "/api/v1/admin/audit.csv": ["text/csv"],
        "/api/v1/halls/{hall}/attachments/{attachment_id}": FILES,
        "/api/v1/admin/halls/{hall}/attachments/{attachment_id}/file": FILES,
        "/api/v1/admin/halls/{hall}/catalogue/export.csv": ["text/csv"],
        "/api/v1/admin/halls/{hall}/catalogue/export.xlsx": [XLSX],
        "/api/v1/admin/halls/{hall}/catalogue/template.xlsx": [XLSX],
        "/api/v1/halls/{hall}/staff/{staff_no}/photo": ["image/png", "image/jpeg"],
    }


def api_routes(app: FastAPI) -> Iterator[APIRoute]:
    for entry in app.router.routes:
        router = getattr(entry, "original_router", None)
        for route in router.routes if router is not None else [entry]:
            if isinstance(route, APIRoute) and route.include_in_schema:
                yield route


def calls(dependant: Any) -> set[str]:
    out = {getattr(dependant.call, "__qualname__", "")}
    for sub in dependant.dependencies:
        out |= calls(sub)
    return out


def expected_errors(route: APIRoute) -> set[str]:
    """What a route can answer by its own signature, whatever its body does."""
    used = calls(route.dependant)
    expected = set()
    if "{hall}" in route.path:
        expected.add("404")
    if {auth.current_staff.__qualname__, auth.current_device.__qualname__} & used:
        expected.add("401")
    if any(name.startswith("require_role.") for name in used):
        expected.add("403")
    if route.dependant.path_params or route.dependant.query_params or route.body_field:
        expected.add("422")
    return expected


def test_every_operation_declares_the_errors_it_can_answer(
    app: FastAPI, spec: dict[str, Any]
) -> None:
    missing = []
    routes = list(api_routes(app))
    assert len(routes) >= 50
    for route in routes:
        for method in route.methods or ():
            op = spec["paths"][route.path][method.lower()]
            declared = {s for s in op["responses"] if s[0] in "45"}
            for status_code in sorted(expected_errors(route) - declared):
                missing.append(f"{method} {route.path} {status_code}")
            for status_code in declared:
                schema = op["responses"][status_code]["content"]["application/json"]["schema"]
                names = refs(schema)
                assert names and names <= {"ErrorBody", "InvalidRequestBody"}, (route.path, names)
                if status_code == "422":
                    assert "InvalidRequestBody" in names, route.path
    assert missing == []


def test_the_check_sees_an_undeclared_error() -> None:
    bare = FastAPI()

    @bare.get("/halls/{hall}")
    def hall(hall: str, staff: auth.SupervisorDep) -> dict[str, str]:
        return {}

    [route] = [x for x in bare.routes if isinstance(x, APIRoute)]
    assert expected_errors(route) == {"401", "403", "404", "422"}


# Service answers that are dataclasses: the model has exactly their fields, so a field
# added to the service is added to the contract (or every route using it fails loudly).
MIRRORS: list[tuple[type, type[BaseModel], set[str]]] = [
    (tickets.TicketView, tk.Ticket, set()),
    (tickets.IdentityCheck, tk.IdentityCheck, set()),
    # seq: declared ahead of the view that carries it (server/web/schemas/windows.py).
    (windows.WindowView, w.WindowView, {"seq"}),
    (windows.TicketBrief, w.TicketBrief, set()),
    (status.QueueStatus, c.QueueStatus, set()),
    (ratings.RatingOutcome, r.RatingOutcome, set()),
    (rating_requests.OpenRequest, r.OpenRequest, set()),
    (ratings.PhoneRating, r.PhoneRating, {"levels", "reasons"}),
    (audit.EntryView, a.AuditEntry, set()),
]


@pytest.mark.parametrize(
    ("view", "model", "added"), MIRRORS, ids=[view.__name__ for view, _, _ in MIRRORS]
)
def test_models_of_service_views_have_exactly_their_fields(
    view: type, model: type[BaseModel], added: set[str]
) -> None:
    fields = {f.name for f in dataclasses.fields(view)}
    assert set(model.model_fields) == fields | added


# ---- real answers -------------------------------------------------------------------


def check(model: Any, answer: Any, status_code: int = 200) -> Any:
    assert answer.status_code == status_code, answer.text
    if isinstance(model, list):
        return [model[0].model_validate(x) for x in answer.json()]
    return model.model_validate(answer.json())


def test_public_answers_are_their_models(client: TestClient, kiosk: dict[str, str]) -> None:
    halls = check([c.HallBrief], client.get("/api/v1/halls"))
    assert [h.code for h in halls] == ["demo"]
    assert check(c.HallQueues, client.get(f"{H}/queues")).queues
    assert check([c.WindowSummary], client.get(f"{H}/windows"))
    cat = check(c.Catalogue, client.get(f"{H}/catalogue"))
    guide = check(c.Guide, client.get(f"{H}/items/{cat.items[0].code}"))
    assert guide.sections
    hot = client.get(f"{H}/search")
    assert all("match" not in item for item in hot.json()["items"])
    check(c.SearchResult, hot)
    found = check(c.SearchResult, client.get(f"{H}/search", params={"q": "bdc"}))
    assert found.items and all(item.match for item in found.items)
    assert check([c.LifeEvent], client.get(f"{H}/life-events"))
    checked = client.post(f"{H}/tickets/check", json={"queue": "A"}, headers=kiosk)
    check(tk.IdentityCheck, checked)
    issued = check(
        tk.IssuedTicket, client.post(f"{H}/tickets", json={"queue": "A"}, headers=kiosk), 201
    )
    assert issued.print is not None  # the demo's fake printers
    job = check(d.PrintJob, client.get(f"/api/v1/print-jobs/{issued.print.job}", headers=kiosk))
    assert job.job == issued.print.job and job.message_zh
    raw = client.get(f"/api/v1/tickets/{issued.token}")
    assert check(tk.Ticket, raw).code == issued.code
    # As before the models: datetimes as datetime.isoformat() writes them.
    assert raw.json()["issued_at"] == issued.issued_at.isoformat()
    assert check(r.PhoneRating, client.get(f"/api/v1/tickets/{issued.token}/rating")).levels


def test_staff_answers_are_their_models(
    client: TestClient, login: Login, kiosk: dict[str, str]
) -> None:
    answer = client.post(
        "/api/v1/auth/login",
        json={"hall": "demo", "staff_no": "C001", "password": "demo1234", "window": 1},
    )
    signed = check(w.LoginAnswer, answer)
    clerk = {"Authorization": f"Bearer {signed.token}"}
    assert check(w.Me, client.get("/api/v1/auth/me", headers=clerk)).window == 1
    client.post(f"{H}/tickets", json={"queue": "A"}, headers=kiosk)
    view = check(w.WindowView, client.post(f"{H}/windows/1/call-next", headers=clerk))
    assert view.current is not None and view.called == view.current.code
    read = client.get(f"{H}/windows/1", headers=clerk)
    check(w.WindowView, read)
    # Every key the service gave, none it did not (no null seq where there is none).
    assert set(read.json()) == {f.name for f in dataclasses.fields(windows.WindowView)}
    check(tk.Ticket, client.get(f"{H}/tickets/{view.called}", headers=clerk))
    opened = check(r.RequestAnswer, client.post(f"{H}/windows/1/rate", headers=clerk))
    assert opened.open is not None
    window = check(r.WindowRating, client.get(f"{H}/windows/1/rating", headers=clerk))
    assert window.open == opened.open
    rated = client.post(f"{H}/windows/1/rating", json={"level": 1}, headers=clerk)
    assert check(r.RatingOutcome, rated, 201).accepted
    supervisor = login("S001")
    check(w.DailyReport, client.get(f"{H}/report", headers=supervisor))
    day = check(r.DayRatings, client.get(f"{H}/ratings", headers=supervisor))
    assert day.total.bad == 1
    assert check([r.BadRating], client.get(f"{H}/ratings/bad", headers=supervisor))
    assert check([d.DeviceAlert], client.get(f"{H}/device-alerts", headers=supervisor)) == []
    devices = check(d.WindowDevicesStatus, client.get(f"{H}/window-devices", headers=supervisor))
    assert devices.configured and devices.buses  # the demo's simulated bus


def test_error_answers_are_the_declared_error_body(
    client: TestClient, login: Login, kiosk: dict[str, str]
) -> None:
    clerk = login("C001", window=1)
    cases = [
        (client.get(f"{H}/windows/1"), 401, "AUTH_REQUIRED"),
        (client.get(f"{H}/report", headers=clerk), 403, "FORBIDDEN"),
        (client.get("/api/v1/halls/nowhere/queues"), 404, "HALL_NOT_FOUND"),
        (client.post(f"{H}/windows/1/recall", headers=clerk), 409, "NO_CURRENT_TICKET"),
        (client.post(f"{H}/windows/1/pause", json={}, headers=clerk), 422, "INVALID_REQUEST"),
    ]
    for answer, status_code, code in cases:
        assert answer.status_code == status_code, answer.text
        assert ErrorBody.model_validate(answer.json()).error.code == code
    invalid = InvalidRequestBody.model_validate(cases[-1][0].json())
    assert [f.field for f in invalid.error.details.fields] == ["reason"]


def test_the_board_clock_is_its_model(client: TestClient, clock: Any) -> None:
    answer = client.get("/board/clock")
    assert answer.headers["cache-control"] == "no-store"
    assert check(d.HubClock, answer).now_ms == int(clock().timestamp() * 1000)
