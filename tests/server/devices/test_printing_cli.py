"""`hall printers`: every printer of devices.toml with its status."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from printer.emulator import PrinterEmulator
from printer.fake import FakePrinterServer
from server.cli import main

CONDITIONS = {
    "P1": {},
    "P2": {"paper_near_end": True},
    "P3": {"paper_out": True},
    "P4": {"cover_open": True},
}


@pytest.fixture
def fakes() -> Iterator[dict[str, FakePrinterServer]]:
    servers = {
        pid: FakePrinterServer(emulator=PrinterEmulator(**c)) for pid, c in CONDITIONS.items()
    }
    for server in servers.values():
        server.start()
    yield servers
    for server in servers.values():
        server.stop()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def devices_file(tmp_path: Path, ports: dict[str, int]) -> Path:
    entries = "".join(
        f'[[printer]]\nid = "{pid}"\ndriver = "network"\nhost = "127.0.0.1"\nport = {port}\n'
        "status_timeout = 0.5\nconnect_timeout = 0.5\n\n"
        for pid, port in ports.items()
    )
    path = tmp_path / "devices.toml"
    path.write_text(f'hall = "demo"\n\n{entries}', encoding="utf-8")
    return path


def test_prints_each_printers_status(
    fakes: dict[str, FakePrinterServer], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ports = {pid: server.port for pid, server in fakes.items()} | {"P5": closed_port()}
    code = main(["printers", "--devices", str(devices_file(tmp_path, ports))])
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    assert code == 1  # some printers cannot print
    assert "正常 online" in lines["P1"]
    assert "纸将用完 paper near end" in lines["P2"]
    assert "缺纸 paper out" in lines["P3"]
    assert "纸仓盖打开 cover open" in lines["P4"]
    assert "无法连接 unreachable" in lines["P5"] and "refused" in lines["P5"].lower()


def test_all_well_exits_zero(
    fakes: dict[str, FakePrinterServer], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = devices_file(tmp_path, {"P1": fakes["P1"].port, "P2": fakes["P2"].port})
    assert main(["printers", "--devices", str(path)]) == 0  # near end still prints
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_a_broken_devices_toml_names_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = devices_file(tmp_path, {"P1": 0})
    assert main(["printers", "--devices", str(path)]) == 2
    assert '[[printer]] #1 (id "P1"), field "port"' in capsys.readouterr().err
