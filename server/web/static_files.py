"""Serving a folder's scripts, styles and pictures (the boards', the kiosk's, the clerk
screen's): plain names only, a known type, and revalidated on every load so that a
screen picks up a new hub version on its next reload."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.responses import FileResponse, JSONResponse, Response

from server.errors import CATALOGUE

from .errors import error_body

NAME = re.compile(r"^[a-z0-9_-]+\.(js|css|svg)$")
MEDIA = {
    "js": "text/javascript; charset=utf-8",
    "css": "text/css; charset=utf-8",
    "svg": "image/svg+xml",
}


def static_file(folder: Path, name: str) -> Response:
    path = folder / name
    if not NAME.match(name) or not path.is_file():
        status, zh, en = CATALOGUE["NOT_FOUND"]
        return JSONResponse(error_body("NOT_FOUND", zh, en), status_code=status)
    return FileResponse(
        path, media_type=MEDIA[name.rsplit(".", 1)[1]], headers={"Cache-Control": "no-cache"}
    )
