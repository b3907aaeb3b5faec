"""The hall websocket over the real app and database: snapshot, ordered events, patches."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hallclient import patch_hall
from starlette.testclient import WebSocketTestSession

Login = Callable[..., dict[str, str]]


def messages(ws: WebSocketTestSession) -> Iterator[dict[str, Any]]:
    """Every message, a batch's events one by one."""
    while True:
        msg: dict[str, Any] = ws.receive_json()
        yield from msg["items"] if msg["type"] == "batch" else [msg]


def receive_until(ws: WebSocketTestSession, kind: str, limit: int = 20) -> dict[str, Any]:
    for _, msg in zip(range(limit), messages(ws), strict=False):
        if msg["type"] == "event" and msg["kind"] == kind:
            return msg
    raise AssertionError(f"no {kind} event in {limit} messages")


def test_snapshot_then_ordered_events_with_patches(
    client: TestClient, login: Login, kiosk: dict[str, str]
) -> None:
    clerk = login("C001", window=1)
    with client.websocket_connect("/ws/halls/demo?board=HB01") as ws:
        snap = ws.receive_json()
        assert snap["type"] == "snapshot"
        state = snap["state"]
        assert state["hall"]["code"] == "demo"
        assert state["windows"]["1"]["clerk_staff_no"] == "C001"
        assert state["windows"]["1"]["current"] is None
        waiting_before = state["queues"]["A"]["waiting"]
        seq = snap["seq"]

        r = client.post("/api/v1/halls/demo/tickets", json={"queue": "A"}, headers=kiosk)
        assert r.status_code == 201, r.text
        code = r.json()["code"]
        issued = next(messages(ws))
        assert issued["type"] == "event" and issued["kind"] == "issued"
        assert issued["seq"] == seq + 1
        assert issued["data"]["ticket"] == code
        assert issued["patch"]["queues"]["A"]["waiting"] == waiting_before + 1

        r = client.post("/api/v1/halls/demo/windows/1/call-next", headers=clerk)
        assert r.status_code == 200, r.text
        called = receive_until(ws, "called")
        assert called["seq"] > issued["seq"]
        call = called["patch"]["call"]
        assert call["ticket"] == code and call["window"] == 1 and not call["recall"]
        digits = {"0": "ling", "1": "yi", "2": "er", "3": "san"}
        assert call["voice"][:3] == ["chime", "qing", code[0]]
        assert call["voice"][3:6] == [digits[d] for d in code[1:4]]
        window = called["patch"]["windows"]["1"]
        assert window["current"] == code and window["current_status"] == "called"
        assert called["patch"]["queues"]["A"]["waiting"] == waiting_before

        r = client.post("/api/v1/halls/demo/windows/1/recall", headers=clerk)
        recalled = receive_until(ws, "recalled")
        assert recalled["patch"]["call"]["recall"] is True
        assert recalled["patch"]["call"]["voice"][1] == "zaici_hujiao"

        # A fresh snapshot agrees with what the patches built.
        ws.send_json({"type": "resync"})
        again = next(m for m in messages(ws) if m["type"] == "snapshot")
        assert again["seq"] >= recalled["seq"]
        assert again["state"]["windows"]["1"]["current"] == code
        assert [c["ticket"] for c in again["state"]["calls"][:2]] == [code, code]
        assert again["state"]["calls"][0]["recall"] is True


def test_pause_and_admin_notice_reach_the_board(client: TestClient, login: Login) -> None:
    clerk = login("C002", window=2)
    admin = login("admin", password="admin1234")
    with client.websocket_connect("/ws/halls/demo") as ws:
        ws.receive_json()
        r = client.post(
            "/api/v1/halls/demo/windows/2/pause", json={"reason": "午休"}, headers=clerk
        )
        assert r.status_code == 200, r.text
        paused = receive_until(ws, "window_paused")
        assert paused["patch"]["windows"]["2"]["paused"] is True
        assert paused["patch"]["windows"]["2"]["pause_reason"] == "午休"
        r = patch_hall(client, "demo", {"notice": "今日办理至17:00"}, admin)
        assert r.status_code == 200, r.text
        changed = receive_until(ws, "hall_changed")
        assert changed["patch"]["hall"]["notice"] == "今日办理至17:00"
        assert changed["patch"]["windows"]["2"]["paused"] is True


def test_unknown_hall_gets_a_clear_error(client: TestClient) -> None:
    with client.websocket_connect("/ws/halls/nowhere") as ws:
        msg = ws.receive_json()
        assert msg["type"] == "error"
        assert msg["error"]["code"] == "HALL_NOT_FOUND"
        assert msg["error"]["message_zh"]


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "张*"),
        ("张三丰", "张*丰"),
        ("欧阳娜娜", "欧**娜"),
        ("Li Lei", "L*****"),
        ("王", "王"),
    ],
)
def test_names_are_masked(name: str, masked: str) -> None:
    from server.realtime.state import mask_name

    assert mask_name(name) == masked


def test_business_day_of_each_hall_follows_its_own_clock(hub: Any, demo: Any, clock: Any) -> None:
    from server.services import halls, live

    hall_id = halls.hall_id(hub, "demo")
    assert live.load_days(hub, [hall_id]) == {hall_id: "2026-11-23"}
    clock.advance(hours=15)  # 01:00 the next morning in Shanghai, still 17:00 UTC
    assert live.load_days(hub, [hall_id]) == {hall_id: "2026-11-24"}


def test_a_print_jobs_progress_is_not_sent_to_screens(
    client: TestClient, login: Login, kiosk: dict[str, str]
) -> None:
    """Boards and clerk screens have no use for it; the kiosk asks for its job."""
    clerk = login("C002", window=2)
    with client.websocket_connect("/ws/halls/demo") as ws:
        seq = ws.receive_json()["seq"]
        r = client.post("/api/v1/halls/demo/tickets", json={"queue": "A"}, headers=kiosk)
        assert r.status_code == 201, r.text
        job = r.json()["print"]["job"]
        for _ in range(500):
            state = client.get(f"/api/v1/print-jobs/{job}", headers=kiosk).json()["state"]
            if state == "printed":
                break
            time.sleep(0.02)
        assert state == "printed"
        r = client.post(
            "/api/v1/halls/demo/windows/2/pause", json={"reason": "午休"}, headers=clerk
        )
        assert r.status_code == 200, r.text
        seen = []
        for msg in messages(ws):
            assert msg["type"] == "event", msg
            seen.append((msg["seq"], msg["kind"]))
            if msg["kind"] == "window_paused":
                break
        # In order and without a gap: nothing was held back from the hall's sequence.
        assert [k for _, k in seen] == ["issued", "window_paused"]
        assert [s for s, _ in seen] == [seq + 1, seq + 2]
