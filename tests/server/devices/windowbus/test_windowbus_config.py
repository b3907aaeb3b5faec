"""devices.toml bus entries, as the library validates them (the hub reads the file)."""

from __future__ import annotations

import tomllib

import pytest
from pydantic import ValidationError

from server.devices.windowbus import BusConfig, DeviceKind, check_buses


def buses_of(toml: str) -> list[BusConfig]:
    """The [[bus]] tables of a devices.toml, validated one by one and across buses."""
    buses = [BusConfig.model_validate(entry) for entry in tomllib.loads(toml).get("bus", [])]
    check_buses(buses)
    return buses


GOOD = """
[[bus]]
id = "hall-1f"
port = "/dev/ttyUSB0"
devices = [
  { address = 1, kind = "keypad", window = 1 },
  { address = 2, kind = "rating_pad", window = 1 },
  { address = 3, kind = "keypad", window = 2 },
]

[[bus]]
id = "hall-2f"
port = "socket://10.0.0.31:4001"
baudrate = 19200
devices = [{ address = 1, kind = "keypad", window = 3 }]

[printer]   # someone else's table, left alone
model = "x"
"""


def test_load() -> None:
    first, second = buses_of(GOOD)
    assert first.baudrate == 9600 and second.baudrate == 19200
    assert first.device(2) is not None and first.device(2).device_kind is DeviceKind.RATING_PAD  # type: ignore[union-attr]
    assert second.port == "socket://10.0.0.31:4001"


def bus(**changes: object) -> dict[str, object]:
    entry: dict[str, object] = {
        "id": "b",
        "port": "/dev/ttyUSB0",
        "devices": [{"address": 1, "kind": "keypad", "window": 1}],
    }
    entry.update(changes)
    return entry


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            bus(
                devices=[
                    {"address": 5, "kind": "keypad", "window": 1},
                    {"address": 5, "kind": "rating_pad", "window": 2},
                ]
            ),
            "address 5 is given to both window 1 keypad (address 5) and window 2 rating_pad",
        ),
        (
            bus(
                devices=[
                    {"address": 5, "kind": "keypad", "window": 1},
                    {"address": 6, "kind": "keypad", "window": 1},
                ]
            ),
            "window 1 has two keypad devices",
        ),
        (
            bus(devices=[{"address": 248, "kind": "keypad", "window": 1}]),
            "less than or equal to 247",
        ),
        (
            bus(devices=[{"address": 0, "kind": "keypad", "window": 1}]),
            "greater than or equal to 1",
        ),
        (bus(devices=[{"address": 1, "kind": "printer", "window": 1}]), "'keypad' or 'rating_pad'"),
        (bus(port="tcp://1.2.3.4:5"), "only socket://host:port"),
        (bus(port="socket://1.2.3.4"), "expected socket://host:port"),
        (bus(baudrate=9601), "baudrate 9601"),
        (bus(id="has space"), "should match pattern"),
        (bus(colour="red"), "Extra inputs are not permitted"),
    ],
)
def test_errors_are_clear(entry: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError) as error:
        BusConfig.model_validate(entry)
    assert message in str(error.value)


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            '[[bus]]\nid="a"\nport="/dev/x"\n[[bus]]\nid="a"\nport="/dev/y"\n',
            "bus id 'a' is used twice",
        ),
        ('[[bus]]\nid="a"\nport="/dev/x"\n[[bus]]\nid="b"\nport="/dev/x"\n', "given to two buses"),
        (
            '[[bus]]\nid="a"\nport="/dev/x"\ndevices=[{address=1,kind="keypad",window=4}]\n'
            '[[bus]]\nid="b"\nport="/dev/y"\ndevices=[{address=1,kind="keypad",window=4}]\n',
            "window 4 has a keypad on bus 'a' and another on bus 'b'",
        ),
    ],
)
def test_cross_bus_errors(toml: str, message: str) -> None:
    with pytest.raises(ValueError) as error:
        buses_of(toml)
    assert message in str(error.value)
