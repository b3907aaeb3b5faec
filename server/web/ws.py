"""The hall's websocket (PROTOCOL.md): a snapshot, then ordered events, for every screen."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from fastapi import APIRouter, WebSocket
from starlette.websockets import WebSocketDisconnect

from server.domain.errors import DomainError
from server.errors import HubError
from server.realtime.fanout import Fanout
from server.services import halls
from server.services.hub import Hub

from .errors import error_body

router = APIRouter()
log = logging.getLogger(__name__)


@router.websocket("/ws/halls/{hall_code}")
async def hall_socket(websocket: WebSocket, hall_code: str, board: str = "") -> None:
    hub: Hub = websocket.app.state.hub
    fanout: Fanout = websocket.app.state.fanout
    await websocket.accept()
    try:
        hall_id = await asyncio.to_thread(halls.hall_id, hub, hall_code)
    except (DomainError, HubError) as err:
        body = error_body(err.code, err.message_zh, err.message_en)
        await websocket.send_json({"type": "error", **body})
        await websocket.close(code=4404, reason=err.code)
        return
    label = board or (websocket.client.host if websocket.client else "")
    with contextlib.suppress(WebSocketDisconnect):
        await fanout.serve(websocket, hall_id, label=label)
