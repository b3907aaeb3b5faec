"""Clerks' window actions, permissions and the supervisor's report."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hallclient import patch_hall
from sqlalchemy import event

import server.web
from server.services import tickets

W = "/api/v1/halls/demo/windows"
WEB = str(Path(server.web.__file__).parent)


@pytest.fixture
def issue(client: TestClient, kiosk: dict[str, str]) -> Callable[..., str]:
    def do(queue: str = "B", priority: str = "normal") -> str:
        r = client.post(
            "/api/v1/halls/demo/tickets", json={"queue": queue, "priority": priority}, headers=kiosk
        )
        assert r.status_code == 201, r.text
        return str(r.json()["code"])

    return do


def test_full_service_cycle_and_report(
    client: TestClient, issue: Callable[..., str], login: Callable[..., Any], clock: Any
) -> None:
    clerk = login("C004", window=4)
    issue(), issue()
    clock.advance(minutes=5)
    r = client.post(f"{W}/4/call-next", headers=clerk).json()
    assert (
        r["called"] == "B001" and r["current"]["status"] == "called" and r["clerk_name"] == "刘洋"
    )
    clock.advance(minutes=1)
    assert client.post(f"{W}/4/recall", headers=clerk).json()["current"]["recall_count"] == 1
    assert client.post(f"{W}/4/start", headers=clerk).json()["current"]["status"] == "serving"
    clock.advance(minutes=8)
    r = client.post(f"{W}/4/finish", headers=clerk).json()
    assert r["current"] is None and r["served_today"] == 1 and r["mean_service_seconds"] == 480
    r = client.post(f"{W}/4/call-next", headers=clerk).json()
    assert r["called"] == "B002"
    assert client.post(f"{W}/4/no-show", headers=clerk).json()["current"] is None
    supervisor = login("S001")
    report = client.get("/api/v1/halls/demo/report", headers=supervisor).json()
    assert report["issued"] == 2 and report["no_shows"] == 1
    b = next(q for q in report["queues"] if q["code"] == "B")
    assert (
        b["served"] == 1
        and b["service_minutes"]["mean"] == 8.0
        and b["wait_minutes"]["max"] == 14.0
    )
    assert (
        client.get("/api/v1/halls/demo/report", headers=clerk).json()["error"]["code"]
        == "FORBIDDEN"
    )


def test_a_clerk_acts_only_at_her_window(
    client: TestClient, issue: Callable[..., str], login: Callable[..., Any]
) -> None:
    issue()
    clerk = login("C004", window=4)
    r = client.post(f"{W}/5/call-next", headers=clerk)
    assert r.status_code == 403 and r.json()["error"]["code"] == "WRONG_WINDOW"
    unseated = login("C005")
    r = client.post(f"{W}/5/call-next", headers=unseated)
    assert r.status_code == 403 and r.json()["error"]["code"] == "NOT_AT_WINDOW"
    assert client.post(f"{W}/4/call-next").json()["error"]["code"] == "AUTH_REQUIRED"


def test_window_taken_and_released_by_a_supervisor(
    client: TestClient, login: Callable[..., Any]
) -> None:
    first = login("C004", window=4)
    r = client.post(
        "/api/v1/auth/login",
        json={"hall": "demo", "staff_no": "C005", "password": "demo1234", "window": 4},
    )
    assert r.status_code == 409 and r.json()["error"]["code"] == "WINDOW_TAKEN"
    assert client.post(f"{W}/4/release", headers=first).status_code == 403
    assert client.post(f"{W}/4/release", headers=login("S001")).status_code == 204
    assert client.post(f"{W}/4/call-next", headers=first).json()["error"]["code"] == "NOT_AT_WINDOW"
    login("C005", window=4)


def test_bad_password_and_logout(client: TestClient, login: Callable[..., Any]) -> None:
    r = client.post(
        "/api/v1/auth/login", json={"hall": "demo", "staff_no": "C004", "password": "wrong-one"}
    )
    assert r.status_code == 401 and r.json()["error"]["code"] == "BAD_CREDENTIALS"
    headers = login("C004", window=4)
    assert client.get("/api/v1/auth/me", headers=headers).json()["window"] == 4
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert client.get("/api/v1/auth/me", headers=headers).json()["error"]["code"] == "AUTH_INVALID"
    seated = next(w for w in client.get(f"{W}").json() if w["number"] == 4)
    assert seated["open"] is False


def test_session_cookie_signs_pages_in(client: TestClient) -> None:
    r = client.post(
        "/api/v1/auth/login",
        json={"hall": "demo", "staff_no": "C004", "password": "demo1234", "window": 4},
    )
    assert "hall_session" in r.cookies
    assert client.get("/api/v1/auth/me").json()["staff_no"] == "C004"


def test_green_channel_goes_two_to_one(
    client: TestClient, issue: Callable[..., str], login: Callable[..., Any]
) -> None:
    normal = [issue("D") for _ in range(4)]
    green = [issue("D", "green") for _ in range(4)]
    clerk = login("C008", window=8)
    called = [client.post(f"{W}/8/call-next", headers=clerk).json()["called"] for _ in range(6)]
    # smooth weighted round-robin interleaves: G N G | G N G
    assert called == [green[0], normal[0], green[1], green[2], normal[1], green[3]]


def test_hold_call_back_transfer_and_specific_call(
    client: TestClient, issue: Callable[..., str], login: Callable[..., Any]
) -> None:
    b1, b2, b3 = issue("B"), issue("B"), issue("B")
    w4 = login("C004", window=4)
    w11 = login("C011", window=11)
    assert client.post(f"{W}/4/call-next", headers=w4).json()["called"] == b1
    held = client.post(f"{W}/4/hold", headers=w4).json()
    assert [h["code"] for h in held["held"]] == [b1]
    assert client.post(f"{W}/4/call", json={"ticket": b3}, headers=w4).json()["called"] == b3
    r = client.post(f"{W}/4/call-back", json={}, headers=w4).json()
    assert r["called"] == b1 and r["held"] == []
    # to window 11 (which serves B): only window 11 can call it, and before others
    r = client.post(f"{W}/4/transfer", json={"window": 11}, headers=w4).json()
    assert r["current"] is None
    assert client.post(f"{W}/4/call-next", headers=w4).json()["called"] == b2
    assert client.post(f"{W}/11/call-next", headers=w11).json()["called"] == b1
    # to queue F, keeping the number
    r = client.post(f"{W}/11/transfer", json={"queue": "F"}, headers=w11).json()
    ticket = client.get(f"/api/v1/halls/demo/tickets/{b1}", headers=w11).json()
    assert ticket["queue_code"] == "F" and ticket["code"] == b1 and ticket["status"] == "waiting"
    # window 4 does not serve F
    r = client.post(f"{W}/4/call", json={"ticket": b1}, headers=w4)
    assert r.status_code == 409 and r.json()["error"]["code"] == "WINDOW_DOES_NOT_SERVE_QUEUE"
    r = client.post(f"{W}/11/transfer", json={"window": 1}, headers=w11)
    assert r.json()["error"]["code"] == "NO_CURRENT_TICKET"
    r = client.post(f"{W}/4/transfer", json={}, headers=w4)
    assert r.status_code == 422 and r.json()["error"]["code"] == "INVALID_REQUEST"


def test_pause_resume_and_errors(
    client: TestClient, issue: Callable[..., str], login: Callable[..., Any]
) -> None:
    issue("B")
    w4 = login("C004", window=4)
    r = client.post(f"{W}/4/pause", json={"reason": ""}, headers=w4)
    assert r.status_code == 422
    assert (
        client.post(f"{W}/4/pause", json={"reason": "系统维护"}, headers=w4).json()["paused"]
        is True
    )
    r = client.post(f"{W}/4/call-next", headers=w4)
    assert r.status_code == 409 and r.json()["error"]["code"] == "WINDOW_PAUSED"
    assert r.json()["error"]["details"]["reason"] == "系统维护"
    public = {w["number"]: w for w in client.get(W).json()}
    assert public[4]["paused"] and public[4]["pause_reason"] == "系统维护"
    assert client.post(f"{W}/4/resume", headers=w4).json()["paused"] is False
    assert client.post(f"{W}/4/resume", headers=w4).json()["error"]["code"] == "WINDOW_NOT_PAUSED"
    assert (
        client.post(f"{W}/99/pause", json={"reason": "x"}, headers=w4).json()["error"]["code"]
        == "WRONG_WINDOW"
    )


def test_no_show_reactivation_and_cancel(
    client: TestClient, issue: Callable[..., str], login: Callable[..., Any], clock: Any
) -> None:
    code = issue("B")
    w4 = login("C004", window=4)
    client.post(f"{W}/4/call-next", headers=w4)
    client.post(f"{W}/4/no-show", headers=w4)
    clock.advance(minutes=10)
    r = client.post(f"/api/v1/halls/demo/tickets/{code}/reactivate", headers=w4).json()
    assert r["status"] == "waiting"
    r = client.post(f"/api/v1/halls/demo/tickets/{code}/cancel", headers=w4).json()
    assert r["status"] == "cancelled"
    r = client.post(f"/api/v1/halls/demo/tickets/{code}/cancel", headers=w4)
    assert r.status_code == 409 and r.json()["error"]["code"] == "TICKET_CLOSED"


def test_end_of_day_closes_open_tickets(
    client: TestClient, issue: Callable[..., str], login: Callable[..., Any], clock: Any, hub: Any
) -> None:
    from server.services.daycycle import close_past_days

    codes = [issue("B") for _ in range(3)]
    w4 = login("C004", window=4)
    client.post(f"{W}/4/call-next", headers=w4)
    assert close_past_days(hub) == 0
    clock.advance(days=1)
    assert close_past_days(hub) == 3
    assert (
        client.get(f"{W}/4", headers=w4).json()["error"]["code"] == "AUTH_INVALID"
    )  # 12 h session over
    assert client.get(f"{W}/4", headers=login("C004", window=4)).json()["current"] is None
    report = client.get("/api/v1/halls/demo/report?day=2026-11-23", headers=login("S001")).json()
    assert report["statuses"] == {"expired": 3} and report["issued"] == 3
    assert codes[0] == "B001"


def test_admin_configures_and_others_cannot(client: TestClient, login: Callable[..., Any]) -> None:
    admin = login("admin", password="admin1234")
    clerk = login("C001")
    body = {"code": "G", "prefix": "G", "name": "公积金", "issue_hours": ["09:00-16:00"]}
    assert (
        client.post("/api/v1/admin/halls/demo/queues", json=body, headers=clerk).status_code == 403
    )
    assert (
        client.post("/api/v1/admin/halls/demo/queues", json=body, headers=admin).status_code == 201
    )
    assert (
        client.post("/api/v1/admin/halls/demo/queues", json=body, headers=admin).json()["error"][
            "code"
        ]
        == "QUEUE_CODE_TAKEN"
    )
    bad = {**body, "code": "H", "prefix": "H", "issue_hours": ["16:00-09:00"]}
    assert (
        client.post("/api/v1/admin/halls/demo/queues", json=bad, headers=admin).status_code == 422
    )
    r = client.post(
        "/api/v1/admin/halls/demo/windows",
        json={"number": 13, "name": "公积金", "queues": [{"queue": "G"}]},
        headers=admin,
    )
    assert r.status_code == 201
    r = client.post(
        "/api/v1/admin/halls/demo/devices", json={"code": "K09", "kind": "kiosk"}, headers=admin
    )
    token = r.json()["token"]
    t = client.post(
        "/api/v1/halls/demo/tickets",
        json={"queue": "G"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert t.json()["code"] == "G001" and t.json()["windows"] == [13]
    r = client.post(
        "/api/v1/admin/halls/demo/staff",
        json={"staff_no": "C099", "name": "新人", "role": "clerk", "password": "short"},
        headers=admin,
    )
    assert r.status_code == 422
    r = patch_hall(client, "demo", {"class_weights": {"green": 3}, "notice": "新通知"}, admin)
    assert r.status_code == 200 and r.json()["class_weights"] == {"green": 3}


def test_the_window_view_carries_the_seq_of_its_action_and_call_next_costs_4_transactions(
    client: TestClient, hub: Any, login: Callable[..., Any]
) -> None:
    """The clerk screen ignores websocket events up to its view's seq (its own action's
    echo), so a call-next is the request's own transactions and nothing more: staff,
    hall, the command, the view read after commit."""
    clerk = login("C004", window=4)
    hid = client.get("/api/v1/auth/me", headers=clerk).json()["hall_id"]
    # Issued without printing: the printer's own writes would be counted too.
    for _ in range(2):
        tickets.issue_ticket(hub, hall_id=hid, queue_code="B")
    before = client.get(f"{W}/4", headers=clerk).json()
    assert isinstance(before["seq"], int) and before["seq"] > 0
    published: list[Any] = []
    publish = hub.bus.publish

    def record(batch: list[Any]) -> None:
        published.extend(batch)
        publish(batch)

    begun: list[Any] = []

    def count(conn: Any) -> None:
        # Only the request's own: the printer queue's poll runs beside it.
        if any(frame.filename.startswith(WEB) for frame in traceback.extract_stack()):
            begun.append(conn)

    hub.bus.publish = record
    event.listen(hub.db.engine, "begin", count)
    try:
        called = client.post(f"{W}/4/call-next", headers=clerk).json()
    finally:
        event.remove(hub.db.engine, "begin", count)
        hub.bus.publish = publish
    assert called["called"] == "B001"
    assert len(begun) <= 4, f"call-next took {len(begun)} transactions"
    assert called["seq"] == published[-1].seq > before["seq"]
    assert client.get(f"{W}/4", headers=clerk).json()["seq"] == called["seq"]
    # An action that changes nothing announces nothing: no seq to ignore.
    client.post(f"{W}/4/no-show", headers=clerk)
    client.post(f"{W}/4/call-next", headers=clerk)
    client.post(f"{W}/4/no-show", headers=clerk)
    nobody = client.post(f"{W}/4/call-next", headers=clerk).json()
    assert nobody["called"] is None and nobody["events"] == [] and nobody["seq"] is None
