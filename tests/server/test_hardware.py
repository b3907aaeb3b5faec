"""devices.toml is validated at start; a mistake names the file, the entry and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.cli import main
from server.hardware import HardwareError, load_hardware

ROOT = Path(__file__).resolve().parents[2]


def test_the_shipped_devices_toml_is_valid() -> None:
    hw = load_hardware(ROOT / "devices.toml")
    assert hw.hall == "demo" and {k.id for k in hw.kiosk} == {"K01", "K02"}


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        (
            'hall = "demo"\n[[printer]]\nid = "P01"\ndriver = "network"\nport = 70000\nhost = "10.0.0.1"\n',
            '[[printer]] #1 (id "P01"), field "port"',
        ),
        (
            'hall = "demo"\n[[printer]]\nid = "P01"\ndriver = "laser"\n',
            '[[printer]] #1 (id "P01"), field "driver"',
        ),
        (
            'hall = "demo"\n[[kiosk]]\nid = "K01"\nprinter = "P09"\n',
            'printer "P09" is not a [[printer]]',
        ),
        (
            'hall = "demo"\n[[board]]\nid = "B1"\nkind = "hall"\n[[board]]\nid = "B1"\nkind = "window"\n',
            'id "B1" is used twice',
        ),
        (
            'hall = "demo"\n[[bus]]\nid = "b1"\nport = "/dev/ttyUSB0"\ndevices = [{address = 1, kind = "keypad", window = 1}, '
            '{address = 1, kind = "rating_pad", window = 1}]\n',
            "address 1",
        ),
        (
            'hall = "demo"\n[[bus]]\nid = "a"\nport = "/dev/x"\n[[bus]]\nid = "b"\nport = "/dev/x"\n',
            "port '/dev/x' is given to two buses",
        ),
        ('hall = "demo"\nkiosk = [\n', "not valid TOML"),
        (
            'hall = "demo"\n[[board]]\nid = "B1"\nkind = "hall"\nvoice = "loud"\n',
            '[[board]] #1 (id "B1"), field "voice"',
        ),
        ('[[kiosk]]\nid = "K01"\n', 'field "hall"'),
    ],
)
def test_mistakes_are_named(tmp_path: Path, toml: str, expected: str) -> None:
    path = tmp_path / "devices.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(HardwareError) as err:
        load_hardware(path)
    text = "\n".join(err.value.problems)
    assert expected in text and str(path) in text


def test_a_board_may_be_silent(tmp_path: Path) -> None:
    path = tmp_path / "devices.toml"
    path.write_text(
        'hall = "demo"\n[[board]]\nid = "HB02"\nkind = "hall"\nvoice = false\n'
        '[[board]]\nid = "HB01"\nkind = "hall"\n',
        encoding="utf-8",
    )
    boards = {b.id: b for b in load_hardware(path).board}
    assert boards["HB02"].voice is False and boards["HB01"].voice is None


def test_check_config_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-config", "--devices", str(ROOT / "devices.toml")]) == 0
    assert "OK" in capsys.readouterr().out
    bad = tmp_path / "devices.toml"
    bad.write_text('hall = "demo"\n[[printer]]\nid = "P01"\ndriver = "serial"\n', encoding="utf-8")
    assert main(["check-config", "--devices", str(bad)]) == 2
    assert 'field "device"' in capsys.readouterr().err
