"""The printing API: the issue response's print job, GET /api/v1/print-jobs/{job}, the
one-time notice, device alerts for supervisors, and the admin printers page.

What the database keeps (jobs, alerts) is tested on SQLite and PostgreSQL; permissions
and pages, which do not depend on it, on SQLite only.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlmodel import Session

from server.demo.load import DemoResult, load_demo
from server.devices.printing import PrintingSupervisor
from server.devices.printing_text import alert_text
from server.services import device_alerts
from server.services.accounts import DeviceKind, create_device
from server.services.hub import Hub
from server.store import halls as hall_store

ISSUE = "/api/v1/halls/demo/tickets"
CONTRACT = {"job", "state", "printer", "reprint", "message_zh", "message_en", "code"}

sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def follow(client: TestClient, headers: dict[str, str], job: str) -> dict[str, Any]:
    for _ in range(500):
        r = client.get(f"/api/v1/print-jobs/{job}", headers=headers)
        assert r.status_code == 200, r.text
        body: dict[str, Any] = r.json()
        if body["state"] in ("printed", "failed"):
            return body
        time.sleep(0.02)
    raise AssertionError(f"job {job} did not finish")


def supervisor_of(client: TestClient) -> PrintingSupervisor:
    supervisor: PrintingSupervisor = client.app.state.printing.for_hall("demo")  # type: ignore[attr-defined]
    return supervisor


def hall_id(hub: Hub, code: str = "demo") -> int:
    with hub.db.read() as s:
        hid = hall_store.hall_by_code(s, code).id
    assert hid is not None
    return hid


# -- issuing and following a job (database: both) --------------------------------------


def test_issue_returns_the_print_job_and_the_kiosk_follows_it(
    client: TestClient, kiosk: dict[str, str], demo: DemoResult, sql: Callable[..., list[Any]]
) -> None:
    r = client.post(ISSUE, json={"item": "B03"}, headers=kiosk)
    assert r.status_code == 201
    ticket = r.json()
    assert ticket["print"]["state"] == "queued" and ticket["print"]["printer"] == "P01"
    final = follow(client, kiosk, ticket["print"]["job"])
    assert set(final) == CONTRACT
    assert (final["state"], final["printer"], final["reprint"]) == ("printed", "P01", False)
    assert (final["code"], final["message_zh"]) == ("PRINTED", "请取走您的号票")
    # K02 prints on its own printer, the virtual P02.
    k02 = {"Authorization": f"Bearer {demo.device_tokens['K02']}"}
    other = client.post(ISSUE, json={"queue": "A"}, headers=k02).json()
    assert other["print"]["printer"] == "P02"
    assert follow(client, k02, other["print"]["job"])["printer"] == "P02"
    rows = sql(
        "SELECT t.code, j.kind, j.state, j.device_code FROM printjob j JOIN ticket t ON t.id = j.ticket_id ORDER BY t.code"
    )
    assert [tuple(r) for r in rows] == [
        ("A001", "ticket", "printed", "K02"),
        ("B001", "ticket", "printed", "K01"),
    ]


def test_a_kiosk_without_a_printer_gets_print_null(
    client: TestClient, hub: Hub, sql: Callable[..., list[Any]]
) -> None:
    def work(s: Session) -> str:
        return create_device(s, hall_id=hall_id(hub), code="K09", kind=DeviceKind.KIOSK)[1]

    token = hub.db.write(work)  # K09 is not in devices.toml
    r = client.post(ISSUE, json={"queue": "A"}, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 201 and r.json()["print"] is None and r.json()["code"] == "A001"
    assert sql("SELECT count(*) FROM printjob")[0][0] == 0


def test_a_replayed_request_prints_nothing_new(
    client: TestClient, kiosk: dict[str, str], sql: Callable[..., list[Any]]
) -> None:
    headers = {**kiosk, "Idempotency-Key": "tap-000001"}
    first = client.post(ISSUE, json={"queue": "A"}, headers=headers)
    follow(client, kiosk, first.json()["print"]["job"])
    again = client.post(ISSUE, json={"queue": "A"}, headers=headers)
    assert again.status_code == 200 and again.json()["code"] == first.json()["code"]
    assert again.json()["print"] == {
        "job": first.json()["print"]["job"],
        "state": "printed",
        "printer": "P01",
    }
    assert sql("SELECT count(*) FROM printjob")[0][0] == 1
    server = supervisor_of(client).printers["P01"].printer.fake_server
    assert server is not None and len(server.jobs) == 1


def test_the_one_time_notice_prints_the_items_materials(
    client: TestClient, kiosk: dict[str, str]
) -> None:
    r = client.post("/api/v1/halls/demo/items/A01/notice", headers=kiosk)
    assert r.status_code == 200, r.text
    placed = r.json()["print"]
    assert r.json()["item"] == "A01" and placed["state"] == "queued" and placed["printer"] == "P01"
    final = follow(client, kiosk, placed["job"])
    assert (final["state"], final["code"], final["message_zh"]) == (
        "printed",
        "PRINTED",
        "请取走告知单",
    )
    server = supervisor_of(client).printers["P01"].printer.fake_server
    assert server is not None
    text = server.jobs[-1].decode("gb18030", errors="replace")
    for needle in ("一次性告知单", "有限责任公司设立登记", "公司章程", "原件1份", "咨询电话"):
        assert needle in text, needle


# -- device alerts (database: both) -------------------------------------------------------


def test_supervisors_list_and_acknowledge_device_alerts(
    client: TestClient, hub: Hub, login: Callable[..., dict[str, str]]
) -> None:
    # P09 is not one of this hub's printers: nothing but this test raises or clears it.
    hid = hall_id(hub)

    def alert(kind: str, momentary: bool = False) -> dict[str, Any]:
        return device_alerts.raise_alert(
            hub,
            hall_id=hid,
            device="P09",
            kind=kind,
            text=alert_text(kind, "P09", "K09", "P02"),
            momentary=momentary,
        )

    paper = alert("paper_out")
    assert alert("paper_out")["id"] == paper["id"]  # still the same condition
    failover = alert("failed_over", momentary=True)
    assert alert("failed_over", momentary=True)["count"] == 2
    url = "/api/v1/halls/demo/device-alerts"
    supervisor = login("S001")
    listed = client.get(url, headers=supervisor).json()
    assert [(a["kind"], a["count"], a["active"]) for a in listed] == [
        ("failed_over", 2, False),
        ("paper_out", 2, True),
    ]
    assert listed[1]["message_zh"] == "取号机 K09 的打印机 P09 缺纸，请立即换纸"
    assert listed[1]["level"] == "error"
    # Acknowledged: a condition stays listed while it lasts, a past event goes.
    for a in (paper, failover):
        r = client.post(f"{url}/{a['id']}/ack", headers=supervisor)
        assert r.status_code == 200 and r.json()["acked"]
    assert [a["kind"] for a in client.get(url, headers=supervisor).json()] == ["paper_out"]
    device_alerts.clear_alert(hub, hall_id=hid, device="P09", kind="paper_out")
    assert client.get(url, headers=supervisor).json() == []
    # A new occurrence after it cleared is a new alert.
    assert alert("paper_out")["id"] != paper["id"]


@sqlite_only
def test_device_alerts_are_for_supervisors_of_the_hall(
    client: TestClient, hub: Hub, kiosk: dict[str, str], login: Callable[..., dict[str, str]]
) -> None:
    url = "/api/v1/halls/demo/device-alerts"
    assert client.get(url).status_code == 401
    assert client.get(url, headers=kiosk).json()["error"]["code"] == "AUTH_INVALID"
    r = client.get(url, headers=login("C001", window=1))
    assert r.status_code == 403 and r.json()["error"]["code"] == "FORBIDDEN"
    r = client.post(f"{url}/999/ack", headers=login("S001"))
    assert r.status_code == 404 and r.json()["error"]["code"] == "DEVICE_ALERT_NOT_FOUND"
    assert r.json()["error"]["message_zh"] == "找不到该设备告警"


# -- permissions on print jobs (SQLite) -----------------------------------------------------


@sqlite_only
def test_print_jobs_are_for_the_halls_kiosks(
    client: TestClient, hub: Hub, demo: DemoResult, kiosk: dict[str, str]
) -> None:
    job = client.post(ISSUE, json={"queue": "A"}, headers=kiosk).json()["print"]["job"]
    url = f"/api/v1/print-jobs/{job}"
    assert client.get(url).status_code == 401
    board = {"Authorization": f"Bearer {demo.device_tokens['HB01']}"}
    r = client.get(url, headers=board)
    assert r.status_code == 403 and r.json()["error"]["code"] == "FORBIDDEN"
    other_hall = load_demo(hub.db, hall_code="north")
    r = client.get(url, headers={"Authorization": f"Bearer {other_hall.device_tokens['K01']}"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "WRONG_HALL"
    r = client.get("/api/v1/print-jobs/nope", headers=kiosk)
    assert r.status_code == 404 and r.json()["error"]["code"] == "PRINT_JOB_NOT_FOUND"
    r = client.post("/api/v1/halls/demo/items/NOPE/notice", headers=kiosk)
    assert r.status_code == 404 and r.json()["error"]["code"] == "SERVICE_ITEM_NOT_FOUND"
    r = client.post("/api/v1/halls/demo/items/A01/notice", headers=board)
    assert r.status_code == 403
    follow(client, kiosk, job)


# -- the admin printers page (SQLite) ----------------------------------------------------


@sqlite_only
def test_admin_page_shows_what_the_printers_printed(
    client: TestClient, demo: DemoResult, kiosk: dict[str, str]
) -> None:
    page = client.get("/admin/printers")
    assert page.status_code == 401 and 'action="/admin/printers/login"' in page.text
    r = client.post("/admin/printers/login", data={"staff_no": "S001", "password": "demo1234"})
    assert r.status_code == 403 and "管理员" in r.text
    r = client.post(
        "/admin/printers/login",
        data={"staff_no": "admin", "password": "admin1234"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and "hall_session" in r.cookies
    k02 = {"Authorization": f"Bearer {demo.device_tokens['K02']}"}
    job = client.post(ISSUE, json={"queue": "A"}, headers=k02).json()["print"]["job"]
    follow(client, k02, job)
    page = client.get("/admin/printers")
    assert page.status_code == 200
    assert 'aria-label="P01"' in page.text and 'aria-label="P02"' in page.text
    assert 'data-state="ok"' in page.text
    image = client.get("/admin/printers/P02/printed/1.png")
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert "/admin/printers/P02/printed/1.png" in page.text
    picture = Image.open(io.BytesIO(image.content))
    assert picture.width == 384 and picture.height > 400  # 58 mm paper, a whole ticket
    assert client.get("/admin/printers/P02/printed/9.png").status_code == 404
    assert client.get("/admin/printers/P77/printed/1.png").json()["error"]["code"] == (
        "PRINTER_NOT_FOUND"
    )

    # The demo's fault switch: P01 out of paper, K01's next ticket goes to P02.
    r = client.post(
        "/admin/printers/P01/simulate", data={"condition": "paper_out"}, follow_redirects=False
    )
    assert r.status_code == 303
    job = client.post(ISSUE, json={"queue": "A"}, headers=kiosk).json()["print"]["job"]
    assert follow(client, kiosk, job)["printer"] == "P02"
    client.post("/admin/printers/check", follow_redirects=False)
    assert "缺纸" in client.get("/admin/printers").text
    client.cookies.clear()
    assert client.get("/admin/printers/P02/printed/1.png").status_code == 401
