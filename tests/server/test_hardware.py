"""devices.toml is validated at start; a mistake names the file, the entry and the field."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from server.cli import main
from server.demo.load import DemoResult
from server.hardware import Hardware, HardwareError, load_hardware, read_hardware
from server.services.hub import Hub
from server.web.app import create_app

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


def test_the_hub_runs_with_what_it_finds(tmp_path: Path) -> None:
    missing = read_hardware(tmp_path / "none.toml")
    assert not missing.found and missing.config is None
    assert missing.problems == (f"{tmp_path / 'none.toml'}: 找不到文件 / file not found",)
    broken = tmp_path / "devices.toml"
    broken.write_text('hall = "demo"\n[[kiosk]]\nid = "K01"\nprinter = "P09"\n', encoding="utf-8")
    hardware = read_hardware(broken)
    assert hardware.found and hardware.config is None
    assert any('printer "P09" is not a [[printer]]' in p for p in hardware.problems)
    good = read_hardware(ROOT / "devices.toml")
    assert good.config is not None and good.config.hall == "demo" and good.problems == ()


INLINE = """
hall = "demo"

[[kiosk]]
id = "K02"
orientation = "portrait"

[[board]]
id = "HB09"
kind = "hall"
windows = [1]
"""


def kiosk_orientation(client: TestClient, device: str) -> str:
    r = client.get(f"/kiosk/demo?device={device}")
    assert r.status_code == 200, r.text
    found = re.search(r'<script id="kiosk-config" type="application/json">(.*?)</script>', r.text)
    assert found is not None
    orientation: str = json.loads(found.group(1))["orientation"]
    return orientation


def test_the_app_runs_with_the_hardware_it_is_given(hub: Hub, demo: DemoResult) -> None:
    """Not the settings' devices.toml (where K02 is landscape and there is no HB09)."""
    with TestClient(create_app(hub.settings, Hardware.from_toml(INLINE), hub=hub)) as client:
        assert kiosk_orientation(client, "K02") == "portrait"
        assert client.get("/board/hall/demo?board=HB09").status_code == 200
        assert client.get("/board/hall/demo?board=HB01").status_code == 404


def test_devices_toml_is_read_once_when_the_app_is_made(
    hub: Hub, demo: DemoResult, tmp_path: Path
) -> None:
    path = tmp_path / "devices.toml"
    path.write_text(INLINE, encoding="utf-8")
    settings = hub.settings.model_copy(update={"devices_file": path})
    app = create_app(settings, hub=dataclasses.replace(hub, settings=settings))
    path.write_text("kiosk = [\n", encoding="utf-8")  # broken afterwards: not read again
    with TestClient(app) as client:
        assert kiosk_orientation(client, "K02") == "portrait"
        assert client.get("/board/hall/demo?board=HB09").status_code == 200
        assert app.state.printing.problem is None


def test_a_broken_devices_toml_is_named_by_the_boards(
    hub: Hub, demo: DemoResult, tmp_path: Path
) -> None:
    path = tmp_path / "devices.toml"
    path.write_text("kiosk = [\n", encoding="utf-8")
    with TestClient(create_app(hub.settings, read_hardware(path), hub=hub)) as client:
        r = client.get("/board/hall/demo?board=HB09")
        assert r.status_code == 500
        assert f"设备配置文件无法使用：{path}" in r.text and "not valid TOML" in r.text
        assert kiosk_orientation(client, "K02") == "auto"
        assert client.app.state.printing.problem.startswith(f"{path}: TOML 格式错误")  # type: ignore[attr-defined]
