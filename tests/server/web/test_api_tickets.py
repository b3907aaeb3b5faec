"""Issuing tickets and asking about them, through the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from hallclient import patch_read

from server.services.hub import Hub

URL = "/api/v1/halls/demo/tickets"


def test_kiosk_issues_numbered_tickets_with_a_status_link(
    client: TestClient, kiosk: dict[str, str]
) -> None:
    first = client.post(URL, json={"item": "B03"}, headers=kiosk)
    second = client.post(URL, json={"queue": "B"}, headers=kiosk)
    assert first.status_code == 201, first.text
    a, b = first.json(), second.json()
    assert (a["code"], b["code"]) == ("B001", "B002")
    assert a["service_item_name"] == "社会保障卡申领" and a["windows"] == [4, 5, 11]
    assert b["people_ahead"] == 1 and a["people_ahead"] == 0
    assert len(a["token"]) >= 32 and a["status_url"] == f"http://hall.test/t/{a['token']}"
    status = client.get(f"/api/v1/tickets/{b['token']}").json()
    assert (
        status["code"] == "B002" and status["status"] == "waiting" and status["people_ahead"] == 1
    )
    page = client.get(f"/t/{b['token']}")
    assert page.status_code == 200 and "B002" in page.text and "等候中" in page.text
    # Issued at 10:00 in the hall's own time (the clock reads 02:00 UTC), not in UTC.
    assert "2026-11-23 10:00" in page.text and "UTC" not in page.text
    first_page = client.get(f"/t/{a['token']}").text
    assert "马上就到您" in first_page and "约 0 分钟" not in first_page


def test_estimated_wait_uses_open_windows(
    client: TestClient, kiosk: dict[str, str], login: Callable[..., Any]
) -> None:
    for _ in range(3):
        client.post(URL, json={"queue": "C"}, headers=kiosk)
    queues = {q["code"]: q for q in client.get("/api/v1/halls/demo/queues").json()["queues"]}
    assert (
        queues["C"]["waiting"] == 3 and queues["C"]["estimated_wait_minutes"] is None
    )  # nobody at windows 6, 7
    login("C006", window=6)
    login("C007", window=7)
    queues = {q["code"]: q for q in client.get("/api/v1/halls/demo/queues").json()["queues"]}
    # 3 people x 20 min default / 2 open windows
    assert queues["C"]["open_windows"] == 2 and queues["C"]["estimated_wait_minutes"] == 30
    nxt = client.post(URL, json={"queue": "C"}, headers=kiosk).json()
    assert nxt["people_ahead"] == 3 and nxt["estimated_wait_minutes"] == 30


def test_bad_input_gets_clear_errors_and_writes_nothing(
    client: TestClient, kiosk: dict[str, str], sql: Callable[..., list[Any]]
) -> None:
    cases = [
        ({"queue": "ZZ"}, 404, "QUEUE_NOT_FOUND"),
        ({"item": "NOPE"}, 404, "SERVICE_ITEM_NOT_FOUND"),
        ({}, 422, "INVALID_REQUEST"),
        ({"queue": "A", "priority": "vip"}, 422, "INVALID_REQUEST"),
        ({"queue": "A", "extra": 1}, 422, "INVALID_REQUEST"),
    ]
    for body, status, code in cases:
        r = client.post(URL, json=body, headers=kiosk)
        assert r.status_code == status, (body, r.text)
        err = r.json()["error"]
        assert err["code"] == code and err["message_zh"] and err["message_en"]
    r = client.post(
        URL, content=b"{not json", headers={**kiosk, "Content-Type": "application/json"}
    )
    assert r.status_code == 422 and r.json()["error"]["code"] == "INVALID_REQUEST"
    assert sql("SELECT count(*) FROM ticket")[0][0] == 0
    assert sql("SELECT count(*) FROM ticketcounter")[0][0] == 0


def test_out_of_hours_and_closed_days(
    client: TestClient, kiosk: dict[str, str], clock: Any
) -> None:
    clock.advance(hours=2)  # Monday 12:00 in Shanghai: lunch break
    r = client.post(URL, json={"queue": "A"}, headers=kiosk)
    assert r.status_code == 409 and r.json()["error"]["code"] == "OUT_OF_HOURS"
    assert r.json()["error"]["details"]["hours"] == ["08:45-11:45", "13:30-16:45"]
    queues = client.get("/api/v1/halls/demo/queues").json()["queues"]
    assert all(not q["issuing"] and q["not_issuing_code"] == "OUT_OF_HOURS" for q in queues)
    clock.advance(days=5)  # Saturday
    r = client.post(URL, json={"queue": "A"}, headers=kiosk)
    assert r.json()["error"]["code"] == "HALL_CLOSED_TODAY"


def test_daily_cap_is_reached_without_skipping_numbers(
    client: TestClient,
    kiosk: dict[str, str],
    login: Callable[..., Any],
    sql: Callable[..., list[Any]],
) -> None:
    admin = login("admin", password="admin1234")
    assert (
        patch_read(client, "/api/v1/admin/halls/demo/queues/E", {"daily_cap": 2}, admin).status_code
        == 200
    )
    codes = [
        client.post(URL, json={"queue": "E"}, headers=kiosk).json().get("code") for _ in range(2)
    ]
    r = client.post(URL, json={"queue": "E"}, headers=kiosk)
    assert codes == ["E001", "E002"]
    assert r.status_code == 409 and r.json()["error"]["code"] == "DAILY_CAP_REACHED"
    assert sql("SELECT value FROM ticketcounter")[0][0] == 2
    status = {q["code"]: q for q in client.get("/api/v1/halls/demo/queues").json()["queues"]}["E"]
    assert status["remaining_today"] == 0 and status["not_issuing_code"] == "DAILY_CAP_REACHED"


def test_numbering_restarts_each_business_day_in_the_halls_time_zone(
    client: TestClient, kiosk: dict[str, str], clock: Any, hub: Hub
) -> None:
    assert client.post(URL, json={"queue": "A"}, headers=kiosk).json()["code"] == "A001"
    assert client.post(URL, json={"queue": "A"}, headers=kiosk).json()["code"] == "A002"
    clock.advance(days=1)  # Tuesday 10:00
    again = client.post(URL, json={"queue": "A"}, headers=kiosk).json()
    assert again["code"] == "A001" and again["business_day"] == "2026-11-24"


def test_only_kiosks_and_dispensers_issue(
    client: TestClient, demo: Any, login: Callable[..., Any]
) -> None:
    r = client.post(URL, json={"queue": "A"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "AUTH_REQUIRED"
    board = {"Authorization": f"Bearer {demo.device_tokens['HB01']}"}
    r = client.post(URL, json={"queue": "A"}, headers=board)
    assert r.status_code == 403 and r.json()["error"]["code"] == "FORBIDDEN"
    r = client.post(URL, json={"queue": "A"}, headers={"Authorization": "Bearer forged"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "DEVICE_TOKEN_INVALID"
    r = client.post(URL, json={"queue": "A"}, headers=login("C001", window=1))
    assert r.status_code == 401


def test_unknown_ticket_token(client: TestClient) -> None:
    r = client.get("/api/v1/tickets/nope")
    assert r.status_code == 404 and r.json()["error"]["code"] == "TICKET_NOT_FOUND"
    assert client.get("/t/nope").status_code == 404


def test_catalogue_and_guide(client: TestClient) -> None:
    cat = client.get("/api/v1/halls/demo/catalogue").json()
    assert len(cat["items"]) == 33 and len(cat["queues"]) == 6
    assert cat["items"][0]["hot"] >= cat["items"][-1]["hot"]
    guide = client.get("/api/v1/halls/demo/items/C02").json()
    assert guide["name"] == "二手房转移登记" and guide["queue"] == "C"
    assert {s["key"] for s in guide["sections"]} >= {
        "conditions",
        "materials",
        "fees",
        "complaint_phone",
    }
    assert guide["guide"]["materials"][0] == {
        "name": "居民身份证",
        "form": "原件",
        "copies": 1,
        "required": True,
        "sample": None,
        "blank_form": None,
    }
    assert guide["guide"]["responsible"] == "登记受理科 朱海燕"
    assert {"quantity_limits", "responsible"} <= {s["key"] for s in guide["sections"]}
    assert (
        client.get("/api/v1/halls/demo/items/ZZ").json()["error"]["code"]
        == "SERVICE_ITEM_NOT_FOUND"
    )
    assert client.get("/api/v1/halls/nohall/catalogue").status_code == 404


def test_openapi_docs_are_served(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "/api/v1/halls/{hall}/windows/{number}/call-next" in spec["paths"]
    assert client.get("/docs").status_code == 200
