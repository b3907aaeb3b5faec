"""The links in tickets' QR codes point to where phones reach the hub."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from hubprocess import free_port, wait_until
from testclock import FakeClock

from server.cli import main
from server.public_url import derived_public_url, is_loopback, public_url_warnings

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.8.0.3", True), ("localhost", True), ("::1", True),
     ("[::1]", True), ("192.168.1.20", False), ("hall.local", False), ("0.0.0.0", False)],
)  # fmt: skip
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_derived_from_where_the_hub_listens() -> None:
    assert derived_public_url("127.0.0.1", 8800) == "http://127.0.0.1:8800"
    assert derived_public_url("192.168.1.20", 80) == "http://192.168.1.20:80"
    assert derived_public_url("fe80::1", 8000) == "http://[fe80::1]:8000"
    everywhere = derived_public_url("0.0.0.0", 8000)
    assert everywhere.endswith(":8000") and "0.0.0.0" not in everywhere


def test_check_config_warnings() -> None:
    assert "unset" in public_url_warnings(None, "127.0.0.1")[0]
    [loop] = public_url_warnings("http://127.0.0.1:8000", "0.0.0.0")
    assert loop.startswith("HALL_PUBLIC_URL=http://127.0.0.1:8000 是本机回环地址")
    assert public_url_warnings("http://127.0.0.1:8000", "127.0.0.1") == []
    assert public_url_warnings("http://hall.example.gov.cn", "0.0.0.0") == []


def test_check_config_command_warns(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    devices = str(ROOT / "devices.toml")
    monkeypatch.delenv("HALL_PUBLIC_URL", raising=False)
    assert main(["check-config", "--devices", devices]) == 0
    assert "HALL_PUBLIC_URL is unset" in capsys.readouterr().err
    monkeypatch.setenv("HALL_PUBLIC_URL", "http://127.0.0.1:8000")
    assert main(["check-config", "--devices", devices, "--host", "0.0.0.0"]) == 0
    assert "phones cannot reach it" in capsys.readouterr().err
    monkeypatch.setenv("HALL_PUBLIC_URL", "http://10.1.2.3:8000")
    assert main(["check-config", "--devices", devices, "--host", "0.0.0.0"]) == 0
    assert "warning" not in capsys.readouterr().err


@pytest.mark.slow
def test_the_demo_on_another_port_prints_links_to_that_port(
    tmp_path: Path, clock: FakeClock
) -> None:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}"}
    env.pop("HALL_PUBLIC_URL", None)
    log = (tmp_path / "demo.log").open("wb")
    demo = subprocess.Popen(
        [sys.executable, "-m", "server.cli", "demo", "--port", str(port)],
        cwd=tmp_path,  # no devices.toml there: no printers or buses to start
        env={**env, "HALL_CLOCK": clock.tick().spec},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        http = httpx.Client(base_url=base, timeout=10)

        def up() -> bool:
            try:
                return http.get("/api/v1/halls").status_code == 200
            except httpx.TransportError:
                return False

        wait_until(up, timeout=60)
        printed = (tmp_path / "demo.log").read_text(encoding="utf-8")
        assert f"号票二维码 QR links {base}/t/" in printed
        token = next(
            line.rsplit(" ", 1)[1] for line in printed.splitlines() if "kiosk K01 token:" in line
        )
        r = http.post(
            "/api/v1/halls/demo/tickets",
            json={"queue": "A"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert r.status_code == 201, r.text
        assert r.json()["status_url"].startswith(f"{base}/t/")
        http.close()
    finally:
        demo.terminate()
        demo.wait(20)
        log.close()
