"""Cases (办件) through the API, on SQLite and PostgreSQL: registered from the ticket
being served, 补办 with the items' own materials, timed in working days, looked up by the
citizen with four digits (a wrong answer is answered like a missing number, and
rate-limited), 联办 with its departments, permissions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hallclient import patch_hall
from hubprocess import wait_until
from testclock import FakeClock

from server.devices import printing_demo
from server.devices.printing import PrintingSupervisor
from server.domain.identity import id_check_char
from server.services import cases
from server.services.halls import hall_id as demo_id_of
from server.services.hub import Hub
from server.store import catalogue as catalogue_store
from server.store.db import Session
from server.web.schemas.cases import CaseOut, CitizenStatus

Login = Callable[..., dict[str, str]]
H = "/api/v1/halls/demo"


def demo_id(hub: Hub) -> int:
    return demo_id_of(hub, "demo")


def resident_id(born: date, serial: int = 123, region: str = "330106") -> str:
    first17 = f"{region}{born:%Y%m%d}{serial:03d}"
    return first17 + id_check_char(first17)


ID = resident_id(date(1980, 3, 4))
PHONE = "13812345678"


@pytest.fixture(autouse=True)
def fresh_limiter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cases, "LOOKUPS", cases.LookupLimiter())


def serving(client: TestClient, kiosk: dict[str, str], clerk: dict[str, str]) -> str:
    """A ticket of queue A, called at window 1: the one being served there."""
    code = client.post(f"{H}/tickets", json={"queue": "A"}, headers=kiosk).json()["code"]
    r = client.post(f"{H}/windows/1/call-next", headers=clerk)
    assert r.status_code == 200 and r.json()["current"]["code"] == code, r.text
    return str(code)


def step(
    client: TestClient, headers: dict[str, str], receipt: str, action: str, **body: Any
) -> Any:
    return client.post(f"{H}/cases/{receipt}/{action}", json=body or None, headers=headers)


def test_a_case_from_the_called_ticket_through_supplement_to_collection(
    client: TestClient, login: Login, kiosk: dict[str, str], clock: FakeClock
) -> None:
    clerk = login("C001", window=1)
    ticket = serving(client, kiosk, clerk)
    body = {
        "item": "A01",
        "applicant_name": "张三",
        "id_number": ID,
        "phone": PHONE,
        "materials": ["公司登记（备案）申请书", "股东主体资格证明"],
    }
    r = client.post(f"{H}/cases", json=body, headers=clerk)
    assert r.status_code == 201, r.text
    case = CaseOut.model_validate(r.json())
    assert case.receipt_no == "DEMO2026000001" and case.ticket == ticket
    assert (case.state, case.type, case.channel) == ("received", "promised", "window")
    assert case.id_masked == "330***********" + ID[-4:] and case.phone_masked == "138****5678"
    # Received Monday 23 Nov: the 受理 decision is due within 3 working days.
    assert case.due == "2026-11-26" and case.light == "green"
    assert case.allowed == ["accept", "supplement", "return"]
    assert [s.action for s in case.steps] == ["receive"] and case.steps[0].by == "王芳"

    # 补办: only materials of the item's own list.
    r = step(client, clerk, case.receipt_no, "supplement", missing=["结婚证"])
    assert r.status_code == 422 and r.json()["error"]["code"] == "CASE_MISSING_UNKNOWN"
    r = step(client, clerk, case.receipt_no, "supplement", missing=["公司章程", "住所使用证明"])
    assert r.status_code == 200, r.text
    waiting = CaseOut.model_validate(r.json())
    assert waiting.state == "supplement" and waiting.missing == ["公司章程", "住所使用证明"]
    assert waiting.due is None and waiting.light == "none"

    # The citizen checks at home: receipt number and the last four of the ID or phone.
    for last4, receipt in (("0000", case.receipt_no), (ID[-4:], "DEMO2026999999")):
        r = client.post(f"{H}/case-status", json={"receipt_no": receipt, "last4": last4})
        assert r.status_code == 404 and r.json()["error"]["code"] == "CASE_NOT_FOUND"
        assert receipt not in r.json()["error"]["message"]
    r = client.post(
        f"{H}/case-status", json={"receipt_no": " demo2026000001 ", "last4": PHONE[-4:]}
    )
    assert r.status_code == 200, r.text
    status = CitizenStatus.model_validate(r.json())
    assert status.missing == ["公司章程", "住所使用证明"] and status.state == "supplement"
    assert "张三" not in r.text and ID not in r.text and "王芳" not in r.text

    # Complete on Wednesday: the clock starts then; A01 promises 1 working day. (A
    # sign-in lasts a working day: the clerk signs in again each morning.)
    clock.advance(days=2)
    clerk = login("C001", window=1)
    running = CaseOut.model_validate(step(client, clerk, case.receipt_no, "resume").json())
    assert running.state == "accepted" and running.missing == []
    assert running.due == "2026-11-26" and running.light == "green"
    # Friday: overdue, red, first on the supervisor's list.
    clock.advance(days=2)
    clerk = login("C001", window=1)
    supervisor = login("S001")
    listed = client.get(f"{H}/cases", headers=supervisor).json()["cases"]
    assert [(c["receipt_no"], c["light"]) for c in listed] == [(case.receipt_no, "red")]
    assert client.get(f"{H}/cases", params={"light": "yellow"}, headers=supervisor).json() == {
        "cases": []
    }
    done = step(client, clerk, case.receipt_no, "approve")
    done = step(client, clerk, case.receipt_no, "finish", version=done.json()["version"])
    finished = CaseOut.model_validate(done.json())
    assert finished.state == "finished" and finished.late is True and finished.due is None
    r = step(client, clerk, case.receipt_no, "finish")
    assert r.status_code == 409 and r.json()["error"]["code"] == "CASE_WRONG_STATE"
    collected = CaseOut.model_validate(step(client, clerk, case.receipt_no, "collect").json())
    assert [(s.action, s.state) for s in collected.steps] == [
        ("receive", "received"),
        ("supplement", "supplement"),
        ("resume", "accepted"),
        ("approve", "approved"),
        ("finish", "finished"),
        ("collect", "collected"),
    ]
    assert collected.steps[1].missing == ["公司章程", "住所使用证明"]
    assert collected.steps[2].at.startswith("2026-11-25")
    assert client.get(f"{H}/cases", headers=supervisor).json() == {"cases": []}


def test_bad_steps_are_refused_and_nothing_changes(
    client: TestClient, login: Login, kiosk: dict[str, str]
) -> None:
    clerk = login("C001", window=1)
    r = client.post(f"{H}/cases", json={"item": "A01", "applicant_name": "李四"}, headers=clerk)
    assert r.status_code == 409 and r.json()["error"]["code"] == "NO_CURRENT_TICKET"
    serving(client, kiosk, clerk)
    r = client.post(f"{H}/cases", json={"item": "A01", "applicant_name": " "}, headers=clerk)
    assert r.status_code == 422
    r = client.post(
        f"{H}/cases",
        json={"item": "A01", "applicant_name": "李四", "id_number": "123"},
        headers=clerk,
    )
    assert r.status_code == 422 and r.json()["error"]["code"] == "ID_NUMBER_FORMAT"
    receipt = client.post(
        f"{H}/cases", json={"item": "A01", "applicant_name": "李四"}, headers=clerk
    ).json()["receipt_no"]
    r = step(client, clerk, receipt, "return", note="  ")
    assert r.status_code == 422 and r.json()["error"]["code"] == "CASE_REASON_REQUIRED"
    r = step(client, clerk, receipt, "teleport")
    assert r.status_code == 422
    r = step(client, clerk, receipt, "accept", version=99)
    assert r.status_code == 409 and r.json()["error"]["code"] == "STALE_VERSION"
    r = step(client, clerk, receipt, "complete")
    assert r.json()["error"]["code"] == "CASE_NOT_IMMEDIATE"
    returned = step(client, clerk, receipt, "return", note="申请人不具备主体资格")
    assert returned.json()["reason"] == "申请人不具备主体资格"
    review = step(client, clerk, receipt, "review")
    assert review.json()["state"] == "review"
    # 复核 is decided by a supervisor, not by the clerk who returned it.
    r = step(client, clerk, receipt, "overturn", note="材料齐全")
    assert r.status_code == 403 and r.json()["error"]["code"] == "FORBIDDEN"
    r = step(client, login("S001"), receipt, "overturn", note="材料齐全，应予受理")
    assert r.json()["state"] == "accepted" and r.json()["light"] in ("green", "yellow")
    assert [s["action"] for s in r.json()["steps"]] == ["receive", "return", "review", "overturn"]
    r = client.get(f"{H}/cases/NOPE", headers=clerk)
    assert r.status_code == 404 and r.json()["error"]["code"] == "CASE_NOT_FOUND"


def test_an_immediate_case_by_post_and_who_may_see_what(client: TestClient, login: Login) -> None:
    supervisor = login("S001")
    body = {"item": "B01", "applicant_name": "王五", "channel": "post", "id_number": ID}
    r = client.post(f"{H}/cases", json=body, headers=supervisor)
    assert r.status_code == 201, r.text
    case = r.json()
    assert case["type"] == "immediate" and case["ticket"] is None
    assert case["allowed"][0] == "complete"
    done = step(client, supervisor, case["receipt_no"], "complete").json()
    assert done["state"] == "finished" and done["late"] is False
    assert [s["action"] for s in done["steps"]] == ["receive", "accept", "approve", "finish"]
    # A clerk without a window cannot take a case "at the window"; clerks don't list cases.
    clerk = login("C002")
    r = client.post(f"{H}/cases", json={**body, "channel": "window"}, headers=clerk)
    assert r.status_code == 403 and r.json()["error"]["code"] == "NOT_AT_WINDOW"
    assert client.get(f"{H}/cases", headers=clerk).status_code == 403
    assert client.post(f"{H}/cases", json=body).status_code == 401
    # An item without a time limit cannot be registered.
    r = client.post(f"{H}/cases", json={**body, "item": "NOPE"}, headers=supervisor)
    assert r.status_code == 404


def test_a_joint_case_waits_for_every_department(client: TestClient, login: Login) -> None:
    supervisor = login("S001")
    body = {
        "item": "A01",
        "applicant_name": "某某科技有限公司",
        "channel": "online",
        "type": "joint",
        "joint_departments": ["SWJ", "RSJ"],
    }
    r = client.post(f"{H}/cases", json=body, headers=supervisor)
    assert r.status_code == 201, r.text
    lead = r.json()
    assert [(c["receipt_no"], c["department"]) for c in lead["sub_cases"]] == [
        (lead["receipt_no"] + "-1", "SWJ"),
        (lead["receipt_no"] + "-2", "RSJ"),
    ]
    step(client, supervisor, lead["receipt_no"], "accept")
    r = step(client, supervisor, lead["receipt_no"], "approve")
    assert r.status_code == 409 and r.json()["error"]["code"] == "JOINT_SUBCASES_OPEN"
    assert r.json()["error"]["details"] == {"open": 2}
    for sub in lead["sub_cases"]:
        step(client, supervisor, sub["receipt_no"], "accept")
        assert step(client, supervisor, sub["receipt_no"], "approve").status_code == 200
    assert step(client, supervisor, lead["receipt_no"], "approve").json()["state"] == "approved"
    r = client.post(
        f"{H}/cases", json={**body, "joint_departments": ["SCJG"]}, headers=supervisor
    )  # the item's own department is the lead, not a partner
    assert r.status_code == 422 and r.json()["error"]["code"] == "JOINT_DEPARTMENTS_INVALID"


def test_an_urgent_case_is_due_on_the_centres_date(client: TestClient, login: Login) -> None:
    supervisor = login("S001")
    body = {"item": "A05", "applicant_name": "某餐饮店", "channel": "online"}
    receipt = client.post(f"{H}/cases", json=body, headers=supervisor).json()["receipt_no"]
    accepted = step(client, supervisor, receipt, "accept").json()
    normal = accepted["due"]
    assert normal > "2026-11-30"
    r = client.post(f"{H}/cases/{receipt}/urgent", json={"due": "2026-11-28"}, headers=supervisor)
    assert r.status_code == 422 and r.json()["error"]["code"] == "DEADLINE_NOT_WORKING_DAY"
    r = client.post(f"{H}/cases/{receipt}/urgent", json={"due": "2026-11-25"}, headers=supervisor)
    assert r.status_code == 200 and r.json()["due"] == "2026-11-25"
    assert r.json()["urgent_due"] == "2026-11-25"
    clerk = login("C001")
    r = client.post(f"{H}/cases/{receipt}/urgent", json={"due": "2026-11-25"}, headers=clerk)
    assert r.status_code == 403


def test_guessing_is_slowed_down(client: TestClient, login: Login) -> None:
    supervisor = login("S001")
    body = {"item": "B01", "applicant_name": "赵六", "channel": "post", "phone": PHONE}
    receipt = client.post(f"{H}/cases", json=body, headers=supervisor).json()["receipt_no"]
    for n in range(cases.LOOKUP_FAILURES):
        r = client.post(f"{H}/case-status", json={"receipt_no": receipt, "last4": f"{n:04d}"})
        assert r.status_code == 404
    r = client.post(f"{H}/case-status", json={"receipt_no": receipt, "last4": PHONE[-4:]})
    assert r.status_code == 429 and r.json()["error"]["code"] == "TOO_MANY_ATTEMPTS"
    assert r.json()["error"]["details"]["retry_after_seconds"] > 0


def test_the_receipt_numbers_count_per_year(
    client: TestClient, login: Login, clock: FakeClock
) -> None:
    supervisor = login("S001")
    body = {"item": "B01", "applicant_name": "钱七", "channel": "post"}
    first = client.post(f"{H}/cases", json=body, headers=supervisor).json()["receipt_no"]
    second = client.post(f"{H}/cases", json=body, headers=supervisor).json()["receipt_no"]
    assert (first, second) == ("DEMO2026000001", "DEMO2026000002")
    clock.advance(days=40)  # into 2027: the count starts again
    supervisor = login("S001")
    third = client.post(f"{H}/cases", json=body, headers=supervisor).json()["receipt_no"]
    assert third == "DEMO2027000001"
    assert date(2027, 1, 2) - timedelta(days=40) < date(2026, 11, 24)


def test_the_hall_sets_its_receipt_pattern_and_items_need_a_time_limit(
    client: TestClient, login: Login, hub: Hub
) -> None:
    admin = login("admin", password="admin1234")
    r = patch_hall(client, "demo", {"receipt_pattern": "SL{year}/{seq}"}, admin)
    assert r.status_code == 422
    (problem,) = r.json()["error"]["details"]["fields"]
    assert (problem["field"], problem["code"]) == ("receipt_pattern", "RECEIPT_PATTERN")
    assert "字段以外只能用字母、数字和 -" in problem["message_zh"]
    assert "{seq:6}" in problem["message_en"]
    r = patch_hall(client, "demo", {"receipt_pattern": "SL-{yy}{month}-{seq:4}"}, admin)
    assert r.status_code == 200 and r.json()["receipt_pattern"] == "SL-{yy}{month}-{seq:4}"
    supervisor = login("S001")
    body = {"item": "B01", "applicant_name": "孙八", "channel": "post"}
    r = client.post(f"{H}/cases", json=body, headers=supervisor)
    assert r.json()["receipt_no"] == "SL-2611-0001"

    def no_limit(s: Session) -> None:
        item = catalogue_store.service_item_by_code(s, demo_id(hub), "B01")
        item.guide = {k: v for k, v in item.guide.items() if k != "promised_limit_days"}
        s.add(item)

    hub.db.write(no_limit)
    r = client.post(f"{H}/cases", json=body, headers=supervisor)
    assert r.status_code == 422 and r.json()["error"]["code"] == "ITEM_NO_TIME_LIMIT"


def test_the_receipt_and_the_notice_print_at_the_window_and_as_a4_pages(
    client: TestClient, login: Login, kiosk: dict[str, str]
) -> None:
    clerk = login("C001", window=1)  # window 1 has a printer (devices.toml: P02)
    serving(client, kiosk, clerk)
    body = {"item": "A01", "applicant_name": "张三", "id_number": ID, "materials": ["公司章程"]}
    receipt = client.post(f"{H}/cases", json=body, headers=clerk).json()["receipt_no"]
    r = client.post(f"{H}/cases/{receipt}/print/notice", headers=clerk)
    assert r.status_code == 409 and r.json()["error"]["code"] == "CASE_NOTHING_MISSING"
    r = client.post(f"{H}/cases/{receipt}/print/receipt", headers=clerk)
    assert r.status_code == 200, r.text
    assert (
        r.json()["print"]["printer"] == "P02"
        and r.json()["page"] == f"/cases/demo/{receipt}/receipt"
    )
    supervisor: PrintingSupervisor = client.app.state.printing.for_hall("demo")  # type: ignore[attr-defined]
    wait_until(lambda: printing_demo.printed(supervisor, "P02"), timeout=10)
    step(client, clerk, receipt, "supplement", missing=["住所使用证明", "股东主体资格证明"])
    r = client.post(f"{H}/cases/{receipt}/print/notice", headers=clerk)
    assert r.json()["print"]["printer"] == "P02"
    wait_until(lambda: len(printing_demo.printed(supervisor, "P02")) == 2, timeout=10)

    # A window without a printer: no job, the A4 page instead.
    other = login("C002", window=2)
    r = client.post(f"{H}/cases/{receipt}/print/receipt", headers=other)
    assert r.status_code == 200 and r.json()["print"] is None

    page = client.get(f"/cases/demo/{receipt}/notice", headers=clerk)
    assert page.status_code == 200
    assert f'<strong id="receipt-no">{receipt}</strong>' in page.text
    assert "住所使用证明</td><td>复印件 1 份" in page.text and "一次性告知书" in page.text
    assert ID not in page.text and ID[:3] + "*" in page.text
    receipt_page = client.get(f"/cases/demo/{receipt}/receipt", headers=clerk)
    assert "受理回执" in receipt_page.text and "公司章程" in receipt_page.text
    assert "投诉电话：12345" in receipt_page.text
    client.cookies.clear()
    assert client.get(f"/cases/demo/{receipt}/receipt").status_code == 401
