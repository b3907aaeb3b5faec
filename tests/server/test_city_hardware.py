"""A city's hub: a devices file per hall in one directory. Each hall's kiosks print on
that hall's printers (ids need only be unique within a hall), boards find their hall's
file, and each hall's admin sees only the own hall's devices."""

from __future__ import annotations

import dataclasses
import io
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from server.cli import main
from server.demo.load import DemoResult, load_demo
from server.devices import printing_demo
from server.devices.printing import HallsPrinting
from server.hardware import HardwareError, load_halls_hardware, read_halls_hardware
from server.services.hub import Hub
from server.web.app import create_app

sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def hall_file(hall: str, width: int = 58) -> str:
    return f"""hall = "{hall}"

[[printer]]
id = "P01"
driver = "virtual"
paper_width = {width}
mode = "image"

[[kiosk]]
id = "K01"
printer = "P01"

[[board]]
id = "HB01"
kind = "hall"
"""


@pytest.fixture
def city(tmp_path: Path) -> Path:
    folder = tmp_path / "devices"
    folder.mkdir()
    (folder / "demo.toml").write_text(hall_file("demo"), encoding="utf-8")
    (folder / "north.toml").write_text(hall_file("north", 80), encoding="utf-8")
    (folder / "README.txt").write_text("not a devices file", encoding="utf-8")
    return folder


def test_a_directory_holds_a_file_per_hall(city: Path) -> None:
    read = read_halls_hardware(city)
    assert [h.path.name for h in read.halls] == ["demo.toml", "north.toml"]
    north = read.for_hall("north")
    assert north is not None and north.config is not None
    assert north.config.printer[0].paper_width == 80
    assert read.for_hall("south") is None and read.problems == ()
    assert [c.hall for c in load_halls_hardware(city)] == ["demo", "north"]


def test_mistakes_in_a_city_are_named_per_file(city: Path, capsys: Any) -> None:
    (city / "north2.toml").write_text(hall_file("north"), encoding="utf-8")
    (city / "east.toml").write_text('hall = "east"\nkiosk = [\n', encoding="utf-8")
    read = read_halls_hardware(city)
    # The broken file leaves only its own hall without devices; the second file of a
    # hall is not used.
    assert read.for_hall("demo") is not None and read.for_hall("north") is not None
    assert len(read.problems) == 1 and "north2.toml" in read.problems[0]
    assert "已在 north.toml 中配置" in read.problems[0]
    with pytest.raises(HardwareError) as err:
        load_halls_hardware(city)
    assert [p.split(":")[0] for p in err.value.problems] == [
        str(city / "east.toml"),
        str(city / "north2.toml"),
    ]
    assert main(["check-config", "--devices", str(city)]) == 2
    assert "north2.toml" in capsys.readouterr().err
    empty = city / "empty"
    empty.mkdir()
    with pytest.raises(HardwareError, match=r"没有 \.toml 文件"):
        load_halls_hardware(empty)


def test_check_config_lists_every_hall(city: Path, capsys: Any) -> None:
    assert main(["check-config", "--devices", str(city)]) == 0
    out = capsys.readouterr().out
    assert "hall 'demo': 1 printers, 1 kiosks, 1 boards" in out
    assert "hall 'north': 1 printers, 1 kiosks, 1 boards" in out


def _follow(client: TestClient, headers: dict[str, str], job: str) -> dict[str, Any]:
    for _ in range(500):
        body: dict[str, Any] = client.get(f"/api/v1/print-jobs/{job}", headers=headers).json()
        if body["state"] in ("printed", "failed"):
            return body
        time.sleep(0.02)
    raise AssertionError(f"job {job} did not finish")


@sqlite_only
def test_each_halls_kiosk_prints_on_its_own_halls_printer(
    hub: Hub, demo: DemoResult, city: Path
) -> None:
    north = load_demo(hub.db, hall_code="north")
    settings = hub.settings.model_copy(update={"devices_file": city})
    app = create_app(settings, hub=dataclasses.replace(hub, settings=settings))
    with TestClient(app) as client:
        printing: HallsPrinting = app.state.printing
        for hall, tokens in (("demo", demo.device_tokens), ("north", north.device_tokens)):
            headers = {"Authorization": f"Bearer {tokens['K01']}"}
            r = client.post(f"/api/v1/halls/{hall}/tickets", json={"queue": "A"}, headers=headers)
            assert r.status_code == 201, r.text
            assert r.json()["print"]["printer"] == "P01"
            assert _follow(client, headers, r.json()["print"]["job"])["state"] == "printed"
        # One ticket on each hall's P01, each at its hall's paper width.
        for hall, width in (("demo", 384), ("north", 576)):
            supervisor = printing.for_hall(hall)
            assert supervisor is not None
            (printed,) = printing_demo.printed(supervisor, "P01")
            assert Image.open(io.BytesIO(printed.png())).width == width

        assert client.get("/board/hall/north?board=HB01").status_code == 200
        south = load_demo(hub.db, hall_code="south").device_tokens
        r = client.get("/board/hall/south?board=HB01")
        assert r.status_code == 404 and "没有大厅 south 的设备配置文件" in r.text
        # A kiosk of a hall without a devices file still issues: without printing.
        r = client.post(
            "/api/v1/halls/south/tickets",
            json={"queue": "A"},
            headers={"Authorization": f"Bearer {south['K01']}"},
        )
        assert r.status_code == 201 and r.json()["print"] is None


@sqlite_only
def test_each_admin_sees_the_own_halls_printers(hub: Hub, demo: DemoResult, city: Path) -> None:
    load_demo(hub.db, hall_code="north")
    settings = hub.settings.model_copy(update={"devices_file": city})
    app = create_app(settings, hub=dataclasses.replace(hub, settings=settings))
    with TestClient(app) as client:

        def sign_in(staff_no: str, hall: str) -> None:
            client.cookies.clear()
            r = client.post(
                "/admin/printers/login",
                data={"staff_no": staff_no, "password": "admin1234", "hall": hall},
                follow_redirects=False,
            )
            assert r.status_code == 303, r.text

        sign_in("admin", "north")
        page = client.get("/admin/printers")
        assert page.status_code == 200 and "Printers</span> · north" in page.text
        assert client.get("/admin/printers?hall=demo").status_code == 403
        sign_in("sysadmin", "demo")  # the installation's admin: every hall, the first shown
        page = client.get("/admin/printers")
        assert (
            "Printers</span> · demo" in page.text
            and 'href="/admin/printers?hall=north"' in page.text
        )
        page = client.get("/admin/printers?hall=north")
        assert "Printers</span> · north" in page.text
        assert 'action="/admin/printers/check?hall=north"' in page.text
        r = client.post("/admin/printers/check?hall=north", follow_redirects=False)
        assert r.headers["location"] == "/admin/printers?hall=north"
