"""Voice clips for the hall boards: single clips, and whole announcements joined on the hub.

Clips are generated offline with espeak-ng (``hall voice generate`` at setup; anything
missing is generated on first use) and a hall's own recordings in the override folder
take precedence.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from server.errors import HubError
from server.services.hub import Hub
from server.voice.announce import render_call_wav
from server.voice.clips import CATALOGUE, ClipLibrary, EspeakError, MissingClipError, generate_clips

from .schemas.base import errors

router = APIRouter(prefix="/voice", tags=["voice"])
log = logging.getLogger(__name__)
MAX_CLIPS = 120
_generate_lock = threading.Lock()


def library_of(hub: Hub) -> ClipLibrary:
    lib = getattr(hub, "_voice_library", None)
    if lib is None:
        lib = ClipLibrary(hub.settings.voice_dir, hub.settings.voice_override_dir)
        hub._voice_library = lib  # type: ignore[attr-defined]
    return lib


def _names(raw: str) -> list[str]:
    names = [n for n in raw.split(",") if n]
    if not names or len(names) > MAX_CLIPS:
        raise HubError("VOICE_BAD_CLIPS", count=len(names))
    unknown = [n for n in names if n not in CATALOGUE]
    if unknown:
        raise HubError("VOICE_BAD_CLIPS", unknown=unknown[:5])
    return names


def _render(hub: Hub, names: list[str]) -> bytes:
    lib = library_of(hub)
    try:
        return render_call_wav(lib, names)
    except MissingClipError:
        with _generate_lock:
            missing = [n for n in dict.fromkeys(names) if lib.resolve(n) is None]
            try:
                generate_clips(hub.settings.voice_dir, missing)
            except (EspeakError, OSError) as err:
                log.error("cannot generate voice clips %s: %s", missing, err)
                raise HubError("VOICE_UNAVAILABLE") from err
        return render_call_wav(lib, names)


_WAV_HEADERS = {"Cache-Control": "public, max-age=300"}
_WAV: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"audio/wav": {"schema": {"type": "string", "format": "binary"}}},
        "description": "A WAV file",
    },
    **errors("VOICE_BAD_CLIPS", "VOICE_UNAVAILABLE"),
}


@router.get(
    "/say.wav",
    summary="One announcement: the named clips joined into one WAV",
    response_class=Response,
    responses=_WAV,
)
async def say(request: Request, clips: str = Query(max_length=2000)) -> Response:
    hub: Hub = request.app.state.hub
    names = _names(clips)
    body = await asyncio.to_thread(_render, hub, names)
    return Response(body, media_type="audio/wav", headers=_WAV_HEADERS)


@router.get(
    "/clips/{name}.wav",
    summary="One clip (a hall's own recording if there is one)",
    response_class=Response,
    responses=_WAV,
)
async def clip(request: Request, name: str) -> Response:
    hub: Hub = request.app.state.hub
    names = _names(name)
    body = await asyncio.to_thread(_render, hub, names)
    return Response(body, media_type="audio/wav", headers=_WAV_HEADERS)
