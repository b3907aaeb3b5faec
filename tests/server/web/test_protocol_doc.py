"""PROTOCOL.md, its models (server/web/schemas/realtime.py) and the frames the hub
really sends describe the same messages."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hallclient import patch_hall
from starlette.testclient import WebSocketTestSession

from server.web.schemas import realtime

DOC = Path(__file__).parents[3] / "server" / "realtime" / "PROTOCOL.md"


def documented_shapes(text: str) -> dict[str, set[str]]:
    """``NAME = {...}`` blocks of the document -> their top-level keys."""
    shapes: dict[str, set[str]] = {}
    for m in re.finditer(r"^([A-Z]+) = \{", text, re.MULTILINE):
        depth, i = 1, m.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        body = text[m.end() : i - 1]
        # Keys of nested objects are not the shape's own: drop every inner {...}.
        while re.search(r"\{[^{}]*\}", body):
            body = re.sub(r"\{[^{}]*\}", "", body)
        shapes[m.group(1)] = set(re.findall(r'"(\w+)":', body))
    return shapes


def test_every_documented_shape_lists_exactly_its_models_fields() -> None:
    shapes = documented_shapes(DOC.read_text(encoding="utf-8"))
    assert set(shapes) == set(realtime.DOCUMENTED)
    for name, model in realtime.DOCUMENTED.items():
        assert shapes[name] == set(model.model_fields), name


def test_the_shape_reader_sees_a_missing_key() -> None:
    shapes = documented_shapes('QUEUE = {"code": "A", "waiting": 3}\nCALL = {"x": {"y": 1}}\n')
    assert shapes == {"QUEUE": {"code", "waiting"}, "CALL": {"x"}}
    assert shapes["QUEUE"] != set(realtime.QueueEntry.model_fields)


def frames(ws: WebSocketTestSession, until: str, limit: int = 20) -> list[dict[str, Any]]:
    """Raw frames up to and including the one holding an event of kind ``until``."""
    out: list[dict[str, Any]] = []
    for _ in range(limit):
        frame: dict[str, Any] = ws.receive_json()
        out.append(frame)
        items = frame["items"] if frame["type"] == "batch" else [frame]
        if any(e.get("kind") == until for e in items):
            return out
    raise AssertionError(f"no {until} event in {limit} frames")


MODELS: dict[str, type[realtime.Out]] = {
    "snapshot": realtime.Snapshot,
    "event": realtime.EventFrame,
    "batch": realtime.Batch,
    "ping": realtime.Ping,
}


def test_real_frames_are_the_documented_messages(
    client: TestClient, login: Callable[..., dict[str, str]], kiosk: dict[str, str]
) -> None:
    clerk = login("C001", window=1)
    admin = login("admin", password="admin1234")
    with client.websocket_connect("/ws/halls/demo") as ws:
        snap = realtime.Snapshot.model_validate(ws.receive_json())
        assert snap.state.hall.code == "demo" and snap.state.windows["1"].clerk_staff_no == "C001"
        seen: list[dict[str, Any]] = []
        client.post("/api/v1/halls/demo/tickets", json={"queue": "A"}, headers=kiosk)
        seen += frames(ws, "issued")
        client.post("/api/v1/halls/demo/windows/1/call-next", headers=clerk)
        seen += frames(ws, "called")
        patch_hall(client, "demo", {"notice": "今日"}, admin)
        seen += frames(ws, "hall_changed")
        ws.send_json(realtime.Resync(type="resync").model_dump())
        again = ws.receive_json()
        while again["type"] != "snapshot":
            again = ws.receive_json()
        seen.append(again)
    parsed = [MODELS[f["type"]].model_validate(f) for f in seen]
    events = [
        e
        for p in parsed
        for e in (p.items if isinstance(p, realtime.Batch) else [p])
        if isinstance(e, realtime.EventFrame)
    ]
    called = next(e for e in events if e.kind == "called")
    assert called.patch is not None and called.patch.call is not None
    assert called.patch.call.window == 1 and called.patch.windows is not None
    changed = next(e for e in events if e.kind == "hall_changed")
    assert changed.patch is not None and changed.patch.hall is not None
    assert changed.patch.hall.notice == "今日"
    assert isinstance(parsed[-1], realtime.Snapshot) and parsed[-1].state.calls


def test_an_unknown_hall_gets_the_documented_error_frame(client: TestClient) -> None:
    with client.websocket_connect("/ws/halls/nowhere") as ws:
        frame = realtime.ErrorFrame.model_validate(ws.receive_json())
    assert frame.error.code == "HALL_NOT_FOUND"


def test_a_frame_with_a_key_the_models_do_not_name_is_refused() -> None:
    with pytest.raises(ValueError, match="extra"):
        realtime.Ping.model_validate({"type": "ping", "seq": 1, "unexpected": True})
