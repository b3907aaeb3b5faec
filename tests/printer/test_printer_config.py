"""Printer entries of devices.toml: what is accepted and how mistakes are reported."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from printer.config import PrinterConfig, check_siblings


def errors(entry: dict[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
    with pytest.raises(ValidationError) as caught:
        PrinterConfig.model_validate(entry)
    return [(e["loc"], e["msg"]) for e in caught.value.errors()]


def test_minimal_network_entry_has_sane_defaults() -> None:
    cfg = PrinterConfig.model_validate({"id": "P01", "driver": "network", "host": "192.0.2.5"})
    assert cfg.port == 9100 and cfg.paper_width == 80 and cfg.columns == 48
    assert cfg.paper_dots == 576 and cfg.mode == "text" and cfg.encoding == "gb18030"
    assert cfg.native_qr and cfg.sibling is None
    assert (cfg.connect_timeout, cfg.write_timeout, cfg.status_timeout) == (2.0, 3.0, 1.0)
    assert cfg.confirm_timeout <= 5.0


def test_58mm_paper() -> None:
    cfg = PrinterConfig(id="P", driver="virtual", paper_width=58)
    assert (cfg.columns, cfg.paper_dots) == (32, 384)


@pytest.mark.parametrize(
    ("entry", "field", "words"),
    [
        ({"driver": "network"}, "host", "driver = 'network'"),
        ({"driver": "network", "host": "h", "port": 0}, "port", "1-65535"),
        ({"driver": "serial"}, "device", "/dev/ttyUSB0"),
        ({"driver": "file"}, "device", "driver = 'file'"),
        ({"driver": "usb", "usb_vendor_id": "0416"}, "usb_product_id", "usb_vendor_id"),
        ({"driver": "usb", "usb_vendor_id": "xyz", "usb_product_id": 1}, "usb_vendor_id", "xyz"),
        ({"driver": "fake", "host": "192.0.2.9"}, "host", "loopback"),
        ({"driver": "virtual", "sibling": "P"}, "sibling", "own sibling"),
        ({"driver": "virtual", "paper_width": 76}, "paper_width", "58"),
        ({"driver": "virtual", "mode": "graphics"}, "mode", "image"),
        ({"driver": "virtual", "encoding": "utf-8"}, "encoding", "gb18030"),
        ({"driver": "virtual", "status_timeout": 0}, "status_timeout", "greater than 0"),
        ({"driver": "virtual", "status_timeout": 120}, "status_timeout", "60"),
        ({"driver": "virtual", "baudrate": 12345}, "baudrate", "9600"),
        ({"driver": "virtual", "colour": "red"}, "colour", "Extra inputs"),
        ({"driver": "laser"}, "driver", "network"),
    ],
)
def test_mistakes_name_the_field(entry: dict[str, Any], field: str, words: str) -> None:
    found = errors({"id": "P", **entry})
    assert len(found) == 1, found
    loc, msg = found[0]
    assert loc == (field,)
    assert words in msg


def test_usb_ids_as_written_on_the_label() -> None:
    cfg = PrinterConfig.model_validate(
        {"id": "U", "driver": "usb", "usb_vendor_id": "0x0416", "usb_product_id": "5011"}
    )
    assert (cfg.usb_vendor_id, cfg.usb_product_id) == (0x0416, 0x5011)
    by_path = PrinterConfig(id="U", driver="usb", device="/dev/usb/lp0")
    assert by_path.usb_vendor_id is None


def test_bad_id() -> None:
    [(loc, _msg)] = errors({"id": "P 1/2", "driver": "virtual"})
    assert loc == ("id",)


def test_config_is_frozen() -> None:
    cfg = PrinterConfig(id="P", driver="virtual")
    with pytest.raises(ValidationError):
        cfg.mode = "image"  # type: ignore[misc]


def test_sibling_references() -> None:
    configs = [
        PrinterConfig(id="A", driver="virtual", sibling="B"),
        PrinterConfig(id="B", driver="virtual", sibling="C"),
        PrinterConfig(id="A", driver="virtual"),
    ]
    problems = check_siblings(configs)
    assert any("'C' is not configured" in p for p in problems)
    assert any("'A': id used twice" in p for p in problems)
    assert check_siblings([*configs[:1], PrinterConfig(id="B", driver="virtual")]) == []
