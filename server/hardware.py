"""The halls' hardware, from devices.toml, validated at start with clear errors.

A hall's hardware is one file naming its hall (``hall = "demo"``). One hall's
installation points HALL_DEVICES_FILE at that file (``devices.toml``); a city's points it
at a directory holding a file per hall (``devices/north.toml``, ``devices/south.toml``):
each hall's installer edits the own hall's file, device ids need only be unique within a
hall, and a mistake in one file leaves only that hall without its devices.

The one reader: ``create_app`` reads them once into a :class:`HallsHardware` and hands
each hall's :class:`Hardware` to what needs it (printers, window buses, kiosk and board
pages); ``hall check-config``, ``hall printers`` and ``hall serve`` use
:func:`load_halls_hardware`. A mistake names the file, the entry and the field, e.g.
``devices.toml: [[printer]] #2 (id "P02"), field "port": must be 1-65535``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from printer.config import PrinterConfig
from server.devices.windowbus import BusConfig, check_buses


class HardwareError(Exception):
    """devices.toml cannot be used; ``problems`` lists every mistake found."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__("\n".join(problems))


class KioskConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$", description="device code in the hub"
    )
    printer: str | None = Field(default=None, description="its dispenser's printer id")
    sibling_printer: str | None = Field(default=None, description="printer to fail over to")
    orientation: Literal["portrait", "landscape"] = "portrait"


class BoardConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
    kind: Literal["hall", "window"]
    windows: list[int] = Field(default_factory=list, description="windows shown; empty = all")
    queues: list[str] = Field(default_factory=list, description="queues shown; empty = all")
    voice: bool | None = Field(
        default=None, description="announce calls; unset: hall boards speak, window boards don't"
    )


class WindowConfig(BaseModel):
    """A window's own printer: its 受理回执 and 一次性告知书 print there."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    number: int = Field(ge=1, le=999, description="the window's number")
    printer: str = Field(description="its printer's id")
    sibling_printer: str | None = Field(default=None, description="printer to fail over to")


class HardwareConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    hall: str = Field(description="code of the hall this hardware belongs to")
    printer: list[PrinterConfig] = Field(default_factory=list)
    kiosk: list[KioskConfig] = Field(default_factory=list)
    board: list[BoardConfig] = Field(default_factory=list)
    bus: list[BusConfig] = Field(default_factory=list)
    window: list[WindowConfig] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references(self) -> HardwareConfig:
        printers = {p.id for p in self.printer}
        for section, ids in (
            ("printer", [p.id for p in self.printer]),
            ("kiosk", [k.id for k in self.kiosk]),
            ("board", [b.id for b in self.board]),
            ("bus", [b.id for b in self.bus]),
        ):
            seen: set[str] = set()
            for i in ids:
                if i in seen:
                    raise ValueError(f'[[{section}]] id "{i}" is used twice')
                seen.add(i)
        for p in self.printer:
            if p.sibling and p.sibling not in printers:
                raise ValueError(
                    f'[[printer]] id "{p.id}": sibling "{p.sibling}" is not a [[printer]]'
                )
        check_buses(list(self.bus))
        numbers: set[int] = set()
        for w in self.window:
            if w.number in numbers:
                raise ValueError(f"[[window]] number {w.number} is used twice")
            numbers.add(w.number)
            for field in ("printer", "sibling_printer"):
                ref = getattr(w, field)
                if ref and ref not in printers:
                    raise ValueError(
                        f'[[window]] number {w.number}: {field} "{ref}" is not a [[printer]]'
                    )
        for k in self.kiosk:
            for field in ("printer", "sibling_printer"):
                ref = getattr(k, field)
                if ref and ref not in printers:
                    raise ValueError(f'[[kiosk]] id "{k.id}": {field} "{ref}" is not a [[printer]]')
        return self


def _where(data: dict[str, Any], loc: tuple[int | str, ...]) -> str:
    if len(loc) >= 2 and isinstance(loc[0], str) and isinstance(loc[1], int):
        section, index = loc[0], loc[1]
        entries = data.get(section)
        ident = ""
        if isinstance(entries, list) and index < len(entries) and isinstance(entries[index], dict):
            ident = f' (id "{entries[index].get("id", "?")}")'
        field = ".".join(str(p) for p in loc[2:])
        return f"[[{section}]] #{index + 1}{ident}" + (f', field "{field}"' if field else "")
    return ", ".join(f'field "{p}"' for p in loc[:1]) + (
        "." + ".".join(str(p) for p in loc[1:]) if len(loc) > 1 else ""
    )


def load_hardware(path: Path) -> HardwareConfig:
    """The configuration in ``path``; raises HardwareError naming every mistake."""
    try:
        with path.open("rb") as f:
            text = f.read().decode("utf-8")
    except FileNotFoundError as err:
        raise HardwareError(path, [f"{path}: 找不到文件 / file not found"]) from err
    except UnicodeDecodeError as err:
        raise HardwareError(path, [f"{path}: TOML 格式错误 / not valid TOML: {err}"]) from err
    return parse_hardware(text, path)


def parse_hardware(text: str, path: Path = Path("devices.toml")) -> HardwareConfig:
    """The configuration in ``text`` (the contents of ``path``, named in the errors)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise HardwareError(path, [f"{path}: TOML 格式错误 / not valid TOML: {err}"]) from err
    try:
        return HardwareConfig.model_validate(data)
    except ValidationError as err:
        problems = []
        for e in err.errors():
            where = _where(data, tuple(e["loc"])) if e["loc"] else "top level"
            problems.append(f"{path}: {where}: {e['msg']}")
        raise HardwareError(path, problems) from err


