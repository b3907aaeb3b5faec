"""Pages of the hall board (综合屏) and the window board (窗口屏), and their static files.

The pages are shells: they carry the board's configuration (which windows and queues it
shows, whether it speaks) and connect to the hall's websocket (server/realtime/PROTOCOL.md)
for everything else, so a board that lost the hub keeps its last state and recovers alone.
The templates and static files live in ``display_board/`` (the fixed layout).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

import display_board
from server.domain.errors import DomainError
from server.hardware import BoardConfig, HallsHardware
from server.services import halls
from server.services.hub import Hub

from .auth import HubDep
from .schemas.devices import HubClock
from .static_files import static_file

HERE = Path(display_board.__file__).resolve().parent
STATIC = HERE / "static"
templates = Jinja2Templates(directory=str(HERE / "templates"))
# Pages and files stay out of /docs; the clock is the boards' one JSON endpoint.
router = APIRouter(tags=["boards"])

_WINDOW_SPAN = re.compile(r"^(\d{1,3})(?:-(\d{1,3}))?$")
_QUEUE_CODE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_BOARD_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class BoardProblem(Exception):
    """The board's address or configuration cannot be used; shown on the screen itself."""

    def __init__(self, status: int, zh: str, en: str) -> None:
        super().__init__(en)
        self.status, self.zh, self.en = status, zh, en


def parse_windows(text: str) -> list[int]:
    """``"1-6,9"`` -> ``[1, 2, 3, 4, 5, 6, 9]``."""
    out: list[int] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        m = _WINDOW_SPAN.match(part)
        if m is None:
            raise BoardProblem(
                422,
                f"窗口参数有误：{part!r}，应写成 1-6,9",
                f"bad windows parameter {part!r}; write it like 1-6,9",
            )
        first, last = int(m.group(1)), int(m.group(2) or m.group(1))
        if first < 1 or last < first or last - first > 999:
            raise BoardProblem(422, f"窗口范围有误：{part!r}", f"bad window range {part!r}")
        out.extend(n for n in range(first, last + 1) if n not in out)
    return out


def parse_queues(text: str) -> list[str]:
    out: list[str] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        if not _QUEUE_CODE.match(part):
            raise BoardProblem(422, f"队列参数有误：{part!r}", f"bad queues parameter {part!r}")
        if part not in out:
            out.append(part)
    return out


def parse_flag(text: str, name: str) -> bool:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise BoardProblem(
        422, f"参数 {name} 只能是 1 或 0", f"parameter {name} must be 1 or 0, got {text!r}"
    )


def board_entry(halls: HallsHardware, hall_code: str, board_id: str) -> BoardConfig:
    if not _BOARD_ID.match(board_id):
        raise BoardProblem(422, f"显示屏编号有误：{board_id!r}", f"bad board id {board_id!r}")
    devices = halls.for_hall(hall_code)
    if devices is None or devices.config is None:
        broken = [h for h in halls.halls if h.config is None and h.found]
        if broken:  # perhaps the hall's own file: it cannot be read to tell
            raise BoardProblem(
                500,
                "设备配置文件无法使用：" + "、".join(str(h.path) for h in broken),
                "the devices file cannot be used: "
                + "; ".join(p for h in broken for p in h.problems),
            )
        raise BoardProblem(
            404,
            f"没有大厅 {hall_code} 的设备配置文件（{halls.path}）",
            f"no devices file of {halls.path} names hall {hall_code!r}",
        )
    path, hardware = devices.path, devices.config
    for entry in hardware.board:
        if entry.id == board_id:
            return entry
    raise BoardProblem(
        404,
        f"设备配置文件中没有显示屏 {board_id}",
        f"there is no [[board]] with id {board_id!r} in {path}",
    )


def board_config(
    hub: Hub, request: Request, hall_code: str, *, kind: str, window: int | None = None
) -> dict[str, Any]:
    """What the page's script needs: the hall, the filter, voice, the websocket path."""
    try:
        hall = halls.hall_by_code(hub, hall_code, window=window)
    except DomainError as err:
        raise BoardProblem(404, err.message_zh, err.message_en) from err
    q = request.query_params
    board_id = q.get("board")
    windows: list[int] = []
    queues: list[str] = []
    voice = kind == "hall"
    if board_id:
        entry = board_entry(request.app.state.hardware, hall_code, board_id)
        if entry.kind != kind:
            raise BoardProblem(
                422,
                f"显示屏 {board_id} 不是{'综合屏' if kind == 'hall' else '窗口屏'}",
                f"board {board_id!r} is a {entry.kind} board, not a {kind} board",
            )
        windows, queues = list(entry.windows), list(entry.queues)
        if window is not None and windows and window not in windows:
            raise BoardProblem(
                422,
                f"显示屏 {board_id} 配置为 {'、'.join(map(str, windows))} 号窗口的窗口屏",
                f"board {board_id!r} is the window board of window(s) {windows}, not {window}",
            )
        # A [[board]] may say voice = false: only one board per hall area needs to speak.
        configured = getattr(entry, "voice", None)
        if configured is not None:
            voice = bool(configured)
    if "windows" in q:
        windows = parse_windows(q["windows"])
    if "queues" in q:
        queues = parse_queues(q["queues"])
    if "voice" in q:
        voice = parse_flag(q["voice"], "voice")
    ws_path = f"/ws/halls/{hall.code}" + (f"?board={board_id}" if board_id else "")
    return {
        "kind": kind,
        "board": board_id,
        "hall": {
            "code": hall.code,
            "name": hall.name,
            "name_en": hall.name_en,
            "timezone": hall.timezone,
            "notice": hall.notice,
            "closed": hall.closed_at is not None,
            "closed_reason": hall.closed_reason,
        },
        "window": window,
        "windows": windows,
        "queues": queues,
        "voice": voice,
        "ws": ws_path,
        "voice_url": "/voice/say.wav",
        "clock_url": "/board/clock",
    }


def _problem_page(request: Request, problem: BoardProblem) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        "board_error.html",
        {"zh": problem.zh, "en": problem.en},
        status_code=problem.status,
    )


@router.get("/board/hall/{hall_code}", response_class=HTMLResponse, include_in_schema=False)
def hall_board(request: Request, hall_code: str, hub: HubDep) -> HTMLResponse:
    """综合屏. Query: ``board=HB01`` (devices.toml), or ``windows=1-6&queues=A,B``,
    ``voice=0|1``."""
    try:
        config = board_config(hub, request, hall_code, kind="hall")
    except BoardProblem as problem:
        return _problem_page(request, problem)
    return templates.TemplateResponse(request, "hall.html", {"config": config})


@router.get(
    "/board/window/{hall_code}/{number}", response_class=HTMLResponse, include_in_schema=False
)
def window_board(request: Request, hall_code: str, number: int, hub: HubDep) -> HTMLResponse:
    """窗口屏 of one window."""
    try:
        config = board_config(hub, request, hall_code, kind="window", window=number)
    except BoardProblem as problem:
        return _problem_page(request, problem)
    return templates.TemplateResponse(request, "window.html", {"config": config})


@router.get("/board/clock", response_model=HubClock)
def clock(hub: HubDep, response: Response) -> dict[str, int]:
    """The hub's time in ms: boards in a hall LAN often have no time server of their own."""
    response.headers["Cache-Control"] = "no-store"
    return {"now_ms": int(hub.now().timestamp() * 1000)}


@router.get("/board/static/{name}", include_in_schema=False)
def static(name: str) -> Response:
    return static_file(STATIC, name)
