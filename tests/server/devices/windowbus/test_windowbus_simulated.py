"""A simulated bus (``simulated = true``): the hub plays the devices on a pseudo-terminal
and drives the bus through it like a real one; the admin page shows the devices and
presses their keys, and supervisors read every bus's figures. On SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hallclient import admin_session, bearer, hub_settings
from hubprocess import wait_until
from sqlmodel import select

from server.demo.load import DemoResult, load_demo
from server.hardware import Hardware, HardwareError, load_hardware
from server.services.hub import Hub
from server.store import tables as t
from server.web.app import create_app

API = "/api/v1/halls/demo"
PAGE = "/admin/window-devices"
TOML = """hall = "demo"

[[bus]]
id = "sim1"
simulated = true
devices = [
  { address = 1, kind = "keypad", window = 4 },
  { address = 2, kind = "rating_pad", window = 4 },
]
"""


@pytest.fixture
def app(db_url: str, tmp_path: Path, clock: Any) -> Iterator[tuple[TestClient, Hub, DemoResult]]:
    settings = hub_settings(db_url, tmp_path)
    hub = Hub.create(settings, clock=clock)
    demo = load_demo(hub.db)
    with TestClient(create_app(settings, Hardware.from_toml(TOML), hub=hub)) as client:
        yield client, hub, demo
    hub.db.dispose()


def devices_of(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    r = client.get(f"{API}/window-devices", headers=headers)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def simulated(client: TestClient, headers: dict[str, str], kind: str) -> dict[str, Any]:
    [device] = [d for d in devices_of(client, headers)["simulated"] if d["kind"] == kind]
    return device


def error_of(r: Any) -> tuple[int, str]:
    """(status, code) of an error answer, which also speaks Chinese first, then English."""
    error = r.json()["error"]
    assert error["message_zh"] and error["message_en"], error
    return r.status_code, error["code"]


def press(client: TestClient, address: int, key: str) -> Any:
    return client.post(f"{PAGE}/sim1/{address}/press", data={"key": key}, follow_redirects=False)


def test_simulated_devices_work_the_window_from_the_admin_page(
    app: tuple[TestClient, Hub, DemoResult],
) -> None:
    client, hub, demo = app
    supervisor = bearer(client, "S001")
    # The bus runs on the hub's own pty and both devices said HELLO.
    body = wait_until(
        lambda: (
            (b := devices_of(client, supervisor))["owner"]
            and b["buses"][0]["online"]
            and all(d["last_seen"] for d in b["buses"][0]["devices"])
            and b
        )
    )
    [bus] = body["buses"]
    assert bus["port"].startswith("/dev/") and bus["line"]["frames_ok"] >= 2
    assert bus["line"]["drop_ratio"] == 0.0
    assert {(d["address"], d["kind"], d["window"]) for d in bus["devices"]} == {
        (1, "keypad", 4),
        (2, "rating_pad", 4),
    }

    admin_session(client, PAGE)
    # Nobody signed in at window 4: the keypad beeps and nothing happens. (A recall: the
    # same key again within 1.5 s would be taken for a retransmission of this one.)
    beeps = simulated(client, supervisor, "keypad")["beeps"]
    assert press(client, 1, "r").status_code == 303
    wait_until(lambda: simulated(client, supervisor, "keypad")["beeps"] == beeps + 1)

    kiosk = {"Authorization": f"Bearer {demo.device_tokens['K01']}"}
    r = client.post(f"{API}/tickets", json={"item": "B03"}, headers=kiosk)
    assert r.status_code == 201, r.text
    clerk = bearer(client, "C004", 4)
    admin_session(client, PAGE)
    wait_until(lambda: simulated(client, supervisor, "keypad")["waiting"] == "001")

    # 呼叫 on the simulated keypad calls the ticket; its display shows it.
    assert press(client, 1, "n").status_code == 303
    current = client.get(f"{API}/windows/4", headers=clerk).json()["current"]
    assert current["code"] == "B001" and current["status"] == "called"
    wait_until(lambda: simulated(client, supervisor, "keypad")["ticket"] == "001")

    # 评价 lights the pad with the ticket's digits; its rating is stored for B001.
    assert press(client, 1, "e").status_code == 303
    pad = wait_until(lambda: (p := simulated(client, supervisor, "rating_pad"))["rating_lit"] and p)
    assert pad["rating_ticket"] == "001"
    assert press(client, 2, "5").status_code == 303
    wait_until(lambda: not simulated(client, supervisor, "rating_pad")["rating_lit"])
    with hub.db.read() as s:
        [rating] = s.exec(select(t.Rating)).all()
        ticket = s.get(t.Ticket, rating.ticket_id)
    assert ticket is not None and ticket.code == "B001"
    assert (rating.level, rating.accepted, rating.device) == (5, True, "sim1#2")

    # The page shows it all.
    page = client.get(PAGE)
    assert page.status_code == 200 and page.headers["refresh"] == "3"
    assert 'data-online="true"' in page.text and "线路质量" in page.text
    assert 'data-window="4" data-kind="keypad"' in page.text


def test_bad_presses_and_who_may_look(app: tuple[TestClient, Hub, DemoResult]) -> None:
    client, _, _ = app
    supervisor = bearer(client, "S001")
    wait_until(lambda: devices_of(client, supervisor)["owner"])

    # Not signed in: the page asks for an admin, and a press is refused.
    assert "管理员" in client.get(PAGE).text
    assert error_of(press(client, 1, "n")) == (401, "AUTH_REQUIRED")
    clerk = bearer(client, "C001", 1)
    assert error_of(client.get(f"{API}/window-devices", headers=clerk)) == (403, "FORBIDDEN")

    admin_session(client, PAGE)
    for address, key, code in [
        (1, "z", "DEVICE_KEY_INVALID"),  # no such key
        (1, "5", "DEVICE_KEY_INVALID"),  # a rating on the keypad
        (2, "n", "DEVICE_KEY_INVALID"),  # a keypad key on the pad
        (2, "5/3", "DEVICE_KEY_INVALID"),  # a reason with a satisfied level
        (9, "n", "DEVICE_NOT_SIMULATED"),
    ]:
        status = 422 if code == "DEVICE_KEY_INVALID" else 404
        assert error_of(press(client, address, key)) == (status, code), (address, key)
    other = client.post(f"{PAGE}/other/1/press", data={"key": "n"})
    assert error_of(other) == (404, "DEVICE_NOT_SIMULATED")

    # The sign-in goes back only to admin pages.
    r = client.post(
        "/admin/printers/login",
        data={"staff_no": "admin", "password": "admin1234", "next": "https://elsewhere.test/"},
        follow_redirects=False,
    )
    assert r.headers["location"] == "/admin/printers"


@pytest.mark.parametrize(
    ("bus", "message"),
    [
        ('id = "b1"\nsimulated = true\nport = "/dev/ttyUSB0"', "a simulated bus has no port"),
        ('id = "b1"', "port is required"),
    ],
)
def test_a_bus_is_simulated_or_has_a_port(tmp_path: Path, bus: str, message: str) -> None:
    toml = tmp_path / "devices.toml"
    toml.write_text(
        f'hall = "demo"\n[[bus]]\n{bus}\ndevices = [{{ address = 1, kind = "keypad", window = 1 }}]\n',
        encoding="utf-8",
    )
    with pytest.raises(HardwareError) as caught:
        load_hardware(toml)
    text = "\n".join(caught.value.problems)
    assert message in text and "[[bus]] #1" in text, text


def test_the_demo_devices_file_has_a_simulated_bus() -> None:
    hardware = load_hardware(Path(__file__).parents[4] / "devices.toml")
    [bus] = hardware.bus
    assert bus.simulated and not bus.port
    assert {d.window for d in bus.devices} == {1, 2, 3}
