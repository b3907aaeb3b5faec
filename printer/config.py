"""Configuration of one printer: an entry of the hall's ``devices.toml``.

Example entries::

    [[printers]]
    id = "kiosk-1"
    driver = "network"
    host = "192.0.2.31"
    paper_width = 80
    sibling = "kiosk-2"

    [[printers]]
    id = "kiosk-2"
    driver = "serial"
    device = "/dev/ttyUSB0"
    baudrate = 115200
    paper_width = 58
    mode = "image"
    native_qr = false

Cross-field checks are attached to the field that is wrong (``host``,
``device``...), so a loader can report file, entry and field.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator

Driver = Literal["network", "serial", "usb", "file", "fake", "virtual"]
Mode = Literal["text", "image"]
Encoding = Literal["gb18030", "gbk", "gb2312", "big5"]
FlowControl = Literal["none", "rtscts", "dsrdtr"]

# Dots per line and characters per line at font A (12 x 24 dots) for each paper.
PAPER_DOTS = {58: 384, 80: 576}
PAPER_COLUMNS = {58: 32, 80: 48}


def _usb_id(value: object) -> object:
    """Accept USB ids as written on the label: 0x0416, "0416" or 1046."""
    if isinstance(value, str):
        text = value.strip().lower().removeprefix("0x")
        try:
            return int(text, 16)
        except ValueError:
            raise ValueError(f"not a hexadecimal USB id: {value!r}") from None
    return value


UsbId = Annotated[int, BeforeValidator(_usb_id), Field(ge=0, le=0xFFFF)]
Seconds = Annotated[float, Field(gt=0, le=60)]


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class PrinterConfig(BaseModel):
    """One ticket printer. Field names are the keys of a ``devices.toml`` entry."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
    driver: Driver
    # network (and fake: where the fake printer listens; port 0 picks a free one)
    host: str | None = Field(default=None, validate_default=True)
    port: int = Field(default=9100, ge=0, le=65535)
    # serial: the tty; usb: optional /dev/usb/lpN override; file: the output path
    device: str | None = Field(default=None, validate_default=True)
    baudrate: Literal[9600, 19200, 38400, 57600, 115200] = 9600
    flow_control: FlowControl = "none"
    usb_vendor_id: UsbId | None = None
    usb_product_id: UsbId | None = Field(default=None, validate_default=True)
    # virtual: where rendered PNGs are written (kept in memory as well)
    output_dir: Path | None = None

    paper_width: Literal[58, 80] = 80
    mode: Mode = "text"
    encoding: Encoding = "gb18030"
    native_qr: bool = True
    font_path: Path | None = None

    connect_timeout: Seconds = 2.0
    write_timeout: Seconds = 3.0
    status_timeout: Seconds = 1.0
    # Time for the printer to print and cut the whole ticket and answer GS r.
    confirm_timeout: Seconds = 3.0

    sibling: str | None = None

    @property
    def paper_dots(self) -> int:
        return PAPER_DOTS[self.paper_width]

    @property
    def columns(self) -> int:
        return PAPER_COLUMNS[self.paper_width]

    @field_validator("host", mode="after")
    @classmethod
    def _host_for_network(cls, value: str | None, info: ValidationInfo) -> str | None:
        driver = info.data.get("driver")
        if driver == "network" and not value:
            raise ValueError("required when driver = 'network' (the printer's IP address or name)")
        if driver == "fake" and value is not None and not _is_loopback(value):
            raise ValueError("the fake printer listens on the loopback only (e.g. '127.0.0.1')")
        return value

    @field_validator("port", mode="after")
    @classmethod
    def _port_nonzero(cls, value: int, info: ValidationInfo) -> int:
        if value == 0 and info.data.get("driver") == "network":
            raise ValueError("must be 1-65535 for driver = 'network' (usually 9100)")
        return value

    @field_validator("device", mode="after")
    @classmethod
    def _device_for_driver(cls, value: str | None, info: ValidationInfo) -> str | None:
        driver = info.data.get("driver")
        if driver == "serial" and not value:
            raise ValueError("required when driver = 'serial' (e.g. '/dev/ttyUSB0')")
        if driver == "file" and not value:
            raise ValueError("required when driver = 'file' (a path to write ESC/POS to)")
        return value

    @field_validator("usb_product_id", mode="after")
    @classmethod
    def _usb_ids(cls, value: int | None, info: ValidationInfo) -> int | None:
        if info.data.get("driver") != "usb" or info.data.get("device"):
            return value
        if "usb_vendor_id" not in info.data:
            return value  # the vendor id itself was invalid and is reported as such
        if value is None or info.data.get("usb_vendor_id") is None:
            raise ValueError(
                "driver = 'usb' needs usb_vendor_id and usb_product_id (or device = '/dev/usb/lp0')"
            )
        return value

    @field_validator("sibling", mode="after")
    @classmethod
    def _sibling_not_self(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and value == info.data.get("id"):
            raise ValueError("a printer cannot be its own sibling")
        return value


def check_siblings(configs: list[PrinterConfig]) -> list[str]:
    """Problems with sibling references across a hall's printers (empty when fine)."""
    ids = {c.id for c in configs}
    problems = []
    seen: set[str] = set()
    for config in configs:
        if config.id in seen:
            problems.append(f"printer {config.id!r}: id used twice")
        seen.add(config.id)
        if config.sibling is not None and config.sibling not in ids:
            problems.append(f"printer {config.id!r}: sibling {config.sibling!r} is not configured")
    return problems