@dataclass(frozen=True)
class Hardware:
    """What the hub runs with: the configuration, or why it has none. A hub whose
    devices.toml is missing or broken still serves the queue, without its devices."""

    path: Path
    config: HardwareConfig | None
    problems: tuple[str, ...] = ()
    found: bool = True  # False: there is no devices.toml at ``path``

    @classmethod
    def of(cls, config: HardwareConfig, path: Path = Path("devices.toml")) -> Hardware:
        return cls(path, config)

    @classmethod
    def from_toml(cls, text: str, path: Path = Path("devices.toml")) -> Hardware:
        """For tests: a hub's hardware from a devices.toml written inline."""
        return cls(path, parse_hardware(text, path))


def read_hardware(path: Path) -> Hardware:
    """The hub's hardware from ``path``; never raises (see :class:`Hardware`)."""
    if not path.exists():
        return Hardware(path, None, (f"{path}: 找不到文件 / file not found",), found=False)
    try:
        return Hardware(path, load_hardware(path))
    except HardwareError as err:
        return Hardware(path, None, tuple(err.problems))


def hardware_files(path: Path) -> list[Path]:
    """The files of ``path``: itself, or a directory's ``*.toml`` by name."""
    if path.is_dir():
        return sorted(p for p in path.glob("*.toml") if p.is_file())
    return [path]


@dataclass(frozen=True)
class HallsHardware:
    """Every hall's hardware this hub drives, a :class:`Hardware` per file. ``problems``:
    what belongs to no hall (an empty directory, a hall named by two files)."""

    path: Path
    halls: tuple[Hardware, ...]
    problems: tuple[str, ...] = ()

    @classmethod
    def one(cls, hardware: Hardware) -> HallsHardware:
        return cls(hardware.path, (hardware,))

    def for_hall(self, hall_code: str) -> Hardware | None:
        """The hall's hardware, if a file names this hall and could be read."""
        return next(
            (h for h in self.halls if h.config is not None and h.config.hall == hall_code), None
        )

    @property
    def configs(self) -> list[HardwareConfig]:
        return [h.config for h in self.halls if h.config is not None]


def read_halls_hardware(path: Path) -> HallsHardware:
    """Every hall's hardware from ``path`` (a file, or a directory of them); never raises.
    A second file naming a hall already named is not used: the hall keeps the first."""
    if not path.exists():
        return HallsHardware(path, (read_hardware(path),))
    files = hardware_files(path)
    if not files:
        return HallsHardware(
            path, (), (f"{path}: 目录中没有 .toml 文件 / no .toml file in the directory",)
        )
    halls: list[Hardware] = []
    problems: list[str] = []
    owner: dict[str, Path] = {}
    for file in files:
        hardware = read_hardware(file)
        hall = hardware.config.hall if hardware.config is not None else None
        if hall is not None and hall in owner:
            problems.append(
                f"{file}: 大厅 {hall} 的设备已在 {owner[hall].name} 中配置 / "
                f"hall {hall!r} already has its hardware in {owner[hall].name}"
            )
            continue
        if hall is not None:
            owner[hall] = file
        halls.append(hardware)
    return HallsHardware(path, tuple(halls), tuple(problems))


def load_halls_hardware(path: Path) -> list[HardwareConfig]:
    """Every hall's configuration in ``path``; raises HardwareError naming every mistake
    of every file (for ``hall check-config`` and ``hall serve``, which refuse to start)."""
    try:
        read = read_halls_hardware(path)
    except OSError as err:
        raise HardwareError(path, [f"{path}: {err}"]) from err
    problems = [p for h in read.halls for p in h.problems] + list(read.problems)
    if problems:
        raise HardwareError(path, problems)
    return read.configs
